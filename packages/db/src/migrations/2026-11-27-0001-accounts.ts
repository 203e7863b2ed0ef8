import type { Kysely } from 'kysely';

// Migrations run on both SQLite and PostgreSQL: only portable types (text, integer, bigint),
// every constraint and index named explicitly, no engine-specific defaults.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('jurisdiction', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addPrimaryKeyConstraint('users_pk', ['id'])
    .execute();
  await db.schema.createIndex('users_username_uq').on('users').column('username').unique().execute();
  await db.schema.createIndex('users_tenant_ix').on('users').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('csrf_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addPrimaryKeyConstraint('sessions_pk', ['id_hash'])
    .addForeignKeyConstraint('sessions_user_fk', ['user_id'], 'users', ['id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('sessions_user_ix').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_ix').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_by', 'text')
    .addPrimaryKeyConstraint('api_keys_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('api_keys_secret_uq').on('api_keys').column('secret_hash').unique().execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('ip', 'text')
    .addPrimaryKeyConstraint('audit_log_pk', ['id'])
    .execute();
  await db.schema
    .createIndex('audit_log_tenant_at_ix')
    .on('audit_log')
    .columns(['tenant_id', 'at'])
    .execute();
  await db.schema.createIndex('audit_log_at_ix').on('audit_log').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['audit_log', 'api_keys', 'sessions', 'users']) await db.schema.dropTable(t).execute();
}
