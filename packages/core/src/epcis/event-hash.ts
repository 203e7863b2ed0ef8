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
 * The CBV 2.0 pre-hash string of an event (JSON-LD binding). The same string as
 * {@link genericEventPreHash}, the reference, which builds the XML binding's tree of the event
 * first; this one writes the standard fields of their usual shapes straight into the string
 * (capture hashes every event, and the tree was most of its cost) and hands anything else —
 * extensions, ILMD, sensor data, persistent dispositions, unusual shapes — to the reference's
 * own rendering, field by field. Tests check the two agree over many varied events.
 *
 * @param prefixes the CURIE prefixes in scope (see {@link contextPrefixes}); extension fields
 *   are named `{namespace}localName` with them.
 */
export function eventPreHash(event: JsonObject, prefixes: ContextPrefixes = STANDARD_PREFIXES): string {
  const p = event['@context'] === undefined ? prefixes : contextPrefixes(event['@context'], prefixes);
  const type = typeof event['type'] === 'string' ? event['type'] : '';
  let out = `eventType=${type}`;
  // Each standard field renders on its own (only it yields nodes of its name), in canonical order.
  for (const [name, sub] of propertyOrder) {
    const value = event[name];
    if (value === undefined || value === null) continue;
    out += standardField(name, value, p) ?? inOrder(toNodes(name, value, p, ''), [[name, sub]]);
  }
  // Extensions and ILMD: named `{namespace}localName` or as given, never a standard name.
  let rest: Node[] | undefined;
  for (const key of Object.keys(event)) {
    if (ignored.has(key) || standardNames.has(key)) continue;
    for (const n of toNodes(key, event[key], p, '')) (rest ??= []).push(n);
  }
  return rest === undefined ? out : out + generic(rest);
}

/**
 * The CBV 2.0 pre-hash string of an event, by the generic rendering: the event as the XML
 * binding's tree (name, value, children), standard fields in canonical order, the rest sorted.
 * The reference {@link eventPreHash} is checked against (tests); slower.
 */
export function genericEventPreHash(
  event: JsonObject,
  prefixes: ContextPrefixes = STANDARD_PREFIXES,
): string {
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

const standardNames = new Set(propertyOrder.map(([name]) => name));

const identifierLists = new Set(['epcList', 'inputEPCList', 'childEPCs', 'outputEPCList']);
const quantityLists = new Set([
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
]);
const partyLists: Readonly<Record<string, readonly [item: string, vocabulary: CbvVocabulary]>> =
  Object.freeze({
    bizTransactionList: ['bizTransaction', 'BTT'],
    sourceList: ['source', 'SDT'],
    destinationList: ['destination', 'SDT'],
  });

/**
 * A standard field of a usual shape rendered as {@link genericEventPreHash} renders it, or
 * undefined for the generic rendering. Each case is `toNodes` + `render` of that field worked out
 * by hand: which key the value's `scalar` sees (vocabulary, time or plain value), that a value
 * rendering as '' drops its element, and that an element with nothing in it drops out.
 */
function standardField(name: string, value: unknown, p: ContextPrefixes): string | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    let v: string;
    if (name === 'eventTime') v = canonicalTime(text);
    else if (name === 'bizStep') v = cbvValue('BizStep', text, p);
    else if (name === 'disposition') v = cbvValue('Disp', text, p);
    else if (
      name === 'eventTimeZoneOffset' ||
      name === 'parentID' ||
      name === 'action' ||
      name === 'transformationID'
    )
      v = plainValue(text, p);
    else return undefined;
    return v === '' ? '' : `${name}=${v}`;
  }
  if (Array.isArray(value)) {
    if (identifierLists.has(name)) return identifierList(name, value, p);
    if (quantityLists.has(name)) return quantityList(name, value, p);
    const party = partyLists[name];
    if (party !== undefined) return partyList(name, party[0], party[1], value, p);
    return undefined;
  }
  if ((name === 'readPoint' || name === 'bizLocation') && typeof value === 'object' && value !== null) {
    let id: string | undefined;
    for (const k of Object.keys(value)) {
      const v = (value as JsonObject)[k];
      if (k !== 'id') return undefined;
      if (typeof v === 'string') id = v;
      else if (v !== null) return undefined;
    }
    if (id === undefined) return '';
    const c = plainValue(id.trim(), p);
    return c === '' ? '' : `${name}id=${c}`;
  }
  return undefined;
}

function identifierList(name: string, items: readonly unknown[], p: ContextPrefixes): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      const c = plainValue(item.trim(), p);
      if (c !== '') parts.push(`epc=${c}`);
    } else if (item !== null) return undefined;
  }
  // The default sort compares UTF-16 code units, as `compareCodeUnits` does.
  return parts.length === 0 ? '' : `${name}${parts.sort().join('')}`;
}

function quantityList(name: string, items: readonly unknown[], p: ContextPrefixes): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (item === null) continue;
    if (typeof item !== 'object' || Array.isArray(item)) return undefined;
    let epcClass = '';
    let quantity = '';
    let uom = '';
    for (const k of Object.keys(item)) {
      if (k !== 'epcClass' && k !== 'quantity' && k !== 'uom') return undefined;
      const v = (item as JsonObject)[k];
      if (v === null) continue;
      if (typeof v !== 'string' && typeof v !== 'number') return undefined;
      const c = plainValue(typeof v === 'string' ? v.trim() : JSON.stringify(v).trim(), p);
      if (c === '') continue;
      if (k === 'epcClass') epcClass = `epcClass=${c}`;
      else if (k === 'quantity') quantity = `quantity=${c}`;
      else uom = `uom=${c}`;
    }
    const inner = `${epcClass}${quantity}${uom}`;
    if (inner !== '') parts.push(`quantityElement${inner}`);
  }
  return parts.length === 0 ? '' : `${name}${parts.sort().join('')}`;
}

function partyList(
  name: string,
  itemName: string,
  vocabulary: CbvVocabulary,
  items: readonly unknown[],
  p: ContextPrefixes,
): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    if (item === null) continue;
    if (typeof item !== 'object' || Array.isArray(item)) return undefined;
    let own = '';
    let type = '';
    for (const k of Object.keys(item)) {
      const v = (item as JsonObject)[k];
      if (k === itemName) {
        // The element's own value: a null one renders as the text "null" — left to the reference.
        if (typeof v !== 'string') return undefined;
        const c = plainValue(v.trim(), p);
        own = c === '' ? '' : `=${c}`;
      } else if (k === 'type') {
        if (v === null) continue;
        if (typeof v !== 'string') return undefined;
        const c = cbvValue(vocabulary, v.trim(), p);
        type = c === '' ? '' : `type=${c}`;
      } else return undefined;
    }
    if (own !== '' || type !== '') parts.push(`${itemName}${own}${type}`);
  }
  return parts.length === 0 ? '' : `${name}${parts.sort().join('')}`;
}

// `canonicalValue` without its work where that work changes nothing: identifiers go straight to
// the (memoised) normaliser; text without a colon that cannot be a number is returned as it is
// (every rewrite of `canonicalValue` needs a colon or a number); an offset (`+08:00`) likewise.
function plainValue(text: string, p: ContextPrefixes): string {
  if (text.startsWith('urn:epc:') || text.startsWith('https://')) {
    const c = canonicalIdentifier(text);
    return c.ok ? c.uri : text;
  }
  const first = text.charCodeAt(0);
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!numeric && !text.includes(':')) return text;
  if (numeric && isOffset(text)) return text;
  return canonicalValue(text, p);
}

// `[+-]hh:mm`: what `canonicalValue` returns unchanged (no rewrite, not a number, not a CURIE).
function isOffset(text: string): boolean {
  if (text.length !== 6 || text.charCodeAt(3) !== 58) return false;
  const sign = text.charCodeAt(0);
  if (sign !== 43 && sign !== 45) return false;
  for (const i of [1, 2, 4, 5]) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// A document's events mostly share their time and their CBV values: the last answers are kept.
let lastTimeText = '';
let lastTime = '';
function canonicalTime(text: string): string {
  if (text !== lastTimeText) {
    lastTime = canonicalEpcisTime(text);
    lastTimeText = text;
  }
  return lastTime;
}

// Without a colon a CBV value is no CURIE, so its Web URI does not depend on the prefixes.
const cbvMemo = new Map<string, string>();
function cbvValue(vocabulary: CbvVocabulary, text: string, p: ContextPrefixes): string {
  if (text.includes(':')) return cbvWebUri(vocabulary, expandCurie(text, p));
  const key = `${vocabulary} ${text}`;
  let v = cbvMemo.get(key);
  if (v === undefined) {
    v = cbvWebUri(vocabulary, text);
    if (cbvMemo.size >= 1000) cbvMemo.clear();
    cbvMemo.set(key, v);
  }
  return v;
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
