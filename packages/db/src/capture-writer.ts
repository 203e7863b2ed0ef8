import type SQLite from 'better-sqlite3';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { TraceEffects } from '@tracemark/core';
import type { NativeHandle } from './database.js';
import type { Database } from './schema.js';
import type { EpcisEventsTable, EventEpcsTable } from './tables/events.js';
import { coalesceParents, distinctEdges, TraceRepository } from './repositories/trace-repository.js';

/** The rows of one capture: events, their identifiers and what they mean for trace. */
export interface CaptureRows {
  readonly tenantId: string;
  readonly events: readonly Insertable<EpcisEventsTable>[];
  readonly epcs: readonly Insertable<EventEpcsTable>[];
  readonly effects: TraceEffects;
}

/**
 * The capture hot path on SQLite: prepared statements on the driver's handle, run synchronously
 * inside the transaction Kysely holds open on that same (single) connection. The caller must be
 * inside a Kysely transaction (`Kysely.isTransaction`) and the handle must be in a transaction:
 * Kysely's SQLite driver serialises every use of its one connection, and the scan store only
 * starts its own synchronous BEGIN…COMMIT while no transaction is open, so statements run here
 * can only belong to the caller's transaction. Returns false (nothing written) otherwise, and the
 * caller falls back to Kysely.
 */
export function writeCaptureNative(
  native: NativeHandle,
  inKyselyTransaction: boolean,
  rows: CaptureRows,
): boolean {
  if (native.type !== 'sqlite' || !inKyselyTransaction || !native.handle.inTransaction) return false;
  statementsOf(native.handle).write(rows);
  return true;
}

const cache = new WeakMap<SQLite.Database, SqliteCaptureStatements>();

function statementsOf(handle: SQLite.Database): SqliteCaptureStatements {
  let s = cache.get(handle);
  if (s === undefined) {
    s = new SqliteCaptureStatements(handle);
    cache.set(handle, s);
  }
  return s;
}

/**
 * An INSERT of many rows per statement: one statement of `perStatement` rows prepared once, and
 * for the rest statements of 1, 2, 4 … rows (prepared when first needed), so a remainder of r rows
 * takes at most log2(r) + 1 statements. A statement per row costs a call into the driver per row; a
 * 1,000-event capture has some 25,000 rows. Values go straight into one reused array (no array
 * per row).
 */
class MultiRowInsert {
  readonly #db: SQLite.Database;
  readonly #head: string;
  readonly #tail: string;
  readonly #row: string;
  readonly #many: SQLite.Statement;
  readonly #fewer = new Map<number, SQLite.Statement>();
  readonly #width: number;
  /** The values of up to `perStatement` rows; `length` (the values in it) is kept in `#filled`. */
  readonly #buffer: unknown[];
  #filled = 0;

  constructor(db: SQLite.Database, head: string, width: number, tail: string, perStatement: number) {
    this.#db = db;
    this.#head = head;
    this.#tail = tail;
    this.#row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
    this.#many = this.#statement(perStatement);
    this.#width = width;
    this.#buffer = new Array<unknown>(width * perStatement).fill(null);
  }

  /**
   * Where the next row's `width` values go: write them into {@link values} from the returned
   * offset, then call {@link added}.
   */
  next(): number {
    return this.#filled;
  }

  /** The array rows are written into. */
  get values(): unknown[] {
    return this.#buffer;
  }

  /** Counts the row written at {@link next}'s offset; a full buffer is written. */
  added(): void {
    this.#filled += this.#width;
    if (this.#filled === this.#buffer.length) {
      this.#many.run(this.#buffer);
      this.#filled = 0;
    }
  }

  /** Writes what is buffered. */
  flush(): void {
    let from = 0;
    let rows = this.#filled / this.#width;
    for (let size = 1 << Math.floor(Math.log2(Math.max(rows, 1))); rows > 0; size >>= 1) {
      if (size > rows) continue;
      let statement = this.#fewer.get(size);
      if (statement === undefined) {
        statement = this.#statement(size);
        this.#fewer.set(size, statement);
      }
      const end = from + size * this.#width;
      statement.run(this.#buffer.slice(from, end));
      from = end;
      rows -= size;
    }
    this.#filled = 0;
  }

  /** Drops what is buffered (after a failure). */
  reset(): void {
    this.#filled = 0;
  }

  #statement(rows: number): SQLite.Statement {
    return this.#db.prepare(
      `${this.#head} VALUES ${Array.from({ length: rows }, () => this.#row).join(', ')} ${this.#tail}`,
    );
  }
}

class SqliteCaptureStatements {
  readonly #event: MultiRowInsert;
  readonly #epc: MultiRowInsert;
  readonly #edge: MultiRowInsert;
  readonly #parentSets: MultiRowInsert;
  readonly #parentSet: SQLite.Statement;
  readonly #parentClear: SQLite.Statement;
  readonly #parentClearAll: SQLite.Statement;
  readonly #holding: MultiRowInsert;

  constructor(db: SQLite.Database) {
    this.#event = new MultiRowInsert(
      db,
      'INSERT INTO epcis_events (tenant_id, id, event_id, type, event_time, record_time, event_time_zone_offset, ' +
        'action, biz_step, disposition, read_point, biz_location, hash, capture_id, body, error_declaration, ' +
        'error_declared_at, error_reason)',
      18,
      '',
      25,
    );
    this.#epc = new MultiRowInsert(db, 'INSERT INTO event_epcs (tenant_id, epc, role, event_pk)', 4, '', 200);
    this.#edge = new MultiRowInsert(
      db,
      'INSERT INTO trace_edges (tenant_id, from_epc, kind, to_epc, event_pk, event_time)',
      6,
      'ON CONFLICT DO NOTHING',
      100,
    );
    const parentUpsert =
      'ON CONFLICT (tenant_id, child) DO UPDATE SET parent = excluded.parent, event_pk = excluded.event_pk, ' +
      'event_time = excluded.event_time WHERE trace_parent.event_time <= excluded.event_time';
    const parentHead = 'INSERT INTO trace_parent (tenant_id, child, parent, event_pk, event_time)';
    this.#parentSets = new MultiRowInsert(db, parentHead, 5, parentUpsert, 100);
    this.#parentSet = db.prepare(`${parentHead} VALUES (?, ?, ?, ?, ?) ${parentUpsert}`);
    this.#parentClear = db.prepare(
      'INSERT INTO trace_parent (tenant_id, child, parent, event_pk, event_time) VALUES (?, ?, NULL, ?, ?) ' +
        'ON CONFLICT (tenant_id, child) DO UPDATE SET parent = NULL, event_pk = excluded.event_pk, ' +
        'event_time = excluded.event_time WHERE trace_parent.parent = ? AND trace_parent.event_time <= excluded.event_time',
    );
    this.#parentClearAll = db.prepare(
      'UPDATE trace_parent SET parent = NULL, event_pk = ?, event_time = ? ' +
        'WHERE tenant_id = ? AND parent = ? AND event_time <= ?',
    );
    this.#holding = new MultiRowInsert(
      db,
      'INSERT INTO trace_holdings (tenant_id, epc, biz_location, read_point, owner, disposition, biz_step, event_pk, ' +
        'event_time)',
      9,
      'ON CONFLICT (tenant_id, epc) DO UPDATE SET ' +
        'biz_location = excluded.biz_location, read_point = excluded.read_point, ' +
        'owner = coalesce(excluded.owner, trace_holdings.owner), disposition = excluded.disposition, ' +
        'biz_step = excluded.biz_step, event_pk = excluded.event_pk, event_time = excluded.event_time ' +
        'WHERE trace_holdings.event_time <= excluded.event_time',
      50,
    );
  }

  write(rows: CaptureRows): void {
    const all = [this.#event, this.#epc, this.#edge, this.#parentSets, this.#holding];
    try {
      this.#write(rows);
    } finally {
      for (const m of all) m.reset();
    }
  }

  #write(rows: CaptureRows): void {
    const t = rows.tenantId;
    {
      const m = this.#event;
      const b = m.values;
      for (const e of rows.events) {
        const o = m.next();
        b[o] = e.tenant_id;
        b[o + 1] = e.id;
        b[o + 2] = e.event_id;
        b[o + 3] = e.type;
        b[o + 4] = e.event_time;
        b[o + 5] = e.record_time;
        b[o + 6] = e.event_time_zone_offset;
        b[o + 7] = e.action ?? null;
        b[o + 8] = e.biz_step ?? null;
        b[o + 9] = e.disposition ?? null;
        b[o + 10] = e.read_point ?? null;
        b[o + 11] = e.biz_location ?? null;
        b[o + 12] = e.hash;
        b[o + 13] = e.capture_id;
        b[o + 14] = e.body;
        b[o + 15] = e.error_declaration ?? null;
        b[o + 16] = e.error_declared_at ?? null;
        b[o + 17] = e.error_reason ?? null;
        m.added();
      }
      m.flush();
    }
    {
      const m = this.#epc;
      const b = m.values;
      for (const x of rows.epcs) {
        const o = m.next();
        b[o] = x.tenant_id;
        b[o + 1] = x.epc;
        b[o + 2] = x.role;
        b[o + 3] = x.event_pk;
        m.added();
      }
      m.flush();
    }
    {
      // One multi-row statement must not name a key twice under ON CONFLICT DO NOTHING semantics
      // of later rows; distinct first keeps the counts right.
      const m = this.#edge;
      const b = m.values;
      for (const e of distinctEdges(rows.effects.edges)) {
        const o = m.next();
        b[o] = t;
        b[o + 1] = e.from;
        b[o + 2] = e.kind;
        b[o + 3] = e.to;
        b[o + 4] = e.eventPk;
        b[o + 5] = e.eventTime;
        m.added();
      }
      m.flush();
    }
    const sets = coalesceParents(rows.effects.parents);
    if (sets !== undefined) {
      const m = this.#parentSets;
      const b = m.values;
      for (const c of sets) {
        if (c.type !== 'set') continue;
        const o = m.next();
        b[o] = t;
        b[o + 1] = c.child;
        b[o + 2] = c.parent;
        b[o + 3] = c.eventPk;
        b[o + 4] = c.eventTime;
        m.added();
      }
      m.flush();
    } else {
      for (const c of rows.effects.parents) {
        if (c.type === 'set') this.#parentSet.run(t, c.child, c.parent, c.eventPk, c.eventTime);
        else if (c.type === 'clear') this.#parentClear.run(t, c.child, c.eventPk, c.eventTime, c.parent);
        else this.#parentClearAll.run(c.eventPk, c.eventTime, t, c.parent, c.eventTime);
      }
    }
    {
      const m = this.#holding;
      const b = m.values;
      for (const h of rows.effects.holdings) {
        const o = m.next();
        b[o] = t;
        b[o + 1] = h.epc;
        b[o + 2] = h.bizLocation;
        b[o + 3] = h.readPoint;
        b[o + 4] = h.owner;
        b[o + 5] = h.disposition;
        b[o + 6] = h.bizStep;
        b[o + 7] = h.eventPk;
        b[o + 8] = h.eventTime;
        m.added();
      }
      m.flush();
    }
  }
}

/**
 * The capture path on PostgreSQL: one statement per table whatever the number of rows, columns
 * passed as arrays through `unnest` (the statement text never changes, so the server plans it
 * once per connection).
 */
export async function writeCapturePostgres(db: Kysely<Database>, rows: CaptureRows): Promise<void> {
  const ev = rows.events;
  const col = <T>(f: (e: Insertable<EpcisEventsTable>) => T): T[] => ev.map(f);
  if (ev.length > 0) {
    await sql`INSERT INTO epcis_events (tenant_id, id, event_id, type, event_time, record_time, event_time_zone_offset,
        action, biz_step, disposition, read_point, biz_location, hash, capture_id, body, error_declaration,
        error_declared_at, error_reason)
      SELECT * FROM unnest(${col((e) => e.tenant_id)}::text[], ${col((e) => e.id)}::text[],
        ${col((e) => e.event_id)}::text[], ${col((e) => e.type)}::text[], ${col((e) => e.event_time)}::bigint[],
        ${col((e) => e.record_time)}::bigint[], ${col((e) => e.event_time_zone_offset)}::text[],
        ${col((e) => e.action ?? null)}::text[], ${col((e) => e.biz_step ?? null)}::text[],
        ${col((e) => e.disposition ?? null)}::text[], ${col((e) => e.read_point ?? null)}::text[],
        ${col((e) => e.biz_location ?? null)}::text[], ${col((e) => e.hash)}::text[],
        ${col((e) => e.capture_id)}::text[], ${col((e) => e.body)}::text[],
        ${col((e) => e.error_declaration ?? null)}::text[], ${col((e) => e.error_declared_at ?? null)}::bigint[],
        ${col((e) => e.error_reason ?? null)}::text[])`.execute(db);
  }
  if (rows.epcs.length > 0) {
    await sql`INSERT INTO event_epcs (tenant_id, epc, role, event_pk)
      SELECT * FROM unnest(${rows.epcs.map((x) => x.tenant_id)}::text[], ${rows.epcs.map((x) => x.epc)}::text[],
        ${rows.epcs.map((x) => x.role)}::text[], ${rows.epcs.map((x) => x.event_pk)}::text[])`.execute(db);
  }
  const t = rows.tenantId;
  const edges = distinctEdges(rows.effects.edges);
  if (edges.length > 0) {
    await sql`INSERT INTO trace_edges (tenant_id, from_epc, kind, to_epc, event_pk, event_time)
      SELECT ${t}::text, * FROM unnest(${edges.map((e) => e.from)}::text[], ${edges.map((e) => e.kind)}::text[],
        ${edges.map((e) => e.to)}::text[], ${edges.map((e) => e.eventPk)}::text[],
        ${edges.map((e) => e.eventTime)}::bigint[])
      ON CONFLICT DO NOTHING`.execute(db);
  }
  const sets = coalesceParents(rows.effects.parents);
  if (sets === undefined) {
    const repo = new TraceRepository(db);
    for (const c of rows.effects.parents) await repo.applyParentChange(t, c);
  } else if (sets.length > 0) {
    const s = sets.flatMap((c) => (c.type === 'set' ? [c] : []));
    await sql`INSERT INTO trace_parent AS p (tenant_id, child, parent, event_pk, event_time)
      SELECT ${t}::text, * FROM unnest(${s.map((c) => c.child)}::text[], ${s.map((c) => c.parent)}::text[],
        ${s.map((c) => c.eventPk)}::text[], ${s.map((c) => c.eventTime)}::bigint[])
      ON CONFLICT (tenant_id, child) DO UPDATE SET parent = excluded.parent, event_pk = excluded.event_pk,
        event_time = excluded.event_time WHERE p.event_time <= excluded.event_time`.execute(db);
  }
  const h = rows.effects.holdings;
  if (h.length > 0) {
    await sql`INSERT INTO trace_holdings AS h (tenant_id, epc, biz_location, read_point, owner, disposition, biz_step,
        event_pk, event_time)
      SELECT ${t}::text, * FROM unnest(${h.map((x) => x.epc)}::text[], ${h.map((x) => x.bizLocation)}::text[],
        ${h.map((x) => x.readPoint)}::text[], ${h.map((x) => x.owner)}::text[], ${h.map((x) => x.disposition)}::text[],
        ${h.map((x) => x.bizStep)}::text[], ${h.map((x) => x.eventPk)}::text[], ${h.map((x) => x.eventTime)}::bigint[])
      ON CONFLICT (tenant_id, epc) DO UPDATE SET biz_location = excluded.biz_location,
        read_point = excluded.read_point, owner = coalesce(excluded.owner, h.owner),
        disposition = excluded.disposition, biz_step = excluded.biz_step, event_pk = excluded.event_pk,
        event_time = excluded.event_time WHERE h.event_time <= excluded.event_time`.execute(db);
  }
}
