import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { migrateToLatest, openDatabase } from '@tracemark/db';
import { loadKeyVault, resealSpaceKeys } from '@tracemark/server';
import { settingsOrReport, type Io } from '../settings.js';

/**
 * `tracemark keys rotate`: re-seals every code space's key under the newest master key (the first
 * in MASTER_KEY). Run it after putting a new key first in MASTER_KEY; once it reports nothing left
 * under older keys, those can be removed from MASTER_KEY.
 */
export async function rotateKeysCommand(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const vault = loadKeyVault(config, pino({ level: 'silent' }));
    const report = await resealSpaceKeys(db, vault);
    io.out(
      `Master key in use: ${vault.currentKeyId}. Re-sealed ${report.resealed} code-space key(s); ` +
        `${report.already} already under it.\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
