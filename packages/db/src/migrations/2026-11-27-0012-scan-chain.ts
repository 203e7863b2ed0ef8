import { sql, type Kysely } from 'kysely';

// A code's queries as a chain instead of an index: each `scans` row points at the code's query
// before it, and `code_queries` at the latest. The per-code index `scans_code_ix` cost every
// consumer query a random index page (measured: 67 → 38 µs of CPU per query in the store, the
// scan path's largest single cost); the history of one code is now a walk of primary keys from
// its latest query. On PostgreSQL `code_queries.prev_scan_id` holds the latest query before the
// last upsert, so the upsert's RETURNING gives a new query its predecessor even when processes
// race; SQLite, one writer, reads `last_scan_id` before its upsert and leaves it null.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('code_queries').addColumn('last_scan_id', 'text').execute();
  await db.schema.alterTable('code_queries').addColumn('prev_scan_id', 'text').execute();
  await db.schema.alterTable('scans').addColumn('prev_scan_id', 'text').execute();
  // Existing queries are chained while the index still exists to find them.
  await sql`
    UPDATE scans SET prev_scan_id = (
      SELECT max(p.id) FROM scans p
      WHERE p.tenant_id = scans.tenant_id AND p.space_id = scans.space_id AND p.serial = scans.serial
        AND p.id < scans.id)`.execute(db);
  await sql`
    UPDATE code_queries SET last_scan_id = (
      SELECT max(s.id) FROM scans s
      WHERE s.tenant_id = code_queries.tenant_id AND s.space_id = code_queries.space_id
        AND s.serial = code_queries.serial)`.execute(db);
  await db.schema.dropIndex('scans_code_ix').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('scans_code_ix')
    .on('scans')
    .columns(['tenant_id', 'space_id', 'serial'])
    .execute();
  await db.schema.alterTable('scans').dropColumn('prev_scan_id').execute();
  await db.schema.alterTable('code_queries').dropColumn('prev_scan_id').execute();
  await db.schema.alterTable('code_queries').dropColumn('last_scan_id').execute();
}
