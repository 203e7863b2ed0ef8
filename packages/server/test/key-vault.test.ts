import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '@tracemark/server';
import { KeyVault, loadKeyVault } from '../src/lib/key-vault.js';

const masterKey = (id: string) => ({ id, key: new Uint8Array(randomBytes(32)) });
const b64 = (k: { key: Uint8Array }) => Buffer.from(k.key).toString('base64');

/** A logger that keeps what it writes, to see the warnings. */
function capturingLogger(): { log: pino.Logger; lines: Array<{ level: number; msg: string }> } {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino(
    { level: 'info' },
    { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) },
  );
  return { log, lines };
}

describe('the key vault', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'tracemark-vault-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a sealed secret opens back to the same bytes, and the sealed text does not contain them', () => {
    const vault = new KeyVault([masterKey('k1')]);
    const secret = new Uint8Array(randomBytes(64));
    const sealed = vault.seal(secret, 'code-space:t1:s1');
    assert.equal(sealed.masterKeyId, 'k1');
    const raw = Buffer.from(sealed.sealed, 'base64');
    assert.equal(raw.length, 12 + 16 + 64, 'IV, tag and the encrypted secret');
    assert.equal(raw.indexOf(Buffer.from(secret)), -1);
    assert.deepEqual(vault.open(sealed, 'code-space:t1:s1'), secret);
    // A fresh IV each time: sealing twice gives different text that opens to the same secret.
    const again = vault.seal(secret, 'code-space:t1:s1');
    assert.notEqual(again.sealed, sealed.sealed);
    assert.deepEqual(vault.open(again, 'code-space:t1:s1'), secret);
  });

  test('a secret does not open under another context, nor when its bytes were altered', () => {
    const vault = new KeyVault([masterKey('k1')]);
    const sealed = vault.seal(new Uint8Array(randomBytes(64)), 'code-space:t1:s1');
    assert.throws(() => vault.open(sealed, 'code-space:t1:s2'));
    assert.throws(() => vault.open(sealed, 'code-space:t2:s1'));
    const raw = Buffer.from(sealed.sealed, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    assert.throws(() => vault.open({ ...sealed, sealed: raw.toString('base64') }, 'code-space:t1:s1'));
  });

  test('a secret sealed under a master key the vault does not have fails with a message naming the key and MASTER_KEY', () => {
    const sealed = new KeyVault([masterKey('gone')]).seal(new Uint8Array(randomBytes(64)), 'ctx');
    const vault = new KeyVault([masterKey('k1')]);
    assert.throws(
      () => vault.open(sealed, 'ctx'),
      (error: unknown) =>
        error instanceof Error && /"gone"/.test(error.message) && /MASTER_KEY/.test(error.message),
    );
  });

  test('a vault needs at least one master key', () => {
    assert.throws(() => new KeyVault([]), /at least one master key/);
  });

  test('MASTER_KEY with two keys seals under the first and still opens what the older one sealed; reseal moves to the newest', () => {
    const newer = masterKey('k2026');
    const older = masterKey('k2025');
    const secret = new Uint8Array(randomBytes(64));
    const byOld = new KeyVault([older]).seal(secret, 'code-space:t:s');

    const config = loadConfig({
      DATA_DIR: tempDir(),
      MASTER_KEY: `k2026:${b64(newer)}, k2025:${b64(older)}`,
    });
    const vault = loadKeyVault(config, pino({ level: 'silent' }));
    assert.equal(vault.currentKeyId, 'k2026');
    assert.deepEqual(vault.open(byOld, 'code-space:t:s'), secret);
    assert.equal(vault.seal(secret, 'x').masterKeyId, 'k2026');

    const moved = vault.reseal(byOld, 'code-space:t:s');
    assert.equal(moved.masterKeyId, 'k2026');
    assert.notEqual(moved.sealed, byOld.sealed);
    // Once moved, the newest key alone opens it; the retired key no longer can.
    assert.deepEqual(new KeyVault([newer]).open(moved, 'code-space:t:s'), secret);
    assert.throws(() => new KeyVault([older]).open(moved, 'code-space:t:s'), /"k2026"/);
    // Resealing what is already under the newest key changes nothing.
    assert.equal(vault.reseal(moved, 'code-space:t:s'), moved);
    // Resealing keeps the context check.
    assert.throws(() => vault.reseal(byOld, 'code-space:t:other'));
  });

  test('with MASTER_KEY set, no key file is written to DATA_DIR', () => {
    const dir = tempDir();
    const k = masterKey('prod1');
    const { log, lines } = capturingLogger();
    const vault = loadKeyVault(loadConfig({ DATA_DIR: dir, MASTER_KEY: `prod1:${b64(k)}` }), log);
    assert.equal(vault.currentKeyId, 'prod1');
    assert.equal(existsSync(join(dir, 'master.key')), false);
    assert.deepEqual(lines, []);
  });

  test('without MASTER_KEY a key is generated once into DATA_DIR/master.key (mode 0600, with a warning) and reused', () => {
    const dir = join(tempDir(), 'not', 'yet', 'there');
    const config = loadConfig({ DATA_DIR: dir });
    const first = capturingLogger();
    const vault = loadKeyVault(config, first.log);
    const file = join(dir, 'master.key');
    assert.ok(existsSync(file));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = readFileSync(file, 'utf8');
    assert.match(content, /^local-[0-9a-f]{8}:[A-Za-z0-9+/]{43}=\n$/);
    assert.equal(vault.currentKeyId, content.split(':')[0]);
    assert.equal(first.lines.filter((l) => l.level === 40).length, 1, 'one warning on generating');

    const sealed = vault.seal(new Uint8Array([1, 2, 3]), 'ctx');
    const second = capturingLogger();
    const reloaded = loadKeyVault(config, second.log);
    assert.equal(readFileSync(file, 'utf8'), content, 'the file is not rewritten');
    assert.equal(reloaded.currentKeyId, vault.currentKeyId);
    assert.deepEqual(reloaded.open(sealed, 'ctx'), new Uint8Array([1, 2, 3]));
    assert.deepEqual(second.lines, [], 'no warning when the key already exists');

    // Another DATA_DIR gets a key of its own, which cannot open this one's secrets.
    const elsewhere = loadKeyVault(loadConfig({ DATA_DIR: tempDir() }), pino({ level: 'silent' }));
    assert.notEqual(elsewhere.currentKeyId, vault.currentKeyId);
    assert.throws(() => elsewhere.open(sealed, 'ctx'), /is not configured/);
  });

  test('a damaged master.key file is refused with its path, not replaced', () => {
    const dir = tempDir();
    const file = join(dir, 'master.key');
    writeFileSync(file, 'local-1:c2hvcnQ=\n', { mode: 0o600 });
    assert.throws(
      () => loadKeyVault(loadConfig({ DATA_DIR: dir }), pino({ level: 'silent' })),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.ok(error.message.includes(file), error.message);
        return true;
      },
    );
    assert.equal(readFileSync(file, 'utf8'), 'local-1:c2hvcnQ=\n');
  });
});
