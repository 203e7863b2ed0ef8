/**
 * The consumer-scan store on its own: two stores on one database stand for two server processes
 * (on PostgreSQL their batches overlap; on SQLite they serialise). Whatever the interleaving, one
 * code has exactly one first query, counts 1..n, every decision was made from the summary the
 * database committed, and the code's queries form one chain from its latest back to its first.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import {
  createScanStore,
  migrateToLatest,
  newId,
  openDatabase,
  type Database,
  type Db,
  type ScanOutcome,
  type ScanQuery,
} from '@tracemark/db';
import { createTestDatabase, dialects, type TestDatabase } from '@tracemark/testing';
import { SqliteScanStatements } from '../src/sqlite-scan-statements.js';

const tenantId = '0190c0de-0000-7000-8000-000000000001';
const spaceId = '0190c0de-0000-7000-8000-000000000002';

/** No region points: the distance check never fires here. */
const centroids = new Map<string, { lat: number; lng: number }>();

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
    rule: {
      hasPin: false,
      pinGiven: false,
      pinOk: false,
      queryLimit: 1,
      recalled: false,
      recalledBatches: [],
      productId: null,
    },
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
      const a = createScanStore(db.native, centroids);
      const b = createScanStore(db.native, centroids);
      const serial = 4242;
      // 10 rounds of a batch from each "process" at the same moment, each batch with 3 queries of the code.
      const recorded: { id: string; outcome: ScanOutcome }[] = [];
      for (let round = 0; round < 10; round++) {
        const batchA = [query(serial), query(serial), query(7)];
        const batchB = [query(serial), query(serial), query(8)];
        const [x, y] = await Promise.all([a.record(batchA), b.record(batchB)]);
        for (const [batch, outcomes] of [
          [batchA, x],
          [batchB, y],
        ] as const) {
          for (let i = 0; i < 2; i++) recorded.push({ id: batch[i]!.id, outcome: outcomes[i]! });
        }
      }
      assert.equal(recorded.filter((r) => r.outcome.state.previous === null).length, 1, 'one first query');
      assert.deepEqual(
        recorded.map((r) => r.outcome.summary.count).sort((p, q) => p - q),
        Array.from({ length: 40 }, (_, i) => i + 1),
        'every query saw its own place in the count',
      );
      assert.deepEqual(
        recorded.map((r) => r.outcome.state.previous?.count ?? 0).sort((p, q) => p - q),
        Array.from({ length: 40 }, (_, i) => i),
        'every query was decided from the count before it',
      );
      const rows = await db.kysely
        .selectFrom('scans')
        .select(['id', 'prev_scan_id', 'verdict', 'warnings'])
        .where('serial', '=', serial)
        .execute();
      assert.equal(rows.length, 40);
      const stored = new Map(rows.map((r) => [r.id, r.verdict]));
      for (const r of recorded)
        assert.equal(stored.get(r.id), r.outcome.decision.verdict, 'stored as decided');
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

    test("peek reads a code's activation, void and summary as committed and writes nothing", async () => {
      const store = createScanStore(db.native, centroids);
      const serial = 7070;
      assert.deepEqual(await store.peek(tenantId, spaceId, serial), {
        activation: null,
        voided: false,
        previous: null,
      });
      await withoutForeignKeys(db, async (k) => {
        await k
          .insertInto('code_activations')
          .values({
            tenant_id: tenantId,
            id: newId(),
            space_id: spaceId,
            first_serial: 7000,
            last_serial: 7099,
            batch_id: 'peek-batch',
            job_id: 'job',
            activated_by: 'test',
            activated_at: 11,
          })
          .execute();
        await k
          .insertInto('code_voids')
          .values({
            tenant_id: tenantId,
            space_id: spaceId,
            serial,
            reason: 'destroyed',
            voided_by: 'test',
            voided_at: 12,
          })
          .execute();
      });
      const [first, second] = [query(serial), query(serial)];
      await store.record([first, second]);
      const logged = async () =>
        (await db.kysely.selectFrom('scans').select('id').where('serial', '=', serial).execute()).length;
      const before = await logged();
      assert.deepEqual(await store.peek(tenantId, spaceId, serial), {
        activation: { batchId: 'peek-batch', activatedAt: 11 },
        voided: true,
        previous: {
          firstAt: first.at,
          firstRegion: '310115',
          count: 2,
          lastAt: second.at,
          lastRegion: '310115',
        },
      });
      // Past the activated range, in another code: nothing known.
      assert.deepEqual(await store.peek(tenantId, spaceId, 7100), {
        activation: null,
        voided: false,
        previous: null,
      });
      assert.equal(await logged(), before, 'a peek logs no query');
    });
  });
}

/** Runs `write` with foreign keys off (the rows' batches and jobs are beside the point). */
async function withoutForeignKeys(db: Db, write: (k: Kysely<Database>) => Promise<void>): Promise<void> {
  if (db.native.type === 'sqlite') {
    db.native.handle.pragma('foreign_keys = OFF');
    try {
      await write(db.kysely);
    } finally {
      db.native.handle.pragma('foreign_keys = ON');
    }
    return;
  }
  // On one connection of the pool: the setting is the session's.
  await db.kysely.connection().execute(async (k) => {
    await sql`SET session_replication_role = replica`.execute(k);
    try {
      await write(k);
    } finally {
      await sql`SET session_replication_role = DEFAULT`.execute(k);
    }
  });
}

/**
 * SQLite's scan writer thread: batches go to a thread with its own connection while the event
 * loop's own writes (Kysely on the shared handle) wait for the write lock instead of meeting
 * SQLite's lock in its busy handler.
 */
describe('scan writer thread on sqlite', () => {
  let t: TestDatabase;
  let db: Db;
  before(async () => {
    t = await createTestDatabase('sqlite');
    db = openDatabase(t.target);
    await migrateToLatest(db);
  });
  after(async () => {
    await db.close();
    await t.dispose();
  });

  test("a Kysely transaction during a stream of scan batches waits its turn and neither's writes are lost", async () => {
    const store = createScanStore(db.native, centroids);
    let stop = false;
    let batches = 0;
    // Two streams of batches, like the group commit under load: the thread always has work.
    const stream = async (offset: number) => {
      while (!stop) {
        await store.record(Array.from({ length: 20 }, (_, i) => query(offset + ((batches * 20 + i) % 500))));
        batches += 1;
      }
    };
    const streams = [stream(100_000), stream(200_000)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    const written = await db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('platform_alerts')
        .values({
          id: newId(),
          kind: 'invalid_lookups_rate',
          subject: 's',
          details: '{}',
          count: 1,
          status: 'open',
          first_at: 1,
          last_at: 1,
        })
        .execute();
      return trx
        .selectFrom('platform_alerts')
        .select(({ fn }) => fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
    });
    const waited = performance.now() - started;
    stop = true;
    await Promise.all(streams);
    assert.equal(written.n, 1);
    assert.ok(waited < 2000, `the transaction waited ${waited.toFixed(0)} ms for the scan batches`);
    const scans = await db.kysely
      .selectFrom('scans')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('serial', '>=', 100_000)
      .executeTakeFirstOrThrow();
    assert.equal(scans.n, batches * 20, 'every recorded batch is in the database');
  });

  test('a batch that fails in the thread rejects its callers, writes nothing, and the next batch is written', async () => {
    const store = createScanStore(db.native, centroids);
    const first = query(300_001);
    await store.record([first]);
    // The same scan id again: the log row's primary key refuses it, and the whole batch rolls back.
    const repeated = { ...query(300_002), id: first.id };
    await assert.rejects(store.record([query(300_003), repeated]), /UNIQUE/);
    const after = await store.record([query(300_003)]);
    assert.equal(after[0]?.summary.count, 1, 'the failed batch counted nothing');
    const counted = await db.kysely
      .selectFrom('code_queries')
      .select(['serial', 'count'])
      .where('serial', 'in', [300_002, 300_003])
      .execute();
    assert.deepEqual(
      counted.map((r) => [r.serial, r.count]),
      [[300_003, 1]],
    );
  });

  test('closing the database waits for the batches sent and ends the thread', async () => {
    const own = openDatabase(t.target);
    const store = createScanStore(own.native, centroids);
    const pending = store.record(Array.from({ length: 50 }, (_, i) => query(400_000 + i)));
    const outcomes = await pending;
    await own.close();
    await assert.rejects(store.record([query(400_100)]), /closed/);
    assert.equal(outcomes.length, 50);
    const rows = await db.kysely
      .selectFrom('code_queries')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('serial', '>=', 400_000)
      .where('serial', '<', 400_100)
      .executeTakeFirstOrThrow();
    assert.equal(rows.n, 50);
  });
});

test('an in-memory SQLite database is written on its own connection: counts and the chain as on a file', async () => {
  const memory = openDatabase({ type: 'sqlite', file: ':memory:' });
  try {
    await migrateToLatest(memory);
    const store = createScanStore(memory.native, centroids);
    const first = query(9);
    const [a] = await store.record([first]);
    const [b, c] = await store.record([query(9), query(10)]);
    assert.deepEqual(
      [a?.summary.count, b?.summary.count, c?.summary.count, b?.state.previous?.firstAt],
      [1, 2, 1, first.at],
    );
    const rows = await memory.kysely
      .selectFrom('scans')
      .select(['id', 'prev_scan_id'])
      .where('serial', '=', 9)
      .execute();
    assert.deepEqual(rows.map((r) => r.prev_scan_id).sort(), [first.id, null].sort());
  } finally {
    await memory.close();
  }
});

/**
 * The SQLite batches keep each space's activations and whether it has voids between them; a
 * change committed in between, on another connection (the thread's case) or on the batches' own
 * (the in-memory case), must be seen by the very next batch.
 */
for (const where of ['file', 'memory'] as const) {
  test(`sqlite (${where}): activations and voids committed between two batches are seen by the next`, async () => {
    const t = where === 'file' ? await createTestDatabase('sqlite') : undefined;
    const db = openDatabase(t === undefined ? { type: 'sqlite', file: ':memory:' } : t.target);
    try {
      await migrateToLatest(db);
      // The activation's batch and job rows are beside the point here.
      if (db.native.type === 'sqlite') db.native.handle.pragma('foreign_keys = OFF');
      const store = createScanStore(db.native, centroids);
      const activate = (id: string, first: number, last: number, batchId: string) =>
        db.kysely
          .insertInto('code_activations')
          .values({
            tenant_id: tenantId,
            id,
            space_id: spaceId,
            first_serial: first,
            last_serial: last,
            batch_id: batchId,
            job_id: 'job',
            activated_by: 'test',
            activated_at: 5,
          })
          .execute();
      const stateOf = async (serial: number) => (await store.record([query(serial)]))[0]?.state;

      assert.equal((await stateOf(1))?.activation, null, 'nothing activated yet');
      await activate('a1', 0, 99, 'b1');
      assert.deepEqual((await stateOf(1))?.activation, { batchId: 'b1', activatedAt: 5 });
      await activate('a2', 200, 299, 'b2');
      const [inFirst, between, inSecond, past] = (
        await store.record([query(99), query(150), query(200), query(300)])
      ).map((o) => o.state.activation?.batchId ?? null);
      assert.deepEqual([inFirst, between, inSecond, past], ['b1', null, 'b2', null]);

      assert.equal((await stateOf(2))?.voided, false);
      await db.kysely
        .insertInto('code_voids')
        .values({
          tenant_id: tenantId,
          space_id: spaceId,
          serial: 2,
          reason: 'destroyed',
          voided_by: 'test',
          voided_at: 6,
        })
        .execute();
      const [voided, other] = await store.record([query(2), query(3)]);
      assert.deepEqual([voided?.state.voided, other?.state.voided], [true, false]);
    } finally {
      await db.close();
      await t?.dispose();
    }
  });
}

/**
 * Runs `run` on a migrated SQLite file with the scan statements on its connection; `commits()`
 * tells how many transactions they have committed so far.
 */
async function onSqliteFile(
  run: (db: Db, statements: SqliteScanStatements, commits: () => number) => Promise<void>,
): Promise<void> {
  const t = await createTestDatabase('sqlite');
  const db = openDatabase(t.target);
  try {
    await migrateToLatest(db);
    if (db.native.type !== 'sqlite') throw new Error('sqlite expected');
    const handle = db.native.handle;
    let commits = 0;
    // The statements prepare their COMMIT once: count its runs.
    const counting = new Proxy(handle, {
      get(target, key) {
        if (key !== 'prepare') return Reflect.get(target, key, target) as unknown;
        return (source: string) => {
          const statement = target.prepare(source);
          if (source !== 'COMMIT') return statement;
          const commit = statement.run.bind(statement);
          return Object.assign(statement, {
            run: () => {
              const result = commit();
              commits += 1;
              return result;
            },
          });
        };
      },
    });
    await run(db, new SqliteScanStatements(counting), () => commits);
  } finally {
    await db.close();
    await t.dispose();
  }
}

test('sqlite: batches recorded together commit once; a failing one is refused alone and answered with its error', async () => {
  await onSqliteFile(async (db, statements, commits) => {
    const together = statements.recordMany(
      [[query(491), query(492)], [query(493)], [query(491)]],
      () => undefined,
    );
    assert.deepEqual(
      together.map((r) => (r instanceof Error ? 'failed' : r.map((o) => o.summary.count))),
      [[1, 1], [1], [2]],
    );
    assert.equal(commits(), 1, 'three batches, one commit');

    const first = query(501);
    const duplicate = { ...query(502), id: first.id };
    const results = statements.recordMany(
      [[first, query(503)], [query(504), duplicate], [query(505)]],
      () => undefined,
    );
    assert.deepEqual(
      results.map((r) => (r instanceof Error ? 'failed' : r.map((o) => o.summary.count))),
      [[1, 1], 'failed', [1]],
    );
    assert.equal(commits(), 3, 'after the failure, the two good batches committed each alone');
    const counted = await db.kysely
      .selectFrom('code_queries')
      .select('serial')
      .where('serial', '>=', 501)
      .where('serial', '<=', 505)
      .orderBy('serial')
      .execute();
    assert.deepEqual(
      counted.map((r) => r.serial),
      [501, 503, 505],
      'the failed batch wrote nothing, not even its first query',
    );
  });
});

test('sqlite: after a failing batch the others are recorded again in their order: a code queried before and after it counts 1 then 2', async () => {
  await onSqliteFile(async (db, statements) => {
    const before = query(511);
    const failing = [query(512), { ...query(513), id: before.id }];
    const results = statements.recordMany([[before], failing, [query(511)]], () => undefined);
    assert.deepEqual(
      results.map((r) =>
        r instanceof Error ? 'failed' : r.map((o) => [o.summary.count, o.state.previous?.count ?? null]),
      ),
      [[[1, null]], 'failed', [[2, 1]]],
    );
    const rows = await db.kysely
      .selectFrom('code_queries')
      .select(['serial', 'count'])
      .where('serial', '>=', 511)
      .where('serial', '<=', 513)
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.serial, r.count]),
      [[511, 2]],
    );
    assert.equal(
      (await db.kysely.selectFrom('scans').select('id').where('serial', '=', 511).execute()).length,
      2,
      'each query of the code logged once',
    );
  });
});

test('sqlite: a summary whose row does not hold the previous query yet still chains the next query to its latest', async () => {
  await onSqliteFile(async (db, statements) => {
    // As SQLite wrote summaries before the upsert kept the previous query in the row.
    const latest = newId();
    await db.kysely
      .insertInto('code_queries')
      .values({
        tenant_id: tenantId,
        space_id: spaceId,
        serial: 601,
        first_at: 1,
        first_region: null,
        count: 2,
        last_at: 2,
        last_region: null,
        prev_at: 1,
        prev_region: null,
        last_scan_id: latest,
        prev_scan_id: null,
      })
      .execute();
    const [next, after] = [query(601), query(601)];
    const [outcomes] = statements.recordMany([[next], [after]], () => undefined);
    assert.ok(!(outcomes instanceof Error));
    const rows = await db.kysely
      .selectFrom('scans')
      .select(['id', 'prev_scan_id'])
      .where('serial', '=', 601)
      .execute();
    const prev = new Map(rows.map((r) => [r.id, r.prev_scan_id]));
    assert.equal(prev.get(next.id), latest);
    assert.equal(prev.get(after.id), next.id);
  });
});
