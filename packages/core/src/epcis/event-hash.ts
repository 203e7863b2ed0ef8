import { cbvWebUri, type CbvVocabulary } from './cbv.js';
import { canonicalIdentifier } from './identifiers.js';
import { canonicalEpcisTime } from './time.js';

/**
 * The EPCIS Event Hash ID of CBV 2.0 §8.9: a syntax-independent fingerprint of an event, used
 * as its eventID when the capturer gave none, and to recognise the same event captured twice.
 *
 * The pre-hash string lists the event's fields in the canonical property order, each as
 * `key=value`, lists sorted, values canonicalised (timestamps in UTC to the millisecond,
 * CBV values as `https://ref.gs1.org/cbv/…` Web URIs, CURIEs expanded, EPC URNs and GS1
 * Digital Links as constrained canonical Digital Link URIs, numbers without trailing zeros),
 * user extensions as `{namespace}localName=value`, sorted. `recordTime`, `eventID` and
 * `errorDeclaration` do not take part.
 *
 * The digest comes in as a function (SHA-256 over UTF-8, hex), so this module stays pure, like
 * FF1 over an injected AES in `@tracemark/codes`.
 */

/** A JSON object as parsed from an EPCIS document. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** CURIE prefixes the EPCIS 2.0 context defines, plus those a document's `@context` adds. */
export type ContextPrefixes = Readonly<Record<string, string>>;

/** Prefixes every EPCIS 2.0 document may use without declaring them. */
export const STANDARD_PREFIXES: ContextPrefixes = Object.freeze({
  gs1: 'https://gs1.org/voc/',
  cbv: 'https://ref.gs1.org/cbv/',
  epcis: 'https://ref.gs1.org/epcis/',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
});

/** The version tag of the algorithm implemented here. */
export const EVENT_HASH_VERSION = 'CBV2.0';

/**
 * The CURIE prefixes a JSON-LD `@context` (a URL, an object or an array of both) declares,
 * on top of `inherited`. Only simple `prefix: "uri"` entries count.
 */
export function contextPrefixes(
  context: unknown,
  inherited: ContextPrefixes = STANDARD_PREFIXES,
): ContextPrefixes {
  const out: Record<string, string> = { ...inherited };
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) for (const x of c) visit(x);
    else if (typeof c === 'object' && c !== null) {
      for (const [k, v] of Object.entries(c)) {
        if (typeof v === 'string' && !k.startsWith('@')) out[k] = v;
      }
    }
  };
  visit(context);
  return out;
}

type Child = readonly [name: string, order: Order | null];
type Order = readonly Child[];

const quantityElement: Order = [
  ['epcClass', null],
  ['quantity', null],
  ['uom', null],
];
const sensorMetadata: Order = [
  'time',
  'startTime',
  'endTime',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'bizRules',
].map((n) => [n, null] as const);
const sensorReport: Order = [
  'type',
  'exception',
  'deviceID',
  'deviceMetadata',
  'rawData',
  'dataProcessingMethod',
  'time',
  'microorganism',
  'chemicalSubstance',
  'value',
  'component',
  'stringValue',
  'booleanValue',
  'hexBinaryValue',
  'uriValue',
  'minValue',
  'maxValue',
  'meanValue',
  'sDev',
  'percRank',
  'percValue',
  'uom',
  'coordinateReferenceSystem',
].map((n) => [n, null] as const);

// CBV 2.0 §8.9.2, canonical property order (eventType comes first, on its own).
const propertyOrder: Order = [
  ['eventTime', null],
  ['eventTimeZoneOffset', null],
  ['epcList', [['epc', null]]],
  ['parentID', null],
  ['inputEPCList', [['epc', null]]],
  ['childEPCs', [['epc', null]]],
  ['quantityList', [['quantityElement', quantityElement]]],
  ['childQuantityList', [['quantityElement', quantityElement]]],
  ['inputQuantityList', [['quantityElement', quantityElement]]],
  ['outputEPCList', [['epc', null]]],
  ['outputQuantityList', [['quantityElement', quantityElement]]],
  ['action', null],
  ['transformationID', null],
  ['bizStep', null],
  ['disposition', null],
  [
    'persistentDisposition',
    [
      ['set', null],
      ['unset', null],
    ],
  ],
  ['readPoint', [['id', null]]],
  ['bizLocation', [['id', null]]],
  ['bizTransactionList', [['bizTransaction', [['type', null]]]]],
  ['sourceList', [['source', [['type', null]]]]],
  ['destinationList', [['destination', [['type', null]]]]],
  [
    'sensorElementList',
    [
      [
        'sensorElement',
        [
          ['sensorMetadata', sensorMetadata],
          ['sensorReport', sensorReport],
        ],
      ],
    ],
  ],
];

// The name of one item of a JSON list, as the XML binding (and the pre-hash string) names it.
const itemNames: Readonly<Record<string, string>> = Object.freeze({
  epcList: 'epc',
  inputEPCList: 'epc',
  childEPCs: 'epc',
  outputEPCList: 'epc',
  quantityList: 'quantityElement',
  childQuantityList: 'quantityElement',
  inputQuantityList: 'quantityElement',
  outputQuantityList: 'quantityElement',
  bizTransactionList: 'bizTransaction',
  sourceList: 'source',
  destinationList: 'destination',
  sensorElementList: 'sensorElement',
});

// Fields whose value is a CBV vocabulary term.
const vocabularyOf: Readonly<Record<string, CbvVocabulary>> = Object.freeze({
  bizStep: 'BizStep',
  disposition: 'Disp',
  set: 'Disp',
  unset: 'Disp',
  'bizTransaction.type': 'BTT',
  'source.type': 'SDT',
  'destination.type': 'SDT',
});

const ignored = new Set(['@context', 'type', 'recordTime', 'eventID', 'errorDeclaration']);

/** A node of the event as the XML binding would see it: name, text value, children. */
interface Node {
  readonly name: string;
  readonly value: string;
  readonly children: Node[];
}

/**
 * The CBV 2.0 pre-hash string of an event (JSON-LD binding).
 *
 * @param prefixes the CURIE prefixes in scope (see {@link contextPrefixes}); extension fields
 *   are named `{namespace}localName` with them.
 */
export function eventPreHash(event: JsonObject, prefixes: ContextPrefixes = STANDARD_PREFIXES): string {
  const p = event['@context'] === undefined ? prefixes : contextPrefixes(event['@context'], prefixes);
  const nodes: Node[] = [];
  for (const [key, value] of Object.entries(event)) {
    if (ignored.has(key)) continue;
    nodes.push(...toNodes(key, value, p, ''));
  }
  const type = typeof event['type'] === 'string' ? event['type'] : '';
  const ordered = inOrder(nodes, propertyOrder);
  const rest = generic(nodes);
  return `eventType=${type}${ordered}${rest}`;
}

/**
 * The EPCIS Event Hash ID of an event: `ni:///sha-256;{hex}?ver=CBV2.0`.
 *
 * @param sha256Hex SHA-256 of a UTF-8 string, as lower-case hex (e.g. node:crypto's
 *   `createHash('sha256').update(s).digest('hex')`, or WebCrypto wrapped by the caller).
 * @example
 * eventHashId(event, (s) => createHash('sha256').update(s).digest('hex'));
 * // 'ni:///sha-256;3e0f2437…?ver=CBV2.0'
 */
export function eventHashId(
  event: JsonObject,
  sha256Hex: (text: string) => string,
  prefixes: ContextPrefixes = STANDARD_PREFIXES,
): string {
  return `ni:///sha-256;${sha256Hex(eventPreHash(event, prefixes))}?ver=${EVENT_HASH_VERSION}`;
}

function toNodes(key: string, value: unknown, prefixes: ContextPrefixes, parent: string): Node[] {
  const name = knownOrExpanded(key, prefixes, parent);
  if (Array.isArray(value)) {
    const item = itemNames[key];
    if (item !== undefined && parent === '') {
      return [{ name, value: '', children: value.flatMap((v) => toNodes(item, v, prefixes, key)) }];
    }
    if (key === 'set' || key === 'unset') return value.flatMap((v) => toNodes(key, v, prefixes, parent));
    return value.flatMap((v) => toNodes(key, v, prefixes, parent));
  }
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    // bizTransaction / source / destination: the identifier is the element's value, its type a child.
    const ownValue =
      key === 'bizTransaction' || key === 'source' || key === 'destination' ? obj[key] : undefined;
    const children: Node[] = [];
    for (const [k, v] of Object.entries(obj)) {
      if (k === key && ownValue !== undefined) continue;
      children.push(...toNodes(k, v, prefixes, key));
    }
    return [{ name, value: ownValue === undefined ? '' : scalar(ownValue, key, parent, prefixes), children }];
  }
  if (value === null || value === undefined) return [];
  return [{ name, value: scalar(value, key, parent, prefixes), children: [] }];
}

function scalar(value: unknown, key: string, parent: string, prefixes: ContextPrefixes): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).trim();
  const vocabulary = vocabularyOf[key] ?? vocabularyOf[`${parent}.${key}`];
  if (vocabulary !== undefined) return cbvWebUri(vocabulary, expandCurie(text, prefixes));
  const lower = key.toLowerCase();
  if (lower.includes('time') && !lower.includes('offset')) return canonicalEpcisTime(text);
  return canonicalValue(text, prefixes);
}

function canonicalValue(text: string, prefixes: ContextPrefixes): string {
  // Most values are identifiers: straight to the (memoised) normaliser.
  if (text.startsWith('urn:epc:') || text.startsWith('https://')) {
    const c = canonicalIdentifier(text);
    return c.ok ? c.uri : text;
  }
  let t = text
    .replace('urn:epcglobal:cbv:bizstep:', 'https://ref.gs1.org/cbv/BizStep-')
    .replace('urn:epcglobal:cbv:disp:', 'https://ref.gs1.org/cbv/Disp-')
    .replace('urn:epcglobal:cbv:btt:', 'https://ref.gs1.org/cbv/BTT-')
    .replace('urn:epcglobal:cbv:sdt:', 'https://ref.gs1.org/cbv/SDT-')
    .replace('urn:epcglobal:cbv:er:', 'https://ref.gs1.org/cbv/ER-');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) t = String(n);
  }
  t = expandCurie(t, prefixes);
  if (t.startsWith('urn:epc:') || t.startsWith('http')) {
    const c = canonicalIdentifier(t);
    if (c.ok) return c.uri;
  }
  return t;
}

function expandCurie(text: string, prefixes: ContextPrefixes): string {
  const m = /^([A-Za-z][\w.-]*):(.+)$/.exec(text);
  if (m === null) return text;
  const ns = prefixes[m[1] ?? ''];
  if (ns === undefined || (m[2] ?? '').startsWith('//')) return text;
  return `${ns}${m[2] ?? ''}`;
}

// Standard fields keep their names; extension fields become `{namespace}localName`.
function knownOrExpanded(key: string, prefixes: ContextPrefixes, _parent: string): string {
  const m = /^([A-Za-z][\w.-]*):(.+)$/.exec(key);
  if (m === null) return key;
  const ns = prefixes[m[1] ?? ''];
  return ns === undefined ? key : `{${ns}}${m[2] ?? ''}`;
}

function render(node: Node, order: Order | null): string {
  const text = node.value === '' ? '' : `=${node.value}`;
  const inner = order === null ? '' : inOrder(node.children, order);
  const rest = generic(node.children);
  const all = `${inner}${rest}`;
  return text === '' && all === '' ? '' : `${node.name}${text}${all}`;
}

/** Takes the children named in `order` out of `nodes` (in place) and renders them in that order. */
function inOrder(nodes: Node[], order: Order): string {
  let out = '';
  for (const [name, sub] of order) {
    const values: string[] = [];
    for (let i = 0; i < nodes.length;) {
      const n = nodes[i];
      if (n !== undefined && n.name === name) {
        const r = render(n, sub);
        if (r !== '') values.push(r);
        nodes.splice(i, 1);
      } else i++;
    }
    values.sort(compareCodeUnits);
    out += values.join('');
  }
  return out;
}

/** Renders whatever is left (extensions, ILMD): `name=value` plus children, sorted. */
function generic(nodes: Node[]): string {
  const values = nodes.map((n) => {
    const text = n.value === '' ? '' : `=${n.value}`;
    return `${n.name}${text}${generic([...n.children])}`;
  });
  values.sort(compareCodeUnits);
  nodes.length = 0;
  return values.join('');
}

// Case-sensitive lexical order by code values (UTF-16 code units agree with UTF-8 byte order
// for everything outside the surrogate range, which identifiers never use).
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
