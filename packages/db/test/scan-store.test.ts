/**
 * The consumer-scan store on its own: two stores on one database stand for two server processes
 * (on PostgreSQL their batches overlap; on SQLite they serialise). Whatever the interleaving, one
 * code has exactly one first query, counts 1..n, every decision was made from the summary the
 * database committed, and the code's queries form one chain from its latest back to its first.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  createScanStore,
  migrateToLatest,
  newId,
  openDatabase,
  type Db,
  type DecideScan,
  type ScanQuery,
} from '@tracemark/db';
import { createTestDatabase, dialects, type TestDatabase } from '@tracemark/testing';

const tenantId = '0190c0de-0000-7000-8000-000000000001';
const spaceId = '0190c0de-0000-7000-8000-000000000002';

/** Decides from the state the store saw: the first query is the one without a previous summary. */
const decide: DecideScan = (_q, state) => ({
  verdict: state.previous === null ? 'genuine_first' : 'genuine_repeat',
  warnings: state.previous === null ? '' : String(state.previous.count + 1),
  productId: null,
  batchId: null,
});

function query(serial: number): ScanQuery {
  return {
    tenantId,
    spaceId,
    serial,
    code: `1000${String(serial).padStart(13, '0')}`,
    id: newId(),
    at: Date.now(),
    regionCode: '310115',
    channel: 'api',
    client: 'app',
    pinVerified: false,
  };
}

for (const dialect of dialects) {
  describe(`scan store on ${dialect}`, () => {
    let t: TestDatabase;
    let db: Db;
    before(async () => {
      t = await createTestDatabase(dialect);
      db = openDatabase(t.target);
      await migrateToLatest(db);
    });
    after(async () => {
      await db.close();
      await t.dispose();
    });

    test('two processes querying one code at once: one first query, counts 1..n, one unbroken chain', async () => {
      const a = createScanStore(db.native);
      const b = createScanStore(db.native);
      const serial = 4242;
      // 10 rounds of a batch from each "process" at the same moment, each batch with 3 queries of the code.
      const outcomes = [];
      for (let round = 0; round < 10; round++) {
        const [x, y] = await Promise.all([
          a.record([query(serial), query(serial), query(7)], decide),
          b.record([query(serial), query(serial), query(8)], decide),
        ]);
        outcomes.push(...x.slice(0, 2), ...y.slice(0, 2));
      }
      assert.equal(outcomes.filter((o) => o.decision.verdict === 'genuine_first').length, 1);
      assert.deepEqual(
        outcomes.map((o) => o.summary.count).sort((p, q) => p - q),
        Array.from({ length: 40 }, (_, i) => i + 1),
        'every query saw its own place in the count',
      );
      const rows = await db.kysely
        .selectFrom('scans')
        .select(['id', 'prev_scan_id', 'verdict', 'warnings'])
        .where('serial', '=', serial)
        .execute();
      assert.equal(rows.length, 40);
      assert.equal(rows.filter((r) => r.verdict === 'genuine_first').length, 1, 'stored as decided');
      assert.deepEqual(
        rows.map((r) => Number(r.warnings || '1')).sort((p, q) => p - q),
        Array.from({ length: 40 }, (_, i) => i + 1),
        'the stored decisions were made from the committed counts',
      );
      // Walk the chain from the head: all 40, each once.
      const byId = new Map(rows.map((r) => [r.id, r]));
      const head = await db.kysely
        .selectFrom('code_queries')
        .select(['last_scan_id', 'count'])
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow();
      assert.equal(head.count, 40);
      const seen = new Set<string>();
      for (let id = head.last_scan_id; id !== null; id = byId.get(id)?.prev_scan_id ?? null) {
        assert.ok(!seen.has(id), 'no cycle');
        seen.add(id);
      }
      assert.equal(seen.size, 40);
    });
  });
}
