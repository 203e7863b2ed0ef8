import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { newId, repositories, type PlatformAlertKind } from '@tracemark/db';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  type Client,
  errorCode,
  harness,
  json,
  operatorClient,
  regulatorClient,
  type Harness,
} from './support/harness.js';

interface Alert {
  id: string;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
  count: number;
  status: 'open' | 'acknowledged';
  firstAt: number;
  lastAt: number;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  acknowledgedAt: number | null;
}
interface AlertPage {
  items: Alert[];
  total: number;
}

for (const dialect of dialects) {
  describe(`platform alerts on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let second: Client;
    let operatorId: string;
    let admin: Client;
    let regulator: Client;

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return json<T>(r);
    };
    /** Raises an alert as the scan guard does; returns the open alert's id. */
    const raise = async (kind: PlatformAlertKind, subject: string, at: number, details: object = {}) => {
      const scans = repositories(h.db.kysely).scans;
      await scans.raiseAlert({
        id: newId(at),
        kind,
        subject,
        details: JSON.stringify(details),
        count: 1,
        at,
      });
      const open = await h.db.kysely
        .selectFrom('platform_alerts')
        .select('id')
        .where('kind', '=', kind)
        .where('subject', '=', subject)
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow();
      return open.id;
    };

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      second = await operatorClient(h, 'op2');
      operatorId = json<{ user: { id: string } }>(await operator.call('GET', '/api/v1/auth/me')).user.id;
      ({ admin } = await approvedEnterprise(h, operator, { username: 'al-admin', orgBody: 'MA1ALR00' }));
      regulator = await regulatorClient(h, '310000');
    });
    after(() => h.close());

    test('the operator lists alerts, most recent first, with their figures; repeats add to one alert', async () => {
      const t = Date.now() - 60_000;
      const net = await raise('invalid_lookups_network', '192.0.2.0/24', t, { invalid: 200 });
      await raise('invalid_lookups_network', '192.0.2.0/24', t + 5000, { invalid: 350 });
      const rate = await raise('invalid_lookups_rate', 'platform', t + 1000, {
        perMinute: 5000,
        average: 40,
      });
      const page = await ok<AlertPage>(operator.call('GET', '/api/v1/platform-alerts'));
      assert.equal(page.total, 2);
      assert.deepEqual(
        page.items.map((a) => a.id),
        [net, rate],
      );
      assert.deepEqual(page.items[0], {
        id: net,
        kind: 'invalid_lookups_network',
        subject: '192.0.2.0/24',
        details: { invalid: 350 },
        count: 2,
        status: 'open',
        firstAt: t,
        lastAt: t + 5000,
        acknowledgedBy: null,
        acknowledgedByName: null,
        acknowledgedAt: null,
      });
      assert.deepEqual(page.items[1]?.details, { perMinute: 5000, average: 40 });
    });

    test('acknowledging records who and when, is audited, and a second acknowledgement is a 409', async () => {
      const id = await raise('invalid_lookups_network', '198.51.100.0/24', Date.now());
      const before = Date.now();
      const a = await ok<Alert>(operator.call('POST', `/api/v1/platform-alerts/${id}/acknowledge`));
      assert.equal(a.status, 'acknowledged');
      assert.equal(a.acknowledgedBy, operatorId);
      assert.equal(a.acknowledgedByName, 'Operator', 'the list says who, by name');
      const listed = await ok<AlertPage>(operator.call('GET', '/api/v1/platform-alerts?status=acknowledged'));
      assert.equal(listed.items.find((i) => i.id === id)?.acknowledgedByName, 'Operator');
      assert.ok(a.acknowledgedAt !== null && a.acknowledgedAt >= before);
      const again = await second.call('POST', `/api/v1/platform-alerts/${id}/acknowledge`);
      assert.equal(again.statusCode, 409);
      assert.equal(errorCode(again), 'TRACE_ALERT_ACKNOWLEDGED');
      const audit = await ok<{
        items: Array<{ action: string; actorId: string; enterpriseId: string | null }>;
      }>(operator.call('GET', `/api/v1/audit-log?targetId=${id}`));
      assert.deepEqual(
        audit.items.map((e) => [e.action, e.actorId, e.enterpriseId]),
        [['platform_alert.acknowledged', operatorId, null]],
      );
    });

    test('two operators acknowledging at once: exactly one succeeds', async () => {
      const id = await raise('invalid_lookups_network', '203.0.113.0/24', Date.now());
      const answers = await Promise.all(
        [operator, second].map((c) => c.call('POST', `/api/v1/platform-alerts/${id}/acknowledge`)),
      );
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 409]);
    });

    test('the list filters by status; the same problem seen again opens a new alert', async () => {
      const subject = '100.64.0.0/24';
      const first = await raise('invalid_lookups_network', subject, Date.now() - 1000);
      await ok(operator.call('POST', `/api/v1/platform-alerts/${first}/acknowledge`));
      const reopened = await raise('invalid_lookups_network', subject, Date.now());
      assert.notEqual(reopened, first);
      const open = await ok<AlertPage>(
        operator.call('GET', '/api/v1/platform-alerts?status=open&pageSize=200'),
      );
      assert.ok(open.items.every((a) => a.status === 'open'));
      assert.ok(open.items.some((a) => a.id === reopened));
      const done = await ok<AlertPage>(
        operator.call('GET', '/api/v1/platform-alerts?status=acknowledged&pageSize=200'),
      );
      assert.ok(done.items.every((a) => a.status === 'acknowledged'));
      assert.ok(done.items.some((a) => a.id === first));
      assert.equal((await operator.call('GET', '/api/v1/platform-alerts?status=closed')).statusCode, 400);
    });

    test('an unknown alert is a 404', async () => {
      const res = await operator.call('POST', `/api/v1/platform-alerts/${newId()}/acknowledge`);
      assert.equal(res.statusCode, 404);
      assert.equal(errorCode(res), 'TRACE_ALERT_NOT_FOUND');
      assert.equal((await operator.call('POST', '/api/v1/platform-alerts/nope/acknowledge')).statusCode, 400);
    });

    test('enterprise people and regulators can neither see nor acknowledge alerts', async () => {
      const id = await raise('invalid_lookups_rate', 'platform', Date.now());
      for (const c of [admin, regulator]) {
        const list = await c.call('GET', '/api/v1/platform-alerts');
        assert.equal(list.statusCode, 403);
        assert.equal(errorCode(list), 'TRACE_AUTH_FORBIDDEN');
        assert.equal((await c.call('POST', `/api/v1/platform-alerts/${id}/acknowledge`)).statusCode, 403);
      }
      const still = await ok<AlertPage>(
        operator.call('GET', '/api/v1/platform-alerts?status=open&pageSize=200'),
      );
      assert.ok(still.items.some((a) => a.id === id));
    });
  });
}
