import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * A subscription of an enterprise seen as a webhook: its named query, destination and how its
 * outbox (`epcis_deliveries`) stands. Never the signing secret.
 */
export interface WebhookStatusRow {
  readonly id: string;
  readonly query_name: string;
  /** JSON of the named query's parameters. */
  readonly query: string;
  readonly dest: string;
  readonly created_at: number;
  readonly last_notified_at: number | null;
  /** Events still queued for this webhook. */
  readonly pending: number;
  /** Of those, how many have failed at least once. */
  readonly failing: number;
  /** The most attempts any queued event has had. */
  readonly attempts: number;
  /** What went wrong last (HTTP status or network error), while events are queued. */
  readonly last_error: string | null;
  /** When the next attempt is due, while events are queued. */
  readonly next_attempt_at: number | null;
}

/**
 * Read-only view of EPCIS subscriptions as the console's webhook screen shows them. Writing
 * subscriptions and delivering belongs to the EPCIS module ({@link EventRepository}).
 */
export class WebhookRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every subscription of an enterprise with its delivery state, newest first. */
  async list(tenantId: string, limit = 1000): Promise<WebhookStatusRow[]> {
    const outbox = this.db
      .selectFrom('epcis_deliveries')
      .select((eb) => [
        'subscription_id',
        eb.fn.countAll<number | string>().as('pending'),
        eb.fn
          .sum<number | string | null>(eb.case().when('attempts', '>', 0).then(1).else(0).end())
          .as('failing'),
        eb.fn.max('attempts').as('attempts'),
        eb.fn.max('last_error').as('last_error'),
        eb.fn.min('next_attempt_at').as('next_attempt_at'),
      ])
      .where('tenant_id', '=', tenantId)
      .groupBy('subscription_id')
      .as('o');
    const rows = await this.db
      .selectFrom('epcis_subscriptions as s')
      .innerJoin('epcis_queries as q', (j) =>
        j.onRef('q.tenant_id', '=', 's.tenant_id').onRef('q.name', '=', 's.query_name'),
      )
      .leftJoin(outbox, 'o.subscription_id', 's.id')
      .select([
        's.id as id',
        's.query_name as query_name',
        'q.query as query',
        's.dest as dest',
        's.created_at as created_at',
        's.last_notified_at as last_notified_at',
        'o.pending as pending',
        'o.failing as failing',
        'o.attempts as attempts',
        'o.last_error as last_error',
        'o.next_attempt_at as next_attempt_at',
      ])
      .where('s.tenant_id', '=', tenantId)
      .orderBy('s.created_at', 'desc')
      .orderBy('s.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      query_name: r.query_name,
      query: r.query,
      dest: r.dest,
      created_at: r.created_at,
      last_notified_at: r.last_notified_at,
      pending: Number(r.pending ?? 0),
      failing: Number(r.failing ?? 0),
      attempts: r.attempts ?? 0,
      last_error: r.last_error ?? null,
      next_attempt_at: r.next_attempt_at,
    }));
  }
}
