import type { ScanOutcome, ScanQuery, ScanStore } from '@tracemark/db';

interface Pending {
  readonly query: ScanQuery;
  readonly resolve: (outcome: ScanOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/** Most queries written by one transaction. */
const MAX_BATCH = 512;

/**
 * Group commit: queries that arrive while the previous batch is being written (or within the
 * same turn of the event loop, or until the store's `eagerBatchSize` are waiting) are written
 * together in one transaction, and each caller is answered when that transaction has committed. Under load a commit carries hundreds of
 * queries; alone, a query waits only for its own commit. On failure every caller of the batch
 * gets the error — nothing is acknowledged that was not committed.
 */
export class GroupCommit {
  readonly #store: ScanStore;
  readonly #maxInFlight: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: Array<() => void> = [];

  /** Keeps up to the store's `batchesInFlight` batches under way at once. */
  constructor(store: ScanStore) {
    this.#store = store;
    this.#maxInFlight = store.batchesInFlight;
  }

  /** Queues a query; resolves with its outcome once committed. */
  submit(query: ScanQuery): Promise<ScanOutcome> {
    return new Promise<ScanOutcome>((resolve, reject) => {
      this.#queue.push({ query, resolve, reject });
      if (this.#queue.length >= this.#store.eagerBatchSize) this.#flush();
      else this.#schedule();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    // After the current I/O callbacks, so every request that arrived with this one joins it.
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    if (this.#queue.length === 0 || this.#inFlight >= this.#maxInFlight) return;
    const batch = this.#queue.length <= MAX_BATCH ? this.#queue : this.#queue.slice(0, MAX_BATCH);
    this.#queue = this.#queue.length <= MAX_BATCH ? [] : this.#queue.slice(MAX_BATCH);
    this.#inFlight += 1;
    this.#store
      .record(batch.map((p) => p.query))
      .then(
        (outcomes) => {
          for (const [i, p] of batch.entries()) {
            const o = outcomes[i];
            if (o === undefined) p.reject(new Error('the store returned fewer outcomes than queries'));
            else p.resolve(o);
          }
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        this.#inFlight -= 1;
        if (this.#queue.length > 0) this.#schedule();
        else if (this.#inFlight === 0) for (const resolve of this.#idle.splice(0)) resolve();
      });
  }
}
