import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { newId } from '@tracemark/db';
import { ConfigError, loadConfig } from '@tracemark/server';
import { dialects } from '@tracemark/testing';
import { nextRun, parseSchedule } from '../src/modules/epcis/schedule.js';
import { SubscriptionRunner } from '../src/modules/epcis/subscriptions.js';
import { checkWebhookDest, isForbiddenAddress } from '../src/modules/epcis/webhook-target.js';
import {
  approvedEnterprise,
  Client,
  harness,
  json,
  operatorClient,
  type Harness,
} from './support/harness.js';

const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** A webhook receiver on 127.0.0.1 that records what it gets and fails when asked to. */
class Receiver {
  readonly received: Array<{ body: string; signature: string }> = [];
  failNext = 0;
  readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (this.failNext > 0) {
        this.failNext -= 1;
        res.statusCode = 503;
        res.end();
        return;
      }
      this.received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(req.headers['gs1-signature']),
      });
      res.statusCode = 204;
      res.end();
    });
  });

  async start(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  /** The eventIDs of each delivery so far. */
  deliveries(): string[][] {
    return this.received.map((d) =>
      (
        JSON.parse(d.body) as {
          epcisBody: { queryResults: { resultsBody: { eventList: Array<{ eventID: string }> } } };
        }
      ).epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID),
    );
  }
}

function event(id: string, bizStep = 'shipping'): Record<string, unknown> {
  return {
    '@context': [CTX],
    type: 'ObjectEvent',
    eventID: id,
    eventTime: '2026-04-01T00:00:00Z',
    eventTimeZoneOffset: '+00:00',
    epcList: [`https://id.gs1.org/01/10614141073464/21/${id.replace(/\W/g, '')}`],
    action: 'OBSERVE',
    bizStep,
  };
}

describe('webhook addresses and schedules (pure)', () => {
  test('internal, reserved and metadata addresses are forbidden, public ones are not', () => {
    for (const a of [
      '127.0.0.1',
      '10.20.30.40',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      '169.254.169.254',
      '224.0.0.251',
      '0.0.0.0',
      '255.255.255.255',
      '::',
      '::1',
      'fd00:ec2::254',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:a00:1',
      'not-an-ip',
    ]) {
      assert.equal(isForbiddenAddress(a), true, a);
    }
    for (const a of [
      '203.0.113.7',
      '8.8.8.8',
      '172.32.0.1',
      '100.128.0.1',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
      assert.equal(isForbiddenAddress(a), false, a);
    }
  });

  test('a dest is checked by scheme, credentials, IP literal and every address its name resolves to', async () => {
    const refused = async (dest: string, resolve?: (h: string) => Promise<string[]>) => {
      await assert.rejects(
        checkWebhookDest(dest, { allowPrivate: false, ...(resolve ? { resolve } : {}) }),
        (e: { code?: string }) => e.code === 'TRACE_EPCIS_WEBHOOK_REFUSED',
        dest,
      );
    };
    await refused('ftp://203.0.113.7/x');
    await refused('gopher://203.0.113.7/x');
    await refused('http://user:secret@203.0.113.7/x');
    await refused('http://[::1]:8080/x');
    // A name with one internal address among public ones is refused.
    await refused('https://hooks.example.com/x', () => Promise.resolve(['203.0.113.7', '10.0.0.5']));
    await refused('https://nowhere.example.com/x', () => Promise.reject(new Error('ENOTFOUND')));
    const ok = await checkWebhookDest('https://hooks.example.com/x', {
      allowPrivate: false,
      resolve: () => Promise.resolve(['203.0.113.7']),
    });
    assert.equal(ok.hostname, 'hooks.example.com');
    // The operator may allow internal receivers; the scheme is still checked.
    await checkWebhookDest('http://127.0.0.1:9/x', { allowPrivate: true });
    await assert.rejects(checkWebhookDest('file:///etc/passwd', { allowPrivate: true }));
  });

  test('EPCIS_WEBHOOK_ALLOW_PRIVATE is a documented boolean setting, off by default', () => {
    assert.equal(loadConfig({}).epcisWebhookAllowPrivate, false);
    assert.equal(loadConfig({ EPCIS_WEBHOOK_ALLOW_PRIVATE: 'true' }).epcisWebhookAllowPrivate, true);
    assert.throws(() => loadConfig({ EPCIS_WEBHOOK_ALLOW_PRIVATE: 'maybe' }), ConfigError);
  });

  test('a schedule runs at the times it names, in UTC; omitted finer fields are their least value', () => {
    const at = (s: Record<string, string>, after: string) =>
      new Date(nextRun(parseSchedule(s), Date.parse(after)) ?? 0).toISOString();
    assert.equal(at({ hour: '1', minute: '5' }, '2026-03-01T02:00:00Z'), '2026-03-02T01:05:00.000Z');
    assert.equal(at({ hour: '1', minute: '5' }, '2026-03-01T00:00:00Z'), '2026-03-01T01:05:00.000Z');
    assert.equal(at({ minute: '0,30' }, '2026-03-01T10:10:00Z'), '2026-03-01T10:30:00.000Z');
    assert.equal(at({ second: '[10-12]' }, '2026-03-01T10:10:11Z'), '2026-03-01T10:10:12.000Z');
    // dayOfWeek 1 = Monday: 2026-03-02 is a Monday.
    assert.equal(at({ dayOfWeek: '1' }, '2026-03-01T10:00:00Z'), '2026-03-02T00:00:00.000Z');
    assert.equal(at({ month: '2', dayOfMonth: '29' }, '2026-03-01T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(at({ dayOfMonth: '[1-2]', hour: '23' }, '2026-01-31T00:00:00Z'), '2026-02-01T23:00:00.000Z');
    for (const bad of [
      {},
      { hour: '24' },
      { minute: '[30-10]' },
      { hours: '1' },
      { dayOfMonth: '31', month: '2' },
    ]) {
      assert.throws(
        () => parseSchedule(bad),
        (e: { code?: string }) => e.code === 'TRACE_EPCIS_SUBSCRIPTION_INVALID',
      );
    }
  });
});

for (const dialect of dialects) {
  describe(`EPCIS subscriptions on ${dialect}: webhook dest checks (SSRF)`, () => {
    let h: Harness;
    let key: Client;
    let other: Client;
    let tenantId: string;
    const receiver = new Receiver();
    let port = 0;

    before(async () => {
      // EPCIS_WEBHOOK_ALLOW_PRIVATE is not set: internal receivers are refused.
      h = await harness(dialect);
      port = await receiver.start();
      const operator = await operatorClient(h);
      const a = await approvedEnterprise(h, operator, { username: 'ssrf-admin', orgBody: 'MA1WEBH0' });
      tenantId = a.enterpriseId;
      key = new Client(h.app);
      key.bearer = json<{ key: string }>(await a.admin.call('POST', '/api/v1/api-keys', { name: 'ERP' })).key;
      const b = await approvedEnterprise(h, operator, {
        username: 'ssrf-other',
        orgBody: 'MA1WEBH1',
        region: '440106',
      });
      other = new Client(h.app);
      other.bearer = json<{ key: string }>(
        await b.admin.call('POST', '/api/v1/api-keys', { name: 'ERP' }),
      ).key;
      const q = await key.call('POST', '/epcis/queries', {
        name: 'ships',
        query: { EQ_bizStep: ['shipping'] },
      });
      assert.equal(q.statusCode, 201, q.body);
    });
    after(async () => {
      await receiver.stop();
      await h.close();
    });

    test('a dest at an internal, metadata or reserved address, or not http(s), is refused with a clear problem', async () => {
      for (const dest of [
        `http://127.0.0.1:${port}/hook`,
        'http://localhost/hook',
        'http://[::1]/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/hook',
        'http://172.16.0.1/hook',
        'http://192.168.1.1/hook',
        'http://100.64.0.1/hook',
        'http://224.0.0.1/hook',
        'http://0.0.0.0/hook',
        'http://[fd00::1]/hook',
        'http://[fe80::1]/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'http://2130706433/hook',
        'ftp://203.0.113.5/hook',
        'file:///etc/passwd',
        'not a url',
        'http://no-such-host.invalid/hook',
      ]) {
        const res = await key.call('POST', '/epcis/queries/ships/subscriptions', { dest, stream: true });
        assert.equal(res.statusCode, 400, `${dest}: ${res.body}`);
        const problem = json(res);
        assert.equal(problem['code'], 'TRACE_EPCIS_WEBHOOK_REFUSED', dest);
        assert.equal(problem['type'], 'epcisException:SubscriptionControlsException', dest);
      }
      const okay = await key.call('POST', '/epcis/queries/ships/subscriptions', {
        dest: 'https://203.0.113.5/hook',
        stream: true,
      });
      assert.equal(okay.statusCode, 201, okay.body);
      // Another enterprise's query is not found, whatever the dest.
      const theirs = await other.call('POST', '/epcis/queries/ships/subscriptions', {
        dest: 'http://127.0.0.1/hook',
        stream: true,
      });
      assert.equal(theirs.statusCode, 404);
      await key.call(
        'DELETE',
        `/epcis/queries/ships/subscriptions/${json(okay)['subscriptionID'] as string}`,
      );
    });

    test('delivery checks the address it connects to: a name that now resolves inside is refused', async () => {
      // Subscriptions as they might be after a DNS change (rebinding) or made before the check.
      for (const dest of [`http://localhost:${port}/rebound`, `http://127.0.0.1:${port}/literal`]) {
        await h.db.kysely
          .insertInto('epcis_subscriptions')
          .values({
            tenant_id: tenantId,
            id: newId(),
            query_name: 'ships',
            dest,
            secret: 'a-secret-of-the-subscriber-0123456789',
            stream: 1,
            report_if_empty: 0,
            initial_record_time: null,
            created_by: 'test',
            created_at: Date.now(),
            last_notified_at: null,
            claimed_by: null,
            lease_until: null,
          })
          .execute();
      }
      const res = await key.call('POST', '/epcis/events', event('urn:uuid:ssrf-1'));
      assert.equal(res.statusCode, 201, res.body);
      await h.app.subscriptionRunner.drain();
      assert.equal(receiver.received.length, 0);
      const errors = await sql<{
        last_error: string | null;
      }>`select last_error from epcis_deliveries where tenant_id = ${tenantId}`.execute(h.db.kysely);
      assert.equal(errors.rows.length, 2);
      for (const r of errors.rows) assert.match(String(r.last_error), /webhook refused/);
    });
  });

  describe(`EPCIS subscriptions on ${dialect}: schedules`, () => {
    let h: Harness;
    let key: Client;
    const receiver = new Receiver();
    let port = 0;
    let clock = Date.now();
    let runner: SubscriptionRunner;
    const secret = 'a-secret-of-the-subscriber-0123456789';

    before(async () => {
      h = await harness(dialect, { EPCIS_WEBHOOK_ALLOW_PRIVATE: 'true' });
      port = await receiver.start();
      const operator = await operatorClient(h);
      const a = await approvedEnterprise(h, operator, { username: 'sched-admin', orgBody: 'MA1PLAN0' });
      key = new Client(h.app);
      key.bearer = json<{ key: string }>(await a.admin.call('POST', '/api/v1/api-keys', { name: 'ERP' })).key;
      runner = new SubscriptionRunner(
        { db: h.db, log: h.app.log, config: h.config },
        { now: () => clock, baseDelayMs: 1000 },
      );
      const q = await key.call('POST', '/epcis/queries', {
        name: 'daily',
        query: { EQ_bizStep: ['shipping'] },
      });
      assert.equal(q.statusCode, 201, q.body);
    });
    after(async () => {
      await receiver.stop();
      await h.close();
    });

    test('stream and schedule are exclusive, and a schedule must be well-formed', async () => {
      const post = (body: Record<string, unknown>) =>
        key.call('POST', '/epcis/queries/daily/subscriptions', {
          dest: `http://127.0.0.1:${port}/x`,
          ...body,
        });
      for (const body of [
        {},
        { stream: false },
        { stream: true, schedule: { hour: '1' } },
        { schedule: {} },
        { schedule: { hour: '25' } },
        { schedule: { dayOfMonth: '30', month: '2' } },
      ]) {
        const res = await post(body);
        assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(json(res)['type'], 'epcisException:SubscriptionControlsException');
      }
    });

    test('a scheduled subscription delivers what matched since its last run, when its time comes', async () => {
      clock = Date.now();
      const sub = await key.call('POST', '/epcis/queries/daily/subscriptions', {
        dest: `http://127.0.0.1:${port}/daily`,
        signatureToken: secret,
        schedule: { hour: '1', minute: '5' },
        reportIfEmpty: true,
      });
      assert.equal(sub.statusCode, 201, sub.body);
      const created = json<{ subscriptionID: string; stream: boolean; schedule: unknown; nextRunAt: string }>(
        sub,
      );
      assert.equal(created.stream, false);
      assert.deepEqual(created.schedule, { hour: '1', minute: '5' });
      const firstRun = Date.parse(created.nextRunAt);
      assert.match(created.nextRunAt, /T01:05:00(\.000)?Z$/);
      assert.ok(firstRun > clock && firstRun <= clock + 86_400_000);

      for (const [id, step] of [
        ['urn:uuid:sched-1', 'shipping'],
        ['urn:uuid:sched-2', 'receiving'],
        ['urn:uuid:sched-3', 'shipping'],
      ] as const) {
        assert.equal((await key.call('POST', '/epcis/events', event(id, step))).statusCode, 201);
      }
      // Not yet its time: nothing is sent, even by the app's own runner.
      await runner.drain();
      await h.app.subscriptionRunner.drain();
      assert.equal(receiver.received.length, 0);

      clock = firstRun + 500;
      await runner.drain();
      assert.deepEqual(receiver.deliveries(), [['urn:uuid:sched-1', 'urn:uuid:sched-3']]);
      const delivery = receiver.received[0] ?? { body: '', signature: '' };
      const expected = `sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`;
      assert.ok(timingSafeEqual(Buffer.from(delivery.signature), Buffer.from(expected)));
      const doc = JSON.parse(delivery.body) as { epcisBody: { queryResults: Record<string, unknown> } };
      assert.equal(doc.epcisBody.queryResults['subscriptionID'], created.subscriptionID);
      assert.equal(doc.epcisBody.queryResults['queryName'], 'daily');
      // Run once per time: draining again sends nothing; the next run is a day later.
      await runner.drain();
      assert.equal(receiver.received.length, 1);
      const after1 = json<{ nextRunAt: string; lastNotifiedAt?: string }>(
        await key.call('GET', `/epcis/queries/daily/subscriptions/${created.subscriptionID}`),
      );
      assert.equal(Date.parse(after1.nextRunAt), firstRun + 86_400_000);
      assert.equal(after1.lastNotifiedAt, new Date(firstRun + 500).toISOString());

      // Nothing new by the next run: reportIfEmpty sends an empty result.
      clock = firstRun + 86_400_000 + 500;
      await runner.drain();
      assert.deepEqual(receiver.deliveries()[1], []);

      // A failed run is retried with backoff, not a day later, and loses nothing.
      assert.equal((await key.call('POST', '/epcis/events', event('urn:uuid:sched-4'))).statusCode, 201);
      receiver.failNext = 1;
      clock = firstRun + 2 * 86_400_000 + 500;
      await runner.drain();
      assert.equal(receiver.received.length, 2);
      clock += 1500;
      await runner.drain();
      assert.deepEqual(receiver.deliveries()[2], ['urn:uuid:sched-4']);
      const after3 = json<{ nextRunAt: string }>(
        await key.call('GET', `/epcis/queries/daily/subscriptions/${created.subscriptionID}`),
      );
      assert.equal(Date.parse(after3.nextRunAt), firstRun + 3 * 86_400_000);
      assert.equal(
        (await key.call('DELETE', `/epcis/queries/daily/subscriptions/${created.subscriptionID}`)).statusCode,
        204,
      );
    });

    test('initialRecordTime puts the matching events already stored into the first run', async () => {
      clock = Date.now();
      const before = receiver.received.length;
      const sub = await key.call('POST', '/epcis/queries/daily/subscriptions', {
        dest: `http://127.0.0.1:${port}/hourly`,
        schedule: { minute: '0' },
        initialRecordTime: '2020-01-01T00:00:00Z',
      });
      assert.equal(sub.statusCode, 201, sub.body);
      const { nextRunAt, subscriptionID } = json<{ nextRunAt: string; subscriptionID: string }>(sub);
      assert.match(nextRunAt, /:00:00(\.000)?Z$/);
      clock = Date.parse(nextRunAt) + 10;
      await runner.drain();
      assert.deepEqual(receiver.deliveries()[before], [
        'urn:uuid:sched-1',
        'urn:uuid:sched-3',
        'urn:uuid:sched-4',
      ]);
      await key.call('DELETE', `/epcis/queries/daily/subscriptions/${subscriptionID}`);
    });
  });
}
