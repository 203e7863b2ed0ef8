// A seeded generator, so a failing property test fails the same way on every run.

/** Mulberry32: small, fast, good enough to pick test inputs (not for keys). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A string of `length` random numerals of `radix` (0-9a-z). */
export function randomNumerals(random: () => number, length: number, radix = 10): string {
  let out = '';
  for (let k = 0; k < length; k++) out += Math.floor(random() * radix).toString(radix);
  return out;
}

/** `length` random bytes. */
export function randomBytesFrom(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}
