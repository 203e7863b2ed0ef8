import SQLite from 'better-sqlite3';

/** WAL size (pages of 4 KiB) at which a writer checkpoints itself if the checkpointer lags. */
export const FALLBACK_CHECKPOINT_PAGES = 16_384;

/**
 * Opens a connection to an SQLite database as every writer of this process uses it: WAL journal,
 * `synchronous` NORMAL (a commit survives a process crash) or FULL (also power loss), foreign
 * keys enforced, a 5 s busy timeout so a second process (the CLI beside a running server) waits
 * instead of failing, a page cache of `cacheKiB` (64 MiB by default: SQLite's default 2 MB makes
 * every index walk of a large table a system call) and memory-mapped reads, and on a file the
 * writer's own checkpoint only past 64 MiB of WAL (the checkpointer thread keeps it far smaller).
 * Has no Kysely in it, so the scan writer's thread opens its connection with it too.
 */
export function openSqliteConnection(
  file: string,
  synchronous: 'normal' | 'full',
  { cacheKiB = 65_536 }: { cacheKiB?: number } = {},
): SQLite.Database {
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma(synchronous === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  handle.pragma(`cache_size = -${cacheKiB}`);
  handle.pragma('mmap_size = 268435456');
  handle.pragma('temp_store = MEMORY');
  if (onDisk(file)) handle.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  return handle;
}

/** Whether `file` names a database on disk (not `:memory:` or a temporary `''`). */
export function onDisk(file: string): boolean {
  return file !== ':memory:' && file !== '';
}
