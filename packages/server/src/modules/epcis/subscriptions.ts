import { createHmac } from 'node:crypto';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { PollingRunner } from '../../lib/polling-runner.js';
import type { FastifyBaseLogger } from 'fastify';
import { repositories, type Db, type EpcisSubscriptionRow } from '@tracemark/db';
import type { Config } from '../../config.js';
import { CBV_VERSION, EPCIS_VERSION, presentEvent, queryDocument } from './presenter.js';
import { nextRun, parseSchedule } from './schedule.js';
import { guardedLookup, isForbiddenAddress } from './webhook-target.js';

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
  /** Whether webhooks may reach internal addresses (EPCIS_WEBHOOK_ALLOW_PRIVATE); false when not given. */
  readonly config?: Pick<Config, 'epcisWebhookAllowPrivate'>;
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
  /** The clock schedules run by (tests move it). */
  readonly now?: () => number;
}

/**
 * Delivers subscription outboxes to their webhooks. The outbox (`epcis_deliveries`) is filled in
 * the capture's transaction, so nothing acknowledged is missed across restarts; a subscription
 * is leased to one process at a time; a failed POST (no 2xx, timeout, refused) is retried with
 * exponential backoff, the events staying queued until a 2xx or the subscription's end.
 *
 * A streaming subscription is sent its events as they come; a scheduled one when its
 * `next_run_at` comes: everything queued since its last run (an empty document too when it
 * asked for `reportIfEmpty`), then the next time of its schedule. A webhook whose host resolves
 * to an internal address is refused at each delivery, on the address connected to, unless
 * EPCIS_WEBHOOK_ALLOW_PRIVATE.
 */
export class SubscriptionRunner extends PollingRunner {
  constructor(
    private readonly deps: SubscriptionRunnerDeps,
    private readonly options: SubscriptionRunnerOptions = {},
  ) {
    super(deps.log, 'subscription', options.pollMs ?? 1000);
  }

  /**
   * Leases one streaming subscription with due deliveries, or one scheduled subscription whose
   * time has come, and delivers; false when nothing was due.
   */
  async runOnce(): Promise<boolean> {
    const repos = repositories(this.deps.db.kysely);
    const leaseMs = (this.options.timeoutMs ?? 10_000) * 3 + 5_000;
    const stream = await repos.events.claimDueSubscription(this.worker, this.now(), leaseMs);
    if (stream !== undefined) {
      let notifiedAt: number | undefined;
      try {
        notifiedAt = (await this.deliverQueued(stream)).notifiedAt;
      } finally {
        await repos.events.releaseSubscription(stream.tenant_id, stream.id, this.worker, notifiedAt);
      }
      return true;
    }
    const scheduled = await repos.events.claimDueSchedule(this.worker, this.now(), leaseMs);
    if (scheduled === undefined) return false;
    let notifiedAt: number | undefined;
    let retryAt: number | undefined;
    try {
      const outcome = await this.deliverQueued(scheduled);
      notifiedAt = outcome.notifiedAt;
      retryAt = outcome.retryAt;
      if (outcome.retryAt === undefined && outcome.sent === 0 && scheduled.report_if_empty === 1) {
        const ok = await this.post(scheduled, []);
        if (ok === true) notifiedAt = this.now();
        else {
          retryAt = this.now() + this.delay(1);
          this.deps.log.warn({ subscriptionId: scheduled.id, error: ok }, 'subscription delivery failed');
        }
      }
    } finally {
      const now = this.now();
      const next = nextRun(parseSchedule(JSON.parse(scheduled.schedule ?? '{}')), now) ?? now + 86_400_000;
      await repos.events.releaseSubscription(
        scheduled.tenant_id,
        scheduled.id,
        this.worker,
        notifiedAt,
        retryAt === undefined ? next : Math.min(next, retryAt),
      );
    }
    return true;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The wait before attempt `attempts + 1`: doubling from the base delay, capped. */
  private delay(attempts: number): number {
    return Math.min(
      (this.options.baseDelayMs ?? 1000) * 2 ** (attempts - 1),
      this.options.maxDelayMs ?? 3_600_000,
    );
  }

  /**
   * Sends a subscription's due outbox in batches until it is empty or a POST fails (then the
   * batch waits with backoff). Says how many events went out, when, and when to retry.
   */
  private async deliverQueued(
    sub: EpcisSubscriptionRow,
  ): Promise<{ sent: number; notifiedAt?: number; retryAt?: number }> {
    const repos = repositories(this.deps.db.kysely);
    let sent = 0;
    let notifiedAt: number | undefined;
    for (;;) {
      const due = await repos.events.dueDeliveries(
        sub.tenant_id,
        sub.id,
        this.now(),
        this.options.batchSize ?? 100,
      );
      if (due.length === 0) break;
      const pks = due.map((d) => d.event_pk);
      const ok = await this.post(sub, pks);
      if (ok === true) {
        await repos.events.deleteDeliveries(sub.tenant_id, sub.id, pks);
        sent += pks.length;
        notifiedAt = this.now();
        continue;
      }
      const attempts = Math.max(...due.map((d) => d.attempts)) + 1;
      const delay = this.delay(attempts);
      const retryAt = this.now() + delay;
      await repos.events.deferDeliveries(sub.tenant_id, sub.id, pks, retryAt, ok);
      this.deps.log.warn(
        { subscriptionId: sub.id, attempts, retryInMs: delay, error: ok },
        'subscription delivery failed',
      );
      return { sent, retryAt, ...(notifiedAt !== undefined ? { notifiedAt } : {}) };
    }
    return { sent, ...(notifiedAt !== undefined ? { notifiedAt } : {}) };
  }

  /** POSTs one batch (possibly empty); true on a 2xx, else what went wrong. */
  private async post(sub: EpcisSubscriptionRow, eventPks: readonly string[]): Promise<true | string> {
    const rows = await repositories(this.deps.db.kysely).events.findByPks(sub.tenant_id, eventPks);
    const body = JSON.stringify(
      queryDocument(rows.map(presentEvent), { queryName: sub.query_name, subscriptionID: sub.id }),
    );
    return postWebhook(sub.dest, body, {
      'GS1-Signature': deliverySignature(sub.secret, body),
      timeoutMs: this.options.timeoutMs ?? 10_000,
      allowPrivate: this.deps.config?.epcisWebhookAllowPrivate === true,
    });
  }
}

/**
 * POSTs a JSON body to a webhook; true on a 2xx, else what went wrong. Redirects are not
 * followed (a 3xx is a failure). Unless `allowPrivate`, an IP-literal host in a forbidden range
 * is refused before connecting and a host name is resolved through {@link guardedLookup}, so the
 * address checked is the address connected to.
 */
export function postWebhook(
  dest: string,
  body: string,
  options: { 'GS1-Signature': string; timeoutMs: number; allowPrivate: boolean },
): Promise<true | string> {
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    return Promise.resolve('dest is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.resolve('dest is not http(s)');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
    return Promise.resolve(`webhook refused: ${host} is a private, local or reserved address`);
  }
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body, 'utf8')),
      'GS1-Signature': options['GS1-Signature'],
      'GS1-EPCIS-Version': EPCIS_VERSION,
      'GS1-CBV-Version': CBV_VERSION,
    },
    signal: AbortSignal.timeout(options.timeoutMs),
    ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
  };
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, requestOptions, (res) => {
      const status = res.statusCode ?? 0;
      res.on('error', (error) => resolve(error.message));
      res.on('end', () => resolve(status >= 200 && status < 300 ? true : `HTTP ${status}`));
      res.resume();
    });
    req.on('error', (error) => resolve(error.message));
    req.end(body);
  });
}
