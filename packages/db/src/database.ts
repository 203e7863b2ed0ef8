import { Kysely, type Dialect } from 'kysely';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Database } from './schema.js';
import { acquireWriteLock, createSqliteDialect, type Checkpointer } from './dialect/sqlite.js';
import { createPostgresDialect } from './dialect/postgres.js';

export { acquireWriteLock };

/** Which engine a {@link Db} runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Where the database lives: a PostgreSQL URL, or an SQLite file (":memory:" for tests). */
export type DatabaseTarget =
  | {
      readonly type: 'sqlite';
      readonly file: string;
      /** `normal` (default): commits survive a process crash; `full`: also power loss. */
      readonly synchronous?: 'normal' | 'full';
    }
  | { readonly type: 'postgres'; readonly url: string; readonly poolSize?: number };

/**
 * The driver under Kysely, for the few hot paths that run prepared statements directly (the
 * consumer scan). SQLite's handle is the one connection Kysely uses too: synchronous writes on it
 * run under its write lock (`acquireWriteLock`), which a Kysely transaction holds while open.
 */
export type NativeHandle =
  | { readonly type: 'sqlite'; readonly handle: SQLite.Database }
  | { readonly type: 'postgres'; readonly pool: pg.Pool };

/** An open database: the typed Kysely handle plus what callers need to know about the engine. */
export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  readonly native: NativeHandle;
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
  let dialect: Dialect;
  let native: NativeHandle;
  let checkpointer: Checkpointer | undefined;
  if (target.type === 'sqlite') {
    const made = createSqliteDialect(target.file, target.synchronous ?? 'normal');
    dialect = made.dialect;
    native = { type: 'sqlite', handle: made.handle };
    checkpointer = made.checkpointer;
  } else {
    const made = createPostgresDialect(target.url, target.poolSize);
    dialect = made.dialect;
    native = { type: 'postgres', pool: made.pool };
  }
  const kysely = new Kysely<Database>({ dialect });
  let closed = false;
  return Object.freeze({
    kysely,
    dialect: target.type,
    native,
    async close() {
      if (closed) return;
      closed = true;
      if (native.type === 'sqlite') await closeCompanions(native.handle);
      await kysely.destroy();
      // Kysely closes the SQLite handle only if it ever used it.
      if (native.type === 'sqlite' && native.handle.open) native.handle.close();
      await checkpointer?.stop();
    },
  });
}

const companions = new WeakMap<SQLite.Database, Set<() => Promise<void>>>();

/**
 * Registers work to finish before an SQLite database closes: a helper with connections of its own
 * (the scan writer's thread) stops when the {@link Db} closes, after its last write.
 */
export function beforeClose(handle: SQLite.Database, close: () => Promise<void>): void {
  let set = companions.get(handle);
  if (set === undefined) {
    set = new Set();
    companions.set(handle, set);
  }
  set.add(close);
}

async function closeCompanions(handle: SQLite.Database): Promise<void> {
  const set = companions.get(handle);
  if (set === undefined) return;
  companions.delete(handle);
  await Promise.all([...set].map((close) => close()));
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

/**
 * Keeps the query planner's statistics fresh. SQLite gathers none by itself: without them it
 * can pick a worse index on a large table (e.g. a code's scans), so run `PRAGMA optimize` —
 * cheap, it analyses only tables whose size changed a lot, with a bounded sample. PostgreSQL's
 * autovacuum does this already.
 */
export async function optimizeDatabase(db: Db): Promise<void> {
  if (db.native.type !== 'sqlite') return;
  const handle = db.native.handle;
  const release = await acquireWriteLock(handle);
  try {
    handle.pragma('analysis_limit = 1000');
    handle.pragma('optimize');
  } finally {
    release();
  }
}
