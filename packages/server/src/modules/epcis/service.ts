import { randomBytes } from 'node:crypto';
import { epcisTimeToMs, type IdentifierOptions, type JsonObject } from '@tracemark/core';
import {
  isUniqueViolation,
  newId,
  repositories,
  type CaptureJobRow,
  type DiscoveryColumn,
  type EpcisEventRow,
  type EpcisQueryRow,
  type EpcisSubscriptionRow,
  type EventCursor,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';
import { eventsOf, prepareEvents, storeEvents, type CaptureOutcome } from './capture.js';
import { schemaProblems } from './json-schema.js';
import { parseQuery, type QueryParams } from './query.js';

/** Most events one capture document may hold (GS1-EPCIS-Capture-Limit). */
export const CAPTURE_LIMIT = 10_000;
/** Largest and default page of events. */
export const MAX_PER_PAGE = 1000;
export const DEFAULT_PER_PAGE = 100;

/** How identifiers are read for a request: the platform's own codes live under PUBLIC_URL. */
export function identifierOptions(ctx: Pick<ServiceContext, 'config'>): IdentifierOptions {
  return { platformBase: ctx.config.publicUrl };
}

function invalid(message: string, details?: ReadonlyArray<{ field: string; message: string }>): AppError {
  return new AppError('TRACE_EPCIS_VALIDATION', message, details);
}

/**
 * Accepts an EPCISDocument for asynchronous capture: checks it against the GS1 schema and the
 * identifier rules (an invalid document is refused whole and nothing is stored), then stores
 * it as a queued job — durably, before the 202 — for the {@link CaptureRunner}.
 */
export async function acceptCapture(
  ctx: ServiceContext,
  document: unknown,
  behaviour: 'rollback' | 'proceed',
): Promise<Omit<CaptureJobRow, 'document' | 'prepared'>> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalid('The body is not an EPCISDocument.');
  }
  const doc = document as JsonObject;
  if (doc['type'] !== 'EPCISDocument' && doc['type'] !== 'EPCISQueryDocument') {
    throw invalid('Capture takes an EPCISDocument or EPCISQueryDocument.');
  }
  const { events, context } = eventsOf(doc);
  if (events.length > CAPTURE_LIMIT) {
    throw new AppError(
      'TRACE_EPCIS_CAPTURE_LIMIT',
      `The document has ${events.length} events; at most ${CAPTURE_LIMIT}.`,
    );
  }
  const problems = schemaProblems(doc);
  if (problems.length > 0) throw invalid('The document does not meet the EPCIS 2.0 JSON Schema.', problems);
  const checked = prepareEvents(events, context, identifierOptions(ctx));
  if (checked.problems.length > 0 && behaviour === 'rollback') {
    throw invalid(
      'Some events are invalid; nothing was stored.',
      checked.problems
        .slice(0, 20)
        .map((p) => ({ field: `/epcisBody/eventList/${p.eventIndex}`, message: p.message })),
    );
  }
  const now = Date.now();
  const id = newId(now);
  await inTransaction(ctx, async (repos, audit) => {
    await repos.events.insertJob({
      tenant_id: tenantId,
      id,
      status: 'queued',
      error_behaviour: behaviour,
      // The events as prepared here, so the runner stores them without preparing them again.
      document: '',
      prepared: JSON.stringify(checked),
      event_count: events.length,
      captured: 0,
      duplicates: 0,
      errors: '[]',
      claimed_by: null,
      heartbeat_at: null,
      created_by: actor.id,
      created_at: now,
      finished_at: null,
    });
    await audit({
      tenantId,
      action: 'epcis.capture_accepted',
      targetType: 'epcis_capture',
      targetId: id,
      details: { events: events.length, behaviour },
    });
  });
  return getCaptureJob(ctx, id);
}

/** A capture job of the caller's enterprise. */
export async function getCaptureJob(
  ctx: ServiceContext,
  id: string,
): Promise<Omit<CaptureJobRow, 'document' | 'prepared'>> {
  const tenantId = requireTenant(ctx);
  const row = await reader(ctx).events.findJob(tenantId, id);
  if (row === undefined) throw new AppError('TRACE_EPCIS_CAPTURE_NOT_FOUND');
  return row;
}

/** The enterprise's latest capture jobs. */
export async function listCaptureJobs(
  ctx: ServiceContext,
  limit: number,
): Promise<Array<Omit<CaptureJobRow, 'document' | 'prepared'>>> {
  return reader(ctx).events.listJobs(requireTenant(ctx), limit);
}

/**
 * Captures one event synchronously (`POST /epcis/events`). The eventID comes back whether the
 * event was new or already stored (then nothing is stored again).
 */
export async function captureEvent(
  ctx: ServiceContext,
  event: unknown,
): Promise<{ eventId: string; stored: boolean }> {
  const tenantId = requireTenant(ctx);
  if (typeof event !== 'object' || event === null || Array.isArray(event))
    throw invalid('The body is not an EPCIS event.');
  const e = event as JsonObject;
  if (e['type'] === 'EPCISDocument' || e['type'] === 'EPCISQueryDocument') {
    throw invalid('POST /epcis/events takes one event; send documents to /epcis/capture.');
  }
  const problems = schemaProblems(e);
  if (problems.length > 0) throw invalid('The event does not meet the EPCIS 2.0 JSON Schema.', problems);
  const { prepared, problems: bad } = prepareEvents([e], e['@context'], identifierOptions(ctx));
  const first = bad[0];
  if (first !== undefined) throw invalid(first.message);
  const outcome = await storeWithRetry(ctx, tenantId, newId(), prepared);
  const r = outcome.results[0];
  if (r === undefined) throw new Error('capture stored no result');
  if (outcome.captured > 0) ctx.log.debug({ eventId: r.eventId }, 'event captured');
  return r;
}

/**
 * Stores prepared events in one transaction; when a concurrent capture stored one of the same
 * events first (unique eventID), tries again, and then sees it as a duplicate.
 */
export async function storeWithRetry(
  ctx: Pick<ServiceContext, 'db' | 'config'>,
  tenantId: string,
  captureId: string,
  prepared: Parameters<typeof storeEvents>[3],
): Promise<CaptureOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.kysely
        .transaction()
        .execute(async (trx) =>
          storeEvents(
            repositories(trx),
            tenantId,
            captureId,
            prepared,
            Date.now(),
            identifierOptions(ctx),
            ctx.db.native,
          ),
        );
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

/** One event of the caller's enterprise by eventID. */
export async function getEvent(ctx: ServiceContext, eventId: string): Promise<EpcisEventRow> {
  const row = await reader(ctx).events.findByEventId(requireTenant(ctx), eventId);
  if (row === undefined) throw new AppError('TRACE_EPCIS_EVENT_NOT_FOUND');
  return row;
}

/** What a page token carries: the query, where the last page ended, how many events may still come. */
interface PageState {
  readonly q: QueryParams;
  readonly a: EventCursor;
  readonly r?: number;
  readonly n?: string;
}

function encodeToken(state: PageState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeToken(token: string): PageState {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
    if (typeof s.q !== 'object' || typeof s.a.value !== 'number' || typeof s.a.id !== 'string')
      throw new Error('shape');
    return s;
  } catch {
    throw new AppError('TRACE_EPCIS_PAGE_TOKEN');
  }
}

/** A page of events and the token of the next page (undefined on the last). */
export interface EventPage {
  readonly rows: readonly EpcisEventRow[];
  readonly nextPageToken: string | undefined;
}

/**
 * Runs an event query for the caller's enterprise, one page at a time (keyset pagination:
 * the token holds the query and the last sort key, so pages stay stable while events arrive).
 */
export async function queryEvents(
  ctx: ServiceContext,
  params: QueryParams,
  page: { perPage?: number; nextPageToken?: string; queryName?: string },
): Promise<EventPage> {
  const tenantId = requireTenant(ctx);
  const state = page.nextPageToken === undefined ? undefined : decodeToken(page.nextPageToken);
  if (state !== undefined && (state.n ?? undefined) !== page.queryName)
    throw new AppError('TRACE_EPCIS_PAGE_TOKEN');
  const q = state?.q ?? params;
  const parsed = parseQuery(q, identifierOptions(ctx));
  const perPage = Math.min(page.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const repo = reader(ctx).events;
  if (parsed.maxEventCount !== undefined && state === undefined) {
    const probe = await repo.query(tenantId, parsed.filter, parsed.order, parsed.maxEventCount + 1);
    if (probe.length > parsed.maxEventCount) throw new AppError('TRACE_EPCIS_QUERY_TOO_LARGE');
  }
  const remaining = state?.r ?? parsed.eventCountLimit;
  const take = remaining === undefined ? perPage : Math.min(perPage, remaining);
  if (take <= 0) return { rows: [], nextPageToken: undefined };
  const rows = await repo.query(tenantId, parsed.filter, parsed.order, take + 1, state?.a);
  const more = rows.length > take;
  const pageRows = more ? rows.slice(0, take) : rows;
  const left = remaining === undefined ? undefined : remaining - pageRows.length;
  const last = pageRows[pageRows.length - 1];
  const next =
    more && last !== undefined && (left === undefined || left > 0)
      ? encodeToken({
          q,
          a: { value: parsed.order.by === 'eventTime' ? last.event_time : last.record_time, id: last.id },
          ...(left !== undefined ? { r: left } : {}),
          ...(page.queryName !== undefined ? { n: page.queryName } : {}),
        })
      : undefined;
  return { rows: pageRows, nextPageToken: next };
}

/** A page of distinct values for a discovery resource (`/epcis/bizSteps` …). */
export async function discover(
  ctx: ServiceContext,
  what: DiscoveryColumn | 'epc',
  page: { perPage?: number; nextPageToken?: string },
): Promise<{ members: string[]; nextPageToken: string | undefined }> {
  const tenantId = requireTenant(ctx);
  const perPage = Math.min(page.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  let after: string | undefined;
  if (page.nextPageToken !== undefined) {
    try {
      after = Buffer.from(page.nextPageToken, 'base64url').toString('utf8');
    } catch {
      throw new AppError('TRACE_EPCIS_PAGE_TOKEN');
    }
  }
  const repo = reader(ctx).events;
  const rows =
    what === 'epc'
      ? await repo.distinctEpcs(tenantId, perPage + 1, after)
      : await repo.distinct(tenantId, what, perPage + 1, after);
  const more = rows.length > perPage;
  const members = more ? rows.slice(0, perPage) : rows;
  const last = members[members.length - 1];
  return {
    members,
    nextPageToken: more && last !== undefined ? Buffer.from(last, 'utf8').toString('base64url') : undefined,
  };
}

// Named queries.

/** Saves a named query after checking its parameters. */
export async function createQuery(
  ctx: ServiceContext,
  name: string,
  query: QueryParams,
): Promise<EpcisQueryRow> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  parseQuery(query, identifierOptions(ctx));
  try {
    return await inTransaction(ctx, async (repos, audit) => {
      if ((await repos.events.findQuery(tenantId, name)) !== undefined)
        throw new AppError('TRACE_EPCIS_QUERY_EXISTS');
      await repos.events.insertQuery({
        tenant_id: tenantId,
        name,
        query: JSON.stringify(query),
        created_by: actor.id,
        created_at: Date.now(),
      });
      await audit({ tenantId, action: 'epcis.query_created', targetType: 'epcis_query', targetId: name });
      const row = await repos.events.findQuery(tenantId, name);
      if (row === undefined) throw new AppError('TRACE_EPCIS_QUERY_NOT_FOUND');
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('TRACE_EPCIS_QUERY_EXISTS');
    throw error;
  }
}

/** A named query of the caller's enterprise. */
export async function getQuery(ctx: ServiceContext, name: string): Promise<EpcisQueryRow> {
  const row = await reader(ctx).events.findQuery(requireTenant(ctx), name);
  if (row === undefined) throw new AppError('TRACE_EPCIS_QUERY_NOT_FOUND');
  return row;
}

/** The enterprise's named queries. */
export async function listQueries(ctx: ServiceContext): Promise<EpcisQueryRow[]> {
  return reader(ctx).events.listQueries(requireTenant(ctx), 1000);
}

/** Deletes a named query and its subscriptions. */
export async function deleteQuery(ctx: ServiceContext, name: string): Promise<void> {
  const tenantId = requireTenant(ctx);
  await inTransaction(ctx, async (repos, audit) => {
    if (!(await repos.events.deleteQuery(tenantId, name))) throw new AppError('TRACE_EPCIS_QUERY_NOT_FOUND');
    await audit({ tenantId, action: 'epcis.query_deleted', targetType: 'epcis_query', targetId: name });
  });
}

/** What a client asks for when subscribing. */
export interface SubscriptionRequest {
  readonly dest: string;
  readonly signatureToken?: string;
  readonly stream?: boolean;
  readonly schedule?: unknown;
  readonly reportIfEmpty?: boolean;
  readonly initialRecordTime?: string;
}

/**
 * Subscribes a webhook to a named query (streaming only for now). Events already stored from
 * `initialRecordTime` on are queued at once; later captures queue theirs as they commit.
 * Without a `signatureToken` a secret is made and returned once.
 */
export async function subscribe(
  ctx: ServiceContext,
  queryName: string,
  req: SubscriptionRequest,
): Promise<{ row: EpcisSubscriptionRow; secret: string | undefined }> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  let url: URL;
  try {
    url = new URL(req.dest);
  } catch {
    throw new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', 'dest is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', 'dest must be an http(s) URL.');
  }
  if (req.schedule !== undefined || req.stream !== true) {
    throw new AppError(
      'TRACE_EPCIS_SUBSCRIPTION_INVALID',
      'Only streaming subscriptions (stream: true) are supported.',
    );
  }
  const initial = req.initialRecordTime === undefined ? undefined : epcisTimeToMs(req.initialRecordTime);
  if (req.initialRecordTime !== undefined && initial === undefined) {
    throw new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', 'initialRecordTime is not a timestamp.');
  }
  const made = req.signatureToken === undefined ? randomBytes(32).toString('hex') : undefined;
  const secret = req.signatureToken ?? made ?? '';
  const id = newId();
  const now = Date.now();
  const row = await inTransaction(ctx, async (repos, audit) => {
    const query = await repos.events.findQuery(tenantId, queryName);
    if (query === undefined) throw new AppError('TRACE_EPCIS_QUERY_NOT_FOUND');
    await repos.events.insertSubscription({
      tenant_id: tenantId,
      id,
      query_name: queryName,
      dest: req.dest,
      secret,
      stream: 1,
      report_if_empty: req.reportIfEmpty === true ? 1 : 0,
      initial_record_time: initial ?? null,
      created_by: actor.id,
      created_at: now,
      last_notified_at: null,
      claimed_by: null,
      lease_until: null,
    });
    if (initial !== undefined) {
      const filter = parseQuery(JSON.parse(query.query) as QueryParams, identifierOptions(ctx)).filter;
      await repos.events.enqueueMatching(
        tenantId,
        id,
        {
          ...filter,
          recordTime: { ...filter.recordTime, ge: Math.max(initial, filter.recordTime?.ge ?? initial) },
        },
        now,
      );
    }
    await audit({
      tenantId,
      action: 'epcis.subscribed',
      targetType: 'epcis_subscription',
      targetId: id,
      details: { queryName, dest: url.origin },
    });
    const r = await repos.events.findSubscription(tenantId, queryName, id);
    if (r === undefined) throw new AppError('TRACE_EPCIS_SUBSCRIPTION_NOT_FOUND');
    return r;
  });
  return { row, secret: made };
}

/** The subscriptions of a named query. */
export async function listSubscriptions(
  ctx: ServiceContext,
  queryName: string,
): Promise<EpcisSubscriptionRow[]> {
  await getQuery(ctx, queryName);
  return reader(ctx).events.listSubscriptions(requireTenant(ctx), queryName);
}

/** One subscription. */
export async function getSubscription(
  ctx: ServiceContext,
  queryName: string,
  id: string,
): Promise<EpcisSubscriptionRow> {
  const row = await reader(ctx).events.findSubscription(requireTenant(ctx), queryName, id);
  if (row === undefined) throw new AppError('TRACE_EPCIS_SUBSCRIPTION_NOT_FOUND');
  return row;
}

/** Ends a subscription; what it had still to deliver is dropped. */
export async function unsubscribe(ctx: ServiceContext, queryName: string, id: string): Promise<void> {
  const tenantId = requireTenant(ctx);
  await inTransaction(ctx, async (repos, audit) => {
    const row = await repos.events.findSubscription(tenantId, queryName, id);
    if (row === undefined) throw new AppError('TRACE_EPCIS_SUBSCRIPTION_NOT_FOUND');
    await repos.events.deleteSubscription(tenantId, id);
    await audit({ tenantId, action: 'epcis.unsubscribed', targetType: 'epcis_subscription', targetId: id });
  });
}
