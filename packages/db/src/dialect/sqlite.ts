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
 * in a worker thread ({@link startCheckpointer}), so the event loop never waits for them; the
 * writer checkpoints itself only if the WAL grows past 64 MiB.
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
    checkpointer: onDisk ? startCheckpointer(file) : undefined,
  };
}

/** A background checkpointer; `stop()` runs a last checkpoint and ends the thread. */
export interface Checkpointer {
  stop(): Promise<void>;
}

// The worker is a few lines of CommonJS so it runs the same from sources (tsx) and from dist.
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the WAL of `file` every `intervalMs` from a worker thread (PASSIVE: never blocks
 * the writer or readers).
 */
export function startCheckpointer(file: string, intervalMs = 250): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(checkpointerSource, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  // A failing checkpointer only means the writer checkpoints itself (wal_autocheckpoint).
  worker.on('error', () => undefined);
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
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
