import type SQLite from 'better-sqlite3';
import { decideScan } from '@tracemark/core';
import type { CodeStateAtQuery, QuerySummary, ScanDecision, ScanOutcome, ScanQuery } from './scan-store.js';

/**
 * What one query finds on SQLite, inside its batch's transaction: the code's activation and void,
 * and its query summary as the upsert left it (this query counted).
 */
export interface SqliteQueryRead {
  readonly activation: { readonly batchId: string; readonly activatedAt: number } | null;
  readonly voided: boolean;
  readonly firstAt: number;
  readonly firstRegion: string | null;
  /** The count with this query. */
  readonly count: number;
  /** The query before this one (null on rows written before it was kept, and on a first query). */
  readonly prevAt: number | null;
  readonly prevRegion: string | null;
  /** The code's latest query before this one: what the new `scans` row points at. */
  readonly head: string | null;
}

/**
 * The consumer-scan statements on one SQLite connection, prepared once: per query, read the
 * activation, void and chain head and upsert the summary ({@link read}); once decided, append the
 * log row ({@link write}). The caller brackets a batch with `begin` and `commit`. Shared by the
 * store on the event loop's connection and the scan writer's thread.
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
    }
  >;
  readonly #head: SQLite.Statement<[string, string, number], { last_scan_id: string | null }>;
  readonly #insert: SQLite.Statement;
  readonly #begin: SQLite.Statement;
  readonly #commit: SQLite.Statement;
  readonly #rollback: SQLite.Statement;
  readonly #db: SQLite.Database;

  constructor(db: SQLite.Database) {
    this.#db = db;
    this.#activation = db.prepare(
      'SELECT batch_id, activated_at, last_serial FROM code_activations ' +
        'WHERE tenant_id = ? AND space_id = ? AND first_serial <= ? ORDER BY first_serial DESC LIMIT 1',
    );
    this.#voided = db.prepare(
      'SELECT 1 AS one FROM code_voids WHERE tenant_id = ? AND space_id = ? AND serial = ?',
    );
    // On conflict the right-hand sides read the old row: the old last query becomes the previous.
    this.#upsert = db.prepare(
      'INSERT INTO code_queries (tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region, ' +
        'last_scan_id) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (tenant_id, space_id, serial) DO UPDATE SET ' +
        'count = count + 1, prev_at = last_at, prev_region = last_region, ' +
        'last_at = excluded.last_at, last_region = excluded.last_region, last_scan_id = excluded.last_scan_id ' +
        'RETURNING first_at, first_region, count, prev_at, prev_region',
    );
    // The code's latest query before this one: read first (the write lock is held, nothing can
    // come between), instead of keeping it in the row as PostgreSQL must — measured cheaper.
    this.#head = db.prepare(
      'SELECT last_scan_id FROM code_queries WHERE tenant_id = ? AND space_id = ? AND serial = ?',
    );
    this.#insert = db.prepare(
      'INSERT INTO scans (tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings, ' +
        'region_code, region_source, latitude, longitude, channel, client, pin_verified, prev_scan_id) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)',
    );
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  begin(): void {
    this.#begin.run();
  }

  commit(): void {
    this.#commit.run();
  }

  /** Rolls back the batch's transaction if it is still open. */
  rollback(): void {
    if (this.#db.inTransaction) this.#rollback.run();
  }

  /** Reads what the query needs and counts it in the code's summary. */
  read(q: ScanQuery): SqliteQueryRead {
    const a = this.#activation.get(q.tenantId, q.spaceId, q.serial);
    const head = this.#head.get(q.tenantId, q.spaceId, q.serial);
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
      activation:
        a !== undefined && a.last_serial >= q.serial
          ? { batchId: a.batch_id, activatedAt: a.activated_at }
          : null,
      voided: this.#voided.get(q.tenantId, q.spaceId, q.serial) !== undefined,
      firstAt: up.first_at,
      firstRegion: up.first_region,
      count: up.count,
      prevAt: up.prev_at,
      prevRegion: up.prev_region,
      head: head?.last_scan_id ?? null,
    };
  }

  /** Appends the query's log row with what was decided. */
  write(q: ScanQuery, read: SqliteQueryRead, decision: ScanDecision): void {
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
      read.head,
    );
  }
}

/** The code's state before the query, as the decision sees it. */
export function stateAtQuery(read: SqliteQueryRead): CodeStateAtQuery {
  return {
    activation: read.activation,
    voided: read.voided,
    previous:
      read.count === 1
        ? null
        : {
            firstAt: read.firstAt,
            firstRegion: read.firstRegion,
            count: read.count - 1,
            // Rows written before the previous query was kept know only the first one.
            lastAt: read.prevAt ?? read.firstAt,
            lastRegion: read.prevAt === null ? null : read.prevRegion,
          },
  };
}

/**
 * Records a batch on this connection in one transaction: per query read, decide, write. Throws
 * (the transaction rolled back) if any statement fails.
 */
export function recordBatch(
  statements: SqliteScanStatements,
  queries: readonly ScanQuery[],
  distanceKm: (a: string, b: string) => number | undefined,
): ScanOutcome[] {
  statements.begin();
  try {
    const outcomes = queries.map((q) => {
      const read = statements.read(q);
      const state = stateAtQuery(read);
      const decision = decideScan(q.rule, q, state, distanceKm);
      statements.write(q, read, decision);
      const summary: QuerySummary = {
        firstAt: read.firstAt,
        firstRegion: read.firstRegion,
        count: read.count,
        lastAt: q.at,
        lastRegion: q.regionCode,
      };
      return { state, decision, summary };
    });
    statements.commit();
    return outcomes;
  } catch (error) {
    statements.rollback();
    throw error;
  }
}
