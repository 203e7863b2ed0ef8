import type SQLite from 'better-sqlite3';
import { decideScan, type QueryState, type QuerySummary, type ScanVerdict } from '@tracemark/core';
import type { ScanOutcome, ScanQuery } from './scan-store.js';

/** One query counted inside its batch's transaction: the state it saw, the summary after it. */
interface Counted {
  readonly state: QueryState;
  readonly summary: QuerySummary;
  /** The code's latest query before this one: what the new `scans` row points at. */
  readonly head: string | null;
}

/** A code range's activation, as the batches keep them per space. */
interface ActivationRange {
  readonly first: number;
  readonly last: number;
  readonly batchId: string;
  readonly activatedAt: number;
}

/**
 * What the batches keep of a code space between them while nothing else writes: its activations
 * (null when it has too many to keep; then each query reads its own) and whether any of its codes
 * was voided (if none, no query needs to look).
 */
interface SpaceFacts {
  readonly activations: readonly ActivationRange[] | null;
  readonly hasVoids: boolean;
}

/** Most activations kept for one space (a job is activated in one or a few ranges). */
const MAX_KEPT_ACTIVATIONS = 1024;
/** Most spaces kept; past it the facts are read afresh. */
const MAX_KEPT_SPACES = 1024;

/** What was thrown, as an Error (a batch's failure is answered with one). */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/**
 * The consumer-scan statements on one SQLite connection, prepared once; {@link record} writes a
 * batch. Shared by the store on the event loop's connection and the scan writer's thread.
 *
 * Between batches it keeps each scanned space's activations and whether it has voids, so a query
 * runs two statements of its own (the summary's upsert and the log row's insert). The facts are
 * read afresh as soon as anything else was committed: another connection (SQLite's
 * `data_version`) or this one outside the batches (`total_changes()`), checked once per batch
 * under its write lock, so nothing can change them while a batch uses them.
 */
export class SqliteScanStatements {
  readonly #activation: SQLite.Statement<
    [string, string, number],
    { batch_id: string; activated_at: number; last_serial: number }
  >;
  readonly #voided: SQLite.Statement<[string, string, number], { one: number }>;
  readonly #upsert: SQLite.Statement<
    [string, string, number, number, string | null, number, string | null, string],
    {
      first_at: number;
      first_region: string | null;
      count: number;
      prev_at: number | null;
      prev_region: string | null;
      prev_scan_id: string | null;
    }
  >;
  readonly #insert: SQLite.Statement;
  readonly #begin: SQLite.Statement;
  readonly #commit: SQLite.Statement;
  readonly #rollback: SQLite.Statement;
  readonly #spaceActivations: SQLite.Statement<
    [string, string, number],
    { first_serial: number; last_serial: number; batch_id: string; activated_at: number }
  >;
  readonly #spaceVoided: SQLite.Statement<[string, string], { one: number }>;
  readonly #dataVersion: SQLite.Statement<[], number>;
  readonly #totalChanges: SQLite.Statement<[], number>;
  readonly #db: SQLite.Database;
  /** Facts per tenant, then space, valid while the two counters below stand. */
  readonly #facts = new Map<string, Map<string, SpaceFacts>>();
  #keptSpaces = 0;
  #seenVersion = -1;
  #seenChanges = -1;

  constructor(db: SQLite.Database) {
    this.#db = db;
    this.#activation = db.prepare(
      'SELECT batch_id, activated_at, last_serial FROM code_activations ' +
        'WHERE tenant_id = ? AND space_id = ? AND first_serial <= ? ORDER BY first_serial DESC LIMIT 1',
    );
    this.#voided = db.prepare(
      'SELECT 1 AS one FROM code_voids WHERE tenant_id = ? AND space_id = ? AND serial = ?',
    );
    // On conflict the right-hand sides read the old row: the old last query becomes the previous,
    // and its id the new log row's predecessor (read back by RETURNING, so the query reads the
    // code's row once: a separate read of the chain's head before the upsert cost ~4 µs a query).
    this.#upsert = db.prepare(
      'INSERT INTO code_queries (tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region, ' +
        'last_scan_id) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (tenant_id, space_id, serial) DO UPDATE SET ' +
        'count = count + 1, prev_at = last_at, prev_region = last_region, prev_scan_id = last_scan_id, ' +
        'last_at = excluded.last_at, last_region = excluded.last_region, last_scan_id = excluded.last_scan_id ' +
        'RETURNING first_at, first_region, count, prev_at, prev_region, prev_scan_id',
    );
    this.#insert = db.prepare(
      'INSERT INTO scans (tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings, ' +
        'region_code, region_source, latitude, longitude, channel, client, pin_verified, prev_scan_id) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)',
    );
    this.#spaceActivations = db.prepare(
      'SELECT first_serial, last_serial, batch_id, activated_at FROM code_activations ' +
        'WHERE tenant_id = ? AND space_id = ? ORDER BY first_serial LIMIT ?',
    );
    this.#spaceVoided = db.prepare(
      'SELECT 1 AS one FROM code_voids WHERE tenant_id = ? AND space_id = ? LIMIT 1',
    );
    this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.#totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /**
   * Records a batch in one transaction: per query, read the activation and void (kept between
   * batches while nothing else writes), upsert the summary (returning the chain's head), decide
   * (`decideScan`), append the log row. Throws, rolled back, if any statement fails.
   */
  record(
    queries: readonly ScanQuery[],
    distanceKm: (a: string, b: string) => number | undefined,
  ): ScanOutcome[] {
    const [result] = this.recordMany([queries], distanceKm);
    if (result instanceof Error) throw result;
    if (result === undefined) throw new Error('recordMany answered no batch');
    return result;
  }

  /**
   * Records batches in one transaction (one commit for all of them). If a statement of one batch
   * fails, the transaction is rolled back whole and each batch is recorded again in a transaction
   * of its own: the failing batch is answered with its error and leaves nothing behind, the others
   * are committed (a batch whose own transaction then fails is answered with that error). Throws,
   * all rolled back, only if the shared transaction itself fails.
   *
   * No savepoint per batch: SQLite copies every page a savepoint's statements first change into its
   * journal, ~5 µs a query for batches of 16 (a script on a copy of the bench/scan fixture, batches
   * of 48 queries in three savepoints against none: medians 62.8 and 55.9 µs a query), paid on
   * every batch for a failure that almost never comes.
   */
  recordMany(
    batches: readonly (readonly ScanQuery[])[],
    distanceKm: (a: string, b: string) => number | undefined,
  ): (ScanOutcome[] | Error)[] {
    let failure: Error | undefined;
    this.#begin.run();
    try {
      this.#checkFacts();
      const results: ScanOutcome[][] = [];
      for (const queries of batches) {
        try {
          results.push(this.#recordBatch(queries, distanceKm));
        } catch (error) {
          failure = asError(error);
          break;
        }
      }
      if (failure === undefined) {
        this.#commit.run();
        this.#seenChanges = this.#totalChanges.get() ?? -1;
        return results;
      }
      if (this.#db.inTransaction) this.#rollback.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      this.#forgetFacts();
      throw error;
    }
    if (batches.length === 1) return [failure];
    // Each batch alone: the one that failed fails again, by itself.
    return batches.map((queries): ScanOutcome[] | Error => {
      try {
        return this.record(queries, distanceKm);
      } catch (error) {
        return asError(error);
      }
    });
  }

  /** Counts, decides and logs a batch's queries inside the open transaction. */
  #recordBatch(
    queries: readonly ScanQuery[],
    distanceKm: (a: string, b: string) => number | undefined,
  ): ScanOutcome[] {
    return queries.map((q): ScanOutcome => {
      const { state, summary, head } = this.#count(q);
      const decision = decideScan(q.rule, q, state, distanceKm);
      this.#write(q, decision, head);
      return { state, decision, summary };
    });
  }

  /** Forgets the kept facts if anything was committed since the last batch but by the batches. */
  #checkFacts(): void {
    const version = this.#dataVersion.get() ?? -1;
    const changes = this.#totalChanges.get() ?? -1;
    if (version !== this.#seenVersion || changes !== this.#seenChanges) this.#forgetFacts();
    this.#seenVersion = version;
    this.#seenChanges = changes;
  }

  #forgetFacts(): void {
    this.#facts.clear();
    this.#keptSpaces = 0;
    this.#seenVersion = -1;
  }

  /** The space's facts, read on first use since they were last forgotten. */
  #factsOf(tenantId: string, spaceId: string): SpaceFacts {
    let spaces = this.#facts.get(tenantId);
    let facts = spaces?.get(spaceId);
    if (facts !== undefined) return facts;
    if (this.#keptSpaces >= MAX_KEPT_SPACES) {
      this.#facts.clear();
      this.#keptSpaces = 0;
      spaces = undefined;
    }
    const rows = this.#spaceActivations.all(tenantId, spaceId, MAX_KEPT_ACTIVATIONS + 1);
    facts = {
      activations:
        rows.length > MAX_KEPT_ACTIVATIONS
          ? null
          : rows.map((r) => ({
              first: r.first_serial,
              last: r.last_serial,
              batchId: r.batch_id,
              activatedAt: r.activated_at,
            })),
      hasVoids: this.#spaceVoided.get(tenantId, spaceId) !== undefined,
    };
    if (spaces === undefined) {
      spaces = new Map();
      this.#facts.set(tenantId, spaces);
    }
    spaces.set(spaceId, facts);
    this.#keptSpaces += 1;
    return facts;
  }

  /** The activation covering the query's code: the range starting last at or before its serial. */
  #activationOf(q: ScanQuery, facts: SpaceFacts): QueryState['activation'] {
    const ranges = facts.activations;
    if (ranges === null) {
      const a = this.#activation.get(q.tenantId, q.spaceId, q.serial);
      return a !== undefined && a.last_serial >= q.serial
        ? { batchId: a.batch_id, activatedAt: a.activated_at }
        : null;
    }
    let lo = 0;
    let hi = ranges.length - 1;
    let found: ActivationRange | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = ranges[mid];
      if (r === undefined) break;
      if (r.first <= q.serial) {
        found = r;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found !== undefined && found.last >= q.serial
      ? { batchId: found.batchId, activatedAt: found.activatedAt }
      : null;
  }

  /** Reads what the query needs and counts it in the code's summary. */
  #count(q: ScanQuery): Counted {
    const facts = this.#factsOf(q.tenantId, q.spaceId);
    const up = this.#upsert.get(
      q.tenantId,
      q.spaceId,
      q.serial,
      q.at,
      q.regionCode,
      q.at,
      q.regionCode,
      q.id,
    );
    if (up === undefined) throw new Error('the code_queries upsert returned no row');
    return {
      state: {
        activation: this.#activationOf(q, facts),
        voided: facts.hasVoids && this.#voided.get(q.tenantId, q.spaceId, q.serial) !== undefined,
        previous:
          up.count === 1
            ? null
            : {
                firstAt: up.first_at,
                firstRegion: up.first_region,
                count: up.count - 1,
                // Rows written before the previous query was kept know only the first one.
                lastAt: up.prev_at ?? up.first_at,
                lastRegion: up.prev_at === null ? null : up.prev_region,
              },
      },
      summary: {
        firstAt: up.first_at,
        firstRegion: up.first_region,
        count: up.count,
        lastAt: q.at,
        lastRegion: q.regionCode,
      },
      // A new row has none; an updated one, the query that was the latest before this one.
      head: up.count === 1 ? null : up.prev_scan_id,
    };
  }

  /** Appends the query's log row with what was decided. */
  #write(q: ScanQuery, decision: ScanVerdict, head: string | null): void {
    this.#insert.run(
      q.tenantId,
      q.id,
      q.spaceId,
      q.serial,
      q.code,
      decision.productId,
      decision.batchId,
      q.at,
      decision.verdict,
      decision.warnings,
      q.regionCode,
      q.regionCode === null ? null : 'ip',
      q.channel,
      q.client,
      q.pinVerified ? 1 : 0,
      head,
    );
  }
}
