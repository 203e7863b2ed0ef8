import type { Kysely, Selectable, Insertable, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { ProductsTable } from '../tables/products.js';
import { containsText, pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored product row. */
export type ProductRow = Selectable<ProductsTable>;

/** Filters for listing products. */
export interface ProductFilter {
  readonly status?: ProductsTable['status'];
  /** Matches name, brand or GTIN. */
  readonly search?: string;
}

/** Sort orders a product list accepts. */
export type ProductSort = 'created_at' | 'name' | 'updated_at';

/** Products of enterprises. Every call is scoped to one tenant. */
export class ProductRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds a product. */
  async find(tenantId: string, id: string): Promise<ProductRow | undefined> {
    return this.db
      .selectFrom('products')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Finds a product of an enterprise by GTIN-14. */
  async findByGtin(tenantId: string, gtin: string): Promise<ProductRow | undefined> {
    return this.db
      .selectFrom('products')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('gtin', '=', gtin)
      .executeTakeFirst();
  }

  /** Inserts a product. */
  async insert(row: Insertable<ProductsTable>): Promise<void> {
    await this.db.insertInto('products').values(row).execute();
  }

  /** Updates a product. */
  async update(tenantId: string, id: string, patch: Updateable<ProductsTable>): Promise<void> {
    await this.db
      .updateTable('products')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Lists products of an enterprise. */
  async list(
    tenantId: string,
    filter: ProductFilter,
    page: PageRequest,
    sort: ProductSort = 'created_at',
    direction: 'asc' | 'desc' = 'desc',
  ): Promise<Page<ProductRow>> {
    let q = this.db.selectFrom('products').where('tenant_id', '=', tenantId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.search !== undefined && filter.search !== '') {
      const text = filter.search;
      q = q.where((eb) =>
        eb.or([containsText('name', text), containsText('brand', text), containsText('gtin', text)]),
      );
    }
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(sort, direction)
        .orderBy('id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** The file ids of a product's images, in order. */
  async listImages(tenantId: string, productId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('product_images')
      .select('file_id')
      .where('tenant_id', '=', tenantId)
      .where('product_id', '=', productId)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.file_id);
  }

  /** Appends an image at the end of a product's list. */
  async addImage(tenantId: string, productId: string, fileId: string): Promise<void> {
    const last = await this.db
      .selectFrom('product_images')
      .select((eb) => eb.fn.max<number | null>('position').as('p'))
      .where('tenant_id', '=', tenantId)
      .where('product_id', '=', productId)
      .executeTakeFirst();
    const max = last?.p ?? null;
    const position = max === null ? 0 : max + 1;
    await this.db
      .insertInto('product_images')
      .values({ tenant_id: tenantId, product_id: productId, file_id: fileId, position })
      .execute();
  }

  /** Removes one image; returns false when the product has no such image. */
  async removeImage(tenantId: string, productId: string, fileId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('product_images')
      .where('tenant_id', '=', tenantId)
      .where('product_id', '=', productId)
      .where('file_id', '=', fileId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
