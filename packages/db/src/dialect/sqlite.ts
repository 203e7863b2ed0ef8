import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import {
  SelectQueryNode,
  SqliteDialect,
  SqliteDriver,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { FALLBACK_CHECKPOINT_PAGES, onDisk, openSqliteConnection } from './sqlite-connection.js';

/**
 * SQLite through better-sqlite3, on a connection set up by {@link openSqliteConnection} (WAL,
 * `synchronous` NORMAL by default or FULL: docs/durability.md). The handle is opened at once and
 * shared: Kysely runs on it, and so do the prepared statements of hot paths (see `NativeHandle`).
 *
 * Checkpoints (copying the WAL into the database file, with an fsync) run on a second connection
 * in a worker thread ({@link startCheckpointer}), so the event loop never waits for them, and the
 * WAL starts over from its beginning once it has been copied whole; the writer checkpoints itself
 * only if the WAL grows past 64 MiB all the same.
 *
 * Writes through Kysely take the handle's write lock ({@link acquireWriteLock}): a transaction
 * holds it from `begin` to its end, a statement that is not a select for its own run. So does
 * every other writer of the database from this process (the scan writer's thread, for a batch).
 */
export function createSqliteDialect(
  file: string,
  synchronous: 'normal' | 'full' = 'normal',
): { dialect: SqliteDialect; handle: SQLite.Database; checkpointer: Checkpointer | undefined } {
  const handle = openSqliteConnection(file, synchronous);
  return {
    dialect: new LockingSqliteDialect(handle),
    handle,
    checkpointer: onDisk(file) ? startCheckpointer(file, handle) : undefined,
  };
}

/** A background checkpointer; `stop()` runs a last checkpoint and ends the thread. */
export interface Checkpointer {
  /** Resolves once the thread has opened the database (its first checkpoint is then due). */
  readonly ready: Promise<void>;
  /** WAL frames copied while writers were paused, per drain (the latest 64, oldest first). */
  readonly pausedFrames: readonly number[];
  stop(): Promise<void>;
}

/**
 * WAL frames at which the checkpointer asks the writer to pause so the WAL can start over: half
 * the writer's own fallback, so the fallback (a checkpoint with an fsync on the event loop) is not
 * reached under a steady stream of commits.
 */
const DRAIN_FRAMES = FALLBACK_CHECKPOINT_PAGES / 2;
/**
 * Longest wait of the checkpointer for the writer to pause: a writer that does not come to write
 * meanwhile appends nothing, so the drain goes ahead without it.
 */
const DRAIN_WAIT_MS = 250;

/**
 * Frames a catch-up pass may copy and still be the last before the writer is asked to pause: the
 * pause then copies what was appended during that short pass, a few hundred frames at most.
 */
export const DRAIN_TAIL_FRAMES = 256;

/** Drains whose paused frames a {@link Checkpointer} keeps (the latest). */
const KEPT_DRAINS = 64;

/**
 * The checkpointer's pace while commits add to the WAL (250 ms while it stands still). The scan
 * writer can append 40 k frames a second (first queries of random codes: a few random pages
 * each), so at 250 ms the WAL went from the drain's threshold past the writer's own fallback
 * between two looks, and the writer's checkpoint held its commits 30–55 ms (bench/scan's first
 * route: p99 16–25 ms; at 50 ms, 7 ms, at the same throughput).
 */
const BUSY_INTERVAL_MS = 50;

// The drain flag shared by the writer's thread and the checkpointer's (one Int32).
const RUNNING = 0; // writes go on
const ASKED = 1; // the checkpointer asks the writer to pause before its next transaction
const PAUSED = 2; // the writer has paused; the checkpointer copies the rest, then sets RUNNING

// The worker is a few lines of CommonJS so it runs the same from sources (tsx) and from dist.
// A PASSIVE checkpoint copies what the WAL holds when it starts; under a steady stream of commits
// the writer has always appended more by the time it ends, so the WAL is never copied whole, never
// starts over, and grows until the writer's own fallback checkpoint stalls the event loop (~100 ms
// measured under the scan benchmark, every 1-2 s). So past drainFrames the worker catches up (and
// syncs the database file) until little is left, asks the writer to pause (the shared flag: no
// message has to wait for a turn of the busy event loop), copies the few frames left while nothing
// is appended, and lets it go on: the writer's next transaction finds the WAL copied whole and
// starts it over.
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const flag = new Int32Array(workerData.flag);
parentPort.postMessage({ type: 'ready' });
const checkpoint = () => {
  try {
    return db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch {
    return undefined;
  }
};
// A PASSIVE checkpoint that stops short of the WAL's end copies pages into the database file
// without an fsync; the one that reaches the end syncs them all at once. Syncing the file here
// after every pass (the writer goes on meanwhile) keeps that last sync, inside the pause, short.
const fs = require('node:fs');
const dbFd = fs.openSync(workerData.file, 'r');
const flush = () => {
  try {
    fs.fdatasyncSync(dbFd);
  } catch {}
};
// Every intervalMs while the WAL stands still; every busyIntervalMs while commits add to it, so a
// fast writer's WAL is caught while it is still small instead of a quarter-second later.
let lastLog = -1;
let timer;
const tick = () => {
  let r = checkpoint();
  flush();
  const busy = r !== undefined && r.log !== lastLog;
  if (r !== undefined && r.log >= workerData.drainFrames) {
    // Catch up while the writer goes on. Each pass copies what was appended during the one before
    // (and its sync), so the passes shrink; once one copied few frames, the writer is asked to
    // pause for what was appended during that one. (A pass always copies all it finds, so
    // log - checkpointed, which the loop once tested, is 0 after it: there was one pass, and the
    // pause copied the 1,000-3,000 frames appended meanwhile, 15-30 ms on bench/scan.)
    // A pass that did not copy fewer than the one before means the writer outpaces the passes:
    // pause now rather than let the WAL grow to the writer's own fallback.
    let last = Infinity;
    for (let i = 0; i < 16 && r !== undefined; i++) {
      const before = r.checkpointed;
      r = checkpoint();
      flush();
      // Negative when the WAL started over in between: little is in it.
      const copied = r === undefined ? 0 : r.checkpointed - before;
      if (copied <= workerData.tailFrames || copied >= last) break;
      last = copied;
    }
    const backfilled = r === undefined ? 0 : r.checkpointed;
    Atomics.store(flag, 0, ${ASKED});
    Atomics.wait(flag, 0, ${ASKED}, workerData.waitMs);
    r = checkpoint();
    Atomics.store(flag, 0, ${RUNNING});
    Atomics.notify(flag, 0);
    if (r !== undefined) parentPort.postMessage({ type: 'drain', frames: Math.max(0, r.checkpointed - backfilled) });
  }
  lastLog = r === undefined ? -1 : r.log;
  timer = setTimeout(tick, busy ? workerData.busyIntervalMs : workerData.intervalMs);
};
timer = setTimeout(tick, workerData.busyIntervalMs);
parentPort.on('message', () => {
  clearTimeout(timer);
  checkpoint();
  db.close();
  fs.closeSync(dbFd);
  parentPort.close();
});
`;

const flags = new WeakMap<SQLite.Database, Int32Array>();

/**
 * Undefined when the writer may write now; else a promise to wait for first: the checkpointer is
 * draining the WAL (see {@link startCheckpointer}). Asked to pause and outside a transaction, the
 * writer pauses here. Writers wait for this under the write lock (`acquireWriteLock`).
 */
export function writesAllowed(handle: SQLite.Database): Promise<void> | undefined {
  const flag = flags.get(handle);
  if (flag === undefined) return undefined;
  if (!handle.inTransaction && Atomics.compareExchange(flag, 0, ASKED, PAUSED) === ASKED)
    Atomics.notify(flag, 0);
  if (Atomics.load(flag, 0) !== PAUSED) return undefined;
  // A timer, not Atomics.waitAsync: that keeps no event loop alive (a CLI run would just end).
  return new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Checkpoints the WAL of `file` every `intervalMs` (every 50 ms while commits add to it) from a
 * worker thread (PASSIVE: never blocks the writer or readers). When the WAL has grown past
 * {@link DRAIN_FRAMES}, writes on `writer`
 * (the handle the hot paths use, which wait on {@link writesAllowed}) pause while the worker
 * copies what is left, so the WAL can start over; the event loop goes on meanwhile (requests are
 * read, their writes queue). The worker first catches up in passes until one copies at most
 * {@link DRAIN_TAIL_FRAMES}; the pause is then one checkpoint of the frames appended during that
 * last pass, with SQLite's fsyncs of the WAL and the database file (by hand on bench/scan's page
 * route: 3–8 ms, 100–400 frames; 15–30 ms, 1,000–3,000 frames, while a slip in the loop's test
 * left it at one pass; 30–60 ms before the worker synced the file ahead of the pause).
 */
export function startCheckpointer(
  file: string,
  writer?: SQLite.Database,
  { intervalMs = 250, drainFrames = DRAIN_FRAMES }: { intervalMs?: number; drainFrames?: number } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const flag = new Int32Array(new SharedArrayBuffer(4));
  if (writer !== undefined) flags.set(writer, flag);
  const worker = new Worker(checkpointerSource, {
    eval: true,
    workerData: {
      driver,
      file,
      intervalMs,
      // Without a writer to pause, there is no drain: the writer's fallback stays.
      drainFrames: writer === undefined ? Number.POSITIVE_INFINITY : drainFrames,
      busyIntervalMs: Math.min(intervalMs, BUSY_INTERVAL_MS),
      waitMs: DRAIN_WAIT_MS,
      tailFrames: DRAIN_TAIL_FRAMES,
      flag: flag.buffer,
    },
  });
  let opened: () => void = () => undefined;
  let stopped: Promise<void> | undefined;
  // Kept referenced until the thread has opened the database, and again while it stops.
  const ready = new Promise<void>((resolve) => (opened = resolve)).then(() => {
    if (stopped === undefined) worker.unref();
  });
  const resume = () => {
    Atomics.store(flag, 0, RUNNING);
    Atomics.notify(flag, 0);
  };
  // A failing checkpointer only means the writer checkpoints itself (wal_autocheckpoint).
  worker.on('error', () => {
    opened();
    if (writer !== undefined) flags.delete(writer);
    resume();
  });
  const pausedFrames: number[] = [];
  // First, that the database is open; then one message per drain.
  worker.on('message', (message: { type: string; frames?: number }) => {
    if (message.type === 'ready') opened();
    else if (message.type === 'drain' && message.frames !== undefined) {
      pausedFrames.push(message.frames);
      if (pausedFrames.length > KEPT_DRAINS) pausedFrames.shift();
    }
  });
  return {
    ready,
    pausedFrames,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (writer !== undefined) flags.delete(writer);
        resume();
        worker.once('exit', () => resolve());
        // Keep the process alive until the last checkpoint is done.
        worker.ref();
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 5000).unref();
      });
      return stopped;
    },
  };
}

interface WriteLock {
  held: boolean;
  /** Waiting acquirers, first come first served; a release hands the lock to the first. */
  readonly waiting: Array<() => void>;
}

const writeLocks = new WeakMap<SQLite.Database, WriteLock>();

/**
 * Takes the write lock of an SQLite database in this process; resolves with its release. Every
 * writer holds it while it writes: Kysely (a transaction from begin to end, a statement for its
 * run), the synchronous hot paths, and the scan writer's thread for a whole batch, whose
 * transaction runs on a connection of its own. Without it, a write on the shared handle while the
 * thread holds SQLite's lock would wait in SQLite's busy handler, blocking the event loop the
 * thread needs to finish its batch. Holding it, the writer also waits out a WAL drain of the
 * checkpointer ({@link writesAllowed}), so its next transaction starts the WAL over.
 */
export async function acquireWriteLock(handle: SQLite.Database): Promise<() => void> {
  let lock = writeLocks.get(handle);
  if (lock === undefined) {
    lock = { held: false, waiting: [] };
    writeLocks.set(handle, lock);
  }
  const own = lock;
  if (own.held) await new Promise<void>((resolve) => own.waiting.push(resolve));
  else own.held = true;
  for (;;) {
    const pause = writesAllowed(handle);
    if (pause === undefined) break;
    await pause;
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = own.waiting.shift();
    if (next === undefined) own.held = false;
    else next();
  };
}

/**
 * Whether someone waits for the write lock of `handle`, or the checkpointer asks writers to pause
 * for a drain: a holder that keeps it across batches (the scan writer's thread) lets it go then.
 */
export function writeLockWanted(handle: SQLite.Database): boolean {
  const waiting = (writeLocks.get(handle)?.waiting.length ?? 0) > 0;
  return waiting || Atomics.load(flags.get(handle) ?? NO_FLAG, 0) === ASKED;
}

const NO_FLAG = new Int32Array(1);

/** Kysely's SQLite dialect with writes under the handle's write lock. */
class LockingSqliteDialect extends SqliteDialect {
  readonly #handle: SQLite.Database;

  constructor(handle: SQLite.Database) {
    super({ database: () => Promise.resolve(handle) });
    this.#handle = handle;
  }

  override createDriver(): Driver {
    const handle = this.#handle;
    return new LockingSqliteDriver(new SqliteDriver({ database: () => Promise.resolve(handle) }), handle);
  }
}

/** A statement that only reads: Kysely's selects and raw `SELECT …` text. */
function onlyReads(query: CompiledQuery): boolean {
  return SelectQueryNode.is(query.query) || /^\s*select\b/i.test(query.sql);
}

class LockingSqliteDriver implements Driver {
  readonly #inner: SqliteDriver;
  readonly #handle: SQLite.Database;
  /** The release of the lock a transaction holds (one connection: one transaction at a time). */
  #transaction: (() => void) | undefined;

  constructor(inner: SqliteDriver, handle: SQLite.Database) {
    this.#inner = inner;
    this.#handle = handle;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    return {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        if (this.#transaction !== undefined || onlyReads(query)) return connection.executeQuery<R>(query);
        const release = await acquireWriteLock(this.#handle);
        try {
          return await connection.executeQuery<R>(query);
        } finally {
          release();
        }
      },
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
        connection.streamQuery<R>(query, chunkSize),
    };
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // Set first: Kysely's `begin` runs through the connection above, which must not wait for it.
    this.#transaction = await acquireWriteLock(this.#handle);
    try {
      await this.#inner.beginTransaction(connection);
    } catch (error) {
      this.#endTransaction();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.commitTransaction(connection);
    } finally {
      this.#endTransaction();
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(connection);
    } finally {
      this.#endTransaction();
    }
  }

  savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#inner.savepoint(connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#inner.rollbackToSavepoint(connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.#inner.releaseSavepoint(connection, name, compile);
  }

  releaseConnection(): Promise<void> {
    return this.#inner.releaseConnection();
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #endTransaction(): void {
    // A failed COMMIT can leave SQLite's transaction open; the lock stays until it is closed.
    if (this.#handle.inTransaction) return;
    const release = this.#transaction;
    this.#transaction = undefined;
    release?.();
  }
}
