import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  harness,
  json,
  operatorClient,
  type Harness,
} from './support/harness.js';

interface Webhook {
  subscriptionId: string;
  queryName: string;
  query: Record<string, unknown>;
  dest: string;
  createdAt: number;
  lastDeliveredAt: number | null;
  pending: number;
  failing: number;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  status: 'idle' | 'delivering' | 'failing';
}

const dest = 'https://93.184.215.14/tracemark';

for (const dialect of dialects) {
  describe(`the webhook overview on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let acme: { admin: Client; enterpriseId: string };
    let other: { admin: Client; enterpriseId: string };
    let subscriptionId: string;
    let secret: string;

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      acme = await approvedEnterprise(h, operator, { username: 'hook-admin', orgBody: 'MA1HXK01' });
      other = await approvedEnterprise(h, operator, {
        username: 'hook-other',
        orgBody: 'MA1HXK02',
        region: '440106',
      });
      const query = await acme.admin.call('POST', '/epcis/queries', {
        name: 'shipped-soy',
        query: { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'] },
      });
      assert.equal(query.statusCode, 201, query.body);
      // A public address literal passes the destination check without DNS; no runner runs here,
      // so nothing is ever sent to it.
      const sub = await acme.admin.call('POST', '/epcis/queries/shipped-soy/subscriptions', {
        dest,
        stream: true,
      });
      assert.equal(sub.statusCode, 201, sub.body);
      ({ subscriptionID: subscriptionId, signatureToken: secret } = json<{
        subscriptionID: string;
        signatureToken: string;
      }>(sub));
    });
    after(() => h.close());

    async function list(c: Client): Promise<Webhook[]> {
      const res = await c.call('GET', '/api/v1/webhooks');
      assert.equal(res.statusCode, 200, res.body);
      return json<{ items: Webhook[] }>(res).items;
    }

    test('lists the subscriptions with their query and destination, never the secret', async () => {
      const res = await acme.admin.call('GET', '/api/v1/webhooks');
      assert.ok(!res.body.includes(secret));
      const [hook, ...rest] = await list(acme.admin);
      assert.equal(rest.length, 0);
      assert.equal(hook?.subscriptionId, subscriptionId);
      assert.equal(hook.queryName, 'shipped-soy');
      assert.deepEqual(hook.query, { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'] });
      assert.equal(hook.dest, dest);
      assert.equal(hook.status, 'idle');
      assert.equal(hook.pending, 0);
      assert.equal(hook.lastDeliveredAt, null);
      assert.equal(hook.lastError, null);
    });

    test('shows queued and failing deliveries with the last error and the next attempt', async () => {
      const now = Date.now();
      await sql`insert into epcis_deliveries (tenant_id, subscription_id, event_pk, attempts, next_attempt_at, last_error)
        values (${acme.enterpriseId}, ${subscriptionId}, 'e1', 0, ${now}, null),
               (${acme.enterpriseId}, ${subscriptionId}, 'e2', 3, ${now + 60_000}, 'HTTP 503')`.execute(
        h.db.kysely,
      );
      const [hook] = await list(acme.admin);
      assert.equal(hook?.pending, 2);
      assert.equal(hook.failing, 1);
      assert.equal(hook.attempts, 3);
      assert.equal(hook.lastError, 'HTTP 503');
      assert.equal(hook.nextAttemptAt, now);
      assert.equal(hook.status, 'failing');
      await sql`delete from epcis_deliveries where event_pk = 'e2'`.execute(h.db.kysely);
      assert.equal((await list(acme.admin))[0]?.status, 'delivering');
      await sql`delete from epcis_deliveries`.execute(h.db.kysely);
    });

    test('another enterprise sees none of them; an unsubscribed webhook disappears', async () => {
      assert.deepEqual(await list(other.admin), []);
      const gone = await acme.admin.call(
        'DELETE',
        `/epcis/queries/shipped-soy/subscriptions/${subscriptionId}`,
      );
      assert.equal(gone.statusCode, 204, gone.body);
      assert.deepEqual(await list(acme.admin), []);
    });

    test('roles without events.read cannot list webhooks (403), nor can anyone without a session (401)', async () => {
      assert.equal((await operator.call('GET', '/api/v1/webhooks')).statusCode, 403);
      assert.equal((await new Client(h.app).call('GET', '/api/v1/webhooks')).statusCode, 401);
    });
  });
}
