import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('enterprises')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('legal_representative', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_reason', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('submitted_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprises_pk', ['id'])
    .execute();
  await db.schema.createIndex('enterprises_uscc_uq').on('enterprises').column('uscc').unique().execute();
  await db.schema
    .createIndex('enterprises_status_ix')
    .on('enterprises')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema.createIndex('enterprises_region_ix').on('enterprises').column('region_code').execute();

  await db.schema
    .createTable('files')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('files_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('enterprise_documents')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_reason', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('enterprise_documents_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('enterprise_documents_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .addForeignKeyConstraint('enterprise_documents_file_fk', ['tenant_id', 'file_id'], 'files', [
      'tenant_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('enterprise_documents_expiry_ix')
    .on('enterprise_documents')
    .columns(['expires_on', 'tenant_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['enterprise_documents', 'files', 'enterprises']) await db.schema.dropTable(t).execute();
}
