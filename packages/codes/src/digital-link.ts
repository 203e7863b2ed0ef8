import { parseGtin, type GtinErrorReason } from './gs1.js';

/**
 * Longest value of AI (10) batch/lot and AI (21) serial: X..20 in the GS1 General Specifications.
 * A 21-digit trace code therefore cannot be a GS1 serial; print its short link instead.
 */
export const GS1_SERIAL_MAX_LENGTH = 20;

// GS1 AI encodable character set 82, the alphabet of AI (10) and (21) values.
const CSET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/;

/** What a GS1 Digital Link of a trade item carries (primary key GTIN, optional qualifiers). */
export interface DigitalLinkKeys {
  /** GTIN-8/12/13/14; written as 14 digits. */
  readonly gtin: string;
  /** AI (22) consumer product variant. */
  readonly variant?: string;
  /** AI (10) batch or lot. */
  readonly lot?: string;
  /** AI (21) serial number, e.g. a 15- or 17-digit trace code. */
  readonly serial?: string;
}

/**
 * The short QR payload of a trace code: `{baseUrl}/c/{code}`.
 *
 * Short, upper-case-free and digits-only after the host, so the QR code stays small enough for a
 * 20 x 30 mm label.
 *
 * @param baseUrl the platform's public base URL (e.g. `https://t.example.cn`), not the bind address.
 * @throws RangeError if baseUrl is not an http(s) URL or `code` is not digits.
 */
export function buildShortLink(baseUrl: string, code: string): string {
  if (!/^\d+$/.test(code)) throw new RangeError('A trace code holds only the digits 0-9.');
  return `${normalizeBaseUrl(baseUrl)}/c/${code}`;
}

/**
 * A GS1 Digital Link URI: `{baseUrl}/01/{gtin14}[/22/{variant}][/10/{lot}][/21/{serial}]`.
 *
 * Qualifiers come in the order the standard fixes for GTIN (22, 10, 21). Values are
 * percent-encoded as GS1's own toolkit does: every character outside RFC 3986's unreserved set
 * (A-Z a-z 0-9 - . _ ~) becomes %XX, so `!`, `'`, `(`, `)`, `*` are encoded too
 * (`encodeURIComponent` leaves them).
 *
 * @example
 * ```ts
 * buildDigitalLink('https://t.example.cn', { gtin: '9506000134352', serial: '12345100000000013' });
 * // 'https://t.example.cn/01/09506000134352/21/12345100000000013'
 * ```
 * @throws RangeError on an invalid GTIN, or a value that is empty, longer than 20 characters or
 * outside GS1 character set 82 (a 21-digit trace code is too long for AI 21).
 */
export function buildDigitalLink(baseUrl: string, keys: DigitalLinkKeys): string {
  const gtin = parseGtin(keys.gtin);
  if (gtin.type === 'error') throw new RangeError(`Invalid GTIN: ${gtin.message}`);
  let uri = `${normalizeBaseUrl(baseUrl)}/01/${gtin.gtin14}`;
  for (const [ai, value] of [
    ['22', keys.variant],
    ['10', keys.lot],
    ['21', keys.serial],
  ] as const) {
    if (value === undefined) continue;
    const problem = valueProblem(value);
    if (problem !== undefined) throw new RangeError(`AI (${ai}): ${problem}`);
    uri += `/${ai}/${encodeAiValue(value)}`;
  }
  return uri;
}

/** Why a path is not a GS1 Digital Link this platform resolves. */
export type DigitalLinkErrorReason =
  /** No `/01/{gtin}` primary key followed by AI/value pairs. */
  | 'no-gtin'
  /** The GTIN is malformed; `gtinReason` says how. */
  | 'bad-gtin'
  /** An AI other than 22, 10, 21 after the GTIN, a repeated one, or one out of order. */
  | 'bad-qualifier'
  /** A value that is empty, badly percent-encoded, too long or outside character set 82. */
  | 'bad-value';

/** A path that is not a resolvable Digital Link, and why. */
export interface DigitalLinkError {
  readonly type: 'error';
  readonly reason: DigitalLinkErrorReason;
  readonly gtinReason?: GtinErrorReason;
  readonly message: string;
}

/** A parsed GS1 Digital Link: values percent-decoded, GTIN normalised to 14 digits. */
export interface DigitalLink {
  readonly type: 'digital-link';
  /** Everything before `/01/` (a resolver may sit under a path of its own), '' at the root. */
  readonly stem: string;
  readonly gtin14: string;
  readonly variant?: string;
  readonly lot?: string;
  readonly serial?: string;
}

/**
 * Parses the path of a GS1 Digital Link URI (`/01/{gtin}[/22/…][/10/…][/21/…]`, optionally under
 * a path prefix of its own, query string and fragment ignored). A GTIN of 8, 12 or 13 digits is
 * accepted and padded to 14, as GS1's own parser does for legacy links.
 *
 * @example
 * ```ts
 * parseDigitalLinkPath('/01/09506000134352/10/ABC%2F1/21/123451000000000136');
 * // { type: 'digital-link', stem: '', gtin14: '09506000134352', lot: 'ABC/1', serial: '…' }
 * ```
 */
export function parseDigitalLinkPath(path: string): DigitalLink | DigitalLinkError {
  const bare = path.replace(/[?#].*$/s, '').replace(/\/$/, '');
  const segments = bare.split('/');
  // Like GS1's parser, walk AI/value pairs back from the end: the first '01' met is the primary
  // key, and anything before it is the resolver's own path. Stepping by pairs keeps a value that
  // happens to read '01' from being taken for the key.
  let start = -1;
  for (let k = segments.length - 2; k >= 0; k -= 2) {
    if (segments[k] === '01') {
      start = k;
      break;
    }
  }
  if (start < 0) return linkError('no-gtin', 'The path has no /01/{gtin} primary key.');
  const gtinValue = decodeValue(segments[start + 1] ?? '');
  const gtin = gtinValue === undefined ? undefined : parseGtin(gtinValue);
  if (gtin === undefined || gtin.type === 'error') {
    return Object.freeze({
      type: 'error',
      reason: 'bad-gtin',
      ...(gtin?.type === 'error' ? { gtinReason: gtin.reason } : {}),
      message: gtin?.type === 'error' ? gtin.message : 'The GTIN is badly percent-encoded.',
    });
  }
  const order = ['22', '10', '21'];
  const found: Record<string, string> = {};
  let next = 0;
  for (let k = start + 2; k < segments.length; k += 2) {
    const ai = segments[k] ?? '';
    const at = order.indexOf(ai, next);
    if (at < 0) {
      return linkError(
        'bad-qualifier',
        `AI (${ai}) cannot follow here: GTIN qualifiers are 22, 10, 21 in order.`,
      );
    }
    next = at + 1;
    const value = decodeValue(segments[k + 1] ?? '');
    const problem = value === undefined ? 'badly percent-encoded' : valueProblem(value);
    if (value === undefined || problem !== undefined) {
      return linkError('bad-value', `AI (${ai}): ${problem ?? ''}`);
    }
    found[ai] = value;
  }
  return Object.freeze({
    type: 'digital-link',
    stem: segments.slice(0, start).join('/'),
    gtin14: gtin.gtin14,
    ...(found['22'] === undefined ? {} : { variant: found['22'] }),
    ...(found['10'] === undefined ? {} : { lot: found['10'] }),
    ...(found['21'] === undefined ? {} : { serial: found['21'] }),
  });
}

/** Percent-encodes an AI value: everything but A-Z a-z 0-9 - . _ ~ as upper-case %XX. */
function encodeAiValue(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeValue(segment: string): string | undefined {
  try {
    // In a path '+' is a plus sign, not a space: decodeURIComponent leaves it alone.
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function valueProblem(value: string): string | undefined {
  if (value.length === 0) return 'the value is empty';
  if (value.length > GS1_SERIAL_MAX_LENGTH) {
    return `the value has ${value.length} characters, at most ${GS1_SERIAL_MAX_LENGTH} are allowed`;
  }
  if (!CSET_82.test(value)) return 'the value has characters outside GS1 character set 82';
  return undefined;
}

/** Checks an http(s) base URL and drops trailing slashes, so paths can be appended. */
function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`Not a URL: ${baseUrl}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new RangeError(`The base URL must be http(s) without query or fragment: ${baseUrl}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function linkError(reason: DigitalLinkErrorReason, message: string): DigitalLinkError {
  return Object.freeze({ type: 'error', reason, message });
}
