import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseTarget, DialectName } from '@tracemark/db';

/** The PostgreSQL server tests use; a fresh database is created on it per suite. */
export const testPostgresUrl: string =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database made for one test suite, dropped by `dispose`. */
export interface TestDatabase {
  readonly dialect: DialectName;
  readonly target: DatabaseTarget;
  /** The same target as a DATABASE_URL string, for child processes. */
  readonly url: string;
  /** A scratch folder for files (uploads, keys) that goes away with the database. */
  readonly dataDir: string;
  dispose(): Promise<void>;
}

/** Every engine the suite runs on. Both always: a missing PostgreSQL fails, never skips. */
export const dialects: readonly DialectName[] = Object.freeze(['sqlite', 'postgres']);

/**
 * Creates an empty database of the given dialect: an SQLite file in a temp folder, or a new
 * PostgreSQL database named for the suite. Throws with a clear message when PostgreSQL is not
 * reachable, so CI fails instead of silently testing less.
 */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracemark-test-'));
  if (dialect === 'sqlite') {
    const file = join(dataDir, 'test.db');
    return {
      dialect,
      target: { type: 'sqlite', file },
      url: `sqlite:${file}`,
      dataDir,
      dispose: () => {
        rmSync(dataDir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `tm_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  try {
    await admin.connect();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(
      `PostgreSQL is not reachable at ${testPostgresUrl} (set TEST_DATABASE_URL). The suite runs on both ` +
        `SQLite and PostgreSQL; start PostgreSQL (see .ci/run) rather than skipping.`,
      { cause: error },
    );
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    dialect,
    target: { type: 'postgres', url: url.toString(), poolSize: 4 },
    url: url.toString(),
    dataDir,
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: testPostgresUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
