import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  errorCode,
  harness,
  json,
  operatorClient,
  password,
  regulatorClient,
  type Harness,
} from './support/harness.js';

interface ApiKeyBody {
  id: string;
  name: string;
  prefix: string;
  role: string;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
  key?: string;
}

for (const dialect of dialects) {
  describe(`API keys on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let admin: Client;

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      ({ admin } = await approvedEnterprise(h, operator, { username: 'keys-admin', orgBody: 'MA1AAAA0' }));
    });
    after(() => h.close());

    /** Creates a key as the enterprise admin and returns what the API answered, secret included. */
    async function createKey(name: string, role?: string): Promise<ApiKeyBody & { key: string }> {
      const res = await admin.call(
        'POST',
        '/api/v1/api-keys',
        role === undefined ? { name } : { name, role },
      );
      assert.equal(res.statusCode, 201, res.body);
      return json<ApiKeyBody & { key: string }>(res);
    }

    /** A client that authenticates with nothing but the key. */
    function keyClient(key: string): Client {
      const c = new Client(h.app);
      c.bearer = key;
      return c;
    }

    test('an enterprise admin creates a key; the secret is shown once and lists show only its prefix', async () => {
      const created = await createKey('MES line 3');
      assert.match(created.key, /^tmk_[A-Za-z0-9_-]{40,}$/);
      assert.equal(created.prefix, created.key.slice(0, created.prefix.length));
      assert.ok(created.prefix.length < created.key.length / 2, 'the prefix does not give the key away');
      assert.equal(created.role, 'enterprise_operator');
      assert.equal(created.createdBy, 'keys-admin');
      assert.equal(created.revokedAt, null);

      const list = await admin.call('GET', '/api/v1/api-keys');
      assert.equal(list.statusCode, 200);
      const item = json<{ items: ApiKeyBody[] }>(list).items.find((k) => k.id === created.id);
      assert.ok(item !== undefined);
      assert.equal(item.prefix, created.prefix);
      assert.equal(item.name, 'MES line 3');
      assert.ok(!('key' in item), 'lists carry no secret');
      assert.ok(!list.body.includes(created.key), 'the key appears nowhere in the list');
    });

    test('the database stores only the SHA-256 of the key', async () => {
      const created = await createKey('hash check');
      const row = await h.db.kysely
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(row.secret_hash, created.key);
      assert.equal(row.secret_hash, createHash('sha256').update(created.key).digest('hex'));
      assert.ok(!JSON.stringify(row).includes(created.key), 'no column holds the key');
      assert.equal(row.prefix, created.prefix);
    });

    test('a Bearer key works on the products API without a session or CSRF token', async () => {
      const created = await createKey('product sync');
      const c = keyClient(created.key);
      const made = await c.call('POST', '/api/v1/products', {
        name: 'Made by a machine',
        gtin: '06901234567892',
      });
      assert.equal(made.statusCode, 201, made.body);
      const productId = json<{ id: string }>(made).id;
      const edited = await c.call('PATCH', `/api/v1/products/${productId}`, { brand: 'Machine brand' });
      assert.equal(edited.statusCode, 200, edited.body);
      const read = await c.call('GET', `/api/v1/products/${productId}`);
      assert.equal(read.statusCode, 200);
      // The key acts for its enterprise: the admin sees what it made.
      const seen = await admin.call('GET', `/api/v1/products/${productId}`);
      assert.equal(seen.statusCode, 200);
      assert.equal(json<{ brand: string }>(seen).brand, 'Machine brand');
      // Its use is recorded.
      const listed = json<{ items: ApiKeyBody[] }>(await admin.call('GET', '/api/v1/api-keys')).items.find(
        (k) => k.id === created.id,
      );
      assert.equal(typeof listed?.lastUsedAt, 'number');
    });

    test('a key cannot manage keys or users, read the audit log or act as a person (403)', async () => {
      const created = await createKey('restricted');
      const c = keyClient(created.key);
      const attempts = [
        await c.call('GET', '/api/v1/api-keys'),
        await c.call('POST', '/api/v1/api-keys', { name: 'escalate' }),
        await c.call('DELETE', `/api/v1/api-keys/${created.id}`),
        await c.call('GET', '/api/v1/users'),
        await c.call('POST', '/api/v1/users', {
          username: 'made-by-key',
          displayName: 'x',
          password,
          role: 'enterprise_admin',
        }),
        await c.call('GET', '/api/v1/audit-log'),
        await c.call('GET', '/api/v1/auth/me'),
        await c.call('POST', '/api/v1/auth/password', {
          currentPassword: password,
          newPassword: 'Another-passw0rd',
        }),
      ];
      for (const res of attempts) {
        assert.equal(
          res.statusCode,
          403,
          `${res.raw.req.method ?? ''} ${res.raw.req.url ?? ''}: ${res.body}`,
        );
        assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
      }
      const users = json<{ items: Array<{ username: string }> }>(await admin.call('GET', '/api/v1/users'));
      assert.ok(!users.items.some((u) => u.username === 'made-by-key'));
      const keys = json<{ items: ApiKeyBody[] }>(await admin.call('GET', '/api/v1/api-keys'));
      assert.ok(!keys.items.some((k) => k.name === 'escalate'));
      assert.equal(keys.items.find((k) => k.id === created.id)?.revokedAt, null);
    });

    test('a distributor key may read products but not change them', async () => {
      const created = await createKey('distributor feed', 'distributor_user');
      assert.equal(created.role, 'distributor_user');
      const c = keyClient(created.key);
      assert.equal((await c.call('GET', '/api/v1/products')).statusCode, 200);
      const res = await c.call('POST', '/api/v1/products', { name: 'Not allowed' });
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
    });

    test('a key cannot be made with an administrator role', async () => {
      for (const role of ['enterprise_admin', 'platform_operator', 'regulator']) {
        const res = await admin.call('POST', '/api/v1/api-keys', { name: 'too strong', role });
        assert.equal(res.statusCode, 400, role);
        assert.equal(errorCode(res), 'TRACE_HTTP_VALIDATION');
      }
    });

    test('a revoked key gets 401 TRACE_AUTH_INVALID_API_KEY at once', async () => {
      const created = await createKey('to revoke');
      const c = keyClient(created.key);
      assert.equal((await c.call('GET', '/api/v1/products')).statusCode, 200);
      const revoked = await admin.call('DELETE', `/api/v1/api-keys/${created.id}`);
      assert.equal(revoked.statusCode, 200, revoked.body);
      assert.equal(typeof json<ApiKeyBody>(revoked).revokedAt, 'number');
      for (const res of [
        await c.call('GET', '/api/v1/products'),
        await c.call('POST', '/api/v1/products', { name: 'After revocation' }),
      ]) {
        assert.equal(res.statusCode, 401);
        assert.equal(errorCode(res), 'TRACE_AUTH_INVALID_API_KEY');
      }
      // Revoking again changes nothing and still answers the key.
      const again = await admin.call('DELETE', `/api/v1/api-keys/${created.id}`);
      assert.equal(again.statusCode, 200);
      assert.equal(json<ApiKeyBody>(again).revokedAt, json<ApiKeyBody>(revoked).revokedAt);
    });

    test('an unknown key id is 404 TRACE_APIKEY_NOT_FOUND', async () => {
      const res = await admin.call('DELETE', '/api/v1/api-keys/00000000-0000-4000-8000-000000000000');
      assert.equal(res.statusCode, 404);
      assert.equal(errorCode(res), 'TRACE_APIKEY_NOT_FOUND');
    });

    test('a malformed or unknown Authorization header is 401, even next to a valid session cookie', async () => {
      const created = await createKey('malformed');
      const headers = [
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'Bearer ',
        `Bearer ${created.key} extra`,
        created.key,
        `Token ${created.key}`,
        'Bearer tmk_not-a-real-key',
      ];
      for (const authorization of headers) {
        const res = await h.app.inject({ url: '/api/v1/products', headers: { authorization } });
        assert.equal(res.statusCode, 401, authorization);
        assert.equal(errorCode(res), 'TRACE_AUTH_INVALID_API_KEY', authorization);
        const withCookie = await h.app.inject({
          url: '/api/v1/products',
          headers: { authorization, cookie: admin.cookie },
        });
        assert.equal(withCookie.statusCode, 401, `${authorization} with a session cookie`);
      }
      // The scheme name is case-insensitive.
      const lower = await h.app.inject({
        url: '/api/v1/products',
        headers: { authorization: `bearer ${created.key}` },
      });
      assert.equal(lower.statusCode, 200);
    });

    test('platform operators, regulators and enterprise operators cannot create keys', async () => {
      const regulator = await regulatorClient(h, '310000');
      const made = await admin.call('POST', '/api/v1/users', {
        username: 'keys-staff',
        displayName: 'Staff',
        password,
        role: 'enterprise_operator',
      });
      assert.equal(made.statusCode, 201, made.body);
      const staff = new Client(h.app);
      await staff.login('keys-staff', password);
      for (const c of [operator, regulator, staff]) {
        const res = await c.call('POST', '/api/v1/api-keys', { name: 'not mine to make' });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
        assert.equal((await c.call('GET', '/api/v1/api-keys')).statusCode, 403);
      }
      const count = await h.db.kysely
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', 'not mine to make')
        .execute();
      assert.equal(count.length, 0);
    });

    test("a suspended enterprise's keys stop working until it is reinstated", async () => {
      const other = await approvedEnterprise(h, operator, {
        username: 'keys-suspended',
        orgBody: 'MA1BBBB0',
      });
      const res = await other.admin.call('POST', '/api/v1/api-keys', { name: 'soon suspended' });
      assert.equal(res.statusCode, 201);
      const c = keyClient(json<{ key: string }>(res).key);
      assert.equal((await c.call('GET', '/api/v1/products')).statusCode, 200);
      assert.equal(
        (
          await operator.call('POST', `/api/v1/enterprises/${other.enterpriseId}/suspend`, {
            reason: 'under investigation',
          })
        ).statusCode,
        200,
      );
      const blocked = await c.call('GET', '/api/v1/products');
      assert.equal(blocked.statusCode, 403);
      assert.equal(errorCode(blocked), 'TRACE_AUTH_ACCOUNT_DISABLED');
      assert.equal(
        (await operator.call('POST', `/api/v1/enterprises/${other.enterpriseId}/reinstate`)).statusCode,
        200,
      );
      assert.equal((await c.call('GET', '/api/v1/products')).statusCode, 200);
    });
  });
}
