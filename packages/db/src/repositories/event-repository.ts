import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { EpcRole } from '@tracemark/core';
import type { Database } from '../schema.js';
import type {
  EpcisCaptureJobsTable,
  EpcisEventsTable,
  EpcisQueriesTable,
  EpcisSubscriptionsTable,
  EventEpcsTable,
  EventSharesTable,
} from '../tables/events.js';

/** A stored event. */
export type EpcisEventRow = Selectable<EpcisEventsTable>;
/** A stored capture job. */
export type CaptureJobRow = Selectable<EpcisCaptureJobsTable>;
/** A stored named query. */
export type EpcisQueryRow = Selectable<EpcisQueriesTable>;
/** A stored subscription. */
export type EpcisSubscriptionRow = Selectable<EpcisSubscriptionsTable>;
/** A stored event share (adr/0007). */
export type EventShareRow = Selectable<EventSharesTable>;

/** Events of another enterprise a caller may read through a share: the owner's, narrowed. */
export interface SharedSlice {
  readonly tenantId: string;
  /** Only events of these bizSteps (undefined: any). */
  readonly bizSteps?: readonly string[];
  /** Only events whose eventTime is in this range. */
  readonly eventTime?: TimeRange;
}

/**
 * Whose events a query reads: the caller's own enterprise (null for a regulator) and the
 * slices others shared with it. A plain tenant id means the enterprise's own events only.
 */
export interface EventScope {
  readonly own: string | null;
  readonly shared: readonly SharedSlice[];
}

/** Identifiers an event must have (any of `exact`, or starting with any of `prefixes`) in one of `roles`. */
export interface EpcMatch {
  readonly roles: readonly EpcRole[];
  readonly exact: readonly string[];
  readonly prefixes: readonly string[];
}

/** A half-open range of epoch milliseconds. */
export interface TimeRange {
  readonly ge?: number;
  readonly lt?: number;
}

/**
 * An EPCIS event query in normalised form (the server parses the REST parameters into it).
 * Every given criterion must hold; a list matches any of its values.
 */
export interface EventFilter {
  readonly eventTypes?: readonly string[];
  readonly eventTime?: TimeRange;
  readonly recordTime?: TimeRange;
  readonly actions?: readonly string[];
  readonly bizSteps?: readonly string[];
  readonly dispositions?: readonly string[];
  readonly readPoints?: readonly string[];
  readonly bizLocations?: readonly string[];
  readonly eventIds?: readonly string[];
  /** EXISTS_errorDeclaration: only events declared erroneous. */
  readonly errorDeclared?: boolean;
  readonly errorDeclarationTime?: TimeRange;
  readonly errorReasons?: readonly string[];
  /** All must hold. */
  readonly matches?: readonly EpcMatch[];
  /** Only the events of one capture (subscriptions use it to pick up what a capture added). */
  readonly captureId?: string;
}

/** Sort order of a query. */
export interface EventOrder {
  readonly by: 'eventTime' | 'recordTime';
  readonly direction: 'ASC' | 'DESC';
}

/** Where the previous page ended: the sort value and internal id of its last event. */
export interface EventCursor {
  readonly value: number;
  readonly id: string;
}

/** Columns the discovery resources list the distinct values of. */
export type DiscoveryColumn = 'type' | 'biz_step' | 'biz_location' | 'read_point' | 'disposition';

// Keep multi-row statements under SQLite's 32,766 bound parameters (and PostgreSQL's 65,535).
const EVENT_CHUNK = 1500;
const EPC_CHUNK = 8000;
const IN_CHUNK = 1000;

/**
 * The EPCIS event store: events, their identifiers, capture jobs, named queries, subscriptions
 * and the delivery outbox. Writes are multi-row statements, so a 1,000-event capture costs a
 * handful of round trips.
 */
export class EventRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Whether this repository is bound to an open transaction (the capture hot path needs one). */
  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  /** The executor this repository is bound to (for the engine-specific capture writer). */
  get executor(): Kysely<Database> {
    return this.db;
  }

  /**
   * Events of a tenant that already have one of these eventIDs, or (for events captured without
   * an eventID) one of these hashes. A hash is looked up with its event's time: equal hashes mean
   * equal event times (the hash covers it), and the event-time index is one the store keeps
   * anyway, where a hash index would cost every capture a random page per event (migration 0013).
   */
  async findExisting(
    tenantId: string,
    eventIds: readonly string[],
    hashes: ReadonlyArray<{ readonly hash: string; readonly eventTime: number }>,
  ): Promise<Array<Pick<EpcisEventRow, 'id' | 'event_id' | 'hash' | 'error_declaration'>>> {
    const out: Array<Pick<EpcisEventRow, 'id' | 'event_id' | 'hash' | 'error_declaration'>> = [];
    const select = () =>
      this.db
        .selectFrom('epcis_events')
        .select(['id', 'event_id', 'hash', 'error_declaration'])
        .where('tenant_id', '=', tenantId);
    for (let i = 0; i < eventIds.length; i += IN_CHUNK)
      out.push(
        ...(await select()
          .where('event_id', 'in', eventIds.slice(i, i + IN_CHUNK))
          .execute()),
      );
    for (let i = 0; i < hashes.length; i += IN_CHUNK) {
      const chunk = hashes.slice(i, i + IN_CHUNK);
      const times = [...new Set(chunk.map((h) => h.eventTime))];
      out.push(
        ...(await select()
          .where('event_time', 'in', times)
          .where(
            'hash',
            'in',
            chunk.map((h) => h.hash),
          )
          .execute()),
      );
    }
    return out;
  }

  /** Stores events and their identifiers in multi-row statements. */
  async insertEvents(
    events: readonly Insertable<EpcisEventsTable>[],
    epcs: readonly Insertable<EventEpcsTable>[],
  ): Promise<void> {
    for (let i = 0; i < events.length; i += EVENT_CHUNK) {
      await this.db
        .insertInto('epcis_events')
        .values(events.slice(i, i + EVENT_CHUNK))
        .execute();
    }
    for (let i = 0; i < epcs.length; i += EPC_CHUNK) {
      await this.db
        .insertInto('event_epcs')
        .values(epcs.slice(i, i + EPC_CHUNK))
        .execute();
    }
  }

  /** Marks an event as declared erroneous (EPCIS 2.0 §7.4.1.2). */
  async declareError(
    tenantId: string,
    id: string,
    declaration: { json: string; at: number; reason: string | null },
  ): Promise<void> {
    await this.db
      .updateTable('epcis_events')
      .set({
        error_declaration: declaration.json,
        error_declared_at: declaration.at,
        error_reason: declaration.reason,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** One event by its eventID (or, for an event captured without one, its hash). */
  async findByEventId(tenantId: string, eventId: string): Promise<EpcisEventRow | undefined> {
    return this.db
      .selectFrom('epcis_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
  }

  /** Events by internal id, in that order. */
  async findByPks(tenantId: string, ids: readonly string[]): Promise<EpcisEventRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('epcis_events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * One page of the events matching `filter`: at most `limit` rows after `cursor`, in `order`
   * (ties broken by capture order).
   */
  async query(
    scope: string | EventScope,
    filter: EventFilter,
    order: EventOrder,
    limit: number,
    cursor?: EventCursor,
  ): Promise<EpcisEventRow[]> {
    const column = order.by === 'eventTime' ? 'event_time' : 'record_time';
    const dir = order.direction === 'ASC' ? 'asc' : 'desc';
    const tenants = scopeTenants(scope);
    let q = this.db
      .selectFrom('epcis_events')
      .selectAll()
      .where((eb) => scopeExpression(eb, scope))
      .where((eb) => filterExpression(eb, tenants, filter));
    if (cursor !== undefined) {
      const op = order.direction === 'ASC' ? '>' : '<';
      q = q.where((eb) =>
        eb.or([
          eb(column, op, cursor.value),
          eb.and([eb(column, '=', cursor.value), eb('id', op, cursor.id)]),
        ]),
      );
    }
    return q.orderBy(column, dir).orderBy('id', dir).limit(limit).execute();
  }

  /** Distinct values of a column among a tenant's events, in order, after `after`. */
  async distinct(
    tenantId: string,
    column: DiscoveryColumn,
    limit: number,
    after?: string,
  ): Promise<string[]> {
    let q = this.db
      .selectFrom('epcis_events')
      .select(sql<string>`${sql.ref(column)}`.as('v'))
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where(column, 'is not', null);
    if (after !== undefined) q = q.where(column, '>', after);
    const rows = await q.orderBy('v').limit(limit).execute();
    return rows.map((r) => r.v);
  }

  /** Distinct identifiers in a tenant's events, in order, after `after`. */
  async distinctEpcs(tenantId: string, limit: number, after?: string): Promise<string[]> {
    let q = this.db.selectFrom('event_epcs').select('epc').distinct().where('tenant_id', '=', tenantId);
    if (after !== undefined) q = q.where('epc', '>', after);
    const rows = await q.orderBy('epc').limit(limit).execute();
    return rows.map((r) => r.epc);
  }

  // Capture jobs.

  /** Stores a capture job (before the request is acknowledged). */
  async insertJob(row: Insertable<EpcisCaptureJobsTable>): Promise<void> {
    await this.db.insertInto('epcis_capture_jobs').values(row).execute();
  }

  /** A job of a tenant, without its document. */
  async findJob(
    tenantId: string,
    id: string,
  ): Promise<Omit<CaptureJobRow, 'document' | 'prepared'> | undefined> {
    return this.db
      .selectFrom('epcis_capture_jobs')
      .select(jobColumns)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A tenant's jobs, newest first, without documents. */
  async listJobs(
    tenantId: string,
    limit: number,
  ): Promise<Array<Omit<CaptureJobRow, 'document' | 'prepared'>>> {
    return this.db
      .selectFrom('epcis_capture_jobs')
      .select(jobColumns)
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Claims the oldest queued job, or a running one whose worker stopped beating (its process
   * died): the claim is a conditional update, so two processes never run the same job.
   */
  async claimJob(worker: string, now: number, staleBefore: number): Promise<CaptureJobRow | undefined> {
    const candidate = await this.db
      .selectFrom('epcis_capture_jobs')
      .select(['tenant_id', 'id', 'status', 'heartbeat_at'])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)]),
        ]),
      )
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    if (candidate === undefined) return undefined;
    const r = await this.db
      .updateTable('epcis_capture_jobs')
      .set({ status: 'running', claimed_by: worker, heartbeat_at: now })
      .where('tenant_id', '=', candidate.tenant_id)
      .where('id', '=', candidate.id)
      .where('status', '=', candidate.status)
      .where((eb) =>
        candidate.heartbeat_at === null
          ? eb('heartbeat_at', 'is', null)
          : eb('heartbeat_at', '=', candidate.heartbeat_at),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.db
      .selectFrom('epcis_capture_jobs')
      .selectAll()
      .where('tenant_id', '=', candidate.tenant_id)
      .where('id', '=', candidate.id)
      .executeTakeFirst();
  }

  /** Records a job's outcome or progress (only by the worker that holds it). */
  async updateJob(
    tenantId: string,
    id: string,
    worker: string,
    patch: Partial<
      Pick<
        CaptureJobRow,
        | 'status'
        | 'captured'
        | 'duplicates'
        | 'errors'
        | 'heartbeat_at'
        | 'finished_at'
        | 'document'
        | 'prepared'
        | 'claimed_by'
      >
    >,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('epcis_capture_jobs')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('claimed_by', '=', worker)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // Named queries.

  /** Stores a named query. */
  async insertQuery(row: Insertable<EpcisQueriesTable>): Promise<void> {
    await this.db.insertInto('epcis_queries').values(row).execute();
  }

  /** A named query of a tenant. */
  async findQuery(tenantId: string, name: string): Promise<EpcisQueryRow | undefined> {
    return this.db
      .selectFrom('epcis_queries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  /** A tenant's named queries by name. */
  async listQueries(tenantId: string, limit: number, after?: string): Promise<EpcisQueryRow[]> {
    let q = this.db.selectFrom('epcis_queries').selectAll().where('tenant_id', '=', tenantId);
    if (after !== undefined) q = q.where('name', '>', after);
    return q.orderBy('name').limit(limit).execute();
  }

  /** Deletes a named query with its subscriptions and their pending deliveries. */
  async deleteQuery(tenantId: string, name: string): Promise<boolean> {
    const subs = await this.listSubscriptions(tenantId, name);
    for (const s of subs) await this.deleteSubscription(tenantId, s.id);
    const r = await this.db
      .deleteFrom('epcis_queries')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  // Subscriptions and their outbox.

  /** Stores a subscription. */
  async insertSubscription(row: Insertable<EpcisSubscriptionsTable>): Promise<void> {
    await this.db.insertInto('epcis_subscriptions').values(row).execute();
  }

  /** A subscription of a tenant's named query. */
  async findSubscription(
    tenantId: string,
    queryName: string,
    id: string,
  ): Promise<EpcisSubscriptionRow | undefined> {
    return this.db
      .selectFrom('epcis_subscriptions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('query_name', '=', queryName)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The subscriptions of a named query, or of every query of the tenant. */
  async listSubscriptions(tenantId: string, queryName?: string): Promise<EpcisSubscriptionRow[]> {
    let q = this.db.selectFrom('epcis_subscriptions').selectAll().where('tenant_id', '=', tenantId);
    if (queryName !== undefined) q = q.where('query_name', '=', queryName);
    return q.orderBy('created_at').orderBy('id').execute();
  }

  /**
   * The subscriptions of a tenant with their queries, streaming and scheduled (to fill the
   * outbox on capture: a scheduled one sends its share when its time comes).
   */
  async outboxSubscriptions(tenantId: string): Promise<Array<{ id: string; query: string }>> {
    return this.db
      .selectFrom('epcis_subscriptions as s')
      .innerJoin('epcis_queries as q', (j) =>
        j.onRef('q.tenant_id', '=', 's.tenant_id').onRef('q.name', '=', 's.query_name'),
      )
      .select(['s.id as id', 'q.query as query'])
      .where('s.tenant_id', '=', tenantId)
      .execute();
  }

  /** Deletes a subscription and what it had still to deliver. */
  async deleteSubscription(tenantId: string, id: string): Promise<boolean> {
    await this.db
      .deleteFrom('epcis_deliveries')
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', id)
      .execute();
    const r = await this.db
      .deleteFrom('epcis_subscriptions')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /**
   * Queues for delivery to a subscription every event matching `filter` (one INSERT … SELECT,
   * in the capture's own transaction, so an acknowledged event is never missed).
   */
  async enqueueMatching(
    tenantId: string,
    subscriptionId: string,
    filter: EventFilter,
    now: number,
  ): Promise<void> {
    const select = this.db
      .selectFrom('epcis_events')
      .select((eb) => [
        eb.val(tenantId).as('tenant_id'),
        eb.val(subscriptionId).as('subscription_id'),
        'id as event_pk',
        sql<number>`${sql.lit(0)}`.as('attempts'),
        sql<number>`${sql.lit(Math.trunc(now))}`.as('next_attempt_at'),
        sql<string | null>`null`.as('last_error'),
      ])
      .where('tenant_id', '=', tenantId)
      .where((eb) => filterExpression(eb, tenantId, filter));
    await this.db
      .insertInto('epcis_deliveries')
      .columns(['tenant_id', 'subscription_id', 'event_pk', 'attempts', 'next_attempt_at', 'last_error'])
      .expression(select)
      .execute();
  }

  /**
   * Leases a subscription that has deliveries due, so one process at a time sends them.
   * Undefined when nothing is due.
   */
  async claimDueSubscription(
    worker: string,
    now: number,
    leaseMs: number,
  ): Promise<EpcisSubscriptionRow | undefined> {
    const due = await this.db
      .selectFrom('epcis_deliveries as d')
      .innerJoin('epcis_subscriptions as s', (j) =>
        j.onRef('s.tenant_id', '=', 'd.tenant_id').onRef('s.id', '=', 'd.subscription_id'),
      )
      .select(['s.tenant_id as tenant_id', 's.id as id', 's.lease_until as lease_until'])
      .where('s.schedule', 'is', null)
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('s.lease_until', 'is', null), eb('s.lease_until', '<', now)]))
      .orderBy('d.next_attempt_at')
      .limit(1)
      .executeTakeFirst();
    return due === undefined ? undefined : this.#lease(due, worker, now, leaseMs);
  }

  /**
   * Leases a scheduled subscription whose time has come (`next_run_at` at or before `now`).
   * Undefined when none is due.
   */
  async claimDueSchedule(
    worker: string,
    now: number,
    leaseMs: number,
  ): Promise<EpcisSubscriptionRow | undefined> {
    const due = await this.db
      .selectFrom('epcis_subscriptions')
      .select(['tenant_id', 'id', 'lease_until'])
      .where('next_run_at', '<=', now)
      .where('schedule', 'is not', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_run_at')
      .limit(1)
      .executeTakeFirst();
    return due === undefined ? undefined : this.#lease(due, worker, now, leaseMs);
  }

  /**
   * Takes the lease of a subscription found due, if no other worker took it since it was read
   * (compare-and-set on `lease_until`); the leased row, or undefined when another worker won.
   */
  async #lease(
    due: { tenant_id: string; id: string; lease_until: number | null },
    worker: string,
    now: number,
    leaseMs: number,
  ): Promise<EpcisSubscriptionRow | undefined> {
    const r = await this.db
      .updateTable('epcis_subscriptions')
      .set({ claimed_by: worker, lease_until: now + leaseMs })
      .where('tenant_id', '=', due.tenant_id)
      .where('id', '=', due.id)
      .where((eb) =>
        due.lease_until === null ? eb('lease_until', 'is', null) : eb('lease_until', '=', due.lease_until),
      )
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    return this.db
      .selectFrom('epcis_subscriptions')
      .selectAll()
      .where('tenant_id', '=', due.tenant_id)
      .where('id', '=', due.id)
      .executeTakeFirst();
  }

  /** Gives a leased subscription back; a scheduled one with the time of its next run. */
  async releaseSubscription(
    tenantId: string,
    id: string,
    worker: string,
    notifiedAt?: number,
    nextRunAt?: number,
  ): Promise<void> {
    await this.db
      .updateTable('epcis_subscriptions')
      .set({
        claimed_by: null,
        lease_until: null,
        ...(notifiedAt !== undefined ? { last_notified_at: notifiedAt } : {}),
        ...(nextRunAt !== undefined ? { next_run_at: nextRunAt } : {}),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('claimed_by', '=', worker)
      .execute();
  }

  /** The next deliveries due for a subscription, oldest events first. */
  async dueDeliveries(
    tenantId: string,
    subscriptionId: string,
    now: number,
    limit: number,
  ): Promise<Array<{ event_pk: string; attempts: number }>> {
    return this.db
      .selectFrom('epcis_deliveries')
      .select(['event_pk', 'attempts'])
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .where('next_attempt_at', '<=', now)
      .orderBy('event_pk')
      .limit(limit)
      .execute();
  }

  /** Removes delivered events from the outbox. */
  async deleteDeliveries(
    tenantId: string,
    subscriptionId: string,
    eventPks: readonly string[],
  ): Promise<void> {
    for (let i = 0; i < eventPks.length; i += IN_CHUNK) {
      await this.db
        .deleteFrom('epcis_deliveries')
        .where('tenant_id', '=', tenantId)
        .where('subscription_id', '=', subscriptionId)
        .where('event_pk', 'in', eventPks.slice(i, i + IN_CHUNK))
        .execute();
    }
  }

  /** Records a failed attempt: tried again at `nextAttemptAt`. */
  async deferDeliveries(
    tenantId: string,
    subscriptionId: string,
    eventPks: readonly string[],
    nextAttemptAt: number,
    error: string,
  ): Promise<void> {
    for (let i = 0; i < eventPks.length; i += IN_CHUNK) {
      await this.db
        .updateTable('epcis_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          next_attempt_at: nextAttemptAt,
          last_error: error.slice(0, 500),
        }))
        .where('tenant_id', '=', tenantId)
        .where('subscription_id', '=', subscriptionId)
        .where('event_pk', 'in', eventPks.slice(i, i + IN_CHUNK))
        .execute();
    }
  }

  // Event shares (adr/0007).

  /** Stores a share. */
  async insertShare(row: Insertable<EventSharesTable>): Promise<void> {
    await this.db.insertInto('event_shares').values(row).execute();
  }

  /** A share its owner gave. */
  async findShare(tenantId: string, id: string): Promise<EventShareRow | undefined> {
    return this.db
      .selectFrom('event_shares')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The shares an enterprise gave, newest first (revoked ones too). */
  async listSharesGiven(tenantId: string, limit: number): Promise<EventShareRow[]> {
    return this.db
      .selectFrom('event_shares')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The shares in force for a grantee (an enterprise id, or a regulator's jurisdiction), newest first. */
  async listSharesReceived(
    granteeType: 'enterprise' | 'regulator',
    granteeId: string,
    limit: number,
  ): Promise<EventShareRow[]> {
    return this.db
      .selectFrom('event_shares')
      .selectAll()
      .where('grantee_type', '=', granteeType)
      .where('grantee_id', '=', granteeId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Revokes a share in force; false when there is none by that id. */
  async revokeShare(tenantId: string, id: string, by: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('event_shares')
      .set({ revoked_by: by, revoked_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** How many deliveries a subscription still has to make. */
  async pendingCount(tenantId: string, subscriptionId: string): Promise<number> {
    const r = await this.db
      .selectFrom('epcis_deliveries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

const jobColumns = [
  'tenant_id',
  'id',
  'status',
  'error_behaviour',
  'event_count',
  'captured',
  'duplicates',
  'errors',
  'claimed_by',
  'heartbeat_at',
  'created_by',
  'created_at',
  'finished_at',
] as const;

/** The WHERE expression of a filter over `epcis_events` (unqualified columns). */
function filterExpression(
  eb: ExpressionBuilder<Database, 'epcis_events'>,
  tenantId: string | readonly string[],
  f: EventFilter,
): Expression<SqlBool> {
  const all: Array<Expression<SqlBool>> = [];
  const list = (
    column:
      | 'type'
      | 'action'
      | 'biz_step'
      | 'disposition'
      | 'read_point'
      | 'biz_location'
      | 'event_id'
      | 'error_reason',
    values?: readonly string[],
  ) => {
    if (values !== undefined) all.push(values.length === 0 ? sql<SqlBool>`1 = 0` : eb(column, 'in', values));
  };
  const range = (column: 'event_time' | 'record_time' | 'error_declared_at', r?: TimeRange) => {
    if (r?.ge !== undefined) all.push(eb(column, '>=', r.ge));
    if (r?.lt !== undefined) all.push(eb(column, '<', r.lt));
  };
  list('type', f.eventTypes);
  list('action', f.actions);
  list('biz_step', f.bizSteps);
  list('disposition', f.dispositions);
  list('read_point', f.readPoints);
  list('biz_location', f.bizLocations);
  list('event_id', f.eventIds);
  list('error_reason', f.errorReasons);
  range('event_time', f.eventTime);
  range('record_time', f.recordTime);
  range('error_declared_at', f.errorDeclarationTime);
  if (f.errorDeclared === true) all.push(eb('error_declared_at', 'is not', null));
  if (f.captureId !== undefined) all.push(eb('capture_id', '=', f.captureId));
  for (const m of f.matches ?? []) {
    // An index walk on event_epcs (tenant_id, epc, role, event_pk) per matcher.
    all.push(
      eb(
        'id',
        'in',
        eb
          .selectFrom('event_epcs')
          .select('event_pk')
          .where((inner) =>
            typeof tenantId === 'string'
              ? inner('tenant_id', '=', tenantId)
              : tenantId.length === 0
                ? sql<SqlBool>`1 = 0`
                : inner('tenant_id', 'in', tenantId),
          )
          .where('role', 'in', m.roles)
          .where((inner) =>
            inner.or([
              ...(m.exact.length > 0 ? [inner('epc', 'in', m.exact)] : []),
              ...m.prefixes.map((p) => sql<SqlBool>`${sql.ref('epc')} like ${likePrefix(p)} escape '\\'`),
              ...(m.exact.length === 0 && m.prefixes.length === 0 ? [sql<SqlBool>`1 = 0`] : []),
            ]),
          ),
      ),
    );
  }
  return eb.and(all);
}

/** The tenants whose events a scope reads (one for a plain tenant id). */
function scopeTenants(scope: string | EventScope): string | string[] {
  if (typeof scope === 'string') return scope;
  return [...new Set([...(scope.own === null ? [] : [scope.own]), ...scope.shared.map((s) => s.tenantId)])];
}

/** The WHERE expression of a scope: the own tenant's events, or one of the shared slices. */
function scopeExpression(
  eb: ExpressionBuilder<Database, 'epcis_events'>,
  scope: string | EventScope,
): Expression<SqlBool> {
  if (typeof scope === 'string') return eb('tenant_id', '=', scope);
  const any: Array<Expression<SqlBool>> = [];
  if (scope.own !== null) any.push(eb('tenant_id', '=', scope.own));
  for (const slice of scope.shared) {
    const all: Array<Expression<SqlBool>> = [eb('tenant_id', '=', slice.tenantId)];
    if (slice.bizSteps !== undefined) {
      all.push(slice.bizSteps.length === 0 ? sql<SqlBool>`1 = 0` : eb('biz_step', 'in', slice.bizSteps));
    }
    if (slice.eventTime?.ge !== undefined) all.push(eb('event_time', '>=', slice.eventTime.ge));
    if (slice.eventTime?.lt !== undefined) all.push(eb('event_time', '<', slice.eventTime.lt));
    any.push(eb.and(all));
  }
  return any.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(any);
}

function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
