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

interface UserBody {
  id: string;
  username: string;
  displayName: string;
  role: string;
  enterpriseId: string | null;
  jurisdiction: string | null;
  status: string;
  mustChangePassword: boolean;
}

for (const dialect of dialects) {
  describe(`managing users on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let acme: { admin: Client; enterpriseId: string };
    let other: { admin: Client; enterpriseId: string };

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      acme = await approvedEnterprise(h, operator, { username: 'acme-admin', orgBody: 'MA1CCCC0' });
      other = await approvedEnterprise(h, operator, {
        username: 'other-admin',
        orgBody: 'MA1DDDD0',
        region: '440106',
      });
    });
    after(() => h.close());

    const newUser = (username: string, role: string, extra: Record<string, unknown> = {}) => ({
      username,
      displayName: `Name of ${username}`,
      password,
      role,
      ...extra,
    });

    async function create(
      by: Client,
      username: string,
      role: string,
      extra: Record<string, unknown> = {},
    ): Promise<UserBody> {
      const res = await by.call('POST', '/api/v1/users', newUser(username, role, extra));
      assert.equal(res.statusCode, 201, res.body);
      return json<UserBody>(res);
    }

    async function loggedIn(username: string, pw = password): Promise<Client> {
      const c = new Client(h.app);
      await c.login(username, pw);
      return c;
    }

    const userCount = async (username: string) =>
      (await h.db.kysely.selectFrom('users').select('id').where('username', '=', username).execute()).length;

    test('an enterprise admin creates enterprise operators and distributor users in their own enterprise', async () => {
      for (const role of ['enterprise_operator', 'distributor_user']) {
        const user = await create(acme.admin, `acme-${role.replace('_', '-')}`, role, {
          email: 'staff@example.com',
        });
        assert.equal(user.role, role);
        assert.equal(user.enterpriseId, acme.enterpriseId);
        assert.equal(user.jurisdiction, null);
        assert.equal(user.status, 'active');
        const me = json<{ user: UserBody }>(
          await (await loggedIn(user.username)).call('GET', '/api/v1/auth/me'),
        );
        assert.equal(me.user.enterpriseId, acme.enterpriseId);
      }
    });

    test('created users must change their password at first login', async () => {
      const user = await create(acme.admin, 'acme-fresh', 'enterprise_operator');
      assert.equal(user.mustChangePassword, true);
      const c = await loggedIn('acme-fresh');
      assert.equal(
        json<{ user: UserBody }>(await c.call('GET', '/api/v1/auth/me')).user.mustChangePassword,
        true,
      );
      const row = await h.db.kysely
        .selectFrom('users')
        .select('must_change_password')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.must_change_password, 1);
    });

    test('an enterprise admin may not create platform operators or regulators (403 TRACE_USER_ROLE_NOT_ALLOWED)', async () => {
      for (const [username, role, extra] of [
        ['acme-wants-op', 'platform_operator', {}],
        ['acme-wants-reg', 'regulator', { jurisdiction: '310000' }],
      ] as const) {
        const res = await acme.admin.call('POST', '/api/v1/users', newUser(username, role, extra));
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorCode(res), 'TRACE_USER_ROLE_NOT_ALLOWED');
        assert.equal(await userCount(username), 0);
      }
    });

    test('an enterprise admin may not raise a user of theirs to a platform role', async () => {
      const user = await create(acme.admin, 'acme-climber', 'enterprise_operator');
      const res = await acme.admin.call('PATCH', `/api/v1/users/${user.id}`, { role: 'platform_operator' });
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_USER_ROLE_NOT_ALLOWED');
      const reg = await acme.admin.call('PATCH', `/api/v1/users/${user.id}`, {
        role: 'regulator',
        jurisdiction: '310000',
      });
      assert.equal(reg.statusCode, 403);
      assert.equal(
        json<UserBody>(await acme.admin.call('GET', `/api/v1/users/${user.id}`)).role,
        'enterprise_operator',
      );
    });

    test('people without users.manage cannot create users (403)', async () => {
      const staff = await loggedIn('acme-enterprise-operator');
      const res = await staff.call('POST', '/api/v1/users', newUser('made-by-staff', 'enterprise_operator'));
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
      assert.equal(await userCount('made-by-staff'), 0);
    });

    test('the platform operator creates regulators with a valid GB/T 2260 jurisdiction', async () => {
      const reg = await create(operator, 'sh-regulator', 'regulator', { jurisdiction: '310000' });
      assert.equal(reg.role, 'regulator');
      assert.equal(reg.jurisdiction, '310000');
      assert.equal(reg.enterpriseId, null);
      const county = await create(operator, 'pudong-regulator', 'regulator', { jurisdiction: '310115' });
      assert.equal(county.jurisdiction, '310115');
      const me = json<{ user: UserBody }>(
        await (await loggedIn('sh-regulator')).call('GET', '/api/v1/auth/me'),
      );
      assert.equal(me.user.jurisdiction, '310000');
    });

    test('a regulator without a real region code is 400 TRACE_USER_JURISDICTION_INVALID', async () => {
      for (const [username, extra] of [
        ['reg-nowhere', { jurisdiction: '999999' }],
        ['reg-none', {}],
      ] as const) {
        const res = await operator.call('POST', '/api/v1/users', newUser(username, 'regulator', extra));
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(errorCode(res), 'TRACE_USER_JURISDICTION_INVALID');
        assert.equal(await userCount(username), 0);
      }
      const malformed = await operator.call(
        'POST',
        '/api/v1/users',
        newUser('reg-short', 'regulator', { jurisdiction: '31' }),
      );
      assert.equal(malformed.statusCode, 400);
      assert.equal(errorCode(malformed), 'TRACE_HTTP_VALIDATION');
    });

    test('the platform operator creates platform accounts but no enterprise users', async () => {
      const op = await create(operator, 'second-operator', 'platform_operator');
      assert.equal(op.enterpriseId, null);
      for (const role of ['enterprise_admin', 'enterprise_operator', 'distributor_user']) {
        const res = await operator.call(
          'POST',
          '/api/v1/users',
          newUser(`op-makes-${role.replace(/_/g, '-')}`, role),
        );
        assert.equal(res.statusCode, 403, role);
        assert.equal(errorCode(res), 'TRACE_USER_ROLE_NOT_ALLOWED');
      }
    });

    test('a taken username is 409 TRACE_USER_USERNAME_TAKEN, whatever its case and whichever enterprise has it', async () => {
      await create(acme.admin, 'dup-person', 'enterprise_operator');
      for (const [by, username] of [
        [acme.admin, 'dup-person'],
        [acme.admin, 'DUP-Person'],
        [other.admin, 'dup-person'],
        [operator, 'dup-person'],
      ] as const) {
        const res = await by.call(
          'POST',
          '/api/v1/users',
          newUser(username, by === operator ? 'platform_operator' : 'enterprise_operator'),
        );
        assert.equal(res.statusCode, 409, `${username}: ${res.body}`);
        assert.equal(errorCode(res), 'TRACE_USER_USERNAME_TAKEN');
      }
      assert.equal(await userCount('dup-person'), 1);
    });

    test('a weak initial password is 400 TRACE_AUTH_WEAK_PASSWORD', async () => {
      const res = await acme.admin.call('POST', '/api/v1/users', {
        ...newUser('weak-one', 'enterprise_operator'),
        password: 'short',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(errorCode(res), 'TRACE_AUTH_WEAK_PASSWORD');
      assert.equal(await userCount('weak-one'), 0);
    });

    test("an admin can neither see nor edit another enterprise's users (404)", async () => {
      const theirs = await create(other.admin, 'other-staff', 'enterprise_operator');
      const read = await acme.admin.call('GET', `/api/v1/users/${theirs.id}`);
      assert.equal(read.statusCode, 404);
      assert.equal(errorCode(read), 'TRACE_USER_NOT_FOUND');
      for (const patch of [
        { displayName: 'Taken over' },
        { status: 'disabled' },
        { password: 'Hijacked-passw0rd' },
        { role: 'enterprise_admin' },
      ]) {
        const res = await acme.admin.call('PATCH', `/api/v1/users/${theirs.id}`, patch);
        assert.equal(res.statusCode, 404, JSON.stringify(patch));
        assert.equal(errorCode(res), 'TRACE_USER_NOT_FOUND');
      }
      const list = await acme.admin.call('GET', '/api/v1/users?pageSize=200');
      const listed = json<{ items: UserBody[] }>(list).items;
      assert.ok(listed.length > 0);
      assert.ok(
        listed.every((u) => u.enterpriseId === acme.enterpriseId),
        'only own people are listed',
      );
      assert.ok(!list.body.includes(theirs.id) && !list.body.includes('other-admin'));
      const after = json<UserBody>(await other.admin.call('GET', `/api/v1/users/${theirs.id}`));
      assert.deepEqual(after, theirs);
      await loggedIn('other-staff');
    });

    test('disabling a user ends their sessions at once; enabling lets them log in again', async () => {
      const user = await create(acme.admin, 'to-disable', 'enterprise_operator');
      const c = await loggedIn('to-disable');
      assert.equal((await c.call('GET', '/api/v1/auth/me')).statusCode, 200);
      const off = await acme.admin.call('PATCH', `/api/v1/users/${user.id}`, { status: 'disabled' });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(json<UserBody>(off).status, 'disabled');
      assert.equal((await c.call('GET', '/api/v1/auth/me')).statusCode, 401);
      assert.equal(
        (await c.call('POST', '/api/v1/products', { name: 'From a disabled user' })).statusCode,
        401,
      );
      const sessions = await h.db.kysely
        .selectFrom('sessions')
        .select('id_hash')
        .where('user_id', '=', user.id)
        .execute();
      assert.equal(sessions.length, 0);
      assert.equal(
        (await acme.admin.call('PATCH', `/api/v1/users/${user.id}`, { status: 'active' })).statusCode,
        200,
      );
      await loggedIn('to-disable');
    });

    test('a password reset by the admin ends the sessions and requires a change at next login', async () => {
      const user = await create(acme.admin, 'to-reset', 'enterprise_operator');
      const c = await loggedIn('to-reset');
      assert.equal(
        (
          await c.call('POST', '/api/v1/auth/password', {
            currentPassword: password,
            newPassword: 'Own-chosen-passw0rd',
          })
        ).statusCode,
        200,
      );
      const reset = await acme.admin.call('PATCH', `/api/v1/users/${user.id}`, {
        password: 'Reset-by-admin-1',
      });
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(json<UserBody>(reset).mustChangePassword, true);
      assert.equal((await c.call('GET', '/api/v1/auth/me')).statusCode, 401);
      const old = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'to-reset', password: 'Own-chosen-passw0rd' },
      });
      assert.equal(old.statusCode, 401);
      await loggedIn('to-reset', 'Reset-by-admin-1');
    });

    test('nobody can reset their own password through user management: that needs the current one (409 TRACE_USER_SELF_CHANGE)', async () => {
      const me = json<{ user: UserBody }>(await acme.admin.call('GET', '/api/v1/auth/me')).user;
      const res = await acme.admin.call('PATCH', `/api/v1/users/${me.id}`, {
        password: 'Chosen-without-old-1',
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(errorCode(res), 'TRACE_USER_SELF_CHANGE');
      assert.equal((await acme.admin.call('GET', '/api/v1/auth/me')).statusCode, 200, 'the session survives');
      await loggedIn('acme-admin');
      const bad = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'acme-admin', password: 'Chosen-without-old-1' },
      });
      assert.equal(bad.statusCode, 401);
    });

    test('nobody can disable themselves or change their own role (409 TRACE_USER_SELF_CHANGE)', async () => {
      for (const c of [acme.admin, operator]) {
        const me = json<{ user: UserBody }>(await c.call('GET', '/api/v1/auth/me')).user;
        for (const patch of [
          { status: 'disabled' },
          {
            role: me.role === 'platform_operator' ? 'regulator' : 'enterprise_operator',
            jurisdiction: '310000',
          },
        ]) {
          const res = await c.call('PATCH', `/api/v1/users/${me.id}`, patch);
          assert.equal(res.statusCode, 409, `${me.username} ${JSON.stringify(patch)}: ${res.body}`);
          assert.equal(errorCode(res), 'TRACE_USER_SELF_CHANGE');
        }
        const still = json<{ user: UserBody }>(await c.call('GET', '/api/v1/auth/me')).user;
        assert.equal(still.status, 'active');
        assert.equal(still.role, me.role);
      }
      // Editing one's own name is fine.
      const me = json<{ user: UserBody }>(await acme.admin.call('GET', '/api/v1/auth/me')).user;
      const renamed = await acme.admin.call('PATCH', `/api/v1/users/${me.id}`, { displayName: 'Acme Admin' });
      assert.equal(renamed.statusCode, 200, renamed.body);
    });
  });
}
