/** The GTIN lengths GS1 defines: GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14. */
export const GTIN_LENGTHS: readonly number[] = Object.freeze([8, 12, 13, 14]);

/**
 * The GS1 mod-10 check digit of `digits` (the key without its check digit): weights 3, 1, 3, …
 * from the rightmost digit leftwards, check = (10 - sum mod 10) mod 10. The same rule serves
 * GTIN, GLN and SSCC. (Trace codes use Damm instead: mod 10 misses some transpositions.)
 *
 * @example
 * ```ts
 * gs1CheckDigit('400638133393'); // 1, so 4006381333931 is a valid GTIN-13
 * ```
 * @throws RangeError if `digits` is empty or holds anything but ASCII 0-9.
 */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError('GS1 check digit needs a non-empty string of digits 0-9');
  let sum = 0;
  for (let k = digits.length - 1, weight = 3; k >= 0; k--, weight = 4 - weight) {
    sum += (digits.charCodeAt(k) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Why a string is not a GTIN. */
export type GtinErrorReason = 'not-digits' | 'wrong-length' | 'bad-check-digit';

/** A string that is not a GTIN, and why. */
export interface GtinError {
  readonly type: 'error';
  readonly reason: GtinErrorReason;
  readonly message: string;
}

/** A valid GTIN, normalised to 14 digits. */
export interface ParsedGtin {
  readonly type: 'gtin';
  /** The GTIN left-padded with zeros to 14 digits: the form GS1 Digital Link and EPCIS use. */
  readonly gtin14: string;
}

/**
 * Validates a GTIN-8/12/13/14 and normalises it to 14 digits (left zero padding keeps the check
 * digit valid, since the weights count from the right). For untrusted input: says what is wrong.
 *
 * @example
 * ```ts
 * parseGtin('4006381333931'); // { type: 'gtin', gtin14: '04006381333931' }
 * parseGtin('4006381333932'); // { type: 'error', reason: 'bad-check-digit', ... }
 * ```
 */
export function parseGtin(gtin: string): ParsedGtin | GtinError {
  if (!/^\d+$/.test(gtin)) return gtinError('not-digits', 'A GTIN holds only the digits 0-9.');
  if (!GTIN_LENGTHS.includes(gtin.length)) {
    return gtinError('wrong-length', `A GTIN has 8, 12, 13 or 14 digits, not ${gtin.length}.`);
  }
  if (gs1CheckDigit(gtin.slice(0, -1)) !== gtin.charCodeAt(gtin.length - 1) - 48) {
    return gtinError('bad-check-digit', 'The GTIN check digit does not match the other digits.');
  }
  return Object.freeze({ type: 'gtin', gtin14: gtin.padStart(14, '0') });
}

/** Whether `gtin` is a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isValidGtin(gtin: string): boolean {
  return parseGtin(gtin).type === 'gtin';
}

/**
 * A valid GTIN-8/12/13/14 as 14 digits, the form GS1 Digital Link and EPCIS use.
 *
 * @example
 * ```ts
 * toGtin14('96385074'); // '00000096385074'
 * ```
 * @throws RangeError if `gtin` is not a valid GTIN (check with {@link isValidGtin} or use
 * {@link parseGtin} to learn why).
 */
export function toGtin14(gtin: string): string {
  const parsed = parseGtin(gtin);
  if (parsed.type === 'error') throw new RangeError(`Invalid GTIN: ${parsed.message}`);
  return parsed.gtin14;
}

function gtinError(reason: GtinErrorReason, message: string): GtinError {
  return Object.freeze({ type: 'error', reason, message });
}
