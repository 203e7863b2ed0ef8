import type { Kysely } from 'kysely';

// The query before the last one of each code, kept beside the last: one upsert with RETURNING
// then gives a scan everything it weighs (first query, count, where and when the previous query
// was), instead of a read followed by a write.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('code_queries').addColumn('prev_at', 'bigint').execute();
  await db.schema.alterTable('code_queries').addColumn('prev_region', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('code_queries').dropColumn('prev_region').execute();
  await db.schema.alterTable('code_queries').dropColumn('prev_at').execute();
}
