import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type {
  CodeActivationsTable,
  CodeExportsTable,
  CodeJobsTable,
  CodeSpacesTable,
  CodeVoidsTable,
} from '../tables/codes.js';
import { pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored code space. */
export type CodeSpaceRow = Selectable<CodeSpacesTable>;
/** A stored generation job. */
export type CodeJobRow = Selectable<CodeJobsTable>;
/** A stored activation range. */
export type CodeActivationRow = Selectable<CodeActivationsTable>;
/** A stored void record. */
export type CodeVoidRow = Selectable<CodeVoidsTable>;
/** A stored export. */
export type CodeExportRow = Selectable<CodeExportsTable>;

/** One code by its space and serial. */
export interface CodeRef {
  readonly spaceId: string;
  readonly serial: number;
}

/**
 * Code spaces, jobs, activations, packing and voids. Everything is ranges or sparse rows; the
 * per-code answer ("is serial s active, in which batch, in which parent?") is an index lookup.
 */
export class CodeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new space. */
  async insertSpace(row: Insertable<CodeSpacesTable>): Promise<void> {
    await this.db.insertInto('code_spaces').values(row).execute();
  }

  /** A space of an enterprise. */
  async findSpace(tenantId: string, id: string): Promise<CodeSpaceRow | undefined> {
    return this.db
      .selectFrom('code_spaces')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A space by id alone (command-line tools that are told a space id). */
  async findSpaceById(id: string): Promise<CodeSpaceRow | undefined> {
    return this.db.selectFrom('code_spaces').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The space that owns a prefix of a code length, whichever enterprise it belongs to. */
  async findSpaceByPrefix(codeLength: number, prefix: string): Promise<CodeSpaceRow | undefined> {
    return this.db
      .selectFrom('code_spaces')
      .selectAll()
      .where('code_length', '=', codeLength)
      .where('prefix', '=', prefix)
      .executeTakeFirst();
  }

  /** The highest prefix in use for a code length. */
  async maxPrefix(codeLength: number): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('code_spaces')
      .select((eb) => eb.fn.max<string | null>('prefix').as('p'))
      .where('code_length', '=', codeLength)
      .executeTakeFirst();
    return r?.p ?? undefined;
  }

  /** An enterprise's spaces, newest first. */
  async listSpaces(tenantId: string): Promise<CodeSpaceRow[]> {
    return this.db
      .selectFrom('code_spaces')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /**
   * Takes `count` serials starting at `expectedNext` if the space still has them and nobody
   * took some first; false means re-read the space and retry (or report it full).
   */
  async reserveSerials(
    tenantId: string,
    spaceId: string,
    expectedNext: number,
    count: number,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('code_spaces')
      .set({ next_serial: expectedNext + count })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', spaceId)
      .where('next_serial', '=', expectedNext)
      .where('capacity', '>=', expectedNext + count)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Holds a space's row until the transaction ends, so requests that activate its codes take
   * turns: each then sees the others' activations before it checks for overlaps. A no-op update
   * works on both engines (PostgreSQL locks the row; SQLite has one writer at a time anyway).
   */
  async lockSpace(tenantId: string, spaceId: string): Promise<void> {
    await this.db
      .updateTable('code_spaces')
      .set((eb) => ({ next_serial: eb.ref('next_serial') }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', spaceId)
      .execute();
  }

  /** Stores a job. */
  async insertJob(row: Insertable<CodeJobsTable>): Promise<void> {
    await this.db.insertInto('code_jobs').values(row).execute();
  }

  /** A job by id alone (command-line tools that are told a job id). */
  async findJobById(id: string): Promise<CodeJobRow | undefined> {
    return this.db.selectFrom('code_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A job of an enterprise. */
  async findJob(tenantId: string, id: string): Promise<CodeJobRow | undefined> {
    return this.db
      .selectFrom('code_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** The job that issued a serial of a space, if any. */
  async findJobOfSerial(tenantId: string, spaceId: string, serial: number): Promise<CodeJobRow | undefined> {
    return this.db
      .selectFrom('code_jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', spaceId)
      .where('first_serial', '<=', serial)
      .orderBy('first_serial', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then((job) => (job !== undefined && serial < job.first_serial + job.count ? job : undefined));
  }

  /** An enterprise's jobs, newest first, optionally of one space or product. */
  async listJobs(
    tenantId: string,
    filter: { spaceId?: string; productId?: string },
    page: PageRequest,
  ): Promise<Page<CodeJobRow>> {
    let q = this.db.selectFrom('code_jobs').where('tenant_id', '=', tenantId);
    if (filter.spaceId !== undefined) q = q.where('space_id', '=', filter.spaceId);
    if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** Stores an activation range. */
  async insertActivation(row: Insertable<CodeActivationsTable>): Promise<void> {
    await this.db.insertInto('code_activations').values(row).execute();
  }

  /** The activation covering a serial, if any. */
  async findActivation(
    tenantId: string,
    spaceId: string,
    serial: number,
  ): Promise<CodeActivationRow | undefined> {
    const row = await this.db
      .selectFrom('code_activations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', spaceId)
      .where('first_serial', '<=', serial)
      .orderBy('first_serial', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined && serial <= row.last_serial ? row : undefined;
  }

  /** Activation ranges overlapping [first, last] of a space. */
  async overlappingActivations(
    tenantId: string,
    spaceId: string,
    first: number,
    last: number,
  ): Promise<CodeActivationRow[]> {
    return this.db
      .selectFrom('code_activations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', spaceId)
      .where('first_serial', '<=', last)
      .where('last_serial', '>=', first)
      .orderBy('first_serial')
      .execute();
  }

  /**
   * Serials activated per space or per job, for many at once (one grouped query for a list
   * page). Ids with no activation are 0.
   */
  async activatedCounts(
    tenantId: string,
    by: 'space_id' | 'job_id',
    ids: readonly string[],
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('code_activations')
      .select(by)
      .select((eb) =>
        eb.fn
          .sum<number | string>(eb(eb(eb.ref('last_serial'), '-', eb.ref('first_serial')), '+', eb.lit(1)))
          .as('n'),
      )
      .where('tenant_id', '=', tenantId)
      .where(by, 'in', [...ids])
      .groupBy(by)
      .execute();
    // PostgreSQL sums bigints as numeric, which arrives as text.
    for (const r of rows)
      counts.set(
        by === 'space_id' ? (r as { space_id: string }).space_id : (r as { job_id: string }).job_id,
        Number(r.n),
      );
    return counts;
  }

  /** Serials activated in one space or one job. */
  async countActivated(tenantId: string, filter: { spaceId: string } | { jobId: string }): Promise<number> {
    const [by, id] =
      'spaceId' in filter ? (['space_id', filter.spaceId] as const) : (['job_id', filter.jobId] as const);
    return (await this.activatedCounts(tenantId, by, [id])).get(id) ?? 0;
  }

  /** The parent a code is packed in. */
  async findParent(tenantId: string, code: CodeRef): Promise<CodeRef | undefined> {
    const r = await this.db
      .selectFrom('code_packing')
      .select(['parent_space_id', 'parent_serial'])
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', code.spaceId)
      .where('serial', '=', code.serial)
      .executeTakeFirst();
    return r === undefined ? undefined : { spaceId: r.parent_space_id, serial: r.parent_serial };
  }

  /** The codes packed directly in a parent. */
  async listChildren(tenantId: string, parent: CodeRef): Promise<CodeRef[]> {
    const rows = await this.db
      .selectFrom('code_packing')
      .select(['space_id', 'serial'])
      .where('tenant_id', '=', tenantId)
      .where('parent_space_id', '=', parent.spaceId)
      .where('parent_serial', '=', parent.serial)
      .orderBy('space_id')
      .orderBy('serial')
      .execute();
    return rows.map((r) => ({ spaceId: r.space_id, serial: r.serial }));
  }

  /** Packs a code into a parent (replacing any earlier parent). */
  async setParent(tenantId: string, code: CodeRef, parent: CodeRef, by: string, at: number): Promise<void> {
    await this.db
      .deleteFrom('code_packing')
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', code.spaceId)
      .where('serial', '=', code.serial)
      .execute();
    await this.db
      .insertInto('code_packing')
      .values({
        tenant_id: tenantId,
        space_id: code.spaceId,
        serial: code.serial,
        parent_space_id: parent.spaceId,
        parent_serial: parent.serial,
        packed_by: by,
        packed_at: at,
      })
      .execute();
  }

  /** Takes a code out of its parent; returns whether it was packed. */
  async removeParent(tenantId: string, code: CodeRef): Promise<boolean> {
    const r = await this.db
      .deleteFrom('code_packing')
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', code.spaceId)
      .where('serial', '=', code.serial)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Moves every child of one parent to another (a replaced case label keeps its contents). */
  async moveChildren(tenantId: string, from: CodeRef, to: CodeRef): Promise<void> {
    await this.db
      .updateTable('code_packing')
      .set({ parent_space_id: to.spaceId, parent_serial: to.serial })
      .where('tenant_id', '=', tenantId)
      .where('parent_space_id', '=', from.spaceId)
      .where('parent_serial', '=', from.serial)
      .execute();
  }

  /** The void record of a code, if it was taken out of use. */
  async findVoid(tenantId: string, code: CodeRef): Promise<CodeVoidRow | undefined> {
    return this.db
      .selectFrom('code_voids')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', code.spaceId)
      .where('serial', '=', code.serial)
      .executeTakeFirst();
  }

  /** Records that a code is out of use. */
  async insertVoid(row: Insertable<CodeVoidsTable>): Promise<void> {
    await this.db.insertInto('code_voids').values(row).execute();
  }

  /** Voids many codes (in chunks of a size every engine's parameter limit allows). */
  async insertVoids(rows: readonly Insertable<CodeVoidsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000)
      await this.db
        .insertInto('code_voids')
        .values(rows.slice(i, i + 1000))
        .execute();
  }

  /** Stores an export request. */
  async insertExport(row: Insertable<CodeExportsTable>): Promise<void> {
    await this.db.insertInto('code_exports').values(row).execute();
  }

  /** An export of an enterprise. */
  async findExport(tenantId: string, id: string): Promise<CodeExportRow | undefined> {
    return this.db
      .selectFrom('code_exports')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A job's exports, newest first. */
  async listExports(tenantId: string, jobId: string): Promise<CodeExportRow[]> {
    return this.db
      .selectFrom('code_exports')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('job_id', '=', jobId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /**
   * Claims the oldest export that is queued, or running with a heartbeat older than
   * `staleBefore` (its process died): how an export survives a restart.
   */
  async claimExport(worker: string, now: number, staleBefore: number): Promise<CodeExportRow | undefined> {
    const candidate = await this.db
      .selectFrom('code_exports')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('status', '=', 'queued'),
          eb.and([eb('status', '=', 'running'), eb('heartbeat_at', '<', staleBefore)]),
        ]),
      )
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    if (candidate === undefined) return undefined;
    const r = await this.db
      .updateTable('code_exports')
      .set({ status: 'running', claimed_by: worker, heartbeat_at: now, updated_at: now })
      .where('tenant_id', '=', candidate.tenant_id)
      .where('id', '=', candidate.id)
      .where('status', '=', candidate.status)
      .where((eb) =>
        candidate.heartbeat_at === null
          ? eb('heartbeat_at', 'is', null)
          : eb('heartbeat_at', '=', candidate.heartbeat_at),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1
      ? { ...candidate, status: 'running', claimed_by: worker, heartbeat_at: now }
      : undefined;
  }

  /** Records an export's progress (only by the worker that holds it). */
  async updateExport(
    tenantId: string,
    id: string,
    worker: string,
    patch: Partial<Pick<CodeExportRow, 'status' | 'codes_written' | 'files' | 'error' | 'heartbeat_at'>> & {
      updated_at: number;
    },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('code_exports')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('claimed_by', '=', worker)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
