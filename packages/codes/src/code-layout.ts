import { dammInterim } from './check-digit.js';

/** The total lengths a trace code can have, in digits. */
export type CodeLength = 15 | 17 | 21;

/**
 * How the digits of a code are split: `[space prefix][FF1-encrypted serial][Damm check digit]`.
 *
 * The length of a code alone tells its layout, so a verifier can read the prefix (and find the
 * code space and its key) before it decrypts anything. See docs/codes.md for the choice of splits.
 */
export interface CodeLayout {
  /** Total digits. */
  readonly length: CodeLength;
  /** Digits of the space prefix: the layout holds 10^prefixDigits code spaces. */
  readonly prefixDigits: number;
  /** Digits of the FF1-encrypted field: a space holds 10^fieldDigits serials. */
  readonly fieldDigits: number;
  /** 10^fieldDigits: serials of a space run from 0 to capacity - 1 (always below 2^53). */
  readonly capacity: number;
  /** 10^prefixDigits: how many spaces of this layout can exist. */
  readonly spaces: number;
}

function layout(length: CodeLength, prefixDigits: number): CodeLayout {
  const fieldDigits = length - prefixDigits - 1;
  return Object.freeze({
    length,
    prefixDigits,
    fieldDigits,
    capacity: 10 ** fieldDigits,
    spaces: 10 ** prefixDigits,
  });
}

/**
 * The three layouts. Fixed forever once codes are printed: changing a split changes every code.
 *
 * - 15 = 5 prefix + 9 field + 1 check: 100,000 spaces of 10^9 codes (compact labels, many firms).
 * - 17 = 5 prefix + 11 field + 1 check: 100,000 spaces of 10^11 codes.
 * - 21 = 6 prefix + 14 field + 1 check: 1,000,000 spaces of 10^14 codes (the most guess-resistant).
 */
export const CODE_LAYOUTS: Readonly<Record<CodeLength, CodeLayout>> = Object.freeze({
  15: layout(15, 5),
  17: layout(17, 5),
  21: layout(21, 6),
});

/** Every code length, shortest first. */
export const CODE_LENGTHS: readonly CodeLength[] = Object.freeze([15, 17, 21] as const);

/** The layout of codes of `length` digits, or undefined if no layout has that length. */
export function codeLayout(length: number): CodeLayout | undefined {
  return length === 15 || length === 17 || length === 21 ? CODE_LAYOUTS[length] : undefined;
}

/** Why a string is not a trace code (of a given space). */
export type CodeErrorReason =
  /** Something other than ASCII digits 0-9. */
  | 'not-digits'
  /** No layout has this many digits. */
  | 'unknown-layout'
  /** A code of another layout than the space's. */
  | 'wrong-length'
  /** The Damm check digit does not match: a mistyped or made-up code. */
  | 'bad-check-digit'
  /** Well formed, but its prefix names another code space. */
  | 'other-space';

/** A string that is not a valid code, and why. */
export interface CodeError {
  readonly type: 'error';
  readonly reason: CodeErrorReason;
  /** An English sentence for logs and developers; user-facing text comes from `reason`. */
  readonly message: string;
}

/** A well-formed code: right length, digits only, check digit correct. Needs no key. */
export interface ParsedCode {
  readonly type: 'parsed';
  readonly code: string;
  readonly layout: CodeLayout;
  /** The space prefix: which code space (and key) the code belongs to. */
  readonly prefix: string;
  /** The encrypted field digits, between prefix and check digit. */
  readonly field: string;
}

/** Makes a {@link CodeError}. */
export function codeError(reason: CodeErrorReason, message: string): CodeError {
  return Object.freeze({ type: 'error', reason, message });
}

/**
 * Checks a code's form without any key: digits, length (which fixes the layout) and Damm check
 * digit, then splits off the prefix so the caller can look up the code space.
 *
 * @example
 * ```ts
 * const parsed = parseCode(input);
 * if (parsed.type === 'error') return reply(parsed.reason);
 * const space = await spaces.byPrefix(parsed.layout.length, parsed.prefix);
 * ```
 */
export function parseCode(code: string): ParsedCode | CodeError {
  const interim = dammInterim(code);
  if (interim < 0) return codeError('not-digits', 'A trace code holds only the digits 0-9.');
  const found = codeLayout(code.length);
  if (found === undefined) {
    return codeError('unknown-layout', `A trace code has 15, 17 or 21 digits, not ${code.length}.`);
  }
  if (interim !== 0) return codeError('bad-check-digit', 'The check digit does not match the other digits.');
  return Object.freeze({
    type: 'parsed',
    code,
    layout: found,
    prefix: code.slice(0, found.prefixDigits),
    field: code.slice(found.prefixDigits, found.length - 1),
  });
}

/**
 * Normalises what a person typed or a scanner sent, before {@link parseCode}: drops white space
 * (the ideographic space included) and hyphens, ASCII or full-width, since codes are often printed
 * in groups; turns full-width digits (０-９, common from Chinese input methods) into ASCII digits.
 * Anything else is left for parseCode to reject.
 */
export function normalizeCode(input: string): string {
  return input
    .replace(/[\s\-\uff0d]/g, '')
    .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}
