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
  regulatorClient,
  type Harness,
} from './support/harness.js';

interface MeBody {
  user: {
    id: string;
    username: string;
    role: string;
    enterpriseId: string | null;
    jurisdiction: string | null;
  };
  enterprise: { id: string; name: string; status: string } | null;
  permissions: string[];
}

/** A client that carries someone else's session cookie and CSRF token, as a second browser tab would. */
function copyOf(c: Client): Client {
  const other = new Client(c.app);
  other.cookie = c.cookie;
  other.csrf = c.csrf;
  return other;
}

for (const dialect of dialects) {
  describe(`logging in, sessions and CSRF on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let enterprise: { admin: Client; enterpriseId: string };

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      enterprise = await approvedEnterprise(h, operator, { username: 'acme-admin', orgBody: 'MA1AUTH0' });
    });
    after(() => h.close());

    /** Creates a user of the enterprise and returns its id. */
    async function createUser(username: string, role = 'enterprise_operator'): Promise<string> {
      const res = await enterprise.admin.call('POST', '/api/v1/users', {
        username,
        displayName: username,
        password,
        role,
      });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ id: string }>(res).id;
    }

    test('login sets an httpOnly, SameSite=Lax session cookie for the whole site and returns a CSRF token', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'acme-admin', password },
      });
      assert.equal(res.statusCode, 200, res.body);
      const session = res.cookies.find((c) => c.name === 'tm_session');
      assert.ok(session !== undefined, 'no session cookie');
      assert.ok(session.value.length >= 32, 'the session token is long and random');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Lax');
      assert.equal(session.path, '/');
      const raw = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('tm_session='));
      assert.match(raw ?? '', /; HttpOnly/);
      assert.match(raw ?? '', /; SameSite=Lax/);
      assert.match(raw ?? '', /; Path=\//);
      const body = json<MeBody & { csrfToken: string }>(res);
      assert.equal(typeof body.csrfToken, 'string');
      assert.ok(body.csrfToken.length >= 32);
      assert.notEqual(body.csrfToken, session.value);
      // The console's scripts read the CSRF token from its own, deliberately readable cookie.
      const csrf = res.cookies.find((c) => c.name === 'tm_csrf');
      assert.ok(csrf !== undefined, 'no CSRF cookie');
      assert.equal(csrf.value, body.csrfToken);
      assert.notEqual(csrf.httpOnly, true);
      assert.equal(body.user.username, 'acme-admin');
      assert.equal(body.enterprise?.id, enterprise.enterpriseId);
      assert.ok(!JSON.stringify(body).includes('argon2'), 'the password hash never leaves the server');
    });

    test('a wrong password and an unknown user get the same 401 TRACE_AUTH_INVALID_CREDENTIALS and no cookie', async () => {
      const wrong = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'acme-admin', password: 'Wrong-passw0rd' },
      });
      const unknown = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody-here', password: 'Wrong-passw0rd' },
      });
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401);
        assert.equal(errorCode(res), 'TRACE_AUTH_INVALID_CREDENTIALS');
        assert.equal(
          res.cookies.find((c) => c.name === 'tm_session'),
          undefined,
        );
      }
      const strip = (body: string) => {
        const e = (JSON.parse(body) as { error: Record<string, unknown> }).error;
        return { ...e, requestId: undefined };
      };
      assert.deepEqual(strip(wrong.body), strip(unknown.body));
    });

    test('usernames are matched case-insensitively at login', async () => {
      const c = new Client(h.app);
      await c.login('ACME-Admin', password);
      assert.equal((await c.call('GET', '/api/v1/auth/me')).statusCode, 200);
    });

    test('a disabled user cannot log in, even with the right password', async () => {
      const id = await createUser('disabled-one');
      const off = await enterprise.admin.call('PATCH', `/api/v1/users/${id}`, { status: 'disabled' });
      assert.equal(off.statusCode, 200, off.body);
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'disabled-one', password },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_ACCOUNT_DISABLED');
      assert.equal(
        res.cookies.find((c) => c.name === 'tm_session'),
        undefined,
      );
    });

    test('a change with the session cookie but without the X-CSRF-Token header is 403 TRACE_AUTH_CSRF and changes nothing', async () => {
      const c = new Client(h.app);
      await c.login('acme-admin', password);
      const before = await c.call('GET', '/api/v1/products');
      c.csrf = '';
      const res = await c.call('POST', '/api/v1/products', { name: 'Sneaky product' });
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_CSRF');
      const after = await c.call('GET', '/api/v1/products');
      assert.equal(json<{ total: number }>(after).total, json<{ total: number }>(before).total);
    });

    test('a wrong X-CSRF-Token, or the token of another session, is 403 TRACE_AUTH_CSRF and changes nothing', async () => {
      const userId = await createUser('csrf-target');
      const key = await enterprise.admin.call('POST', '/api/v1/api-keys', { name: 'csrf target' });
      assert.equal(key.statusCode, 201, key.body);
      const keyId = json<{ id: string }>(key).id;
      const c = new Client(h.app);
      await c.login('acme-admin', password);
      const other = new Client(h.app);
      await other.login('acme-admin', password);
      const count = async () => json<{ total: number }>(await c.call('GET', '/api/v1/products')).total;
      const before = await count();
      for (const token of ['not-the-token', other.csrf, c.csrf.slice(0, -1)]) {
        const attempts = [
          await c.call('POST', '/api/v1/products', { name: 'Sneaky product' }, { 'x-csrf-token': token }),
          await c.call(
            'PATCH',
            `/api/v1/users/${userId}`,
            { displayName: 'Renamed' },
            { 'x-csrf-token': token },
          ),
          await c.call('DELETE', `/api/v1/api-keys/${keyId}`, undefined, { 'x-csrf-token': token }),
        ];
        for (const res of attempts) {
          assert.equal(res.statusCode, 403, `token ${JSON.stringify(token)}: ${res.body}`);
          assert.equal(errorCode(res), 'TRACE_AUTH_CSRF');
        }
      }
      assert.equal(await count(), before);
      assert.equal(
        json<{ displayName: string }>(await c.call('GET', `/api/v1/users/${userId}`)).displayName,
        'csrf-target',
      );
      const keys = json<{ items: Array<{ id: string; revokedAt: number | null }> }>(
        await c.call('GET', '/api/v1/api-keys'),
      );
      assert.equal(keys.items.find((k) => k.id === keyId)?.revokedAt, null);
    });

    test('reads work with the session cookie alone, without the CSRF header', async () => {
      const c = copyOf(enterprise.admin);
      c.csrf = '';
      const me = await c.call('GET', '/api/v1/auth/me');
      assert.equal(me.statusCode, 200, me.body);
      assert.equal((await c.call('GET', '/api/v1/products')).statusCode, 200);
    });

    test('without a session or key an API route answers 401 TRACE_AUTH_REQUIRED', async () => {
      const res = await h.app.inject('/api/v1/auth/me');
      assert.equal(res.statusCode, 401);
      assert.equal(errorCode(res), 'TRACE_AUTH_REQUIRED');
      const forged = await h.app.inject({
        url: '/api/v1/auth/me',
        headers: { cookie: 'tm_session=forged-token' },
      });
      assert.equal(forged.statusCode, 401);
    });

    test('logout ends the session: the cookie no longer works afterwards', async () => {
      const c = new Client(h.app);
      await c.login('acme-admin', password);
      const old = copyOf(c);
      const res = await c.call('POST', '/api/v1/auth/logout');
      assert.equal(res.statusCode, 200, res.body);
      const cleared = res.cookies.find((k) => k.name === 'tm_session');
      assert.ok(cleared !== undefined && cleared.value === '', 'the session cookie is cleared');
      const me = await old.call('GET', '/api/v1/auth/me');
      assert.equal(me.statusCode, 401);
      assert.equal(errorCode(me), 'TRACE_AUTH_REQUIRED');
      const change = await old.call('POST', '/api/v1/products', { name: 'After logout' });
      assert.equal(change.statusCode, 401);
      // Other sessions of the same person are not affected.
      assert.equal((await enterprise.admin.call('GET', '/api/v1/auth/me')).statusCode, 200);
    });

    test('changing the password requires the current one: a wrong one is 400 TRACE_AUTH_WRONG_PASSWORD', async () => {
      await createUser('pw-wrong');
      const c = new Client(h.app);
      await c.login('pw-wrong', password);
      const res = await c.call('POST', '/api/v1/auth/password', {
        currentPassword: 'Not-the-passw0rd',
        newPassword: 'Another-Passw0rd',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(errorCode(res), 'TRACE_AUTH_WRONG_PASSWORD');
      await new Client(h.app).login('pw-wrong', password);
    });

    test('a new password must meet the policy: weak ones are 400 TRACE_AUTH_WEAK_PASSWORD', async () => {
      await createUser('pw-weak');
      const c = new Client(h.app);
      await c.login('pw-weak', password);
      for (const weak of ['short1', 'onlyletterslong', '1234567890123', 'abc 12']) {
        const res = await c.call('POST', '/api/v1/auth/password', {
          currentPassword: password,
          newPassword: weak,
        });
        assert.equal(res.statusCode, 400, weak);
        assert.equal(errorCode(res), 'TRACE_AUTH_WEAK_PASSWORD', weak);
      }
      await new Client(h.app).login('pw-weak', password);
    });

    test('changing the password ends the other sessions, keeps the current one and clears must-change', async () => {
      await createUser('pw-change');
      const current = new Client(h.app);
      await current.login('pw-change', password);
      const elsewhere = new Client(h.app);
      await elsewhere.login('pw-change', password);
      assert.equal(
        json<MeBody & { user: { mustChangePassword: boolean } }>(await current.call('GET', '/api/v1/auth/me'))
          .user.mustChangePassword,
        true,
      );

      const res = await current.call('POST', '/api/v1/auth/password', {
        currentPassword: password,
        newPassword: 'Brand-new-passw0rd',
      });
      assert.equal(res.statusCode, 200, res.body);

      const mine = await current.call('GET', '/api/v1/auth/me');
      assert.equal(mine.statusCode, 200);
      assert.equal(json<{ user: { mustChangePassword: boolean } }>(mine).user.mustChangePassword, false);
      assert.equal(
        (await current.call('POST', '/api/v1/products', { name: 'Still logged in' })).statusCode,
        201,
      );
      assert.equal((await elsewhere.call('GET', '/api/v1/auth/me')).statusCode, 401);

      const old = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'pw-change', password },
      });
      assert.equal(old.statusCode, 401);
      await new Client(h.app).login('pw-change', 'Brand-new-passw0rd');
    });

    test('passwords are stored as argon2id hashes, never in clear', async () => {
      const rows = await h.db.kysely.selectFrom('users').select(['username', 'password_hash']).execute();
      assert.ok(rows.length >= 2);
      for (const row of rows) {
        assert.ok(
          row.password_hash.startsWith('$argon2id$'),
          `${row.username}: ${row.password_hash.slice(0, 12)}`,
        );
        assert.ok(!row.password_hash.includes(password));
      }
    });

    test('/auth/me returns the user, their enterprise and the permissions of each role', async () => {
      await createUser('me-operator', 'enterprise_operator');
      await createUser('me-distributor', 'distributor_user');
      const regulator = await regulatorClient(h, '310000', 'me-regulator');
      const clientOf = async (username: string) => {
        const c = new Client(h.app);
        await c.login(username, password);
        return c;
      };
      const cases: Array<{
        client: Client;
        role: string;
        enterprise: boolean;
        jurisdiction: string | null;
        permissions: string[];
      }> = [
        {
          client: operator,
          role: 'platform_operator',
          enterprise: false,
          jurisdiction: null,
          permissions: [
            'account.self',
            'enterprise.read',
            'enterprise.review',
            'users.manage',
            'audit.read',
            'platform.alerts',
            'supervision.read',
          ],
        },
        {
          client: enterprise.admin,
          role: 'enterprise_admin',
          enterprise: true,
          jurisdiction: null,
          permissions: [
            'account.self',
            'enterprise.read',
            'enterprise.edit',
            'product.read',
            'product.write',
            'users.manage',
            'apikeys.manage',
            'audit.read',
            'codes.manage',
            'codes.issue',
            'codes.activate',
            'scans.read',
            'scans.configure',
            'events.capture',
            'events.read',
          ],
        },
        {
          client: await clientOf('me-operator'),
          role: 'enterprise_operator',
          enterprise: true,
          jurisdiction: null,
          permissions: [
            'account.self',
            'enterprise.read',
            'product.read',
            'product.write',
            'codes.issue',
            'codes.activate',
            'scans.read',
            'events.capture',
            'events.read',
          ],
        },
        {
          client: await clientOf('me-distributor'),
          role: 'distributor_user',
          enterprise: true,
          jurisdiction: null,
          permissions: ['account.self', 'enterprise.read', 'product.read', 'events.capture', 'events.read'],
        },
        {
          client: regulator,
          role: 'regulator',
          enterprise: false,
          jurisdiction: '310000',
          permissions: ['account.self', 'enterprise.read', 'supervision.read', 'events.read'],
        },
      ];
      for (const c of cases) {
        const res = await c.client.call('GET', '/api/v1/auth/me');
        assert.equal(res.statusCode, 200, `${c.role}: ${res.body}`);
        const me = json<MeBody>(res);
        assert.equal(me.user.role, c.role);
        assert.equal(me.user.jurisdiction, c.jurisdiction, c.role);
        assert.deepEqual([...me.permissions].sort(), [...c.permissions].sort(), c.role);
        if (c.enterprise) {
          assert.equal(me.user.enterpriseId, enterprise.enterpriseId, c.role);
          assert.deepEqual(
            me.enterprise,
            { id: enterprise.enterpriseId, name: '企业 acme-admin', status: 'approved' },
            c.role,
          );
        } else {
          assert.equal(me.user.enterpriseId, null, c.role);
          assert.equal(me.enterprise, null, c.role);
        }
        assert.ok(!('passwordHash' in me.user) && !res.body.includes('$argon2'), c.role);
      }
    });
  });

  describe(`login rate limiting on ${dialect}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(dialect, { LOGIN_RATE_LIMIT: '3' });
      await operatorClient(h, 'limited-op');
    });
    after(() => h.close());

    const attempt = (username: string, pw: string, ip = '127.0.0.1') =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: pw },
        remoteAddress: ip,
      });

    test('the fourth login attempt for one username from one address within a minute is 429 TRACE_HTTP_RATE_LIMITED', async () => {
      for (let i = 0; i < 3; i += 1) {
        const res = await attempt('victim-user', 'Wrong-passw0rd');
        assert.equal(res.statusCode, 401, `attempt ${i + 1}`);
      }
      const fourth = await attempt('victim-user', 'Wrong-passw0rd');
      assert.equal(fourth.statusCode, 429);
      assert.equal(errorCode(fourth), 'TRACE_HTTP_RATE_LIMITED');
      // Case does not get around the limit.
      const upper = await attempt('VICTIM-USER', 'Wrong-passw0rd');
      assert.equal(upper.statusCode, 429);
      // The limit is per address and username: the same name from another address is still answered.
      assert.equal((await attempt('victim-user', 'Wrong-passw0rd', '10.1.2.3')).statusCode, 401);
    });

    test('the limit stops even the right password once reached, and does not touch other usernames', async () => {
      // `before` logged limited-op in once; two more attempts reach the limit of three.
      assert.equal((await attempt('limited-op', 'Wrong-passw0rd')).statusCode, 401);
      assert.equal((await attempt('limited-op', 'Wrong-passw0rd')).statusCode, 401);
      const blocked = await attempt('limited-op', password);
      assert.equal(blocked.statusCode, 429);
      assert.equal(
        blocked.cookies.find((c) => c.name === 'tm_session'),
        undefined,
      );
      assert.equal((await attempt('someone-else', 'Wrong-passw0rd')).statusCode, 401);
    });
  });
}
