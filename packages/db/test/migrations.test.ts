import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openDatabase,
  migrateToLatest,
  pendingMigrations,
  repositories,
  newId,
  type Db,
} from '@tracemark/db';
import { createTestDatabase, dialects, type TestDatabase } from '@tracemark/testing';

for (const dialect of dialects) {
  describe(`migrations on ${dialect}`, () => {
    let t: TestDatabase;
    let db: Db;
    before(async () => {
      t = await createTestDatabase(dialect);
      db = openDatabase(t.target);
    });
    after(async () => {
      await db.close();
      await t.dispose();
    });

    test('migrate brings an empty database to the latest schema and a second run applies nothing', async () => {
      assert.ok((await pendingMigrations(db)).length > 0);
      const first = await migrateToLatest(db);
      assert.ok(first.applied.length > 0);
      assert.deepEqual(await pendingMigrations(db), []);
      const second = await migrateToLatest(db);
      assert.deepEqual(second.applied, []);
    });

    test('search with LIKE wildcards in the text matches them literally', async () => {
      const r = repositories(db.kysely);
      const now = Date.now();
      for (const username of ['a_b', 'axb', '100%']) {
        await r.users.insert({
          id: newId(),
          username,
          display_name: username,
          email: null,
          phone: null,
          password_hash: 'x',
          role: 'platform_operator',
          tenant_id: null,
          jurisdiction: null,
          status: 'active',
          must_change_password: 0,
          created_at: now,
          updated_at: now,
          last_login_at: null,
        });
      }
      const underscore = await r.users.list({ search: '_' }, { page: 1, pageSize: 10 });
      assert.deepEqual(
        underscore.items.map((u) => u.username),
        ['a_b'],
      );
      const percent = await r.users.list({ search: '0%' }, { page: 1, pageSize: 10 });
      assert.deepEqual(
        percent.items.map((u) => u.username),
        ['100%'],
      );
      assert.equal(typeof underscore.items[0]!.created_at, 'number');
    });
  });
}
