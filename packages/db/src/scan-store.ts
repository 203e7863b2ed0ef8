import type pg from 'pg';
import {
  decideScan,
  regionDistances,
  type QueryState,
  type QuerySummary,
  type RegionCentroids,
  type ScanRule,
  type ScanVerdict,
} from '@tracemark/core';
import type { NativeHandle } from './database.js';
import { pgArray } from './dialect/pg-array.js';
import { PG_PEEK_SQL, peekedState, type PeekRow } from './scan-peek.js';
import { SqliteScanStore, ThreadedSqliteScanStore } from './sqlite-scan-store.js';
import type { ScanChannel, ScanClient } from './tables/scans.js';

/** One consumer query of an issued code, as the scan service hands it to the store. */
export interface ScanQuery {
  readonly tenantId: string;
  readonly spaceId: string;
  readonly serial: number;
  readonly code: string;
  /** The id of the `scans` row to write (UUIDv7). */
  readonly id: string;
  readonly at: number;
  readonly regionCode: string | null;
  readonly channel: ScanChannel;
  readonly client: ScanClient;
  readonly pinVerified: boolean;
  /** What its decision needs besides the code's state (read in the write). */
  readonly rule: ScanRule;
}

export type { QuerySummary, QueryState, ScanVerdict } from '@tracemark/core';

/** A recorded query: the state it saw, what was decided, and the summary after it. */
export interface ScanOutcome {
  readonly state: QueryState;
  readonly decision: ScanVerdict;
  readonly summary: QuerySummary;
}

/**
 * The consumer-scan hot path: per batch of queries, read each code's activation, void and query
 * summary, decide each (`decideScan`: its rule and that state), then upsert the summary and
 * append the log row — one transaction per batch (group commit). Prepared statements on the
 * driver, not Kysely: a scan must cost microseconds, not a query builder's allocations.
 */
export interface ScanStore {
  /**
   * How many batches are worth having under way at once: 1 where a batch runs on the event loop;
   * more where a thread writes them one after another (each small, see `eagerBatchSize`); on
   * PostgreSQL half the pool (each batch waits for its WAL flush).
   */
  readonly batchesInFlight: number;
  /**
   * Queries at which a batch goes to the store at once rather than after the event loop's turn:
   * where a thread or the database server writes, it starts on the first queries of a turn while
   * the event loop reads the rest (measured on bench/scan: 11.6 k → 15.7 k answers/s on SQLite,
   * 9.3–10.0 k → 11.3 k on PostgreSQL); where the batch would run on the event loop, never
   * (`Infinity`): there a turn's queries are best written together.
   */
  readonly eagerBatchSize: number;
  /** Records a batch; resolves once it is committed. Outcomes are in the order of `queries`. */
  record(queries: readonly ScanQuery[]): Promise<ScanOutcome[]>;
  /**
   * A code's state as committed, without recording a query (link previews, crawlers,
   * prefetches): one read statement, nothing written.
   */
  peek(tenantId: string, spaceId: string, serial: number): Promise<QueryState>;
}

/**
 * The store for a database's engine; `centroids` are the regions' points for the distance check
 * of consecutive queries (the geolocator's table).
 */
export function createScanStore(native: NativeHandle, centroids: RegionCentroids): ScanStore {
  if (native.type === 'postgres') return new PostgresScanStore(native.pool, centroids);
  // An in-memory database exists only on its own connection.
  return native.handle.memory
    ? new SqliteScanStore(native.handle, centroids)
    : new ThreadedSqliteScanStore(native.handle, centroids);
}

/** Applies one query to a summary (the same rule on both engines). */
function nextSummary(previous: QuerySummary | null, q: ScanQuery): QuerySummary {
  return previous === null
    ? { firstAt: q.at, firstRegion: q.regionCode, count: 1, lastAt: q.at, lastRegion: q.regionCode }
    : { ...previous, count: previous.count + 1, lastAt: q.at, lastRegion: q.regionCode };
}

interface SummaryRow {
  first_at: number;
  first_region: string | null;
  count: number;
  last_at: number;
  last_region: string | null;
}

function summaryOf(row: SummaryRow): QuerySummary {
  return {
    firstAt: row.first_at,
    firstRegion: row.first_region,
    count: row.count,
    lastAt: row.last_at,
    lastRegion: row.last_region,
  };
}

const READ_SQL = `
SELECT i.ord::int AS ord,
       a.batch_id, a.activated_at,
       (v.serial IS NOT NULL) AS voided,
       q.first_at, q.first_region, q.count, q.last_at, q.last_region
FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS i(tenant_id, space_id, serial, ord)
LEFT JOIN LATERAL (
  SELECT batch_id, activated_at, last_serial FROM code_activations c
  WHERE c.tenant_id = i.tenant_id AND c.space_id = i.space_id AND c.first_serial <= i.serial
  ORDER BY c.first_serial DESC LIMIT 1
) a ON a.last_serial >= i.serial
LEFT JOIN code_voids v ON v.tenant_id = i.tenant_id AND v.space_id = i.space_id AND v.serial = i.serial
LEFT JOIN code_queries q ON q.tenant_id = i.tenant_id AND q.space_id = i.space_id AND q.serial = i.serial`;

/**
 * The write of a batch, one statement (so one round trip and one commit, atomic by itself): the
 * summaries are upserted (the old latest query becomes `prev_scan_id`, returned as `chain_from`)
 * and the log rows appended, each pointing at the code's query before it — the one before in the
 * batch, else the committed latest. Returns the committed summaries.
 */
const WRITE_SQL = `
WITH up AS (
  INSERT INTO code_queries AS q (tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region,
                                 last_scan_id)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[],
                       $8::text[], $9::text[])
  ON CONFLICT (tenant_id, space_id, serial) DO UPDATE SET
    count = q.count + excluded.count,
    prev_at = q.last_at,
    prev_region = q.last_region,
    prev_scan_id = q.last_scan_id,
    last_at = GREATEST(q.last_at, excluded.last_at),
    last_region = CASE WHEN excluded.last_at >= q.last_at THEN excluded.last_region ELSE q.last_region END,
    last_scan_id = excluded.last_scan_id
  RETURNING tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region, prev_scan_id AS chain_from
), ins AS (
  INSERT INTO scans (tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings,
                     region_code, region_source, channel, client, pin_verified, prev_scan_id)
  SELECT t.tenant_id, t.id, t.space_id, t.serial, t.code, t.product_id, t.batch_id, t.at, t.verdict, t.warnings,
         t.region_code, CASE WHEN t.region_code IS NULL THEN NULL ELSE 'ip' END, c.channel, c.client, c.pin_verified,
         COALESCE(lag(t.id) OVER (PARTITION BY t.tenant_id, t.space_id, t.serial ORDER BY t.ord), up.chain_from)
  FROM unnest($10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15::text[], $16::text[],
              $17::bigint[], $18::text[], $19::text[], $20::text[]) WITH ORDINALITY
       AS t(tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings, region_code, ord)
  JOIN unnest($21::text[], $22::text[], $23::int[]) WITH ORDINALITY AS c(channel, client, pin_verified, ord)
    ON c.ord = t.ord
  LEFT JOIN up ON up.tenant_id = t.tenant_id AND up.space_id = t.space_id AND up.serial = t.serial
)
SELECT tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region, chain_from FROM up`;

/** Corrects the decisions of log rows written from a summary another process had changed. */
const REDECIDE_SQL = `
UPDATE scans s SET verdict = r.verdict, warnings = r.warnings, product_id = r.product_id, batch_id = r.batch_id
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
     AS r(tenant_id, id, verdict, warnings, product_id, batch_id)
WHERE s.tenant_id = r.tenant_id AND s.id = r.id`;

/** A row of the batch read; the summary columns are null for a code never queried. */
interface PgReadRow {
  ord: number;
  batch_id: string | null;
  activated_at: number | null;
  voided: boolean;
  first_at: number | null;
  first_region: string | null;
  count: number | null;
  last_at: number | null;
  last_region: string | null;
}

interface PgSummaryRow extends SummaryRow {
  tenant_id: string;
  space_id: string;
  serial: number;
  /** The code's latest query before this batch's (null when the batch inserted the row). */
  chain_from: string | null;
}

const keyOf = (tenantId: string, spaceId: string, serial: number): string =>
  `${tenantId}\u0000${spaceId}\u0000${serial}`;

/**
 * PostgreSQL: a read statement for the whole batch, the decisions in JavaScript, then one write
 * statement that upserts the summaries and appends the log rows (arrays through `unnest`, so the
 * statement text never changes): two round trips and one commit per batch. If another process
 * queried one of the codes in between, the upsert's RETURNING shows it; the decisions are made
 * again from the committed summary and those log rows corrected before anyone is answered (a
 * crash between the two leaves them with the decision made before the race: see
 * docs/durability.md).
 */
class PostgresScanStore implements ScanStore {
  readonly batchesInFlight: number;
  /**
   * A batch's round trips and WAL flush overlap the event loop's reading of the rest of a turn
   * (bench/scan, 10 s runs: 9.3–10.0 k → 11.3 k answers/s for JSON with batches of 32; of 8 with
   * a pool of 20, 7.9 k: more statements, more work for PostgreSQL).
   */
  readonly eagerBatchSize = 32;
  readonly #distanceKm: (a: string, b: string) => number | undefined;

  constructor(
    private readonly pool: pg.Pool,
    centroids: RegionCentroids,
  ) {
    this.#distanceKm = regionDistances(centroids);
    // Leaves half the pool to the rest of the app.
    this.batchesInFlight = Math.max(2, Math.floor(pool.options.max / 2));
  }

  async record(queries: readonly ScanQuery[]): Promise<ScanOutcome[]> {
    if (queries.length === 0) return [];
    // Arrays go as literals written here (pgArray): the driver's own quotes and escapes every
    // element of the twenty-odd arrays of a batch.
    const read = await this.pool.query<PgReadRow>({
      name: 'scan_read',
      text: READ_SQL,
      values: [
        pgArray(queries.map((q) => q.tenantId)),
        pgArray(queries.map((q) => q.spaceId)),
        pgArray(queries.map((q) => q.serial)),
      ],
    });
    const base = new Map<number, PgReadRow>();
    for (const r of read.rows) base.set(r.ord - 1, r);
    const keys = queries.map((q) => keyOf(q.tenantId, q.spaceId, q.serial));
    const outcomes = this.#decideAll(queries, keys, base, new Map());
    const aggregated = this.#aggregate(queries, keys);
    const up = await this.pool.query<PgSummaryRow>({
      name: 'scan_write',
      text: WRITE_SQL,
      values: [
        pgArray(aggregated.map((g) => g.tenantId)),
        pgArray(aggregated.map((g) => g.spaceId)),
        pgArray(aggregated.map((g) => g.serial)),
        pgArray(aggregated.map((g) => g.firstAt)),
        pgArray(aggregated.map((g) => g.firstRegion)),
        pgArray(aggregated.map((g) => g.count)),
        pgArray(aggregated.map((g) => g.lastAt)),
        pgArray(aggregated.map((g) => g.lastRegion)),
        pgArray(aggregated.map((g) => g.lastScanId)),
        pgArray(queries.map((q) => q.tenantId)),
        pgArray(queries.map((q) => q.id)),
        pgArray(queries.map((q) => q.spaceId)),
        pgArray(queries.map((q) => q.serial)),
        pgArray(queries.map((q) => q.code)),
        pgArray(outcomes.map((o) => o.decision.productId)),
        pgArray(outcomes.map((o) => o.decision.batchId)),
        pgArray(queries.map((q) => q.at)),
        pgArray(outcomes.map((o) => o.decision.verdict)),
        pgArray(outcomes.map((o) => o.decision.warnings)),
        pgArray(queries.map((q) => q.regionCode)),
        pgArray(queries.map((q) => q.channel)),
        pgArray(queries.map((q) => q.client)),
        pgArray(queries.map((q) => (q.pinVerified ? 1 : 0))),
      ],
    });
    // Compare what was committed with what this batch assumed; another process may have queried
    // one of its codes between the read and the write. Then decide again from the committed
    // summary and correct those log rows before anyone is answered.
    const committed = new Map<string, QuerySummary>();
    for (const r of up.rows) committed.set(keyOf(r.tenant_id, r.space_id, r.serial), summaryOf(r));
    const assumedLast = new Map<string, QuerySummary>();
    for (const [i, key] of keys.entries()) {
      const o = outcomes[i];
      if (o !== undefined) assumedLast.set(key, o.summary);
    }
    const stale = new Map<string, QuerySummary | null>();
    for (const [key, assumed] of assumedLast) {
      const actual = committed.get(key);
      if (actual !== undefined && (actual.count !== assumed.count || actual.firstAt !== assumed.firstAt)) {
        const n = keys.filter((k) => k === key).length;
        stale.set(key, actual.count - n <= 0 ? null : { ...actual, count: actual.count - n });
      }
    }
    if (stale.size === 0) return outcomes;
    const redecided = this.#decideAll(queries, keys, base, stale);
    const changed = queries
      .map((q, i) => ({ q, o: redecided[i], key: keys[i] ?? '' }))
      .filter(
        (x): x is { q: ScanQuery; o: ScanOutcome; key: string } => x.o !== undefined && stale.has(x.key),
      );
    await this.pool.query({
      name: 'scan_redecide',
      text: REDECIDE_SQL,
      values: [
        pgArray(changed.map((x) => x.q.tenantId)),
        pgArray(changed.map((x) => x.q.id)),
        pgArray(changed.map((x) => x.o.decision.verdict)),
        pgArray(changed.map((x) => x.o.decision.warnings)),
        pgArray(changed.map((x) => x.o.decision.productId)),
        pgArray(changed.map((x) => x.o.decision.batchId)),
      ],
    });
    return redecided;
  }

  async peek(tenantId: string, spaceId: string, serial: number): Promise<QueryState> {
    const r = await this.pool.query<PeekRow>({
      name: 'scan_peek',
      text: PG_PEEK_SQL,
      values: [tenantId, spaceId, serial],
    });
    return peekedState(r.rows[0]);
  }

  /** Decides every query in order, chaining summaries of repeated codes within the batch. */
  #decideAll(
    queries: readonly ScanQuery[],
    keys: readonly string[],
    base: ReadonlyMap<number, PgReadRow>,
    overrides: ReadonlyMap<string, QuerySummary | null>,
  ): ScanOutcome[] {
    const running = new Map<string, QuerySummary | null>(overrides);
    return queries.map((q, i) => {
      const r = base.get(i);
      const key = keys[i] ?? '';
      const previous = running.has(key)
        ? (running.get(key) ?? null)
        : r !== undefined && r.first_at !== null && r.count !== null && r.last_at !== null
          ? summaryOf({ ...r, first_at: r.first_at, count: r.count, last_at: r.last_at })
          : null;
      const state: QueryState = {
        activation:
          r !== undefined && r.batch_id !== null && r.activated_at !== null
            ? { batchId: r.batch_id, activatedAt: r.activated_at }
            : null,
        voided: r?.voided === true,
        previous,
      };
      const decision = decideScan(q.rule, q, state, this.#distanceKm);
      const summary = nextSummary(previous, q);
      running.set(key, summary);
      return { state, decision, summary };
    });
  }

  /** One upsert row per code: how many queries, the earliest and the latest of the batch. */
  #aggregate(queries: readonly ScanQuery[], keys: readonly string[]) {
    const groups = new Map<
      string,
      {
        tenantId: string;
        spaceId: string;
        serial: number;
        firstAt: number;
        firstRegion: string | null;
        count: number;
        lastAt: number;
        lastRegion: string | null;
        /** The batch's last query of the code: the new head of its chain. */
        lastScanId: string;
      }
    >();
    for (const [i, q] of queries.entries()) {
      const key = keys[i] ?? '';
      const g = groups.get(key);
      if (g === undefined) {
        groups.set(key, {
          tenantId: q.tenantId,
          spaceId: q.spaceId,
          serial: q.serial,
          firstAt: q.at,
          firstRegion: q.regionCode,
          count: 1,
          lastAt: q.at,
          lastRegion: q.regionCode,
          lastScanId: q.id,
        });
      } else {
        g.count += 1;
        g.lastScanId = q.id;
        if (q.at >= g.lastAt) {
          g.lastAt = q.at;
          g.lastRegion = q.regionCode;
        }
      }
    }
    return [...groups.values()];
  }
}
