import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';

/** A secret sealed under a master key: which key, and the sealed bytes (base64). */
export interface SealedSecret {
  readonly masterKeyId: string;
  readonly sealed: string;
}

/**
 * Envelope encryption for the keys of code spaces: each space key is sealed with AES-256-GCM
 * under the newest master key, with a context string as associated data so a sealed key cannot
 * be moved to another space. Older master keys stay able to open what they sealed; `reseal`
 * moves a secret to the newest (rotation).
 */
export class KeyVault {
  private readonly keys: ReadonlyMap<string, Uint8Array>;
  private readonly currentId: string;

  constructor(masterKeys: ReadonlyArray<{ readonly id: string; readonly key: Uint8Array }>) {
    const first = masterKeys[0];
    if (first === undefined) throw new Error('a key vault needs at least one master key');
    this.keys = new Map(masterKeys.map((k) => [k.id, k.key]));
    this.currentId = first.id;
  }

  /** The id of the master key new secrets are sealed with. */
  get currentKeyId(): string {
    return this.currentId;
  }

  /** Seals `secret` for `context` (e.g. `code-space:<tenant>:<space>`). */
  seal(secret: Uint8Array, context: string): SealedSecret {
    const key = this.keys.get(this.currentId);
    if (key === undefined) throw new Error('current master key missing');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    return {
      masterKeyId: this.currentId,
      sealed: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'),
    };
  }

  /** Opens a sealed secret; throws if the master key is unknown or the data or context do not match. */
  open(secret: SealedSecret, context: string): Uint8Array {
    const key = this.keys.get(secret.masterKeyId);
    if (key === undefined)
      throw new Error(`master key "${secret.masterKeyId}" is not configured (MASTER_KEY)`);
    const raw = Buffer.from(secret.sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return new Uint8Array(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]));
  }

  /** Re-seals a secret under the newest master key (no-op when it already is). */
  reseal(secret: SealedSecret, context: string): SealedSecret {
    return secret.masterKeyId === this.currentId ? secret : this.seal(this.open(secret, context), context);
  }
}

/**
 * The vault for a configuration: the keys of `MASTER_KEY`, or the key kept in
 * `DATA_DIR/master.key`, generated on first use with a warning (fine for one machine; a
 * deployment sets MASTER_KEY from its secret store, so database backups alone open nothing).
 */
export function loadKeyVault(config: Config, log: FastifyBaseLogger): KeyVault {
  if (config.masterKeys.length > 0) return new KeyVault(config.masterKeys);
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    const key = randomBytes(32);
    const id = `local-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    writeFileSync(file, `${id}:${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    log.warn(
      { file },
      'generated a master key for code-space keys; set MASTER_KEY in production and back it up apart from the database',
    );
  }
  const [id, b64] = readFileSync(file, 'utf8').trim().split(':');
  const key = Buffer.from(b64 ?? '', 'base64');
  if (id === undefined || key.length !== 32) throw new Error(`${file} is not a valid master key file`);
  return new KeyVault([{ id, key: new Uint8Array(key) }]);
}
