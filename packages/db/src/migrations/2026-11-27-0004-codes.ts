import type { Kysely } from 'kysely';

// Trace codes are serial ranges, not rows: a space, the jobs that issued ranges of it, the
// ranges activated for batches. Per-code rows exist only for codes that were packed, voided
// or replaced (sparse), so issuing 100 million codes adds a handful of rows.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('code_spaces')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code_length', 'integer', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('capacity', 'bigint', (c) => c.notNull())
    .addColumn('next_serial', 'bigint', (c) => c.notNull())
    .addColumn('wrapped_key', 'text', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_spaces_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('code_spaces_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();
  // The prefix is what a verifier reads first: unique per code length across the platform.
  await db.schema
    .createIndex('code_spaces_prefix_uq')
    .on('code_spaces')
    .columns(['code_length', 'prefix'])
    .unique()
    .execute();

  await db.schema
    .createTable('code_jobs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('packing_level', 'text', (c) => c.notNull())
    .addColumn('first_serial', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('with_pin', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_jobs_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('code_jobs_space_fk', ['tenant_id', 'space_id'], 'code_spaces', [
      'tenant_id',
      'id',
    ])
    .addForeignKeyConstraint('code_jobs_product_fk', ['tenant_id', 'product_id'], 'products', [
      'tenant_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('code_jobs_space_ix')
    .on('code_jobs')
    .columns(['tenant_id', 'space_id', 'first_serial'])
    .execute();
  await db.schema
    .createIndex('code_jobs_list_ix')
    .on('code_jobs')
    .columns(['tenant_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('code_activations')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('first_serial', 'bigint', (c) => c.notNull())
    .addColumn('last_serial', 'bigint', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('activated_by', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_activations_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('code_activations_batch_fk', ['tenant_id', 'batch_id'], 'batches', [
      'tenant_id',
      'id',
    ])
    .addForeignKeyConstraint('code_activations_job_fk', ['tenant_id', 'job_id'], 'code_jobs', [
      'tenant_id',
      'id',
    ])
    .execute();
  await db.schema
    .createIndex('code_activations_range_ix')
    .on('code_activations')
    .columns(['tenant_id', 'space_id', 'first_serial'])
    .execute();

  await db.schema
    .createTable('code_packing')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'bigint', (c) => c.notNull())
    .addColumn('parent_space_id', 'text', (c) => c.notNull())
    .addColumn('parent_serial', 'bigint', (c) => c.notNull())
    .addColumn('packed_by', 'text', (c) => c.notNull())
    .addColumn('packed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_packing_pk', ['tenant_id', 'space_id', 'serial'])
    .execute();
  await db.schema
    .createIndex('code_packing_parent_ix')
    .on('code_packing')
    .columns(['tenant_id', 'parent_space_id', 'parent_serial'])
    .execute();

  await db.schema
    .createTable('code_voids')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('serial', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('replaced_by_space_id', 'text')
    .addColumn('replaced_by_serial', 'bigint')
    .addColumn('voided_by', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_voids_pk', ['tenant_id', 'space_id', 'serial'])
    .execute();

  await db.schema
    .createTable('code_exports')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('codes_written', 'bigint', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('heartbeat_at', 'bigint')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_exports_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('code_exports_job_fk', ['tenant_id', 'job_id'], 'code_jobs', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('code_exports_status_ix')
    .on('code_exports')
    .columns(['status', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'code_exports',
    'code_voids',
    'code_packing',
    'code_activations',
    'code_jobs',
    'code_spaces',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
