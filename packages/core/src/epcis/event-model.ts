import { normaliseCbv } from './cbv.js';
import { canonicalIdentifier, type IdentifierOptions } from './identifiers.js';
import type { JsonObject } from './event-hash.js';
import { epcisTimeToMs } from './time.js';

/** The five EPCIS 2.0 event types. */
export const EPCIS_EVENT_TYPES = Object.freeze([
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
] as const);

/** An EPCIS 2.0 event type. */
export type EpcisEventType = (typeof EPCIS_EVENT_TYPES)[number];

/**
 * How an identifier takes part in an event, for the `event_epcs` index: instance identifiers
 * (`epc` = epcList, `parent` = parentID, `child` = childEPCs, `input`/`output` of a
 * transformation) and classes of quantity lists (`quantity`, `child_quantity`,
 * `input_quantity`, `output_quantity`).
 */
export type EpcRole =
  | 'epc'
  | 'parent'
  | 'child'
  | 'input'
  | 'output'
  | 'quantity'
  | 'child_quantity'
  | 'input_quantity'
  | 'output_quantity';

/** One identifier of an event, canonical, with its role. */
export interface EventEpc {
  readonly epc: string;
  readonly role: EpcRole;
}

/** What an event declares about an earlier event being wrong (EPCIS 2.0 §7.4.1.2). */
export interface ErrorDeclaration {
  readonly declarationTimeMs: number;
  readonly reason: string | null;
  readonly correctiveEventIds: readonly string[];
}

/** The indexed facts of an event, normalised; the event itself is stored as captured. */
export interface EventFacts {
  readonly type: string;
  /** The eventID the capturer gave, if any (the hash stands in otherwise). */
  readonly eventId: string | null;
  readonly eventTimeMs: number;
  readonly eventTimeZoneOffset: string;
  readonly action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  readonly epcs: readonly EventEpc[];
  readonly errorDeclaration: ErrorDeclaration | null;
  /**
   * The party or location the goods left (sourceList: owning party first, then possessing
   * party, then location), as given; null without a sourceList. Trace's holdings use these.
   */
  readonly source?: string | null;
  /** The party or location the goods went to (destinationList, same preference). */
  readonly destination?: string | null;
}

/** A problem with one event, found after schema validation. */
export interface EventProblem {
  readonly ok: false;
  readonly message: string;
}

const lists: ReadonlyArray<readonly [string, EpcRole]> = [
  ['epcList', 'epc'],
  ['childEPCs', 'child'],
  ['inputEPCList', 'input'],
  ['outputEPCList', 'output'],
];
const quantityLists: ReadonlyArray<readonly [string, EpcRole]> = [
  ['quantityList', 'quantity'],
  ['childQuantityList', 'child_quantity'],
  ['inputQuantityList', 'input_quantity'],
  ['outputQuantityList', 'output_quantity'],
];

/**
 * The normalised, indexable facts of a schema-valid event: times as epoch milliseconds, CBV
 * values in their stored form, identifiers canonical (see `identifiers.ts`).
 */
export function eventFacts(
  event: JsonObject,
  options: IdentifierOptions = {},
): { readonly ok: true; readonly facts: EventFacts } | EventProblem {
  const type = str(event['type']) ?? '';
  const eventTime = str(event['eventTime']);
  const eventTimeMs = eventTime === undefined ? undefined : epcisTimeToMs(eventTime);
  if (eventTimeMs === undefined) return { ok: false, message: 'eventTime is not a timestamp with an offset' };
  const epcs: EventEpc[] = [];
  const parent = event['parentID'];
  if (parent !== undefined) {
    const problem = addIdentifier(epcs, parent, 'parent', options);
    if (problem !== undefined) return { ok: false, message: `parentID: ${problem}` };
  }
  for (const [field, role] of lists) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const problem = addIdentifier(epcs, item, role, options);
      if (problem !== undefined) return { ok: false, message: `${field}: ${problem}` };
    }
  }
  for (const [field, role] of quantityLists) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const cls = typeof item === 'object' && item !== null ? (item as JsonObject)['epcClass'] : undefined;
      const problem = addIdentifier(epcs, cls, role, options);
      if (problem !== undefined) return { ok: false, message: `${field}: ${problem}` };
    }
  }
  const readPoint = locationOf(event, 'readPoint', options);
  if (typeof readPoint === 'object' && readPoint !== null) return readPoint;
  const bizLocation = locationOf(event, 'bizLocation', options);
  if (typeof bizLocation === 'object' && bizLocation !== null) return bizLocation;
  const action = str(event['action']);
  const bizStep = str(event['bizStep']);
  const disposition = str(event['disposition']);
  const declared = errorDeclarationOf(event);
  if (declared !== null && 'ok' in declared) return declared;
  return {
    ok: true,
    facts: {
      type,
      eventId: str(event['eventID']) ?? null,
      eventTimeMs,
      eventTimeZoneOffset: str(event['eventTimeZoneOffset']) ?? '+00:00',
      action: action === 'ADD' || action === 'OBSERVE' || action === 'DELETE' ? action : null,
      bizStep: bizStep === undefined ? null : normaliseCbv('BizStep', bizStep),
      disposition: disposition === undefined ? null : normaliseCbv('Disp', disposition),
      readPoint,
      bizLocation,
      epcs,
      errorDeclaration: declared,
      source: partyOf(event['sourceList'], options),
      destination: partyOf(event['destinationList'], options),
    },
  };
}

/**
 * Adds an identifier once per role (in the order met); the problem with it, if any. Module
 * functions rather than closures per event: capture runs this for every identifier.
 */
function addIdentifier(
  epcs: EventEpc[],
  raw: unknown,
  role: EpcRole,
  options: IdentifierOptions,
): string | undefined {
  if (typeof raw !== 'string') return `a ${role} identifier is not a string`;
  const c = canonicalIdentifier(raw, options);
  if (!c.ok) return c.message;
  if (!named(epcs, c.uri, role)) epcs.push({ epc: c.uri, role });
  return undefined;
}

// Whether the list has the identifier in the role: a scan while the list is short (most events
// name a handful), an index once it is long.
const indexed = new WeakMap<EventEpc[], Set<string>>();
function named(epcs: EventEpc[], uri: string, role: EpcRole): boolean {
  if (epcs.length < 32) {
    for (const e of epcs) if (e.epc === uri && e.role === role) return true;
    return false;
  }
  let index = indexed.get(epcs);
  if (index === undefined) {
    index = new Set(epcs.map((e) => `${e.role} ${e.epc}`));
    indexed.set(epcs, index);
  }
  const key = `${role} ${uri}`;
  if (index.has(key)) return true;
  index.add(key);
  return false;
}

function locationOf(
  event: JsonObject,
  field: 'readPoint' | 'bizLocation',
  options: IdentifierOptions,
): string | null | EventProblem {
  const v = event[field];
  if (typeof v !== 'object' || v === null) return null;
  const id = (v as JsonObject)['id'];
  if (typeof id !== 'string') return null;
  const c = canonicalIdentifier(id, options);
  return c.ok ? c.uri : { ok: false, message: `${field}: ${c.message}` };
}

const partyTypes = ['owning_party', 'possessing_party', 'location'];

/** The most telling entry of a source or destination list (owning party before possessing party before location). */
function partyOf(list: unknown, options: IdentifierOptions): string | null {
  if (!Array.isArray(list)) return null;
  let best: string | null = null;
  let rank = partyTypes.length + 1;
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as JsonObject;
    const type = str(e['type']);
    const id = str(e['source']) ?? str(e['destination']);
    if (id === undefined) continue;
    const r = type === undefined ? partyTypes.length : partyTypes.indexOf(normaliseCbv('SDT', type));
    const eff = r < 0 ? partyTypes.length : r;
    if (eff < rank) {
      rank = eff;
      best = id;
    }
  }
  if (best === null) return null;
  const c = canonicalIdentifier(best, options);
  return c.ok ? c.uri : best;
}

function errorDeclarationOf(event: JsonObject): ErrorDeclaration | EventProblem | null {
  const d = event['errorDeclaration'];
  if (typeof d !== 'object' || d === null) return null;
  const decl = d as JsonObject;
  const at = str(decl['declarationTime']);
  const ms = at === undefined ? undefined : epcisTimeToMs(at);
  if (ms === undefined) return { ok: false, message: 'errorDeclaration.declarationTime is not a timestamp' };
  const reason = str(decl['reason']);
  const corrective = Array.isArray(decl['correctiveEventIDs'])
    ? decl['correctiveEventIDs'].filter((x): x is string => typeof x === 'string')
    : [];
  return {
    declarationTimeMs: ms,
    reason: reason === undefined ? null : normaliseCbv('ER', reason),
    correctiveEventIds: corrective,
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v.trim() : undefined;
}
