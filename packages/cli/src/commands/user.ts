import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import pino from 'pino';
import { migrateToLatest, openDatabase } from '@tracemark/db';
import { AppError, createPlatformAccount, FileStore, systemContext } from '@tracemark/server';
import { settingsOrReport, type Io } from '../settings.js';

/** Options of `tracemark user create`. */
export interface CreateUserOptions {
  readonly username: string;
  readonly name?: string;
  readonly role: string;
  readonly password?: string;
  readonly jurisdiction?: string;
}

/** A password that meets the policy: 16 characters with letters and digits. */
export function generatePassword(): string {
  const raw = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
  return `${raw.slice(0, 13)}${String(randomBytes(1)[0] ?? 0).padStart(3, '0')}`;
}

/**
 * `tracemark user create`: makes a platform operator or a regulator. (Enterprise users are made
 * by their enterprise's administrator in the console or API.)
 */
export async function createUserCommand(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  o: CreateUserOptions,
): Promise<number> {
  if (o.role !== 'platform_operator' && o.role !== 'regulator') {
    io.err(
      '--role must be platform_operator or regulator (enterprise users are created by their administrator).\n',
    );
    return 2;
  }
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const ctx = systemContext({
      db,
      config,
      files: new FileStore(config.dataDir),
      log: pino({ level: 'silent' }),
    });
    const password = o.password ?? generatePassword();
    const user = await createPlatformAccount(ctx, {
      username: o.username,
      displayName: o.name ?? o.username,
      password,
      role: o.role,
      ...(o.jurisdiction !== undefined ? { jurisdiction: o.jurisdiction } : {}),
    });
    io.out(
      `Created ${user.role} "${user.username}"${o.password === undefined ? ` with password ${password}` : ''}. They must change the password at first login.\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}
