import { randomBytes } from 'node:crypto';
import {
  EPCIS_EVENT_TYPES,
  canonicalIdentifier,
  epcisTimeToMs,
  identifierMatcher,
  normaliseCbv,
  type IdentifierOptions,
  type JsonObject,
} from '@tracemark/core';
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
  type EventFilter,
  type EventScope,
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
import { nextRun, parseSchedule, scheduleJson, type RawSchedule } from './schedule.js';
import { checkWebhookDest } from './webhook-target.js';

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

/**
 * Whose events the caller reads (adr/0007): its enterprise's own, plus what other enterprises
 * shared with it; a regulator only what was shared with its jurisdiction. A plain tenant id
 * when nothing is shared, so the common query stays a single-tenant index walk.
 */
export async function eventScope(ctx: ServiceContext): Promise<string | EventScope> {
  const actor = requireActor(ctx);
  const repo = reader(ctx).events;
  if (actor.tenantId === null) {
    if (actor.role !== 'regulator' || actor.jurisdiction === null) return requireTenant(ctx);
    const shares = await repo.listSharesReceived('regulator', actor.jurisdiction, 1000);
    return { own: null, shared: shares.map(sliceOf) };
  }
  const shares = (await repo.listSharesReceived('enterprise', actor.tenantId, 1000)).filter(
    (s) => s.tenant_id !== actor.tenantId,
  );
  return shares.length === 0 ? actor.tenantId : { own: actor.tenantId, shared: shares.map(sliceOf) };
}

function sliceOf(share: {
  tenant_id: string;
  biz_steps: string | null;
  event_time_from: number | null;
  event_time_to: number | null;
}) {
  return {
    tenantId: share.tenant_id,
    ...(share.biz_steps === null ? {} : { bizSteps: JSON.parse(share.biz_steps) as string[] }),
    ...(share.event_time_from === null && share.event_time_to === null
      ? {}
      : {
          eventTime: {
            ...(share.event_time_from === null ? {} : { ge: share.event_time_from }),
            ...(share.event_time_to === null ? {} : { lt: share.event_time_to }),
          },
        }),
  };
}

/** One event by eventID: the caller's enterprise's own first, else one shared with the caller. */
export async function getEvent(ctx: ServiceContext, eventId: string): Promise<EpcisEventRow> {
  const scope = await eventScope(ctx);
  const repo = reader(ctx).events;
  const row =
    typeof scope === 'string'
      ? await repo.findByEventId(scope, eventId)
      : ((scope.own === null ? undefined : await repo.findByEventId(scope.own, eventId)) ??
        (
          await repo.query(
            { own: null, shared: scope.shared },
            { eventIds: [eventId] },
            { by: 'recordTime', direction: 'ASC' },
            1,
          )
        )[0]);
  if (row === undefined) throw new AppError('TRACE_EPCIS_EVENT_NOT_FOUND');
  return row;
}

/** The enterprise that captured an event another one reads through a grant. */
export interface EventOwner {
  readonly id: string;
  readonly name: string;
  /** 统一社会信用代码. */
  readonly uscc: string;
}

/**
 * The owners of the events among `rows` that are not the caller's own (read through grants,
 * adr/0007), by tenant id: one lookup per owner, and none when every event is the caller's.
 */
export async function ownersOfShared(
  ctx: ServiceContext,
  rows: readonly EpcisEventRow[],
): Promise<ReadonlyMap<string, EventOwner>> {
  const own = requireActor(ctx).tenantId;
  const owners = new Map<string, EventOwner>();
  const repo = reader(ctx).enterprises;
  for (const tenantId of new Set(rows.map((r) => r.tenant_id))) {
    if (tenantId === own) continue;
    const e = await repo.findById(tenantId);
    if (e !== undefined) owners.set(tenantId, { id: e.id, name: e.name, uscc: e.uscc });
  }
  return owners;
}

/** The per-resource sub-resources of the binding (`/epcis/{resource}/{value}/events`). */
export type EventResource =
  'eventTypes' | 'epcs' | 'bizSteps' | 'bizLocations' | 'readPoints' | 'dispositions';

// The query parameter each resource stands for: given in the query string too, it is refused
// (the binding leaves it out of the sub-resource's parameters).
const resourceParameter: Readonly<Record<EventResource, string | undefined>> = Object.freeze({
  eventTypes: 'eventType',
  epcs: undefined,
  bizSteps: 'EQ_bizStep',
  bizLocations: 'EQ_bizLocation',
  readPoints: 'EQ_readPoint',
  dispositions: 'EQ_disposition',
});

const allRoles = [
  'epc',
  'parent',
  'child',
  'input',
  'output',
  'quantity',
  'child_quantity',
  'input_quantity',
  'output_quantity',
] as const;

/**
 * The filter of a sub-resource: `/eventTypes/ObjectEvent` is `eventType=ObjectEvent`,
 * `/bizSteps/shipping` is `EQ_bizStep=shipping` (any CBV spelling), `/epcs/{epc}` the events that
 * name the identifier (or class, or a pattern) in any role, and so on.
 */
export function resourceFilter(
  ctx: Pick<ServiceContext, 'config'>,
  resource: EventResource,
  value: string,
): EventFilter {
  const v = value.trim();
  const notFound = () => new AppError('TRACE_EPCIS_RESOURCE_NOT_FOUND');
  const ids = () => {
    const c = canonicalIdentifier(v, identifierOptions(ctx));
    if (!c.ok) throw notFound();
    return [c.uri];
  };
  switch (resource) {
    case 'eventTypes':
      if (!(EPCIS_EVENT_TYPES as readonly string[]).includes(v)) throw notFound();
      return { eventTypes: [v] };
    case 'bizSteps':
      return { bizSteps: [normaliseCbv('BizStep', v)] };
    case 'dispositions':
      return { dispositions: [normaliseCbv('Disp', v)] };
    case 'readPoints':
      return { readPoints: ids() };
    case 'bizLocations':
      return { bizLocations: ids() };
    case 'epcs': {
      const m = identifierMatcher(v, identifierOptions(ctx));
      if (!m.ok) throw notFound();
      return {
        matches: [{ roles: allRoles, exact: [m.exact], prefixes: m.prefix === undefined ? [] : [m.prefix] }],
      };
    }
  }
}

/**
 * Whether the caller can see any event of a sub-resource (`/epcis/epcs/{epc}` …): a value in
 * none of them is "no such resource", as the binding's 404 says.
 */
export async function requireResource(
  ctx: ServiceContext,
  resource: EventResource,
  value: string,
): Promise<void> {
  const filter = resourceFilter(ctx, resource, value);
  if (resource === 'eventTypes') return;
  const found = await reader(ctx).events.query(
    await eventScope(ctx),
    filter,
    { by: 'recordTime', direction: 'ASC' },
    1,
  );
  if (found.length === 0) throw new AppError('TRACE_EPCIS_RESOURCE_NOT_FOUND');
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
  page: {
    perPage?: number;
    nextPageToken?: string;
    queryName?: string;
    /** A sub-resource whose filter is added (`/epcis/bizSteps/shipping/events`). */
    resource?: { kind: EventResource; value: string };
  },
): Promise<EventPage> {
  const scope = await eventScope(ctx);
  // A token is good only where it was made: the same named query or sub-resource.
  const boundTo =
    page.queryName ??
    (page.resource === undefined ? undefined : `${page.resource.kind}/${page.resource.value}`);
  const state = page.nextPageToken === undefined ? undefined : decodeToken(page.nextPageToken);
  if (state !== undefined && (state.n ?? undefined) !== boundTo) throw new AppError('TRACE_EPCIS_PAGE_TOKEN');
  const q = state?.q ?? params;
  const parsed = withResource(ctx, parseQuery(q, identifierOptions(ctx)), q, page.resource);
  const perPage = Math.min(page.perPage ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const repo = reader(ctx).events;
  if (page.resource !== undefined && state === undefined) {
    await requireResource(ctx, page.resource.kind, page.resource.value);
  }
  if (parsed.maxEventCount !== undefined && state === undefined) {
    const probe = await repo.query(scope, parsed.filter, parsed.order, parsed.maxEventCount + 1);
    if (probe.length > parsed.maxEventCount) throw new AppError('TRACE_EPCIS_QUERY_TOO_LARGE');
  }
  const remaining = state?.r ?? parsed.eventCountLimit;
  const take = remaining === undefined ? perPage : Math.min(perPage, remaining);
  if (take <= 0) return { rows: [], nextPageToken: undefined };
  const rows = await repo.query(scope, parsed.filter, parsed.order, take + 1, state?.a);
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
          ...(boundTo !== undefined ? { n: boundTo } : {}),
        })
      : undefined;
  return { rows: pageRows, nextPageToken: next };
}

/** A parsed query with a sub-resource's filter added; the same criterion in the query string is refused. */
function withResource(
  ctx: ServiceContext,
  parsed: ReturnType<typeof parseQuery>,
  params: QueryParams,
  resource: { kind: EventResource; value: string } | undefined,
): ReturnType<typeof parseQuery> {
  if (resource === undefined) return parsed;
  const param = resourceParameter[resource.kind];
  if (param !== undefined && params[param] !== undefined) {
    throw new AppError('TRACE_EPCIS_QUERY_PARAMETER', `${param} is given by the path here`);
  }
  const extra = resourceFilter(ctx, resource.kind, resource.value);
  return {
    ...parsed,
    filter: {
      ...parsed.filter,
      ...extra,
      ...(extra.matches === undefined
        ? {}
        : { matches: [...(parsed.filter.matches ?? []), ...extra.matches] }),
    },
  };
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
 * Subscribes a webhook to a named query: streaming (`stream: true`, each capture's matching
 * events sent as they commit) or scheduled (`schedule`, everything matched since the last run
 * sent when the schedule comes round; `reportIfEmpty` sends an empty result too). Events already
 * stored from `initialRecordTime` on are queued at once; later captures queue theirs as they
 * commit. The dest is checked against internal addresses (SSRF) unless the operator allows
 * them. Without a `signatureToken` a secret is made and returned once.
 */
export async function subscribe(
  ctx: ServiceContext,
  queryName: string,
  req: SubscriptionRequest,
): Promise<{ row: EpcisSubscriptionRow; secret: string | undefined }> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  // Another enterprise's query is "not found" before anything about the dest is said.
  await getQuery(ctx, queryName);
  if (req.schedule !== undefined && req.stream !== undefined) {
    throw new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', 'Give a schedule or stream: true, not both.');
  }
  if (req.schedule === undefined && req.stream !== true) {
    throw new AppError(
      'TRACE_EPCIS_SUBSCRIPTION_INVALID',
      'Without a schedule, stream must be true (the binding asks for it explicitly).',
    );
  }
  const schedule = req.schedule === undefined ? undefined : parseSchedule(req.schedule);
  const url = await checkWebhookDest(req.dest, { allowPrivate: ctx.config.epcisWebhookAllowPrivate });
  const initial = req.initialRecordTime === undefined ? undefined : epcisTimeToMs(req.initialRecordTime);
  if (req.initialRecordTime !== undefined && initial === undefined) {
    throw new AppError('TRACE_EPCIS_SUBSCRIPTION_INVALID', 'initialRecordTime is not a timestamp.');
  }
  const made = req.signatureToken === undefined ? randomBytes(32).toString('hex') : undefined;
  const secret = req.signatureToken ?? made ?? '';
  const id = newId();
  const now = Date.now();
  const nextRunAt = schedule === undefined ? null : (nextRun(schedule, now) ?? null);
  const row = await inTransaction(ctx, async (repos, audit) => {
    const query = await repos.events.findQuery(tenantId, queryName);
    if (query === undefined) throw new AppError('TRACE_EPCIS_QUERY_NOT_FOUND');
    await repos.events.insertSubscription({
      tenant_id: tenantId,
      id,
      query_name: queryName,
      dest: req.dest,
      secret,
      stream: schedule === undefined ? 1 : 0,
      report_if_empty: req.reportIfEmpty === true ? 1 : 0,
      schedule: req.schedule === undefined ? null : JSON.stringify(scheduleJson(req.schedule as RawSchedule)),
      next_run_at: nextRunAt,
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
      details: {
        queryName,
        dest: url.origin,
        ...(req.schedule === undefined ? {} : { schedule: scheduleJson(req.schedule as RawSchedule) }),
      },
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
