import type { FastifyBaseLogger } from 'fastify';
import { PollingRunner } from '../../lib/polling-runner.js';
import { repositories, type Db } from '@tracemark/db';
import type { JsonObject } from '@tracemark/core';
import type { Config } from '../../config.js';
import { eventsOf, prepareEvents, type CaptureProblem, type PreparedEvent } from './capture.js';
import { identifierOptions, storeWithRetry } from './service.js';

/** What the runner needs from the process. */
export interface CaptureRunnerDeps {
  readonly db: Db;
  readonly config: Config;
  readonly log: FastifyBaseLogger;
  /** Called after a capture stored events (to wake the subscription runner). */
  readonly onCaptured?: () => void;
}

/**
 * Runs accepted capture jobs in the background, one at a time per process. A job's document is
 * stored before the client is acknowledged, so a job interrupted by a stop or a crash is run
 * again: on shutdown it is put back in the queue; a job whose process died (no heartbeat for
 * `staleAfterMs`) is claimed again by any process. Storing is one transaction, so a job never
 * half-applies, and repeated events are recognised, so running a job twice stores nothing twice.
 */
export class CaptureRunner extends PollingRunner {
  constructor(
    private readonly deps: CaptureRunnerDeps,
    private readonly options: { pollMs?: number; staleAfterMs?: number } = {},
  ) {
    super(deps.log, 'capture', options.pollMs ?? 1000);
  }

  /** Claims and runs one job; false when there was nothing to do. */
  async runOnce(): Promise<boolean> {
    const repos = repositories(this.deps.db.kysely);
    const now = Date.now();
    const job = await repos.events.claimJob(this.worker, now, now - (this.options.staleAfterMs ?? 60_000));
    if (job === undefined) return false;
    const log = this.deps.log.child({ captureId: job.id });
    const started = Date.now();
    try {
      // Jobs accepted by this version carry their prepared events; older ones their document.
      const { prepared, problems } =
        job.prepared !== null
          ? (JSON.parse(job.prepared) as { prepared: PreparedEvent[]; problems: CaptureProblem[] })
          : (() => {
              const { events, context } = eventsOf(JSON.parse(job.document) as JsonObject);
              return prepareEvents(events, context, identifierOptions(this.deps));
            })();
      let errors: CaptureProblem[] = problems;
      let captured = 0;
      let duplicates = 0;
      if (problems.length === 0 || job.error_behaviour === 'proceed') {
        const outcome = await storeWithRetry(this.deps, job.tenant_id, job.id, prepared);
        captured = outcome.captured;
        duplicates = outcome.duplicates;
      } else {
        errors = problems;
      }
      const t = Date.now();
      await repos.events.updateJob(job.tenant_id, job.id, this.worker, {
        status: errors.length > 0 && job.error_behaviour === 'rollback' ? 'failed' : 'done',
        captured,
        duplicates,
        errors: JSON.stringify(errors),
        heartbeat_at: t,
        finished_at: t,
        document: '',
        prepared: null,
      });
      log.info({ events: job.event_count, captured, duplicates, ms: t - started }, 'capture finished');
      if (captured > 0) this.deps.onCaptured?.();
    } catch (error) {
      const t = Date.now();
      if (this.signal.aborted) {
        await repos.events.updateJob(job.tenant_id, job.id, this.worker, {
          status: 'queued',
          heartbeat_at: null,
          claimed_by: null,
        });
        log.info('capture interrupted by shutdown; it runs again at the next start');
      } else {
        await repos.events.updateJob(job.tenant_id, job.id, this.worker, {
          status: 'failed',
          errors: JSON.stringify([{ message: error instanceof Error ? error.message : String(error) }]),
          heartbeat_at: t,
          finished_at: t,
        });
        log.error({ err: error }, 'capture failed; nothing of it was stored');
      }
    }
    return true;
  }
}
