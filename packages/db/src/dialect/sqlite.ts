import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/**
 * SQLite through better-sqlite3: WAL journal, `synchronous=NORMAL` by default (a commit survives a
 * process crash) or `FULL` (also power loss; docs/durability.md), foreign keys enforced, a 5 s busy timeout so
 * a second process (the CLI beside a running server) waits instead of failing. The handle is
 * opened at once and shared: Kysely runs on it, and so do the prepared statements of hot paths
 * (see {@link NativeHandle}).
 */
export function createSqliteDialect(
  file: string,
  synchronous: 'normal' | 'full' = 'normal',
): { dialect: SqliteDialect; handle: SQLite.Database } {
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma(synchronous === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: () => Promise.resolve(handle) }), handle };
}
