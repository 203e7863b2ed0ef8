import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import { regionDistances, type QueryState, type RegionCentroids } from '@tracemark/core';
import { acquireWriteLock, beforeClose } from './database.js';
import { writeLockWanted } from './dialect/sqlite.js';
import { peekedState, SQLITE_PEEK_SQL, type PeekRow } from './scan-peek.js';
import type { ScanOutcome, ScanQuery, ScanStore } from './scan-store.js';
import { asError, SqliteScanStatements } from './sqlite-scan-statements.js';
import { decodeResults, encodeBatch, STOP_MESSAGE } from './sqlite-scan-wire.js';

/**
 * Reads a code's state on `db` without recording a query (see {@link ScanStore.peek}): on the
 * event loop's connection for both stores, as a reader (WAL), so it waits for no batch.
 */
class SqlitePeek {
  readonly #db: SQLite.Database;
  #statement: SQLite.Statement<[{ tenant: string; space: string; serial: number }], PeekRow> | undefined;

  constructor(db: SQLite.Database) {
    this.#db = db;
  }

  /** The read runs now; a failure is the promise's rejection. */
  state(tenantId: string, spaceId: string, serial: number): Promise<QueryState> {
    try {
      this.#statement ??= this.#db.prepare(SQLITE_PEEK_SQL);
      return Promise.resolve(peekedState(this.#statement.get({ tenant: tenantId, space: spaceId, serial })));
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }
}

/**
 * SQLite, on the event loop's connection (an in-memory database, which no other connection can
 * open): the batch runs synchronously under the write lock, so nothing interleaves with it.
 */
export class SqliteScanStore implements ScanStore {
  readonly batchesInFlight = 1;
  readonly eagerBatchSize = Number.POSITIVE_INFINITY;
  readonly #db: SQLite.Database;
  readonly #statements: SqliteScanStatements;
  readonly #distanceKm: (a: string, b: string) => number | undefined;
  readonly #peek: SqlitePeek;

  constructor(db: SQLite.Database, centroids: RegionCentroids) {
    this.#db = db;
    this.#statements = new SqliteScanStatements(db);
    this.#distanceKm = regionDistances(centroids);
    this.#peek = new SqlitePeek(db);
  }

  peek(tenantId: string, spaceId: string, serial: number): Promise<QueryState> {
    return this.#peek.state(tenantId, spaceId, serial);
  }

  async record(queries: readonly ScanQuery[]): Promise<ScanOutcome[]> {
    const release = await acquireWriteLock(this.#db);
    try {
      return this.#statements.record(queries, this.#distanceKm);
    } finally {
      release();
    }
  }
}

/** What the scan writer's thread is started with. */
export interface ScanThreadSetup {
  readonly file: string;
  readonly synchronous: 'normal' | 'full';
  readonly centroids: RegionCentroids;
}

/** The thread's entry, beside this module: JavaScript once built, TypeScript in the sources. */
const fromSources = import.meta.url.endsWith('.ts');
const threadUrl = new URL(`./sqlite-scan-thread${fromSources ? '.ts' : '.js'}`, import.meta.url);

/**
 * Starts the thread. Run from the sources (tests, benches: under tsx), the thread registers tsx
 * first: on Node 20 a worker does not inherit the loader hooks that `--import tsx` installed.
 */
function startThread(setup: ScanThreadSetup): Worker {
  if (!fromSources) return new Worker(threadUrl, { workerData: setup });
  const entry = JSON.stringify(threadUrl.href);
  return new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); });`,
    { eval: true, workerData: setup },
  );
}

interface Pending {
  readonly resolve: (outcomes: ScanOutcome[]) => void;
  readonly reject: (error: Error) => void;
}

/**
 * SQLite, from a thread of its own (a database file). A batch's statements cost about 30 µs a
 * query, most of the scan path's time when they ran on the event loop; here the thread reads,
 * decides (the queries carry their rules; the thread has the region centroids) and commits each
 * batch it is sent, in order, and replies with the outcomes, while the event loop goes on reading
 * and answering requests. The event loop holds the database's write lock while the thread has
 * batches, and lends none of its time to them, so Kysely's writes on the shared handle wait for
 * the lock instead of meeting SQLite's; the thread lets the lock go between batches when someone
 * waits for it or the checkpointer asks for a drain. Answers go out after the commit, as before;
 * if the thread dies mid-batch, SQLite drops the open transaction and the callers get the error.
 */
export class ThreadedSqliteScanStore implements ScanStore {
  /**
   * Small batches, sent as soon as they fill, queue at the thread: it writes one while the event
   * loop reads the requests of the next and answers those of the last (measured on bench/scan:
   * batches of a turn's ~45 queries, two at a time, 11.6 k answers/s with the event loop idle a
   * third of the time; batches of 16, up to 16 at a time, 15.7 k; batches of 4 paid in commits).
   */
  readonly batchesInFlight = 16;
  readonly eagerBatchSize = 16;
  readonly #handle: SQLite.Database;
  readonly #setup: ScanThreadSetup;
  #worker: Worker | undefined;
  /** Replies due from the thread, oldest first. */
  #pending: Pending[] = [];
  /** The write lock's release while the thread has batches. */
  #lock: (() => void) | undefined;
  #stopped = false;
  readonly #peek: SqlitePeek;

  constructor(handle: SQLite.Database, centroids: RegionCentroids) {
    this.#handle = handle;
    this.#peek = new SqlitePeek(handle);
    const synchronous = handle.pragma('synchronous', { simple: true }) === 2 ? 'full' : 'normal';
    this.#setup = { file: handle.name, synchronous, centroids };
    beforeClose(handle, () => this.#stop());
  }

  async record(queries: readonly ScanQuery[]): Promise<ScanOutcome[]> {
    if (queries.length === 0) return [];
    // Join the batches the thread has, unless someone else waits for the lock: then queue for it.
    if (this.#lock === undefined || writeLockWanted(this.#handle)) {
      const release = await acquireWriteLock(this.#handle);
      if (this.#lock === undefined) this.#lock = release;
      else release();
    }
    try {
      if (this.#stopped) throw new Error('the database is closed');
      const worker = this.#start();
      return await new Promise<ScanOutcome[]>((resolve, reject) => {
        this.#pending.push({ resolve, reject });
        worker.ref();
        worker.postMessage(encodeBatch(queries));
      });
    } finally {
      if (this.#pending.length === 0) this.#unlock();
    }
  }

  peek(tenantId: string, spaceId: string, serial: number): Promise<QueryState> {
    return this.#peek.state(tenantId, spaceId, serial);
  }

  #unlock(): void {
    const release = this.#lock;
    this.#lock = undefined;
    release?.();
  }

  /** The thread, started on first use (a server that never scans never starts it). */
  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = startThread(this.#setup);
    this.#worker = worker;
    worker.on('message', (message: string) => {
      // One reply for the batches the thread recorded together, in the order they were sent.
      for (const result of decodeResults(message)) {
        const pending = this.#pending.shift();
        if (pending === undefined) break;
        if ('outcomes' in result) pending.resolve(result.outcomes);
        else pending.reject(new Error(result.failed));
      }
      // Referenced only while replies are due, so it keeps no process alive by itself.
      if (this.#pending.length === 0) worker.unref();
    });
    const gone = (error: Error): void => {
      // The thread is gone, and with its connection any open transaction: start anew next time.
      if (this.#worker === worker) this.#worker = undefined;
      for (const pending of this.#pending.splice(0)) pending.reject(error);
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the scan writer thread exited (${code})`)));
    return worker;
  }

  /** After the batches sent, closes the thread's connection and ends it. */
  async #stop(): Promise<void> {
    const release = await acquireWriteLock(this.#handle);
    try {
      this.#stopped = true;
      const worker = this.#worker;
      if (worker === undefined) return;
      this.#worker = undefined;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      worker.postMessage(STOP_MESSAGE);
      const timer = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timer);
    } finally {
      release();
    }
  }
}
