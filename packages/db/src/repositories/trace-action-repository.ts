import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { RawMaterialLotsTable, StageTemplatesTable } from '../tables/trace-actions.js';
import { containsText, pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored raw-material lot. */
export type RawMaterialLotRow = Selectable<RawMaterialLotsTable>;
/** A stored stage template. */
export type StageTemplateRow = Selectable<StageTemplatesTable>;

/** Raw-material lots and stage templates of business actions. Every call is scoped to one tenant. */
export class TraceActionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts raw-material lots. */
  async insertLots(rows: readonly Insertable<RawMaterialLotsTable>[]): Promise<void> {
    // Chunked: SQLite allows at most 32,766 bound values per statement.
    for (let i = 0; i < rows.length; i += 500)
      await this.db
        .insertInto('raw_material_lots')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  /**
   * Adds to what production has used of a lot, unless that would use more than was received
   * (one conditional UPDATE, so concurrent productions cannot both take the last of a lot).
   * False when refused.
   */
  async addUsed(tenantId: string, id: string, quantity: number): Promise<boolean> {
    const r = await this.db
      .updateTable('raw_material_lots')
      .set((eb) => ({ used_quantity: eb('used_quantity', '+', quantity) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where((eb) => eb(eb('used_quantity', '+', quantity), '<=', eb('quantity', '*', 1.000000001)))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Finds a raw-material lot. */
  async findLot(tenantId: string, id: string): Promise<RawMaterialLotRow | undefined> {
    return this.db
      .selectFrom('raw_material_lots')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Raw-material lots with a lot number (at most `limit`), latest received first. */
  async findLotsByNumber(tenantId: string, lot: string, limit: number): Promise<RawMaterialLotRow[]> {
    return this.db
      .selectFrom('raw_material_lots')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('lot', '=', lot)
      .orderBy('received_date', 'desc')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Lists raw-material lots, latest received first; `search` matches lot, material or supplier. */
  async listLots(
    tenantId: string,
    filter: { readonly search?: string },
    page: PageRequest,
  ): Promise<Page<RawMaterialLotRow>> {
    let q = this.db.selectFrom('raw_material_lots').where('tenant_id', '=', tenantId);
    const search = filter.search;
    if (search !== undefined && search !== '')
      q = q.where((eb) =>
        eb.or([
          containsText('lot', search),
          containsText('material_name', search),
          containsText('supplier_name', search),
        ]),
      );
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('received_date', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** The first voided (replaced or destroyed) serial of a space between `first` and `last`, if any. */
  async firstVoidInRange(
    tenantId: string,
    spaceId: string,
    first: number,
    last: number,
  ): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('code_voids')
      .select('serial')
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', spaceId)
      .where('serial', '>=', first)
      .where('serial', '<=', last)
      .orderBy('serial')
      .limit(1)
      .executeTakeFirst();
    return row?.serial;
  }

  /** Inserts a stage template. */
  async insertTemplate(row: Insertable<StageTemplatesTable>): Promise<void> {
    await this.db.insertInto('stage_templates').values(row).execute();
  }

  /** Finds a stage template. */
  async findTemplate(tenantId: string, id: string): Promise<StageTemplateRow | undefined> {
    return this.db
      .selectFrom('stage_templates')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Updates a stage template. */
  async updateTemplate(tenantId: string, id: string, patch: Updateable<StageTemplatesTable>): Promise<void> {
    await this.db
      .updateTable('stage_templates')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Lists stage templates, newest first. */
  async listTemplates(
    tenantId: string,
    filter: { readonly status?: StageTemplatesTable['status']; readonly search?: string },
    page: PageRequest,
  ): Promise<Page<StageTemplateRow>> {
    let q = this.db.selectFrom('stage_templates').where('tenant_id', '=', tenantId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.search !== undefined && filter.search !== '') q = q.where(containsText('name', filter.search));
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
}
