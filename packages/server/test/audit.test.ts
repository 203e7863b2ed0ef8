import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  errorCode,
  harness,
  json,
  operatorClient,
  password,
  type Harness,
} from './support/harness.js';

interface Entry {
  id: string;
  enterpriseId: string | null;
  at: number;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

interface Page {
  items: Entry[];
  total: number;
}

for (const dialect of dialects) {
  describe(`the audit log on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let operatorId: string;
    let acme: { admin: Client; enterpriseId: string };
    let acmeAdminId: string;
    let other: { admin: Client; enterpriseId: string };
    let started: number;
    // What acme's admin and key did in `before`, to look for in the log.
    let productId: string;
    let userId: string;
    let keyId: string;
    let key: string;
    let keyProductId: string;
    let otherProductId: string;

    before(async () => {
      started = Date.now();
      h = await harness(dialect);
      operator = await operatorClient(h);
      operatorId = json<{ user: { id: string } }>(await operator.call('GET', '/api/v1/auth/me')).user.id;
      acme = await approvedEnterprise(h, operator, { username: 'acme-admin', orgBody: 'MA1AUD01' });
      acmeAdminId = json<{ user: { id: string } }>(await acme.admin.call('GET', '/api/v1/auth/me')).user.id;
      other = await approvedEnterprise(h, operator, {
        username: 'other-admin',
        orgBody: 'MA1AUD02',
        region: '440106',
      });

      const product = await acme.admin.call('POST', '/api/v1/products', { name: 'Audited soy sauce' });
      assert.equal(product.statusCode, 201, product.body);
      productId = json<{ id: string }>(product).id;
      const user = await acme.admin.call('POST', '/api/v1/users', {
        username: 'acme-clerk',
        displayName: 'Clerk',
        password,
        role: 'enterprise_operator',
      });
      assert.equal(user.statusCode, 201, user.body);
      userId = json<{ id: string }>(user).id;
      const created = await acme.admin.call('POST', '/api/v1/api-keys', { name: 'ERP bridge' });
      assert.equal(created.statusCode, 201, created.body);
      ({ id: keyId, key } = json<{ id: string; key: string }>(created));
      const machine = new Client(h.app);
      machine.bearer = key;
      const byKey = await machine.call('POST', '/api/v1/products', { name: 'Made through the key' });
      assert.equal(byKey.statusCode, 201, byKey.body);
      keyProductId = json<{ id: string }>(byKey).id;
      assert.equal((await acme.admin.call('DELETE', `/api/v1/api-keys/${keyId}`)).statusCode, 200);
      const theirs = await other.admin.call('POST', '/api/v1/products', { name: 'Other vinegar' });
      otherProductId = json<{ id: string }>(theirs).id;
    });
    after(() => h.close());

    async function log(c: Client, query = ''): Promise<Page> {
      const res = await c.call('GET', `/api/v1/audit-log?pageSize=200${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Page>(res);
    }

    function find(page: Page, action: string, targetId: string): Entry {
      const entry = page.items.find((e) => e.action === action && e.targetId === targetId);
      assert.ok(
        entry !== undefined,
        `no ${action} of ${targetId} in ${page.items.map((e) => e.action).join(', ')}`,
      );
      return entry;
    }

    test('changes appear with who made them, what they did, to what and when', async () => {
      const page = await log(acme.admin);
      const now = Date.now();
      const expected: Array<[string, string, string]> = [
        ['product.created', 'product', productId],
        ['user.created', 'user', userId],
        ['api_key.created', 'api_key', keyId],
        ['api_key.revoked', 'api_key', keyId],
      ];
      for (const [action, targetType, targetId] of expected) {
        const e = find(page, action, targetId);
        assert.equal(e.targetType, targetType, action);
        assert.equal(e.enterpriseId, acme.enterpriseId, action);
        assert.equal(e.actorType, 'user', action);
        assert.equal(e.actorId, acmeAdminId, action);
        assert.equal(e.actorName, 'acme-admin', action);
        assert.ok(e.at >= started && e.at <= now, `${action} at ${e.at}`);
        assert.match(e.requestId ?? '', /^[0-9a-f-]{36}$/, action);
      }
      assert.equal(find(page, 'product.created', productId).details['name'], 'Audited soy sauce');
      assert.equal(find(page, 'user.created', userId).details['role'], 'enterprise_operator');
    });

    test('the approval of an enterprise is recorded with the operator as actor', async () => {
      for (const c of [acme.admin, operator]) {
        const e = find(await log(c), 'enterprise.approved', acme.enterpriseId);
        assert.equal(e.actorId, operatorId);
        assert.equal(e.actorName, 'op');
        assert.equal(e.targetType, 'enterprise');
        assert.equal(e.enterpriseId, acme.enterpriseId);
      }
    });

    test('what an API key does is recorded with the key as actor', async () => {
      const e = find(await log(acme.admin), 'product.created', keyProductId);
      assert.equal(e.actorType, 'api_key');
      assert.equal(e.actorId, keyId);
      assert.equal(e.actorName, 'api-key:ERP bridge');
    });

    test('the log is newest first and can be filtered by action and target', async () => {
      const page = await log(acme.admin);
      const times = page.items.map((e) => e.at);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
      const revocations = await log(acme.admin, '&action=api_key.revoked');
      assert.ok(revocations.items.length >= 1);
      assert.ok(revocations.items.every((e) => e.action === 'api_key.revoked'));
      const aboutKey = await log(acme.admin, `&targetId=${keyId}`);
      assert.deepEqual(aboutKey.items.map((e) => e.action).sort(), ['api_key.created', 'api_key.revoked']);
    });

    test('the log can be filtered by part of the actor’s name and by a time range', async () => {
      const byKey = await log(acme.admin, '&actor=ERP%20BRIDGE');
      assert.ok(byKey.items.length >= 1);
      assert.ok(byKey.items.every((e) => e.actorName === 'api-key:ERP bridge'));
      const all = await log(acme.admin);
      const newest = all.items[0]?.at ?? 0;
      const later = await log(acme.admin, `&from=${newest + 1}`);
      assert.equal(later.total, 0);
      const upToNewest = await log(acme.admin, `&to=${newest + 1}`);
      assert.equal(upToNewest.total, all.total);
      assert.equal((await log(acme.admin, '&actor=nobody-by-this-name')).total, 0);
    });

    test("an enterprise admin sees only their enterprise's entries, whatever they ask for", async () => {
      for (const query of ['', `&enterpriseId=${other.enterpriseId}`, `&targetId=${otherProductId}`]) {
        const page = await log(acme.admin, query);
        assert.ok(
          page.items.every((e) => e.enterpriseId === acme.enterpriseId),
          `query ${query}`,
        );
        assert.ok(
          !page.items.some((e) => e.targetId === otherProductId || e.targetId === other.enterpriseId),
          `query ${query}`,
        );
      }
      const theirs = await log(other.admin);
      assert.ok(theirs.items.length > 0);
      assert.ok(theirs.items.every((e) => e.enterpriseId === other.enterpriseId));
      find(theirs, 'product.created', otherProductId);
    });

    test('the operator sees every entry and may filter by enterprise', async () => {
      const all = await log(operator);
      find(all, 'product.created', productId);
      find(all, 'product.created', otherProductId);
      find(all, 'enterprise.approved', other.enterpriseId);
      assert.ok(
        all.items.some((e) => e.enterpriseId === null),
        'platform-level entries too',
      );
      const one = await log(operator, `&enterpriseId=${other.enterpriseId}`);
      assert.ok(one.items.length > 0);
      assert.ok(one.items.every((e) => e.enterpriseId === other.enterpriseId));
    });

    test('roles without audit.read cannot read the log', async () => {
      const clerk = new Client(h.app);
      await clerk.login('acme-clerk', password);
      const res = await clerk.call('GET', '/api/v1/audit-log');
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
    });

    test('no entry carries a password or an API key', async () => {
      const rows = await h.db.kysely.selectFrom('audit_log').select('details').execute();
      for (const row of rows) {
        assert.ok(!row.details.includes(password), row.details);
        assert.ok(!row.details.includes(key), row.details);
        assert.ok(!row.details.includes('$argon2'), row.details);
      }
    });

    test('rejected requests write no audit entry and change nothing', async () => {
      const tables = [
        'audit_log',
        'products',
        'batches',
        'users',
        'api_keys',
        'enterprises',
        'enterprise_documents',
        'files',
      ] as const;
      const snapshot = async () => {
        const out: Record<string, unknown[]> = {};
        for (const table of tables) out[table] = await h.db.kysely.selectFrom(table).selectAll().execute();
        for (const rows of Object.values(out))
          rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        return out;
      };
      const batch = await acme.admin.call('POST', '/api/v1/batches', {
        productId,
        lot: 'L-001',
        productionDate: '2026-01-10',
      });
      assert.equal(batch.statusCode, 201, batch.body);
      const archived = await acme.admin.call('POST', '/api/v1/products', { name: 'To be archived' });
      const archivedId = json<{ id: string }>(archived).id;
      assert.equal((await acme.admin.call('POST', `/api/v1/products/${archivedId}/archive`)).statusCode, 200);
      const noCsrf = new Client(h.app);
      noCsrf.cookie = acme.admin.cookie;

      const before = await snapshot();
      const rejected: Array<[Client, 'POST' | 'PATCH' | 'DELETE', string, unknown, number]> = [
        [acme.admin, 'POST', '/api/v1/products', { name: 'Bad GTIN', gtin: '06901234567890' }, 400],
        [
          acme.admin,
          'POST',
          '/api/v1/users',
          { username: 'acme-clerk', displayName: 'Again', password, role: 'enterprise_operator' },
          409,
        ],
        [
          acme.admin,
          'POST',
          '/api/v1/users',
          { username: 'weak-clerk', displayName: 'Weak', password: 'weak', role: 'enterprise_operator' },
          400,
        ],
        [
          acme.admin,
          'POST',
          '/api/v1/users',
          {
            username: 'acme-regulator',
            displayName: 'No',
            password,
            role: 'regulator',
            jurisdiction: '310000',
          },
          403,
        ],
        [acme.admin, 'DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000', undefined, 404],
        [
          acme.admin,
          'POST',
          '/api/v1/batches',
          { productId, lot: 'L-002', productionDate: '2026-01-10', expiryDate: '2025-01-01' },
          400,
        ],
        [
          acme.admin,
          'POST',
          '/api/v1/batches',
          { productId, lot: 'L-001', productionDate: '2026-02-10' },
          409,
        ],
        [acme.admin, 'PATCH', `/api/v1/products/${archivedId}`, { name: 'Edited while archived' }, 409],
        [acme.admin, 'PATCH', `/api/v1/products/${otherProductId}`, { name: 'Not mine' }, 404],
        [acme.admin, 'POST', `/api/v1/enterprises/${acme.enterpriseId}/approve`, undefined, 403],
        [operator, 'POST', `/api/v1/enterprises/${acme.enterpriseId}/approve`, undefined, 409],
        [operator, 'POST', `/api/v1/enterprises/${acme.enterpriseId}/reject`, { reason: 'too late' }, 409],
        [
          acme.admin,
          'PATCH',
          `/api/v1/enterprises/${acme.enterpriseId}`,
          { name: 'Renamed after approval' },
          409,
        ],
        [noCsrf, 'POST', '/api/v1/products', { name: 'Without CSRF' }, 403],
        [
          acme.admin,
          'POST',
          '/api/v1/auth/password',
          { currentPassword: 'Wrong-passw0rd', newPassword: 'Whatever-passw0rd' },
          400,
        ],
      ];
      for (const [c, method, url, body, status] of rejected) {
        const res = await c.call(method, url, body);
        assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
      }
      const failedLogin = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'acme-admin', password: 'Wrong-passw0rd' },
      });
      assert.equal(failedLogin.statusCode, 401);
      assert.deepEqual(await snapshot(), before);
    });
  });
}
