import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('brand', 'text')
    .addColumn('category', 'text')
    .addColumn('specification', 'text')
    .addColumn('gtin', 'text')
    .addColumn('executed_standard', 'text')
    .addColumn('shelf_life_days', 'integer')
    .addColumn('description', 'text')
    .addColumn('shop_url', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('products_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('products_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();
  await db.schema
    .createIndex('products_gtin_uq')
    .on('products')
    .columns(['tenant_id', 'gtin'])
    .unique()
    .execute();
  await db.schema
    .createIndex('products_list_ix')
    .on('products')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('product_images')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_images_pk', ['tenant_id', 'product_id', 'file_id'])
    .addForeignKeyConstraint('product_images_product_fk', ['tenant_id', 'product_id'], 'products', [
      'tenant_id',
      'id',
    ])
    .addForeignKeyConstraint('product_images_file_fk', ['tenant_id', 'file_id'], 'files', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('production_date', 'text', (c) => c.notNull())
    .addColumn('expiry_date', 'text')
    .addColumn('line', 'text')
    .addColumn('quantity', 'bigint')
    .addColumn('inspection_file_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('batches_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('batches_product_fk', ['tenant_id', 'product_id'], 'products', [
      'tenant_id',
      'id',
    ])
    .addForeignKeyConstraint('batches_inspection_fk', ['tenant_id', 'inspection_file_id'], 'files', [
      'tenant_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('batches_lot_uq')
    .on('batches')
    .columns(['tenant_id', 'product_id', 'lot'])
    .unique()
    .execute();
  await db.schema
    .createIndex('batches_list_ix')
    .on('batches')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['batches', 'product_images', 'products']) await db.schema.dropTable(t).execute();
}
