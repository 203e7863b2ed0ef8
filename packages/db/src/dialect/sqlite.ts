import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/** WAL size (pages of 4 KiB) at which the writer checkpoints itself if the checkpointer lags. */
const FALLBACK_CHECKPOINT_PAGES = 16_384;

/**
 * SQLite through better-sqlite3: WAL journal, `synchronous=NORMAL` by default (a commit survives a
 * process crash) or `FULL` (also power loss; docs/durability.md), foreign keys enforced, a 5 s
 * busy timeout so a second process (the CLI beside a running server) waits instead of failing,
 * a 64 MiB page cache and memory-mapped reads (the default 2 MB cache makes every index walk of a
 * large table a system call). The handle is opened at once and shared: Kysely runs on it, and so
 * do the prepared statements of hot paths (see {@link NativeHandle}).
 *
 * Checkpoints (copying the WAL into the database file, with an fsync) run on a second connection
 * in a worker thread ({@link startCheckpointer}), so the event loop never waits for them, and the
 * WAL starts over from its beginning once it has been copied whole; the writer checkpoints itself
 * only if the WAL grows past 64 MiB all the same.
 */
export function createSqliteDialect(
  file: string,
  synchronous: 'normal' | 'full' = 'normal',
): { dialect: SqliteDialect; handle: SQLite.Database; checkpointer: Checkpointer | undefined } {
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma(synchronous === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('cache_size = -65536');
  handle.pragma('mmap_size = 268435456');
  handle.pragma('temp_store = MEMORY');
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) handle.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  return {
    dialect: new SqliteDialect({ database: () => Promise.resolve(handle) }),
    handle,
    checkpointer: onDisk ? startCheckpointer(file, handle) : undefined,
  };
}

/** A background checkpointer; `stop()` runs a last checkpoint and ends the thread. */
export interface Checkpointer {
  /** Resolves once the thread has opened the database (its first checkpoint is then due). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * WAL frames at which the checkpointer asks the writer to pause so the WAL can start over: half
 * the writer's own fallback, so the fallback (a checkpoint with an fsync on the event loop) is not
 * reached under a steady stream of commits.
 */
const DRAIN_FRAMES = FALLBACK_CHECKPOINT_PAGES / 2;
/** Longest pause of the writer for a drain: past it, writes go on and the drain waits a turn. */
const DRAIN_TIMEOUT_MS = 250;

// Messages between the checkpointer thread and the writer's (main) thread.
type ToWriter = { readonly type: 'ready' } | { readonly type: 'drain' } | { readonly type: 'drained' };
type ToCheckpointer = { readonly type: 'paused' } | { readonly type: 'stop' };

// The worker is a few lines of CommonJS so it runs the same from sources (tsx) and from dist.
// A PASSIVE checkpoint copies what the WAL holds when it starts; under a steady stream of commits
// the writer has always appended more by the time it ends, so the WAL is never copied whole, never
// starts over, and grows until the writer's own fallback checkpoint stalls the event loop (~100 ms
// measured under the scan benchmark, every 1-2 s). So past DRAIN_FRAMES the worker asks the writer
// to pause its writes, copies the rest (a few frames) with nothing appended meanwhile, and lets it
// go on: its next transaction then finds the WAL copied whole and starts it over.
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
parentPort.postMessage({ type: 'ready' });
let draining = false;
const checkpoint = () => {
  try {
    return db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch {
    return undefined;
  }
};
const timer = setInterval(() => {
  if (draining) return;
  const r = checkpoint();
  if (r !== undefined && r.log >= workerData.drainFrames) {
    draining = true;
    parentPort.postMessage({ type: 'drain' });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m.type === 'paused') {
    checkpoint();
    draining = false;
    parentPort.postMessage({ type: 'drained' });
    return;
  }
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

const paused = new WeakMap<SQLite.Database, Promise<void>>();

/**
 * Resolves when the writer may write: at once, or when a drain of the WAL (see
 * {@link startCheckpointer}) has ended. Synchronous writers on the handle wait for this.
 */
export function writesAllowed(handle: SQLite.Database): Promise<void> | undefined {
  return paused.get(handle);
}

/**
 * Checkpoints the WAL of `file` every `intervalMs` from a worker thread (PASSIVE: never blocks
 * the writer or readers). When the WAL has grown past {@link DRAIN_FRAMES} without being copied
 * whole, writes on `writer` (the handle the hot paths use, which wait on {@link writesAllowed})
 * pause while the worker copies the rest, at most {@link DRAIN_TIMEOUT_MS}; the event loop goes
 * on meanwhile (requests are read, their writes queue).
 */
export function startCheckpointer(
  file: string,
  writer?: SQLite.Database,
  { intervalMs = 250, drainFrames = DRAIN_FRAMES }: { intervalMs?: number; drainFrames?: number } = {},
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(checkpointerSource, {
    eval: true,
    workerData: { driver, file, intervalMs, drainFrames },
  });
  worker.unref();
  let opened: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (opened = resolve));
  // A failing checkpointer only means the writer checkpoints itself (wal_autocheckpoint).
  worker.on('error', () => opened());
  let release: (() => void) | undefined;
  const resume = () => {
    if (writer !== undefined) paused.delete(writer);
    release?.();
    release = undefined;
  };
  worker.on('message', (m: ToWriter) => {
    if (m.type === 'ready') return opened();
    if (m.type === 'drained') return resume();
    if (writer === undefined || release !== undefined) return send({ type: 'paused' });
    let mine: (() => void) | undefined;
    paused.set(
      writer,
      new Promise<void>((resolve) => {
        release = mine = resolve;
      }),
    );
    // Only this drain's pause: a later drain's is not cut short.
    setTimeout(() => release === mine && resume(), DRAIN_TIMEOUT_MS).unref();
    // A transaction Kysely holds open across awaits ends first; none is waited for otherwise.
    void (async () => {
      while (writer.open && writer.inTransaction) await new Promise((r) => setTimeout(r, 1));
      send({ type: 'paused' });
    })();
  });
  const send = (m: ToCheckpointer) => worker.postMessage(m);
  let stopped: Promise<void> | undefined;
  return {
    ready,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        resume();
        worker.once('exit', () => resolve());
        // Keep the process alive until the last checkpoint is done.
        worker.ref();
        send({ type: 'stop' });
        setTimeout(() => void worker.terminate(), 5000).unref();
      });
      return stopped;
    },
  };
}
