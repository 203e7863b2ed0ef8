import type { Kysely } from 'kysely';

// Business actions: raw-material lots received from suppliers, and the enterprise's own stage
// templates (环节模板). The events themselves live in the EPCIS event store.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('raw_material_lots')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('supplier_name', 'text', (c) => c.notNull())
    .addColumn('supplier_party', 'text', (c) => c.notNull())
    .addColumn('material_name', 'text', (c) => c.notNull())
    .addColumn('material_gtin', 'text')
    .addColumn('lot', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull())
    .addColumn('used_quantity', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('received_date', 'text', (c) => c.notNull())
    .addColumn('inspection_file_id', 'text')
    .addColumn('epc_class', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('raw_material_lots_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('raw_material_lots_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .addForeignKeyConstraint(
      'raw_material_lots_inspection_fk',
      ['tenant_id', 'inspection_file_id'],
      'files',
      ['tenant_id', 'id'],
    )
    .execute();
  await db.schema
    .createIndex('raw_material_lots_list_ix')
    .on('raw_material_lots')
    .columns(['tenant_id', 'received_date', 'created_at'])
    .execute();

  await db.schema
    .createTable('stage_templates')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('biz_step', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stage_templates_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('stage_templates_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();
  await db.schema
    .createIndex('stage_templates_list_ix')
    .on('stage_templates')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['stage_templates', 'raw_material_lots']) await db.schema.dropTable(t).execute();
}
