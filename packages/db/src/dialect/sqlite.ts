import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

/**
 * SQLite through better-sqlite3: WAL journal, `synchronous=NORMAL` (a commit survives a process
 * crash; see docs/durability.md for power loss), foreign keys enforced, a 5 s busy timeout so
 * a second process (the CLI beside a running server) waits instead of failing.
 */
export function createSqliteDialect(file: string): SqliteDialect {
  return new SqliteDialect({
    database: () => {
      const db = new SQLite(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      return Promise.resolve(db);
    },
  });
}
