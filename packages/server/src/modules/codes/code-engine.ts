import { CodeSpaceCodec, PinDeriver, codeLayout } from '@tracemark/codes';
import type { CodeSpaceRow, Db } from '@tracemark/db';
import type { KeyVault } from '../../lib/key-vault.js';
import { createAesBlockCipher } from '../../lib/node-aes.js';

/** A space ready to turn serials into codes and back. */
export interface SpaceEngine {
  readonly space: CodeSpaceRow;
  readonly codec: CodeSpaceCodec;
  readonly pins: PinDeriver;
}

/** Bytes of a space key: 32 for FF1 (AES-256), 32 for the PIN deriver. */
export const spaceKeyBytes = 64;

/** The associated data a space key is sealed with: binds it to its enterprise and space. */
export function spaceKeyContext(tenantId: string, spaceId: string): string {
  return `code-space:${tenantId}:${spaceId}`;
}

/**
 * Opens space keys once and keeps the ready codecs (one per space; each holds reusable
 * buffers, and JavaScript runs one request at a time per process, so sharing is safe). Bounded
 * so a platform with thousands of spaces does not hold every key in memory.
 */
export class CodeEngines {
  /** By space id (tenant checked on use), with when each was last used, for eviction. */
  private readonly cache = new Map<string, { readonly engine: SpaceEngine; used: number }>();
  private uses = 0;

  constructor(
    private readonly vault: KeyVault,
    private readonly limit = 512,
  ) {}

  /** The engine of a space (opening its key on first use). */
  for(space: CodeSpaceRow): SpaceEngine {
    const hit = this.cache.get(space.id);
    // Recency is a counter, not an order kept by re-inserting: the scan path asks on every query.
    if (hit !== undefined && hit.engine.space.tenant_id === space.tenant_id) {
      hit.used = ++this.uses;
      return hit.engine;
    }
    const key = this.vault.open(
      { masterKeyId: space.master_key_id, sealed: space.wrapped_key },
      spaceKeyContext(space.tenant_id, space.id),
    );
    const layout = codeLayout(space.code_length);
    if (layout === undefined)
      throw new Error(`space ${space.id} has an unknown code length ${space.code_length}`);
    const engine: SpaceEngine = {
      space,
      codec: new CodeSpaceCodec({
        layout: layout.length,
        prefix: space.prefix,
        cipher: createAesBlockCipher(key.subarray(0, 32)),
      }),
      pins: new PinDeriver(createAesBlockCipher(key.subarray(32, 64))),
    };
    if (hit === undefined && this.cache.size >= this.limit) this.evictLeastUsed();
    this.cache.set(space.id, { engine, used: ++this.uses });
    return engine;
  }

  private evictLeastUsed(): void {
    let oldest: string | undefined;
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.cache) {
      if (entry.used < oldestUse) {
        oldest = id;
        oldestUse = entry.used;
      }
    }
    if (oldest !== undefined) this.cache.delete(oldest);
  }
}

/**
 * Re-seals every code space's key under the vault's newest master key, one space at a time
 * (each update checks the row still holds what was read, so a concurrent rotation is safe).
 */
export async function resealSpaceKeys(
  db: Db,
  vault: KeyVault,
): Promise<{ resealed: number; already: number }> {
  const spaces = await db.kysely
    .selectFrom('code_spaces')
    .select(['tenant_id', 'id', 'wrapped_key', 'master_key_id'])
    .execute();
  let resealed = 0;
  for (const s of spaces) {
    if (s.master_key_id === vault.currentKeyId) continue;
    const context = spaceKeyContext(s.tenant_id, s.id);
    const next = vault.reseal({ masterKeyId: s.master_key_id, sealed: s.wrapped_key }, context);
    await db.kysely
      .updateTable('code_spaces')
      .set({ wrapped_key: next.sealed, master_key_id: next.masterKeyId })
      .where('tenant_id', '=', s.tenant_id)
      .where('id', '=', s.id)
      .where('wrapped_key', '=', s.wrapped_key)
      .execute();
    resealed += 1;
  }
  return { resealed, already: spaces.length - resealed };
}
