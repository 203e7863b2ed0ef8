import { mkdirSync } from 'node:fs';
import { migrateToLatest, openDatabase, pendingMigrations } from '@tracemark/db';
import { settingsOrReport, type Io } from '../settings.js';

/** `tracemark migrate [--check]`: bring the schema up to date, or report what is pending. */
export async function migrate(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  check: boolean,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  try {
    if (check) {
      const pending = await pendingMigrations(db);
      io.out(
        pending.length === 0
          ? 'The schema is up to date.\n'
          : `Pending migrations:\n${pending.map((p) => `  ${p}\n`).join('')}`,
      );
      return pending.length === 0 ? 0 : 1;
    }
    const report = await migrateToLatest(db);
    io.out(
      report.applied.length === 0
        ? `The schema is up to date (${report.latest ?? 'no migrations'}).\n`
        : `Applied:\n${report.applied.map((a) => `  ${a}\n`).join('')}`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
