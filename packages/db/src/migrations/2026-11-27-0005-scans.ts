import type { Kysely } from 'kysely';

// Consumer verification: the per-code query summary (first query locked, count), the log of
// every counted query, the enterprise's scan-page settings, counterfeit reports, and the
// operator's platform alerts (enumeration attempts). The hot path writes `code_queries` and
// `scans` only; both are keyed so that a query is an index walk.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('code_queries')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'bigint', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('first_region', 'text')
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('last_region', 'text')
    .addPrimaryKeyConstraint('code_queries_pk', ['tenant_id', 'space_id', 'serial'])
    .execute();

  await db.schema
    .createTable('scans')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'bigint', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text')
    .addColumn('region_source', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('pin_verified', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('scans_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('scans_code_ix')
    .on('scans')
    .columns(['tenant_id', 'space_id', 'serial'])
    .execute();

  await db.schema
    .createTable('scan_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    // '*' for the enterprise's defaults, else a product id whose values override them.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('query_limit', 'integer')
    .addColumn('warning_text', 'text')
    .addColumn('prompt_text', 'text')
    .addColumn('image_file_id', 'text')
    .addColumn('popup', 'integer')
    .addColumn('links', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scan_settings_pk', ['tenant_id', 'scope'])
    .addForeignKeyConstraint('scan_settings_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();

  await db.schema
    .createTable('counterfeit_reports')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'bigint', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('batch_id', 'text')
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('where_bought', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'bigint')
    .addColumn('note', 'text')
    .addColumn('contact', 'text')
    .addColumn('photo_file_id', 'text')
    .addColumn('region_code', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('handler_note', 'text')
    .addColumn('handled_by', 'text')
    .addColumn('handled_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('counterfeit_reports_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('counterfeit_reports_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();
  await db.schema
    .createIndex('counterfeit_reports_list_ix')
    .on('counterfeit_reports')
    .columns(['tenant_id', 'status', 'created_at'])
    .execute();

  await db.schema
    .createTable('platform_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('platform_alerts_open_ix')
    .on('platform_alerts')
    .columns(['kind', 'subject', 'status'])
    .execute();
  await db.schema
    .createIndex('platform_alerts_list_ix')
    .on('platform_alerts')
    .columns(['status', 'last_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['platform_alerts', 'counterfeit_reports', 'scan_settings', 'scans', 'code_queries']) {
    await db.schema.dropTable(t).execute();
  }
}
