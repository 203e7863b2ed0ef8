import type { Kysely, Selectable, Insertable, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { BatchesTable } from '../tables/products.js';
import { containsText, pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored batch row, with its product's name for lists. */
export type BatchRow = Selectable<BatchesTable>;

/** A batch in a list, with the product's name. */
export interface BatchListRow extends BatchRow {
  readonly product_name: string;
}

/** Filters for listing batches. */
export interface BatchFilter {
  readonly productId?: string;
  readonly status?: BatchesTable['status'];
  /** Matches the lot number. */
  readonly search?: string;
}

/** Production batches. Every call is scoped to one tenant. */
export class BatchRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds a batch. */
  async find(tenantId: string, id: string): Promise<BatchRow | undefined> {
    return this.db
      .selectFrom('batches')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Finds a batch of a product by lot number. */
  async findByLot(tenantId: string, productId: string, lot: string): Promise<BatchRow | undefined> {
    return this.db
      .selectFrom('batches')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('product_id', '=', productId)
      .where('lot', '=', lot)
      .executeTakeFirst();
  }

  /** Inserts a batch. */
  async insert(row: Insertable<BatchesTable>): Promise<void> {
    await this.db.insertInto('batches').values(row).execute();
  }

  /** Updates a batch. */
  async update(tenantId: string, id: string, patch: Updateable<BatchesTable>): Promise<void> {
    await this.db
      .updateTable('batches')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Lists batches of an enterprise, newest production first. */
  async list(tenantId: string, filter: BatchFilter, page: PageRequest): Promise<Page<BatchListRow>> {
    let q = this.db
      .selectFrom('batches as b')
      .innerJoin('products as p', (j) =>
        j.onRef('p.tenant_id', '=', 'b.tenant_id').onRef('p.id', '=', 'b.product_id'),
      )
      .where('b.tenant_id', '=', tenantId);
    if (filter.productId !== undefined) q = q.where('b.product_id', '=', filter.productId);
    if (filter.status !== undefined) q = q.where('b.status', '=', filter.status);
    if (filter.search !== undefined && filter.search !== '')
      q = q.where(containsText('b.lot', filter.search));
    const [items, count] = await Promise.all([
      q
        .selectAll('b')
        .select('p.name as product_name')
        .orderBy('b.production_date', 'desc')
        .orderBy('b.created_at', 'desc')
        .orderBy('b.id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }
}
