import type { Kysely } from 'kysely';

// Trace's derived tables (docs/adr/0006-trace-derived-tables.md), written in the capture's
// transaction: the genealogy graph's edges (containment history, transformations, shipments),
// the current parent of each child, and the current holding of each identifier. Events declared
// erroneous add nothing; declaring an event erroneous recomputes what it touched. Also: a
// capture job keeps its events as prepared at acceptance, so they are not normalised twice.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trace_edges')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('from_epc', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_epc', 'text', (c) => c.notNull())
    .addColumn('event_pk', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trace_edges_pk', ['tenant_id', 'from_epc', 'kind', 'to_epc', 'event_pk'])
    .execute();
  await db.schema
    .createIndex('trace_edges_to_ix')
    .on('trace_edges')
    .columns(['tenant_id', 'to_epc', 'kind'])
    .execute();

  await db.schema
    .createTable('trace_parent')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('child', 'text', (c) => c.notNull())
    // Null after an unpack: the row remembers when, so an older ADD arriving late does not win.
    .addColumn('parent', 'text')
    .addColumn('event_pk', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trace_parent_pk', ['tenant_id', 'child'])
    .execute();
  await db.schema
    .createIndex('trace_parent_parent_ix')
    .on('trace_parent')
    .columns(['tenant_id', 'parent'])
    .execute();

  await db.schema
    .createTable('trace_holdings')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('epc', 'text', (c) => c.notNull())
    .addColumn('biz_location', 'text')
    .addColumn('read_point', 'text')
    .addColumn('owner', 'text')
    .addColumn('disposition', 'text')
    .addColumn('biz_step', 'text')
    .addColumn('event_pk', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('trace_holdings_pk', ['tenant_id', 'epc'])
    .execute();

  await db.schema.alterTable('epcis_capture_jobs').addColumn('prepared', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('epcis_capture_jobs').dropColumn('prepared').execute();
  for (const t of ['trace_holdings', 'trace_parent', 'trace_edges']) await db.schema.dropTable(t).execute();
}
