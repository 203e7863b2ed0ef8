import type { FastifyBaseLogger } from 'fastify';
import { newId } from '@tracemark/db';

/**
 * The loop of a background runner: poll every `pollMs`, or at once after `wake()`; each round
 * calls `runOnce()` until it reports nothing left; one round at a time per process; `stop()`
 * ends the loop, aborts `signal` (so long work can put its job back) and waits for the round in
 * progress. Subclasses only say what one unit of work is. The timer never keeps the process alive.
 */
export abstract class PollingRunner {
  /** This process's name in claim columns (`claimed_by`), unique per runner instance. */
  protected readonly worker: string;
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #started = false;

  constructor(
    protected readonly log: FastifyBaseLogger,
    private readonly name: string,
    private readonly pollMs: number,
  ) {
    this.worker = `${name}-${process.pid}-${newId().slice(-8)}`;
  }

  /** Aborted by `stop()`: work in progress should stop and leave its job claimable. */
  protected get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Claims and does one unit of work; false when there was nothing to do. */
  abstract runOnce(): Promise<boolean>;

  /** Starts polling (work left by a previous run first). */
  start(): void {
    this.#started = true;
    this.#schedule(0);
  }

  /** Looks for work now rather than at the next poll. */
  wake(): void {
    if (this.#started && this.#running === undefined) this.#schedule(0);
  }

  /** Stops polling, interrupts the work in progress and waits for it. */
  async stop(): Promise<void> {
    this.#controller.abort(new Error('shutting down'));
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Runs units of work until none is left (or the runner stops). */
  async drain(): Promise<void> {
    while (!this.signal.aborted && (await this.runOnce())) {
      // keep going
    }
  }

  #schedule(delayMs: number): void {
    if (this.signal.aborted) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.drain()
        .catch((error: unknown) => this.log.error({ err: error }, `${this.name} runner failed`))
        .finally(() => {
          this.#running = undefined;
          this.#schedule(this.pollMs);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
