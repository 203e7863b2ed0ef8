import { Kysely, type Dialect } from 'kysely';
import type { Database } from './schema.js';
import { createSqliteDialect } from './dialect/sqlite.js';
import { createPostgresDialect } from './dialect/postgres.js';

/** Which engine a {@link Db} runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the database lives: a PostgreSQL URL, or an SQLite file (":memory:" for tests). */
export type DatabaseTarget =
  | { readonly type: 'sqlite'; readonly file: string }
  | { readonly type: 'postgres'; readonly url: string; readonly poolSize?: number };

/** An open database: the typed Kysely handle plus what callers need to know about the engine. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** Closes every connection; in-flight queries finish first. */
  close(): Promise<void>;
}

/**
 * Opens a database. SQLite runs in WAL mode with foreign keys on; PostgreSQL through a `pg` pool
 * with 64-bit integers parsed as numbers (every stored integer fits in 2^53).
 *
 * @example
 * const db = openDatabase({ type: 'sqlite', file: './data/tracemark.db' });
 * await migrateToLatest(db);
 */
export function openDatabase(target: DatabaseTarget): Db {
  const dialect: Dialect =
    target.type === 'sqlite'
      ? createSqliteDialect(target.file)
      : createPostgresDialect(target.url, target.poolSize);
  const kysely = new Kysely<Database>({ dialect });
  let closed = false;
  return Object.freeze({
    kysely,
    dialect: target.type,
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  });
}

/**
 * Parses a `DATABASE_URL`-style string: `postgres://…`/`postgresql://…` or `sqlite:<path>`.
 * Returns undefined for anything else so the caller can report it with the other settings.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget | undefined {
  if (/^postgres(ql)?:\/\//.test(url)) return { type: 'postgres', url };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return file.length > 0 ? { type: 'sqlite', file } : undefined;
  }
  return undefined;
}
