import type { Kysely } from 'kysely';

// Scheduled subscriptions and event sharing (adr/0007).
//
// A subscription with a `schedule` (the binding's second/minute/hour/dayOfMonth/month/dayOfWeek,
// stored as JSON) collects its events in the same outbox as a streaming one and is delivered
// when `next_run_at` comes; the runner finds due ones through the index on it.
//
// `event_shares`: an enterprise (the owner, `tenant_id`) lets another enterprise or the
// regulators of one jurisdiction read some of its events — all of them, or those of some
// bizSteps — whose eventTime falls in [event_time_from, event_time_to). Revoked grants keep
// their row (who revoked and when), so the audit trail and the grant agree.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('epcis_subscriptions').addColumn('schedule', 'text').execute();
  await db.schema.alterTable('epcis_subscriptions').addColumn('next_run_at', 'bigint').execute();
  await db.schema
    .createIndex('epcis_subscriptions_next_run_ix')
    .on('epcis_subscriptions')
    .columns(['next_run_at'])
    .execute();

  await db.schema
    .createTable('event_shares')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('grantee_type', 'text', (c) => c.notNull())
    .addColumn('grantee_id', 'text', (c) => c.notNull())
    .addColumn('biz_steps', 'text')
    .addColumn('event_time_from', 'bigint')
    .addColumn('event_time_to', 'bigint')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_by', 'text')
    .addColumn('revoked_at', 'bigint')
    .addPrimaryKeyConstraint('event_shares_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('event_shares_tenant_fk', ['tenant_id'], 'enterprises', ['id'])
    .execute();
  await db.schema
    .createIndex('event_shares_grantee_ix')
    .on('event_shares')
    .columns(['grantee_type', 'grantee_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('event_shares').execute();
  await db.schema.dropIndex('epcis_subscriptions_next_run_ix').execute();
  await db.schema.alterTable('epcis_subscriptions').dropColumn('next_run_at').execute();
  await db.schema.alterTable('epcis_subscriptions').dropColumn('schedule').execute();
}
