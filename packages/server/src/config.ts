import { isAbsolute, join, resolve } from 'node:path';
import { parseDatabaseUrl, type DatabaseTarget } from '@tracemark/db';

/** The server's settings: validated, complete and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  readonly databasePoolSize: number;
  /** Public base URL printed in QR codes and links, e.g. `https://trace.example.cn`. */
  readonly publicUrl: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionTtlHours: number;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly uploadMaxBytes: number;
  readonly bodyLimitBytes: number;
  readonly loginRateLimitPerMinute: number;
  readonly shutdownTimeoutMs: number;
  /** Enumeration defence of the consumer scan: see {@link ScanGuardConfig}. */
  readonly scanGuard: ScanGuardConfig;
  /**
   * Master keys that encrypt every code space's keys, newest first (id → 32 bytes). Empty when
   * not set: the server then keeps a generated key in `DATA_DIR/master.key`.
   */
  readonly masterKeys: ReadonlyArray<{ readonly id: string; readonly key: Uint8Array }>;
  /**
   * Whether EPCIS subscription webhooks may point at loopback, private, link-local and other
   * internal addresses (off by default: SSRF).
   */
  readonly epcisWebhookAllowPrivate: boolean;
}

/** Limits on invalid code lookups (enumeration defence of the scan page and verify API). */
export interface ScanGuardConfig {
  /** Invalid lookups one address may make per window before it is blocked. */
  readonly perAddress: number;
  /** Invalid lookups one network (IPv4 /24, IPv6 /48) may make per window. */
  readonly perNetwork: number;
  readonly windowMs: number;
  /** How long a blocked address or network stays blocked. */
  readonly blockMs: number;
  /** Platform-wide invalid lookups per minute at or above which an alert may be raised. */
  readonly alertPerMinute: number;
}

/** One documented setting: its environment variable, meaning and default. */
export interface SettingDoc {
  readonly env: string;
  readonly description: string;
  readonly default: string;
}

/**
 * Every setting the server reads, in one place. `docs/configuration.md` is written from this
 * list and a test keeps the two in step.
 */
export const settings: readonly SettingDoc[] = Object.freeze([
  { env: 'PORT', description: 'TCP port to listen on (1–65535).', default: '8080' },
  {
    env: 'HOST',
    description: 'Address to bind; 0.0.0.0 lets phones on the same network reach the scan page.',
    default: '0.0.0.0',
  },
  {
    env: 'DATA_DIR',
    description: 'Folder for the SQLite database, uploaded files and generated keys; created if missing.',
    default: './data',
  },
  {
    env: 'DATABASE_URL',
    description: '`postgres://user@host:5432/db` for PostgreSQL, or `sqlite:<file>`.',
    default: 'sqlite:<DATA_DIR>/tracemark.db',
  },
  {
    env: 'SQLITE_SYNCHRONOUS',
    description:
      'SQLite only: `normal` — an acknowledged write survives a crash of the process; `full` — it also survives power loss or an OS crash (an fsync per commit; group commit keeps scans fast). See docs/durability.md.',
    default: 'normal',
  },
  { env: 'DATABASE_POOL_SIZE', description: 'PostgreSQL connections per process (1–200).', default: '10' },
  {
    env: 'PUBLIC_URL',
    description: 'Public base URL used in QR codes and links (http or https, no path).',
    default: 'http://localhost:<PORT>',
  },
  { env: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent.', default: 'info' },
  {
    env: 'SESSION_TTL_HOURS',
    description: 'Idle lifetime of a login session, in hours (1–720).',
    default: '12',
  },
  {
    env: 'COOKIE_SECURE',
    description: 'Send the session cookie only over HTTPS (true/false).',
    default: 'true when PUBLIC_URL is https',
  },
  {
    env: 'TRUST_PROXY',
    description: 'Trust X-Forwarded-* headers from a reverse proxy (true/false).',
    default: 'false',
  },
  {
    env: 'UPLOAD_MAX_MB',
    description: 'Largest uploaded file (documents, images, reports), in MiB (1–100).',
    default: '10',
  },
  { env: 'BODY_LIMIT_KB', description: 'Largest JSON request body, in KiB (1–102400).', default: '1024' },
  {
    env: 'LOGIN_RATE_LIMIT',
    description: 'Login attempts allowed per minute for one address and username (1–1000).',
    default: '10',
  },
  {
    env: 'MASTER_KEY',
    description:
      "Key(s) that encrypt the code spaces' keys: `id:base64` of 32 random bytes, several comma-separated newest first (rotation). Keep it apart from database backups.",
    default: 'generated once into DATA_DIR/master.key, with a warning',
  },
  {
    env: 'SCAN_INVALID_PER_ADDRESS',
    description:
      'Invalid code lookups (bad, unknown or never-issued codes, wrong PINs) one IP address may make per window before the scan page and verify API refuse it (1–100000).',
    default: '20',
  },
  {
    env: 'SCAN_INVALID_PER_NETWORK',
    description: 'The same for a whole network: an IPv4 /24 or an IPv6 /48 (1–1000000).',
    default: '200',
  },
  {
    env: 'SCAN_INVALID_WINDOW_SECONDS',
    description: 'The window those limits count over, in seconds (1–86400).',
    default: '600',
  },
  {
    env: 'SCAN_BLOCK_SECONDS',
    description: 'How long a refused address or network stays refused, in seconds (1–86400).',
    default: '900',
  },
  {
    env: 'SCAN_ALERT_PER_MINUTE',
    description:
      'Platform-wide invalid lookups per minute that raise an operator alert when also five times the last hour’s average (1–10000000).',
    default: '600',
  },
  {
    env: 'EPCIS_WEBHOOK_ALLOW_PRIVATE',
    description:
      'Let EPCIS subscription webhooks (dest) reach loopback, private (RFC 1918, fc00::/7), link-local, CGNAT and other internal addresses (true/false). Off, such a dest is refused when subscribing and again at each delivery, on the address connected to.',
    default: 'false',
  },
  {
    env: 'SHUTDOWN_TIMEOUT_SECONDS',
    description: 'How long in-flight requests may take to finish on shutdown (1–600).',
    default: '10',
  },
]);

/** Thrown when settings are invalid; lists every problem, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the configuration from environment variables (see {@link settings}). Reports every
 * invalid setting at once in a {@link ConfigError}.
 *
 * @example
 * const config = loadConfig(process.env, process.cwd());
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = value(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };

  const port = int('PORT', 8080, 1, 65535);
  const host = value('HOST') ?? '0.0.0.0';
  const dataDirRaw = value('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const dbUrl = value('DATABASE_URL');
  let database: DatabaseTarget = { type: 'sqlite', file: join(dataDir, 'tracemark.db') };
  if (dbUrl !== undefined) {
    const parsed = parseDatabaseUrl(dbUrl);
    if (parsed === undefined)
      problems.push('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
    else
      database =
        parsed.type === 'sqlite' && !isAbsolute(parsed.file) && parsed.file !== ':memory:'
          ? { type: 'sqlite', file: resolve(cwd, parsed.file) }
          : parsed;
  }

  let publicUrl = `http://localhost:${port}`;
  const publicRaw = value('PUBLIC_URL');
  if (publicRaw !== undefined) {
    try {
      const u = new URL(publicRaw);
      if (
        !['http:', 'https:'].includes(u.protocol) ||
        (u.pathname !== '/' && u.pathname !== '') ||
        u.search !== ''
      ) {
        problems.push(
          'PUBLIC_URL must be an http(s) origin without path or query, e.g. https://trace.example.cn',
        );
      } else publicUrl = u.origin;
    } catch {
      problems.push(`PUBLIC_URL is not a URL (got "${publicRaw}")`);
    }
  }

  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const levelRaw = value('LOG_LEVEL') ?? 'info';
  const logLevel = levels.find((l) => l === levelRaw);
  if (logLevel === undefined)
    problems.push(`LOG_LEVEL must be one of ${levels.join(', ')} (got "${levelRaw}")`);

  const masterKeys: Array<{ id: string; key: Uint8Array }> = [];
  const masterRaw = value('MASTER_KEY');
  if (masterRaw !== undefined) {
    for (const part of masterRaw.split(',')) {
      const m = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=]+)$/.exec(part.trim());
      const key = m === null ? undefined : Buffer.from(m[2] ?? '', 'base64');
      if (m === null || key?.length !== 32) {
        problems.push(
          'MASTER_KEY must be id:base64 of 32 random bytes, comma-separated newest first for rotation',
        );
        break;
      }
      masterKeys.push({ id: m[1] ?? '', key: new Uint8Array(key) });
    }
  }

  const databasePoolSize = int('DATABASE_POOL_SIZE', 10, 1, 200);
  const syncRaw = (value('SQLITE_SYNCHRONOUS') ?? 'normal').toLowerCase();
  if (syncRaw !== 'normal' && syncRaw !== 'full')
    problems.push(`SQLITE_SYNCHRONOUS must be normal or full (got "${syncRaw}")`);
  const synchronous = syncRaw === 'full' ? 'full' : 'normal';
  const config: Config = {
    port,
    host,
    dataDir,
    database:
      database.type === 'postgres'
        ? { ...database, poolSize: databasePoolSize }
        : { ...database, synchronous },
    databasePoolSize,
    publicUrl,
    logLevel: logLevel ?? 'info',
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 720),
    cookieSecure: bool('COOKIE_SECURE', publicUrl.startsWith('https:')),
    trustProxy: bool('TRUST_PROXY', false),
    uploadMaxBytes: int('UPLOAD_MAX_MB', 10, 1, 100) * 1024 * 1024,
    bodyLimitBytes: int('BODY_LIMIT_KB', 1024, 1, 102400) * 1024,
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT', 10, 1, 1000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_SECONDS', 10, 1, 600) * 1000,
    scanGuard: Object.freeze({
      perAddress: int('SCAN_INVALID_PER_ADDRESS', 20, 1, 100_000),
      perNetwork: int('SCAN_INVALID_PER_NETWORK', 200, 1, 1_000_000),
      windowMs: int('SCAN_INVALID_WINDOW_SECONDS', 600, 1, 86_400) * 1000,
      blockMs: int('SCAN_BLOCK_SECONDS', 900, 1, 86_400) * 1000,
      alertPerMinute: int('SCAN_ALERT_PER_MINUTE', 600, 1, 10_000_000),
    }),
    masterKeys,
    epcisWebhookAllowPrivate: bool('EPCIS_WEBHOOK_ALLOW_PRIVATE', false),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
