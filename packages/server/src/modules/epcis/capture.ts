import { hash as oneShotHash } from 'node:crypto';
import {
  contextPrefixes,
  eventFacts,
  eventHashId,
  traceEffects,
  type ContextPrefixes,
  type EventFacts,
  type IdentifierOptions,
  type JsonObject,
  type ParentChange,
  type TraceEventInput,
} from '@tracemark/core';
import {
  newId,
  writeCaptureNative,
  writeCapturePostgres,
  type EventFilter,
  type NativeHandle,
  type Repositories,
} from '@tracemark/db';
import { parseQuery } from './query.js';

/** An event ready to store: its facts, hash and the JSON text kept as captured. */
export interface PreparedEvent {
  /** Position in the document's eventList. */
  readonly index: number;
  readonly facts: EventFacts;
  readonly hash: string;
  /** The capturer's eventID, or the hash. */
  readonly eventId: string;
  readonly body: string;
}

/** A problem with one event of a capture. */
export interface CaptureProblem {
  readonly eventIndex: number;
  readonly eventID: string | null;
  readonly message: string;
}

/** What a capture stored. */
export interface CaptureOutcome {
  readonly captured: number;
  readonly duplicates: number;
  readonly declared: number;
  /** eventID of each prepared event in order, and whether it was new. */
  readonly results: ReadonlyArray<{ readonly eventId: string; readonly stored: boolean }>;
}

// One-shot hashing: half the cost of createHash().update().digest() for strings this short.
const sha256Hex = (text: string): string => oneShotHash('sha256', text, 'hex');

/** The events of an EPCISDocument or EPCISQueryDocument, and the document's `@context`. */
export function eventsOf(document: JsonObject): { events: unknown[]; context: unknown } {
  const body = document['epcisBody'] as JsonObject | undefined;
  const direct = body?.['eventList'];
  if (Array.isArray(direct)) return { events: direct, context: document['@context'] };
  const results = (body?.['queryResults'] as JsonObject | undefined)?.['resultsBody'] as
    JsonObject | undefined;
  const listed = results?.['eventList'];
  return { events: Array.isArray(listed) ? listed : [], context: document['@context'] };
}

/**
 * Normalises and hashes events. An event without its own `@context` inside a document whose
 * context declares prefixes gets the document's context, so the stored event keeps its meaning
 * on its own (its extension fields stay resolvable).
 */
export function prepareEvents(
  events: readonly unknown[],
  documentContext: unknown,
  options: IdentifierOptions,
): { prepared: PreparedEvent[]; problems: CaptureProblem[] } {
  const prefixes: ContextPrefixes = contextPrefixes(documentContext);
  const carriesPrefixes = Array.isArray(documentContext)
    ? documentContext.some((c) => typeof c === 'object' && c !== null)
    : typeof documentContext === 'object' && documentContext !== null;
  const prepared: PreparedEvent[] = [];
  const problems: CaptureProblem[] = [];
  events.forEach((raw, index) => {
    const event = raw as JsonObject;
    const r = eventFacts(event, options);
    if (!r.ok) {
      problems.push({
        eventIndex: index,
        eventID: typeof event['eventID'] === 'string' ? event['eventID'] : null,
        message: r.message,
      });
      return;
    }
    const hash = eventHashId(event, sha256Hex, prefixes);
    const stored =
      carriesPrefixes && event['@context'] === undefined ? { '@context': documentContext, ...event } : event;
    prepared.push({
      index,
      facts: r.facts,
      hash,
      eventId: r.facts.eventId ?? hash,
      body: JSON.stringify(stored),
    });
  });
  return { prepared, problems };
}

/**
 * Stores prepared events of one capture in the caller's transaction: new events in multi-row
 * inserts with their identifiers; an eventID (or, for events without one, a hash) already
 * stored is skipped; an error declaration marks the event it declares (EPCIS 2.0 §7.4.1.2);
 * then every streaming subscription's outbox gets the new events its query matches.
 */
export async function storeEvents(
  repos: Repositories,
  tenantId: string,
  captureId: string,
  prepared: readonly PreparedEvent[],
  now: number,
  options: IdentifierOptions,
  /**
   * The database's driver handle: given, the rows go in through the engine's fast path
   * (prepared statements on SQLite, `unnest` arrays on PostgreSQL) — only when `repos` is bound
   * to an open transaction, else through Kysely.
   */
  native?: NativeHandle,
): Promise<CaptureOutcome> {
  const noOwnId = new Map<string, number>();
  for (const p of prepared) if (p.facts.eventId === null) noOwnId.set(p.hash, p.facts.eventTimeMs);
  const existing = await repos.events.findExisting(
    tenantId,
    [...new Set(prepared.map((p) => p.eventId))],
    [...noOwnId].map(([hash, eventTime]) => ({ hash, eventTime })),
  );
  type Target = {
    id: string;
    declared: boolean;
    row?: { error_declaration: string | null; error_declared_at: number | null; error_reason: string | null };
  };
  const byEventId = new Map<string, Target>();
  const byHash = new Map<string, Target>();
  for (const e of existing) {
    const t: Target = { id: e.id, declared: e.error_declaration !== null };
    byEventId.set(e.event_id, t);
    byHash.set(e.hash, t);
  }
  const rows: Parameters<Repositories['events']['insertEvents']>[0][number][] = [];
  const epcs: Parameters<Repositories['events']['insertEvents']>[1][number][] = [];
  const declarations: Array<{ id: string; json: string; at: number; reason: string | null }> = [];
  const results: Array<{ eventId: string; stored: boolean }> = [];
  const stored: Array<{ pk: string; facts: EventFacts; row: { error_declaration: string | null } }> = [];
  let duplicates = 0;
  let declared = 0;
  // UUIDv7 ids of one millisecond differ only in their random bits: sorted, they keep the
  // document's order, which queries without orderBy return.
  const ids = prepared.map(() => newId(now)).sort();
  let nextId = 0;
  for (const p of prepared) {
    const target = byEventId.get(p.eventId) ?? (p.facts.eventId === null ? byHash.get(p.hash) : undefined);
    const decl = p.facts.errorDeclaration;
    const declJson =
      decl === null ? null : JSON.stringify((JSON.parse(p.body) as JsonObject)['errorDeclaration']);
    if (target !== undefined) {
      if (decl !== null && declJson !== null && !target.declared) {
        target.declared = true;
        declared += 1;
        if (target.row !== undefined) {
          target.row.error_declaration = declJson;
          target.row.error_declared_at = decl.declarationTimeMs;
          target.row.error_reason = decl.reason;
        } else
          declarations.push({
            id: target.id,
            json: declJson,
            at: decl.declarationTimeMs,
            reason: decl.reason,
          });
      } else duplicates += 1;
      results.push({ eventId: p.eventId, stored: false });
      continue;
    }
    const id = ids[nextId++] ?? newId(now);
    const f = p.facts;
    const row = {
      tenant_id: tenantId,
      id,
      event_id: p.eventId,
      type: f.type,
      event_time: f.eventTimeMs,
      record_time: now,
      event_time_zone_offset: f.eventTimeZoneOffset,
      action: f.action,
      biz_step: f.bizStep,
      disposition: f.disposition,
      read_point: f.readPoint,
      biz_location: f.bizLocation,
      hash: p.hash,
      capture_id: captureId,
      body: p.body,
      error_declaration: declJson,
      error_declared_at: decl?.declarationTimeMs ?? null,
      error_reason: decl?.reason ?? null,
    };
    rows.push(row);
    for (const e of f.epcs) epcs.push({ tenant_id: tenantId, epc: e.epc, role: e.role, event_pk: id });
    stored.push({ pk: id, facts: f, row });
    const t: Target = { id, declared: decl !== null, row };
    byEventId.set(p.eventId, t);
    byHash.set(p.hash, t);
    results.push({ eventId: p.eventId, stored: true });
  }
  // An event declared erroneous later in the same capture adds nothing to trace either.
  const effects = traceEffects(stored.filter((s) => s.row.error_declaration === null));
  const captureRows = { tenantId, events: rows, epcs, effects };
  if (native?.type === 'postgres' && repos.events.inTransaction) {
    await writeCapturePostgres(repos.events.executor, captureRows);
  } else if (native === undefined || !writeCaptureNative(native, repos.events.inTransaction, captureRows)) {
    await repos.events.insertEvents(rows, epcs);
    await repos.trace.applyEffects(tenantId, effects);
  }
  for (const d of declarations) await repos.events.declareError(tenantId, d.id, d);
  if (declarations.length > 0)
    await recomputeTrace(
      repos,
      tenantId,
      declarations.map((d) => d.id),
      options,
    );
  if (rows.length > 0) {
    for (const s of await repos.events.outboxSubscriptions(tenantId)) {
      const filter: EventFilter = {
        ...parseQuery(JSON.parse(s.query) as Record<string, unknown>, options).filter,
        captureId,
      };
      await repos.events.enqueueMatching(tenantId, s.id, filter, now);
    }
  }
  return { captured: rows.length, duplicates, declared, results };
}

/**
 * Undoes what events now declared erroneous added to trace: the derived rows of every identifier
 * they name are dropped and computed again from that identifier's remaining events (EPCIS 2.0
 * §7.4.1.2; rare, so correct rather than quick). Children a parent-only DELETE emptied count as
 * named.
 */
export async function recomputeTrace(
  repos: Repositories,
  tenantId: string,
  declaredPks: readonly string[],
  options: IdentifierOptions,
): Promise<void> {
  const factsOf = (body: string): EventFacts | undefined => {
    const r = eventFacts(JSON.parse(body) as JsonObject, options);
    return r.ok ? r.facts : undefined;
  };
  const affected = new Set<string>();
  for (const e of await repos.events.findByPks(tenantId, declaredPks)) {
    const f = factsOf(e.body);
    if (f === undefined) continue;
    for (const x of f.epcs) affected.add(x.epc);
    const parent = f.epcs.find((x) => x.role === 'parent');
    if (f.type === 'AggregationEvent' && f.action === 'DELETE' && parent !== undefined)
      for (const edge of await repos.trace.edgesFrom(tenantId, [parent.epc], ['contains']))
        affected.add(edge.to_epc);
  }
  const epcs = [...affected];
  await repos.trace.forget(tenantId, epcs, declaredPks);
  // Every remaining event naming them, and those naming any container they were ever in
  // (a DELETE without children empties a container of whatever it held).
  const containers = (await repos.trace.edgesTo(tenantId, epcs, ['contains'])).map((e) => e.from_epc);
  const pks = await repos.trace.eventPksOf(tenantId, [...new Set([...epcs, ...containers])], 1_000_000);
  const inputs: TraceEventInput[] = [];
  for (let i = 0; i < pks.length; i += 1000) {
    for (const e of await repos.events.findByPks(tenantId, pks.slice(i, i + 1000))) {
      if (e.error_declaration !== null) continue;
      const f = factsOf(e.body);
      if (f !== undefined) inputs.push({ pk: e.id, facts: f });
    }
  }
  const all = traceEffects(inputs);
  const parents: ParentChange[] = [];
  for (const c of all.parents) {
    if (c.type !== 'clear-all') {
      if (affected.has(c.child)) parents.push(c);
      continue;
    }
    for (const child of epcs)
      parents.push({ type: 'clear', child, parent: c.parent, eventPk: c.eventPk, eventTime: c.eventTime });
  }
  await repos.trace.applyEffects(tenantId, {
    edges: all.edges.filter((e) => affected.has(e.from)),
    parents,
    holdings: all.holdings.filter((h) => affected.has(h.epc)),
  });
}
