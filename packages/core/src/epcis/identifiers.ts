import { gs1CheckDigit, parseCode, parseGtin } from '@tracemark/codes';

/**
 * Identifiers in EPCIS events: EPC URNs (TDS 2.0), GS1 Digital Link URIs on any domain, the
 * platform's own trace codes, and anything else that is a URI. One canonical form is stored
 * (docs/adr/0005-epcis-identifiers.md):
 *
 * - GS1 keys → the constrained canonical GS1 Digital Link URI of CBV 2.0 §8.9 (rule 18):
 *   `https://id.gs1.org/{AI}/{key}[/{qualifier AI}/{value}]`, query string dropped, only the most
 *   fine-grained level kept (e.g. `/01/{gtin14}/21/{serial}`; a CPV (22) is dropped);
 * - the platform's trace codes → the short scan URL `{platformBase}/c/{code}`;
 * - any other URI → itself, trimmed.
 *
 * Pure: no I/O, no lookups, so the same rules run in the browser.
 */

/** What a canonical identifier is. */
export type IdentifierKind =
  | 'sgtin'
  | 'lgtin'
  | 'gtin'
  | 'sscc'
  | 'sgln'
  | 'gln'
  | 'pgln'
  | 'grai'
  | 'giai'
  | 'gdti'
  | 'gs1'
  | 'trace-code'
  | 'other';

/** A value in its canonical form. */
export interface CanonicalIdentifier {
  readonly ok: true;
  readonly uri: string;
  readonly kind: IdentifierKind;
}

/** A value that looks like an identifier of a known scheme but is malformed. */
export interface IdentifierError {
  readonly ok: false;
  readonly message: string;
}

/** How identifiers are read. */
export interface IdentifierOptions {
  /**
   * The platform's public base URL (`PUBLIC_URL`, e.g. `https://t.example.cn`): short links
   * `{platformBase}/c/{code}` and bare trace codes name the platform's own codes.
   */
  readonly platformBase?: string;
}

/** The host of canonical GS1 Digital Link URIs. */
export const GS1_DIGITAL_LINK_BASE = 'https://id.gs1.org';

// GS1 primary-key AIs and the qualifiers kept in the constrained canonical form (most
// fine-grained first): CBV 2.0 §8.9 rule 18 (III).
const primaryKeys: Readonly<Record<string, readonly (readonly string[])[]>> = Object.freeze({
  '00': [],
  '01': [['21'], ['235'], ['10']],
  '253': [],
  '255': [],
  '401': [],
  '402': [],
  '414': [['254']],
  '417': [],
  '8003': [],
  '8004': [],
  '8006': [['21'], ['10']],
  '8010': [['8011']],
  '8017': [],
  '8018': [],
});

/**
 * The canonical form of an identifier found in an event or a query.
 *
 * @example
 * canonicalIdentifier('urn:epc:id:sgtin:0614141.107346.2017');
 * // { ok: true, uri: 'https://id.gs1.org/01/10614141073464/21/2017', kind: 'sgtin' }
 * canonicalIdentifier('https://t.example.cn/01/09506000134352/22/A/21/ABC?x=1');
 * // { ok: true, uri: 'https://id.gs1.org/01/09506000134352/21/ABC', kind: 'sgtin' }
 * canonicalIdentifier('123451000000000136', { platformBase: 'https://t.example.cn' });
 * // { ok: true, uri: 'https://t.example.cn/c/123451000000000136', kind: 'trace-code' }
 */
export function canonicalIdentifier(
  value: string,
  options: IdentifierOptions = {},
): CanonicalIdentifier | IdentifierError {
  // Memoised: capture normalises every identifier twice (facts, then the event hash) and the
  // same locations, parents and classes recur across a document's events. Results are plain
  // values of a pure function, so sharing them is safe; the memo is dropped when it grows.
  // SGTINs are the exception: most of a capture's identifiers, each met once or twice, and read
  // by hand (`fromSgtinBody`) faster than a memo of tens of thousands of them is kept (its
  // lookups, inserts and garbage cost more than reading them again).
  if (value.startsWith('urn:epc:id:sgtin:')) return canonicalOnce(value, options);
  // An EPC URN means the same whatever the platform's base URL.
  const key =
    options.platformBase === undefined || value.startsWith('urn:epc:')
      ? value
      : `${options.platformBase}\u0000${value}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const made = canonicalOnce(value, options);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, made);
  return made;
}

const MEMO_LIMIT = 50_000;
const memo = new Map<string, CanonicalIdentifier | IdentifierError>();

function canonicalOnce(value: string, options: IdentifierOptions): CanonicalIdentifier | IdentifierError {
  const v = value.trim();
  if (v.startsWith('urn:epc:')) return fromEpcUrn(v);
  if (/^\d+$/.test(v) && options.platformBase !== undefined) {
    const code = parseCode(v);
    if (code.type === 'error') return fail(`${v} is not a trace code: ${code.message}`);
    return ok(`${trimBase(options.platformBase)}/c/${v}`, 'trace-code');
  }
  if (v.startsWith('https://') || v.startsWith('http://')) {
    if (options.platformBase !== undefined) {
      const base = `${trimBase(options.platformBase)}/c/`;
      if (v.toLowerCase().startsWith(base.toLowerCase())) {
        const code = v.slice(base.length).replace(/[?#].*$/s, '');
        const parsed = parseCode(code);
        if (parsed.type === 'error') return fail(`${v} does not name a trace code: ${parsed.message}`);
        return ok(`${trimBase(options.platformBase)}/c/${code}`, 'trace-code');
      }
    }
    const link = fromDigitalLink(v);
    if (link !== undefined) return link;
  }
  return ok(v, 'other');
}

/**
 * What a query value matches among stored canonical identifiers: `exact`, and with an EPC
 * pattern (`urn:epc:idpat:sgtin:{prefix}.{item}.*`) also everything under `prefix` (every
 * serial and lot of the GTIN).
 */
export interface IdentifierMatcher {
  readonly ok: true;
  readonly exact: string;
  readonly prefix?: string;
}

/** The matcher of a MATCH_* query value (EPCIS 2.0 §8.2.7.1.1). */
export function identifierMatcher(
  value: string,
  options: IdentifierOptions = {},
): IdentifierMatcher | IdentifierError {
  const v = value.trim();
  if (v.startsWith('urn:epc:idpat:')) {
    const m = /^urn:epc:idpat:sgtin:(\d+)\.(\d+)\.\*$/.exec(v);
    if (m === null) {
      return fail(
        `${v}: only SGTIN patterns of the form urn:epc:idpat:sgtin:{prefix}.{item}.* are supported`,
      );
    }
    const gtin = gtinFromParts(m[1] ?? '', m[2] ?? '');
    if (typeof gtin !== 'string') return gtin;
    const exact = `${GS1_DIGITAL_LINK_BASE}/01/${gtin}`;
    return { ok: true, exact, prefix: `${exact}/` };
  }
  const c = canonicalIdentifier(v, options);
  if (!c.ok) return c;
  return { ok: true, exact: c.uri };
}

/**
 * The EPC URN of a canonical GS1 Digital Link URI, given the length of the GS1 company prefix
 * (which the URN spells out and the Digital Link does not): SGTIN, SSCC, LGTIN and SGLN.
 * Undefined for anything else.
 *
 * @example
 * toEpcUrn('https://id.gs1.org/01/10614141073464/21/2017', 7); // 'urn:epc:id:sgtin:0614141.107346.2017'
 */
export function toEpcUrn(uri: string, companyPrefixLength: number): string | undefined {
  if (companyPrefixLength < 6 || companyPrefixLength > 12) return undefined;
  const m = /^https:\/\/id\.gs1\.org\/(\d+)\/([^/]+)(?:\/(\d+)\/([^/]+))?$/.exec(uri);
  if (m === null) return undefined;
  const [, ai, key = '', q, qv] = m;
  const cp = companyPrefixLength;
  const value = qv === undefined ? undefined : safeDecode(qv);
  if (ai === '01' && key.length === 14) {
    const item = `${key[0] ?? ''}${key.slice(1 + cp, 13)}`;
    const head = `${key.slice(1, 1 + cp)}.${item}`;
    if (q === '21' && value !== undefined) return `urn:epc:id:sgtin:${head}.${escapeUrnPart(value)}`;
    if (q === '10' && value !== undefined) return `urn:epc:class:lgtin:${head}.${escapeUrnPart(value)}`;
    return undefined;
  }
  if (ai === '00' && key.length === 18 && q === undefined) {
    return `urn:epc:id:sscc:${key.slice(1, 1 + cp)}.${key[0] ?? ''}${key.slice(1 + cp, 17)}`;
  }
  if (ai === '414' && key.length === 13) {
    const ext = q === '254' && value !== undefined ? escapeUrnPart(value) : '0';
    return `urn:epc:id:sgln:${key.slice(0, cp)}.${key.slice(cp, 12)}.${ext}`;
  }
  return undefined;
}

function fromEpcUrn(v: string): CanonicalIdentifier | IdentifierError {
  // `urn:epc:{id|class|idpat}:{scheme}:{body}` read by hand: the regex
  // /^urn:epc:(id|class|idpat):([a-z0-9]+):(.*)$/ cost a third of a capture's normalisation.
  // Same rules: the family is all up to the next colon, the scheme [a-z0-9]+ up to the next, the
  // body anything without a line terminator (`.` does not match one).
  const familyEnd = v.indexOf(':', 8);
  const schemeEnd = familyEnd < 0 ? -1 : v.indexOf(':', familyEnd + 1);
  if (schemeEnd < 0) return fail(`${v} is not an EPC URN`);
  const family = v.slice(8, familyEnd);
  const scheme = v.slice(familyEnd + 1, schemeEnd);
  const body = v.slice(schemeEnd + 1);
  if (
    (family !== 'id' && family !== 'class' && family !== 'idpat') ||
    !schemePattern.test(scheme) ||
    lineTerminator.test(body)
  )
    return fail(`${v} is not an EPC URN`);
  if (family === 'id' && scheme === 'sgtin') return fromSgtinBody(v, body);
  const parts = body.split('.');
  const base = GS1_DIGITAL_LINK_BASE;
  if (family === 'idpat') return fail(`${v} is an EPC pattern, which only queries may use`);
  if (family === 'class') {
    if (scheme === 'lgtin' && parts.length >= 3) {
      const gtin = gtinFromParts(parts[0] ?? '', parts[1] ?? '');
      if (typeof gtin !== 'string') return gtin;
      const lot = unescapeUrnPart(parts.slice(2).join('.'));
      if (lot === undefined || lot === '') return fail(`${v}: bad lot`);
      return ok(`${base}/01/${gtin}/10/${encodeAiValue(lot)}`, 'lgtin');
    }
    return fail(`${v}: unsupported EPC class scheme`);
  }
  switch (scheme) {
    case 'sgtin': {
      if (parts.length < 3) return fail(`${v}: an SGTIN has company prefix, item reference and serial`);
      const gtin = gtinFromParts(parts[0] ?? '', parts[1] ?? '');
      if (typeof gtin !== 'string') return gtin;
      const serial = unescapeUrnPart(parts.slice(2).join('.'));
      if (serial === undefined || serial === '') return fail(`${v}: bad serial`);
      return ok(`${base}/01/${gtin}/21/${encodeAiValue(serial)}`, 'sgtin');
    }
    case 'sscc': {
      const [cp = '', ref = ''] = parts;
      if (parts.length !== 2 || !/^\d+$/.test(cp + ref) || (cp + ref).length !== 17 || ref === '') {
        return fail(`${v}: an SSCC has a company prefix and a serial reference of 17 digits together`);
      }
      const body17 = `${ref[0] ?? ''}${cp}${ref.slice(1)}`;
      return ok(`${base}/00/${body17}${gs1CheckDigit(body17)}`, 'sscc');
    }
    case 'sgln': {
      const [cp = '', loc = ''] = parts;
      if (parts.length < 3 || !/^\d+$/.test(cp + loc) || (cp + loc).length !== 12) {
        return fail(`${v}: an SGLN has a company prefix and location reference of 12 digits together`);
      }
      const gln = `${cp}${loc}${gs1CheckDigit(cp + loc)}`;
      const ext = unescapeUrnPart(parts.slice(2).join('.'));
      if (ext === undefined) return fail(`${v}: bad extension`);
      return ext === '0' || ext === ''
        ? ok(`${base}/414/${gln}`, 'gln')
        : ok(`${base}/414/${gln}/254/${encodeAiValue(ext)}`, 'sgln');
    }
    case 'pgln': {
      const [cp = '', party = ''] = parts;
      if (parts.length !== 2 || !/^\d+$/.test(cp + party) || (cp + party).length !== 12) {
        return fail(`${v}: a PGLN has 12 digits of company prefix and party reference`);
      }
      return ok(`${base}/417/${cp}${party}${gs1CheckDigit(cp + party)}`, 'pgln');
    }
    case 'grai': {
      const [cp = '', type = ''] = parts;
      const serial = unescapeUrnPart(parts.slice(2).join('.'));
      if (parts.length < 3 || !/^\d+$/.test(cp + type) || (cp + type).length !== 12 || serial === undefined) {
        return fail(`${v}: a GRAI has 12 digits of company prefix and asset type, then a serial`);
      }
      const key = `0${cp}${type}${gs1CheckDigit(`0${cp}${type}`)}${serial}`;
      return ok(`${base}/8003/${encodeAiValue(key)}`, 'grai');
    }
    case 'giai': {
      const [cp = ''] = parts;
      const ref = unescapeUrnPart(parts.slice(1).join('.'));
      if (parts.length < 2 || !/^\d+$/.test(cp) || ref === undefined || ref === '') {
        return fail(`${v}: a GIAI has a company prefix and an asset reference`);
      }
      return ok(`${base}/8004/${encodeAiValue(cp + ref)}`, 'giai');
    }
    case 'gdti': {
      const [cp = '', type = ''] = parts;
      const serial = unescapeUrnPart(parts.slice(2).join('.'));
      if (parts.length < 3 || !/^\d+$/.test(cp + type) || (cp + type).length !== 12 || serial === undefined) {
        return fail(`${v}: a GDTI has 12 digits of company prefix and document type, then a serial`);
      }
      return ok(`${base}/253/${cp}${type}${gs1CheckDigit(cp + type)}${encodeAiValue(serial)}`, 'gdti');
    }
    default:
      // Other EPC schemes (GID, GSRN, CPI, …) have no place in trace yet: kept as given.
      return ok(v, 'other');
  }
}

const schemePattern = /^[a-z0-9]+$/;
const lineTerminator = /[\n\r\u2028\u2029]/;

// The SGTIN of an EPC URN (most identifiers of a capture): `{company prefix}.{item}.{serial}`,
// as the general case below reads it, without splitting and rejoining the serial.
function fromSgtinBody(v: string, body: string): CanonicalIdentifier | IdentifierError {
  const first = body.indexOf('.');
  const second = first < 0 ? -1 : body.indexOf('.', first + 1);
  if (second < 0) return fail(`${v}: an SGTIN has company prefix, item reference and serial`);
  const gtin = gtinFromParts(body.slice(0, first), body.slice(first + 1, second));
  if (typeof gtin !== 'string') return gtin;
  const raw = body.slice(second + 1);
  // Without a '%' there is nothing to decode (and nothing decoding could reject).
  const serial = raw.includes('%') ? unescapeUrnPart(raw) : raw;
  if (serial === undefined || serial === '') return fail(`${v}: bad serial`);
  return ok(`${GS1_DIGITAL_LINK_BASE}/01/${gtin}/21/${encodeAiValue(serial)}`, 'sgtin');
}

function fromDigitalLink(v: string): CanonicalIdentifier | IdentifierError | undefined {
  const m = /^https?:\/\/[^/?#]+(\/[^?#]*)?/i.exec(v);
  if (m === null) return undefined;
  const segments = (m[1] ?? '').replace(/\/$/, '').split('/');
  // Walk AI/value pairs back from the end (as GS1's parser does): the first primary key met is
  // the key, anything before it is the resolver's own path.
  let start = -1;
  for (let k = segments.length - 2; k >= 1; k -= 2) {
    if ((segments[k] ?? '') in primaryKeys) {
      start = k;
    }
  }
  if (start < 0) return undefined;
  const ai = segments[start] ?? '';
  const rawKey = safeDecode(segments[start + 1] ?? '');
  if (rawKey === undefined || rawKey === '') return fail(`${v}: bad GS1 key`);
  const qualifiers = new Map<string, string>();
  for (let k = start + 2; k + 1 < segments.length; k += 2) {
    const value = safeDecode(segments[k + 1] ?? '');
    if (value === undefined) return fail(`${v}: badly percent-encoded`);
    qualifiers.set(segments[k] ?? '', value);
  }
  let key = rawKey;
  let kind: IdentifierKind = 'gs1';
  if (ai === '01') {
    const gtin = parseGtin(rawKey);
    if (gtin.type === 'error') return fail(`${v}: ${gtin.message}`);
    key = gtin.gtin14;
    kind = 'gtin';
  } else if (ai === '00') {
    if (!/^\d{18}$/.test(rawKey) || gs1CheckDigit(rawKey.slice(0, 17)) !== Number(rawKey[17])) {
      return fail(`${v}: an SSCC has 18 digits with a GS1 check digit`);
    }
    kind = 'sscc';
  } else if (ai === '414' || ai === '417') {
    if (!/^\d{13}$/.test(rawKey) || gs1CheckDigit(rawKey.slice(0, 12)) !== Number(rawKey[12])) {
      return fail(`${v}: a GLN has 13 digits with a GS1 check digit`);
    }
    kind = ai === '414' ? 'gln' : 'pgln';
  } else if (ai === '8003') kind = 'grai';
  else if (ai === '8004') kind = 'giai';
  else if (ai === '253') kind = 'gdti';
  let uri = `${GS1_DIGITAL_LINK_BASE}/${ai}/${encodeAiValue(key)}`;
  for (const [q] of primaryKeys[ai] ?? []) {
    const value = q === undefined ? undefined : qualifiers.get(q);
    if (q !== undefined && value !== undefined && value !== '') {
      uri += `/${q}/${encodeAiValue(value)}`;
      if (ai === '01') kind = q === '21' ? 'sgtin' : q === '10' ? 'lgtin' : 'gs1';
      if (ai === '414') kind = 'sgln';
      break;
    }
  }
  return ok(uri, kind);
}

/** GTIN-14 from an EPC URN's company prefix and indicator+item reference (13 digits together). */
function gtinFromParts(cp: string, item: string): string | IdentifierError {
  // A document's identifiers mostly share their GTIN: the last answer first.
  if (lastGtin !== undefined && cp === lastGtin.cp && item === lastGtin.item) return lastGtin.gtin;
  const key = `${cp}.${item}`;
  const known = gtinMemo.get(key);
  if (known !== undefined) return known;
  const made = gtinFromPartsOnce(cp, item);
  if (gtinMemo.size >= MEMO_LIMIT) gtinMemo.clear();
  gtinMemo.set(key, made);
  if (typeof made === 'string') lastGtin = { cp, item, gtin: made };
  return made;
}

let lastGtin: { readonly cp: string; readonly item: string; readonly gtin: string } | undefined;

const gtinMemo = new Map<string, string | IdentifierError>();

function gtinFromPartsOnce(cp: string, item: string): string | IdentifierError {
  if (!/^\d+$/.test(cp) || !/^\d+$/.test(item) || cp.length + item.length !== 13 || cp.length < 6) {
    return fail(`${cp}.${item}: company prefix and item reference must be 13 digits together`);
  }
  const body = `${item[0] ?? ''}${cp}${item.slice(1)}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/** Percent-encodes an AI value as GS1's toolkit does: all but A-Z a-z 0-9 - . _ ~. */
function encodeAiValue(value: string): string {
  // Serials are mostly letters and digits, which encode as themselves.
  if (unreserved.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const unreserved = /^[A-Za-z0-9\-._~]*$/;

// TDS 2.0 §6.4: in an EPC URN, these characters of a serial or lot are %-escaped.
function escapeUrnPart(value: string): string {
  return value.replace(/["%&/<>?#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function unescapeUrnPart(value: string): string | undefined {
  return safeDecode(value);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

function ok(uri: string, kind: IdentifierKind): CanonicalIdentifier {
  return { ok: true, uri, kind };
}

function fail(message: string): IdentifierError {
  return { ok: false, message };
}
