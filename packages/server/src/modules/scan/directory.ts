import type { CodeSpaceRow, Db } from '@tracemark/db';

/** An issued range of a space, as a scan needs it. */
export interface IssuedRange {
  readonly jobId: string;
  readonly productId: string | null;
  readonly firstSerial: number;
  /** One past the last serial. */
  readonly endSerial: number;
  readonly withPin: boolean;
}

interface SpaceEntry {
  readonly space: CodeSpaceRow;
  /** Jobs sorted by first serial; they never overlap and never change once written. */
  ranges: readonly IssuedRange[];
  /** Serials below this were known to be issued when `ranges` was loaded. */
  loadedUpTo: number;
  loadedAt: number;
  loading: Promise<void> | undefined;
}

/** How often a miss may make the directory look at the database again. */
const RELOAD_INTERVAL_MS = 1000;

/**
 * Which space a code prefix belongs to and which job issued a serial — in memory, so that a
 * scan does no query for either. Spaces and jobs are append-only (jobs never change once
 * written; a space only grows its `next_serial`), so the cache can only be behind, never
 * wrong: an unknown prefix or a serial past what was loaded makes it look again, at most once
 * a second per prefix table or space, which bounds the database work random codes can cause.
 * Changes made by this process are seen at once ({@link forget}); other processes' within a
 * second.
 */
export class SpaceDirectory {
  readonly #db: Db;
  /** Code length → prefix → entry (no key is built per lookup). */
  readonly #byPrefix = new Map<number, Map<string, SpaceEntry>>();
  /** The entry of each space row loaded (rows are replaced, never changed). */
  readonly #ofSpace = new WeakMap<CodeSpaceRow, SpaceEntry>();
  #prefixesLoadedAt = 0;
  #prefixLoad: Promise<void> | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The space of a prefix, or undefined if no space has it. */
  async space(length: number, prefix: string, now: number = Date.now()): Promise<CodeSpaceRow | undefined> {
    let entry = this.#byPrefix.get(length)?.get(prefix);
    if (entry === undefined && now - this.#prefixesLoadedAt >= RELOAD_INTERVAL_MS) {
      await this.#loadPrefixes(now);
      entry = this.#byPrefix.get(length)?.get(prefix);
    }
    return entry?.space;
  }

  /** The issued range holding a serial of a space, or undefined if it was never issued. */
  async issued(
    space: CodeSpaceRow,
    serial: number,
    now: number = Date.now(),
  ): Promise<IssuedRange | undefined> {
    const entry = this.#ofSpace.get(space);
    if (entry === undefined) return undefined;
    if (entry.loadedAt === 0 || (serial >= entry.loadedUpTo && now - entry.loadedAt >= RELOAD_INTERVAL_MS)) {
      entry.loading ??= this.#loadJobs(entry, now).finally(() => {
        entry.loading = undefined;
      });
      await entry.loading;
    }
    return findRange(entry.ranges, serial);
  }

  /** Drops what is known of an enterprise's spaces (after this process issued codes). */
  forget(tenantId: string): void {
    for (const prefixes of this.#byPrefix.values()) {
      for (const [prefix, entry] of prefixes) {
        if (entry.space.tenant_id === tenantId) prefixes.delete(prefix);
      }
    }
    this.#prefixesLoadedAt = 0;
  }

  async #loadPrefixes(now: number): Promise<void> {
    this.#prefixLoad ??= (async () => {
      try {
        const spaces = await this.#db.kysely.selectFrom('code_spaces').selectAll().execute();
        for (const space of spaces) {
          let prefixes = this.#byPrefix.get(space.code_length);
          if (prefixes === undefined) {
            prefixes = new Map();
            this.#byPrefix.set(space.code_length, prefixes);
          }
          const old = prefixes.get(space.prefix);
          if (old === undefined || old.space.id !== space.id) {
            const entry = { space, ranges: [], loadedUpTo: 0, loadedAt: 0, loading: undefined };
            prefixes.set(space.prefix, entry);
            this.#ofSpace.set(space, entry);
          }
        }
        this.#prefixesLoadedAt = now;
      } finally {
        this.#prefixLoad = undefined;
      }
    })();
    await this.#prefixLoad;
  }

  async #loadJobs(entry: SpaceEntry, now: number): Promise<void> {
    const after = entry.ranges.at(-1)?.firstSerial ?? -1;
    const [rows, space] = await Promise.all([
      this.#db.kysely
        .selectFrom('code_jobs')
        .select(['id', 'product_id', 'first_serial', 'count', 'with_pin'])
        .where('tenant_id', '=', entry.space.tenant_id)
        .where('space_id', '=', entry.space.id)
        .where('first_serial', '>', after)
        .orderBy('first_serial')
        .execute(),
      this.#db.kysely
        .selectFrom('code_spaces')
        .select('next_serial')
        .where('tenant_id', '=', entry.space.tenant_id)
        .where('id', '=', entry.space.id)
        .executeTakeFirst(),
    ]);
    const added = rows.map((r) => ({
      jobId: r.id,
      productId: r.product_id,
      firstSerial: r.first_serial,
      endSerial: r.first_serial + r.count,
      withPin: r.with_pin === 1,
    }));
    entry.ranges = [...entry.ranges, ...added];
    entry.loadedUpTo = Math.max(space?.next_serial ?? 0, entry.ranges.at(-1)?.endSerial ?? 0);
    entry.loadedAt = now;
  }
}

/** Binary search over sorted, non-overlapping ranges. */
function findRange(ranges: readonly IssuedRange[], serial: number): IssuedRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid];
    if (r === undefined) return undefined;
    if (serial < r.firstSerial) hi = mid - 1;
    else if (serial >= r.endSerial) lo = mid + 1;
    else return r;
  }
  return undefined;
}
