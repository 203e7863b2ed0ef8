import { createHmac } from 'node:crypto';
import { PollingRunner } from '../../lib/polling-runner.js';
import type { FastifyBaseLogger } from 'fastify';
import { repositories, type Db, type EpcisSubscriptionRow } from '@tracemark/db';
import { CBV_VERSION, EPCIS_VERSION, presentEvent, queryDocument } from './presenter.js';

/**
 * The GS1-Signature of a delivery: `sha256=` and the lower-case hex HMAC-SHA256 of the exact
 * body bytes under the subscription's secret (its signatureToken). A receiver recomputes it
 * over the raw body and compares in constant time.
 */
export function deliverySignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What the runner needs from the process. */
export interface SubscriptionRunnerDeps {
  readonly db: Db;
  readonly log: FastifyBaseLogger;
}

/** Tuning, mostly for tests. */
export interface SubscriptionRunnerOptions {
  readonly pollMs?: number;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
  /** Events per POST. */
  readonly batchSize?: number;
}

/**
 * Delivers subscription outboxes to their webhooks. The outbox (`epcis_deliveries`) is filled in
 * the capture's transaction, so nothing acknowledged is missed across restarts; a subscription
 * is leased to one process at a time; a failed POST (no 2xx, timeout, refused) is retried with
 * exponential backoff, the events staying queued until a 2xx or the subscription's end.
 */
export class SubscriptionRunner extends PollingRunner {
  constructor(
    private readonly deps: SubscriptionRunnerDeps,
    private readonly options: SubscriptionRunnerOptions = {},
  ) {
    super(deps.log, 'subscription', options.pollMs ?? 1000);
  }

  /** Leases one subscription with due deliveries and sends them; false when none was due. */
  async runOnce(): Promise<boolean> {
    const repos = repositories(this.deps.db.kysely);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const sub = await repos.events.claimDueSubscription(this.worker, Date.now(), timeoutMs * 3 + 5_000);
    if (sub === undefined) return false;
    let notifiedAt: number | undefined;
    try {
      for (;;) {
        const due = await repos.events.dueDeliveries(
          sub.tenant_id,
          sub.id,
          Date.now(),
          this.options.batchSize ?? 100,
        );
        if (due.length === 0) break;
        const pks = due.map((d) => d.event_pk);
        const ok = await this.post(sub, pks, timeoutMs);
        if (ok === true) {
          await repos.events.deleteDeliveries(sub.tenant_id, sub.id, pks);
          notifiedAt = Date.now();
          continue;
        }
        const attempts = Math.max(...due.map((d) => d.attempts)) + 1;
        const delay = Math.min(
          (this.options.baseDelayMs ?? 1000) * 2 ** (attempts - 1),
          this.options.maxDelayMs ?? 3_600_000,
        );
        await repos.events.deferDeliveries(sub.tenant_id, sub.id, pks, Date.now() + delay, ok);
        this.deps.log.warn(
          { subscriptionId: sub.id, attempts, retryInMs: delay, error: ok },
          'subscription delivery failed',
        );
        break;
      }
    } finally {
      await repos.events.releaseSubscription(sub.tenant_id, sub.id, this.worker, notifiedAt);
    }
    return true;
  }

  /** POSTs one batch; true on a 2xx, else what went wrong. */
  private async post(
    sub: EpcisSubscriptionRow,
    eventPks: readonly string[],
    timeoutMs: number,
  ): Promise<true | string> {
    const rows = await repositories(this.deps.db.kysely).events.findByPks(sub.tenant_id, eventPks);
    const body = JSON.stringify(
      queryDocument(rows.map(presentEvent), { queryName: sub.query_name, subscriptionID: sub.id }),
    );
    try {
      const res = await fetch(sub.dest, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'GS1-Signature': deliverySignature(sub.secret, body),
          'GS1-EPCIS-Version': EPCIS_VERSION,
          'GS1-CBV-Version': CBV_VERSION,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? true : `HTTP ${res.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
