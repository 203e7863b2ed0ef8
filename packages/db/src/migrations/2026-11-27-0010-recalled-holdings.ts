import { sql, type Kysely } from 'kysely';

// The identifiers under recall: a partial index of the holdings whose latest disposition is
// `recalled`. The scan path loads an enterprise's recalls from it (a handful of rows) instead of
// walking each code's trace; a later event that lifts the recall drops the row from the index.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('trace_holdings_recalled_ix')
    .on('trace_holdings')
    .columns(['tenant_id', 'epc'])
    .where(sql.ref('disposition'), '=', 'recalled')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('trace_holdings_recalled_ix').execute();
}
