/**
 * The 31 characters of a unified social credit code (统一社会信用代码, GB 32100-2015), in the order
 * of their values 0-30: digits, then capital letters without I, O, Z, S and V.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// GB 32100 §5 (ISO 7064 MOD 31-3): weight i is 3^i mod 31 for the first 17 characters.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
// GB 11714-1997: weights of the 8 body characters of an organisation code.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const ORG_BODY = /^[0-9A-Z]{8}$/;
const FIRST_17 = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{9}$/;
const SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/**
 * Why a string is not a unified social credit code, checked in this order:
 * - `length`: not 18 characters after normalising;
 * - `charset`: a character outside {@link USCC_ALPHABET}, or a non-digit in the region part
 *   (positions 3-8);
 * - `check`: the check character (position 18) does not match the first 17;
 * - `org-check`: the code is self-consistent, but the organisation code inside it (positions
 *   9-17) fails its own GB 11714 check character. A typing error is caught by `check`; this one
 *   flags codes made up by tools that only know the outer check.
 */
export type UsccFailure = 'length' | 'charset' | 'check' | 'org-check';

/** The outcome of {@link validateUscc}: the normalised code, or why it is not one. */
export type UsccResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: UsccFailure };

/**
 * Puts user input in the one form codes are stored and compared in: full-width letters and
 * digits (as typed with a Chinese input method) made ASCII, surrounding white space removed,
 * letters upper-cased. Nothing else changes; inner spaces and hyphens stay, so they fail.
 *
 * @example
 * ```ts
 * normaliseUscc(' 91350100m000100y43 '); // '91350100M000100Y43'
 * normaliseUscc('９１３５０１００Ｍ０００１００Ｙ４３'); // '91350100M000100Y43'
 * ```
 */
export function normaliseUscc(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .trim()
    .toUpperCase();
}

/**
 * Computes the check character (position 18) of a unified social credit code from its first 17
 * characters, or `undefined` when those are not 17 characters of the right kinds.
 *
 * @example
 * ```ts
 * usccCheckCharacter('91350100M000100Y4'); // '3'
 * ```
 */
export function usccCheckCharacter(first17: string): string | undefined {
  if (!FIRST_17.test(first17)) return undefined;
  const sum = USCC_WEIGHTS.reduce((acc, w, i) => acc + USCC_ALPHABET.indexOf(first17.charAt(i)) * w, 0);
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/**
 * Computes the GB 11714 check character of an organisation code (组织机构代码) from its 8 body
 * characters (digits and capital letters, A = 10 … Z = 35): a digit or `X`. `undefined` when the
 * body is not 8 such characters.
 *
 * @example
 * ```ts
 * orgCodeCheckCharacter('M000100Y'); // '4'
 * ```
 */
export function orgCodeCheckCharacter(body: string): string | undefined {
  if (!ORG_BODY.test(body)) return undefined;
  const sum = ORG_WEIGHTS.reduce((acc, w, i) => acc + parseInt(body.charAt(i), 36) * w, 0);
  const check = 11 - (sum % 11);
  return check === 11 ? '0' : check === 10 ? 'X' : String(check);
}

/**
 * Validates a unified social credit code (GB 32100-2015) and returns it normalised (see
 * {@link normaliseUscc}).
 *
 * Layout: registration authority (1), entity type (1), registering region (6 digits, GB/T 2260),
 * organisation code (9, GB 11714, its own check character last), check character (1).
 *
 * The region part is deliberately not looked up in the region list: a code keeps the region of
 * its registration for life, including regions abolished since. A valid code proves only that it
 * is well formed, never that the organisation exists. Known gap: some codes Xiamen issued before
 * 2016 are reported to fail the GB 32100 check (e.g. hutool issue #4119) and are rejected with
 * `check`; such an organisation needs a manual review path.
 *
 * @example
 * ```ts
 * validateUscc('91350100M000100Y43'); // { ok: true, value: '91350100M000100Y43' }
 * validateUscc('91350100M000100Y44'); // { ok: false, reason: 'check' }
 * validateUscc('91350100M000100Y4');  // { ok: false, reason: 'length' }
 * ```
 */
export function validateUscc(input: string): UsccResult {
  const value = normaliseUscc(input);
  if (Array.from(value).length !== 18) return fail('length');
  if (!SHAPE.test(value)) return fail('charset');
  if (usccCheckCharacter(value.slice(0, 17)) !== value.charAt(17)) return fail('check');
  if (orgCodeCheckCharacter(value.slice(8, 16)) !== value.charAt(16)) return fail('org-check');
  return Object.freeze({ ok: true, value });
}

function fail(reason: UsccFailure): UsccResult {
  return Object.freeze({ ok: false, reason });
}
