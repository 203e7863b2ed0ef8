// Random bytes are drawn from the system in blocks: one call per 512 ids instead of one per id
// (the consumer scan makes an id per query).
const pool = new Uint8Array(8192);
let poolOffset = pool.length;

/** Fills `target` (at most 16 bytes) with random bytes from the pool. */
function fillRandom(target: Uint8Array): void {
  if (poolOffset + target.length > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  target.set(pool.subarray(poolOffset, poolOffset + target.length));
  poolOffset += target.length;
}

/**
 * A new identifier: a UUID version 7 (RFC 9562) — time-ordered, so new rows land at the end of
 * primary-key indexes instead of scattering writes, and unguessable in its 74 random bits.
 */
export function newId(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  fillRandom(bytes);
  // 48-bit big-endian millisecond timestamp.
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const h = (from: number, to: number): string => {
    let out = '';
    for (let i = from; i < to; i++) out += HEX[bytes[i] ?? 0] ?? '';
    return out;
  };
  return `${h(0, 4)}-${h(4, 6)}-${h(6, 8)}-${h(8, 10)}-${h(10, 16)}`;
}

/** Two hex digits for every byte value (the scan path makes an id per query). */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** True when `value` has the shape of a UUID (any version); used to reject junk ids early. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}

/**
 * The smallest UUIDv7 of a millisecond: `id >= idFloor(t)` selects rows created at or after `t`
 * through the primary key of a table whose ids are {@link newId}s, with no index on a time column.
 */
export function idFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
