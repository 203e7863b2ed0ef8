/**
 * The SQLite checkpointer thread: under a steady stream of commits (the scan path's group commit),
 * the WAL must start over now and then. A PASSIVE checkpoint alone never copies the whole WAL
 * while the writer keeps appending, so the WAL grew to the writer's fallback (64 MiB) and the
 * writer then checkpointed on the event loop, stalling it about 100 ms every second or two.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { acquireWriteLock } from '@tracemark/db';
import { DRAIN_TAIL_FRAMES, startCheckpointer } from '../src/dialect/sqlite.js';

const PAGE = 4096;

/** Writes batches like the scan store for `ms`: each awaits its turn, then BEGIN … COMMIT. */
async function steadyWrites(
  handle: SQLite.Database,
  ms: number,
  { create = true }: { readonly create?: boolean } = {},
): Promise<{ rows: number; walMax: number }> {
  if (create) {
    handle.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL)');
    handle.exec('CREATE INDEX t_k ON t (k)');
  }
  const insert = handle.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const begin = handle.prepare('BEGIN IMMEDIATE');
  const commit = handle.prepare('COMMIT');
  const wal = `${handle.name}-wal`;
  let rows = 0;
  let walMax = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const release = await acquireWriteLock(handle);
    begin.run();
    // Random keys: every row dirties a page of the index somewhere, as scans do.
    for (let i = 0; i < 40; i++) insert.run(Math.random().toString(36), 'x'.repeat(200));
    commit.run();
    release();
    rows += 40;
    walMax = Math.max(walMax, statSync(wal).size);
    // About the scan path's pace under load: a batch every millisecond or two.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { rows, walMax };
}

describe('SQLite checkpointer', () => {
  /**
   * Two seconds of steady commits on a fresh database with the writer's own fallback far away, so
   * only the checkpointer (at `intervalMs` at rest) can keep the WAL small; checks it did.
   */
  async function walStaysSmall(intervalMs: number): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'tracemark-checkpointer-'));
    const handle = new SQLite(join(dir, 't.db'));
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('wal_autocheckpoint = 1000000');
    const drainFrames = 512;
    const checkpointer = startCheckpointer(handle.name, handle, { intervalMs, drainFrames });
    try {
      await checkpointer.ready;
      const { rows, walMax } = await steadyWrites(handle, 2000);
      // Each row dirties a page of the index: more pages went through the WAL than it may hold…
      const limit = 8 * drainFrames * PAGE;
      assert.ok(rows * PAGE > 2 * limit, `only ${rows} rows written`);
      // …and it never held more than the threshold plus what commits added before a drain.
      assert.ok(
        walMax < limit,
        `WAL reached ${(walMax / 1048576).toFixed(1)} MiB (limit ${limit / 1048576} MiB, ${rows} rows)`,
      );
      const count = handle.prepare('SELECT count(*) AS n FROM t').get() as { n: number };
      assert.equal(count.n, rows);
    } finally {
      await checkpointer.stop();
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('under a steady stream of commits the WAL starts over instead of growing to the writer fallback', () =>
    walStaysSmall(20));

  // At rest once a second: at that pace alone the stream would fill the WAL many times over.
  test('while commits add to the WAL the checkpointer looks every 50 ms, whatever its pace at rest', () =>
    walStaysSmall(1000));

  test('a drain pauses the writer only for what was appended during a short last pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracemark-checkpointer-'));
    const handle = new SQLite(join(dir, 't.db'));
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('wal_autocheckpoint = 1000000');
    // An index of 400,000 random keys, as large as the pages a stream of first queries scatters
    // over: each commit dirties pages of its own, and each catch-up pass copies and syncs as many.
    handle.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL)');
    handle.exec('CREATE INDEX t_k ON t (k)');
    const fill = handle.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    handle.transaction(() => {
      for (let i = 0; i < 400_000; i++) fill.run(Math.random().toString(36), 'x');
    })();
    handle.pragma('wal_checkpoint(TRUNCATE)');
    // A threshold the stream passes between two looks, so every drain starts far behind.
    const checkpointer = startCheckpointer(handle.name, handle, { intervalMs: 20, drainFrames: 2048 });
    try {
      await checkpointer.ready;
      await steadyWrites(handle, 2000, { create: false });
      const paused = [...checkpointer.pausedFrames].sort((a, b) => a - b);
      assert.ok(paused.length >= 3, `only ${paused.length} drains`);
      // The catch-up passes go on until one copies at most DRAIN_TAIL_FRAMES; the pause copies what
      // came during that one (here a median of about 60 frames). With a single catch-up pass it
      // copied all that came during a pass over the whole threshold and the file's sync (here a
      // median of about 300; on bench/scan 1,000–3,000 frames, 15–30 ms of pause).
      const median = paused[Math.floor(paused.length / 2)] ?? Number.POSITIVE_INFINITY;
      assert.ok(median <= DRAIN_TAIL_FRAMES, `frames copied in the pauses: ${paused.join(', ')}`);
    } finally {
      await checkpointer.stop();
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a writer that never waits is not held: a drain ends by its timeout and writes go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracemark-checkpointer-'));
    const handle = new SQLite(join(dir, 't.db'));
    handle.pragma('journal_mode = WAL');
    const checkpointer = startCheckpointer(handle.name, handle, { intervalMs: 10, drainFrames: 1 });
    try {
      await checkpointer.ready;
      handle.exec('CREATE TABLE t (v TEXT)');
      const insert = handle.prepare('INSERT INTO t (v) VALUES (?)');
      // A Kysely-style transaction held open across awaits: the drain waits for it, up to its timeout.
      handle.exec('BEGIN');
      insert.run('held');
      await new Promise((resolve) => setTimeout(resolve, 400));
      handle.exec('COMMIT');
      const started = performance.now();
      const release = await acquireWriteLock(handle);
      assert.ok(performance.now() - started < 300, 'the write lock waited past the drain timeout');
      insert.run('after');
      release();
      assert.equal((handle.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    } finally {
      await checkpointer.stop();
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
