import { randomUUID } from 'node:crypto';
import { epcisTimeToMs, type IdentifierOptions, type JsonObject } from '@tracemark/core';
import { newId, type RawMaterialLotsTable, type Repositories } from '@tracemark/db';
import type { Insertable } from 'kysely';
import { AppError } from '../../errors.js';
import { prepareEvents, storeEvents } from '../epcis/capture.js';
import { schemaProblems } from '../epcis/json-schema.js';
import { extensionNamespace } from '../epcis/presenter.js';
import { invalid } from './identifiers.js';

/** The JSON-LD context of every event business actions write: EPCIS 2.0 plus the `tm:` namespace. */
export function actionContext(publicUrl: string): unknown[] {
  return [
    'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld',
    { tm: extensionNamespace(publicUrl) },
  ];
}

/** What one action will write: its events and, for receive-materials, the new lots. */
export interface Plan {
  readonly events: JsonObject[];
  readonly lots: Insertable<RawMaterialLotsTable>[];
  /** What `produce` uses of raw-material lots, in each lot's unit. */
  readonly uses?: ReadonlyArray<{ readonly lotId: string; readonly quantity: number }>;
  /** Codes taken out of use by the plan (`destroy`): voided with it, so scans say `voided`. */
  readonly voids?: ReadonlyArray<{ readonly spaceId: string; readonly serial: number }>;
}

/** China Standard Time: the default offset of event times (the platform serves the Chinese market). */
const DEFAULT_OFFSET = '+08:00';

/**
 * The eventTime and eventTimeZoneOffset of an action: the caller's time (ISO 8601 with an
 * offset) or now in China Standard Time.
 */
export function eventTimeOf(given: string | undefined, now: number): { eventTime: string; offset: string } {
  if (given === undefined) {
    const local = new Date(now + 8 * 3_600_000).toISOString().replace('Z', DEFAULT_OFFSET);
    return { eventTime: local, offset: DEFAULT_OFFSET };
  }
  const t = given.trim();
  const m = /(Z|[+-]\d{2}:\d{2})$/.exec(t);
  const ms = epcisTimeToMs(t);
  if (m === null || ms === undefined)
    throw invalid('eventTime', `${t} is not a time with an offset (e.g. 2026-03-01T08:00:00+08:00).`);
  if (ms > now + 10 * 60_000) throw invalid('eventTime', `${t} is in the future.`);
  return { eventTime: t, offset: m[1] === 'Z' ? '+00:00' : (m[1] ?? DEFAULT_OFFSET) };
}

/** A new event with its context, a fresh eventID and its time. */
export function newEvent(
  publicUrl: string,
  type: 'ObjectEvent' | 'TransformationEvent',
  time: { eventTime: string; offset: string },
): JsonObject {
  return {
    '@context': actionContext(publicUrl),
    type,
    eventID: `urn:uuid:${randomUUID()}`,
    eventTime: time.eventTime,
    eventTimeZoneOffset: time.offset,
  };
}

/**
 * Stores the plans' events through the EPCIS capture path (the same normalising, hashing,
 * identifier index and subscription outbox as /epcis/capture) and their raw-material lots, in
 * the caller's transaction. Events we built that the GS1 schema or the identifier rules refuse
 * are a bug, not the caller's fault: they throw.
 */
export async function storePlans(
  repos: Repositories,
  tenantId: string,
  publicUrl: string,
  options: IdentifierOptions,
  plans: readonly Plan[],
  now: number,
  actorId: string,
): Promise<string[]> {
  const events = plans.flatMap((p) => p.events);
  for (const e of events) {
    const problems = schemaProblems(e);
    if (problems.length > 0)
      throw new Error(`business action built an event the EPCIS schema refuses: ${JSON.stringify(problems)}`);
  }
  const lots = plans.flatMap((p) => p.lots);
  if (lots.length > 0) await repos.traceActions.insertLots(lots);
  for (const u of plans.flatMap((p) => p.uses ?? []))
    if (!(await repos.traceActions.addUsed(tenantId, u.lotId, u.quantity)))
      throw new AppError('TRACE_ACTION_LOT_EXHAUSTED');
  const voided = new Set<string>();
  const voids = plans
    .flatMap((p) => p.voids ?? [])
    .filter((v) => {
      const key = `${v.spaceId}:${v.serial}`;
      if (voided.has(key)) return false;
      voided.add(key);
      return true;
    })
    .map((v) => ({
      tenant_id: tenantId,
      space_id: v.spaceId,
      serial: v.serial,
      reason: 'destroyed' as const,
      replaced_by_space_id: null,
      replaced_by_serial: null,
      voided_by: actorId,
      voided_at: now,
    }));
  if (voids.length > 0) await repos.codes.insertVoids(voids);
  const ids: string[] = [];
  // In chunks, so an import's thousands of events never sit in one multi-row statement.
  for (let i = 0; i < events.length; i += 1000) {
    const chunk = events.slice(i, i + 1000);
    const { prepared, problems } = prepareEvents(chunk, actionContext(publicUrl), options);
    const first = problems[0];
    if (first !== undefined) throw new Error(`business action built an invalid event: ${first.message}`);
    const outcome = await storeEvents(repos, tenantId, newId(now), prepared, now, options);
    ids.push(...outcome.results.map((r) => r.eventId));
  }
  return ids;
}
