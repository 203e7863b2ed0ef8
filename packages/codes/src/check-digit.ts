/**
 * Damm's quasigroup of order 10 (H. M. Damm, 2004), row = interim digit, column = next digit.
 *
 * Its operation is weakly totally anti-symmetric with a zero diagonal, which is exactly what makes
 * one check digit catch every single-digit substitution and every adjacent transposition (Luhn
 * misses 09 <-> 90; GS1 mod 10 misses transpositions of digits five apart). Unlike Verhoeff it
 * needs no permutation table and no dihedral group, and a valid code ends the walk at 0.
 */
const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/**
 * One Damm step: `DAMM_STEPS[interim * 10 + digit]` is the next interim digit.
 * Internal to the package (a typed array cannot be frozen): read it, never write it.
 */
export const DAMM_STEPS: Uint8Array = Uint8Array.from(DAMM_TABLE.flat());

/**
 * Two Damm steps at once: `DAMM_PAIRS[interim * 100 + pair]` is the interim digit after the two
 * digits of `pair` (00..99). Code generation walks a code by pairs, halving the table lookups.
 * Internal to the package (a typed array cannot be frozen): read it, never write it.
 */
export const DAMM_PAIRS: Uint8Array = (() => {
  const pairs = new Uint8Array(1000);
  for (let interim = 0; interim < 10; interim++) {
    for (let pair = 0; pair < 100; pair++) {
      const first = DAMM_STEPS[interim * 10 + Math.floor(pair / 10)] ?? 0;
      pairs[interim * 100 + pair] = DAMM_STEPS[first * 10 + (pair % 10)] ?? 0;
    }
  }
  return pairs;
})();

/**
 * The Damm interim digit after walking `digits` from `interim` (0 at the start of a code).
 * Returns -1 if `digits` holds anything but ASCII 0-9.
 */
export function dammInterim(digits: string, interim = 0): number {
  let state = interim;
  for (let k = 0; k < digits.length; k++) {
    const digit = digits.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    state = DAMM_STEPS[state * 10 + digit] ?? 0;
  }
  return state;
}

/**
 * The Damm check digit (0-9) to append to `digits`.
 *
 * @example
 * ```ts
 * dammCheckDigit('572'); // 4, so '5724' is valid
 * ```
 * @throws RangeError if `digits` is empty or holds anything but ASCII 0-9.
 */
export function dammCheckDigit(digits: string): number {
  const interim = digits.length === 0 ? -1 : dammInterim(digits);
  if (interim < 0) throw new RangeError('Damm check digit needs a non-empty string of digits 0-9');
  // The table's diagonal is zero, so appending the interim digit brings the walk to 0.
  return interim;
}

/** Whether `digits` (check digit last) is a non-empty digit string whose Damm walk ends at 0. */
export function isDammValid(digits: string): boolean {
  return digits.length > 0 && dammInterim(digits) === 0;
}
