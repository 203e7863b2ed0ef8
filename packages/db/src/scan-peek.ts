import type { QueryState } from '@tracemark/core';

// The state of one code read without recording a query, for the requests that must not count
// (link previews, crawlers, prefetches): its activation, whether it was voided and its query
// summary, in one statement on the driver (one snapshot, one parse at most: the same three reads
// through Kysely cost such a request 2.3 times a counted query's CPU on bench/scan's fixture).

/** SQLite's form, with named parameters `@tenant`, `@space`, `@serial`. */
export const SQLITE_PEEK_SQL = `
SELECT a.batch_id, a.activated_at,
       EXISTS (SELECT 1 FROM code_voids v
               WHERE v.tenant_id = @tenant AND v.space_id = @space AND v.serial = @serial) AS voided,
       q.first_at, q.first_region, q.count, q.last_at, q.last_region
FROM (SELECT 1) AS one
LEFT JOIN (SELECT batch_id, activated_at, last_serial FROM code_activations
           WHERE tenant_id = @tenant AND space_id = @space AND first_serial <= @serial
           ORDER BY first_serial DESC LIMIT 1) AS a ON a.last_serial >= @serial
LEFT JOIN code_queries q ON q.tenant_id = @tenant AND q.space_id = @space AND q.serial = @serial`;

/** PostgreSQL's form: `$1` tenant, `$2` space, `$3` serial. */
export const PG_PEEK_SQL = `
SELECT a.batch_id, a.activated_at,
       EXISTS (SELECT 1 FROM code_voids v
               WHERE v.tenant_id = $1 AND v.space_id = $2 AND v.serial = $3) AS voided,
       q.first_at, q.first_region, q.count, q.last_at, q.last_region
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (SELECT batch_id, activated_at, last_serial FROM code_activations c
                   WHERE c.tenant_id = $1 AND c.space_id = $2 AND c.first_serial <= $3
                   ORDER BY c.first_serial DESC LIMIT 1) AS a ON a.last_serial >= $3
LEFT JOIN code_queries q ON q.tenant_id = $1 AND q.space_id = $2 AND q.serial = $3`;

/** The row either form returns; the summary's columns are null for a code never queried. */
export interface PeekRow {
  batch_id: string | null;
  activated_at: number | null;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  voided: number | boolean;
  first_at: number | null;
  first_region: string | null;
  count: number | null;
  last_at: number | null;
  last_region: string | null;
}

/** The code's state from its peek row (none: nothing known of it). */
export function peekedState(row: PeekRow | undefined): QueryState {
  if (row === undefined) return { activation: null, voided: false, previous: null };
  return {
    activation:
      row.batch_id !== null && row.activated_at !== null
        ? { batchId: row.batch_id, activatedAt: row.activated_at }
        : null,
    voided: row.voided === true || row.voided === 1,
    previous:
      row.first_at !== null && row.count !== null && row.last_at !== null
        ? {
            firstAt: row.first_at,
            firstRegion: row.first_region,
            count: row.count,
            lastAt: row.last_at,
            lastRegion: row.last_region,
          }
        : null,
  };
}
