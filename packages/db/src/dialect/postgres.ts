import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint) comes back from pg as a string by default; every integer we store (epoch
// milliseconds, counts, serials) stays below 2^53, so parse it as a number once, globally.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/** PostgreSQL through a `pg` pool. */
export function createPostgresDialect(
  url: string,
  poolSize = 10,
): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection that the server drops (restart, failover, an administrator) is removed
  // from the pool and the next query opens a new one; without a listener the pool would turn
  // that into an uncaught exception and take the whole process down.
  pool.on('error', () => undefined);
  return { dialect: new PostgresDialect({ pool }), pool };
}
