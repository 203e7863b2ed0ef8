/**
 * How every SQLite connection of the process is opened (`openSqliteConnection`): WAL, the
 * durability asked for, and the page cache: 64 MiB unless the caller asks for another size (the
 * scan writer's thread asks for 2 MiB, see sqlite-scan-thread.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SQLite from 'better-sqlite3';
import { openSqliteConnection } from '../src/dialect/sqlite-connection.js';

/** Opens a connection on a fresh file with `open`, hands it to `check`, then removes the file. */
function onFreshFile(open: (file: string) => SQLite.Database, check: (db: SQLite.Database) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tracemark-connection-'));
  const db = open(join(dir, 'test.db'));
  try {
    check(db);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pragma = (db: SQLite.Database, name: string): unknown => db.pragma(name, { simple: true });

describe('SQLite connections', () => {
  test('a connection is in WAL mode with the synchronous level asked for and a 64 MiB page cache', () => {
    onFreshFile(
      (file) => openSqliteConnection(file, 'full'),
      (db) => {
        assert.equal(pragma(db, 'journal_mode'), 'wal');
        assert.equal(pragma(db, 'synchronous'), 2); // FULL
        assert.equal(pragma(db, 'cache_size'), -65_536);
      },
    );
  });

  test('a connection opened with cacheKiB keeps a page cache of that size', () => {
    onFreshFile(
      (file) => openSqliteConnection(file, 'normal', { cacheKiB: 2048 }),
      (db) => {
        assert.equal(pragma(db, 'synchronous'), 1); // NORMAL
        assert.equal(pragma(db, 'cache_size'), -2048);
      },
    );
  });
});
