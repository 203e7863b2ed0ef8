import { Migrator, type MigrationResult } from 'kysely';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/** What a migration run did. */
export interface MigrationReport {
  readonly applied: readonly string[];
  readonly latest: string | undefined;
}

function migrator(db: Db): Migrator {
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
}

/**
 * Brings the schema to the latest migration. Safe to call from several processes at once:
 * Kysely holds a lock row (PostgreSQL: an advisory lock) while it migrates.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const { error, results } = await migrator(db).migrateToLatest();
  const applied = (results ?? [])
    .filter((r: MigrationResult) => r.status === 'Success')
    .map((r) => r.migrationName);
  if (error !== undefined) {
    const failed = (results ?? []).find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(
      `migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {
        cause: error,
      },
    );
  }
  const names = Object.keys(migrations).sort();
  return { applied, latest: names[names.length - 1] };
}

/** Names of migrations not yet applied (for `/readyz` and `tracemark migrate --check`). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const list = await migrator(db).getMigrations();
  return list.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
