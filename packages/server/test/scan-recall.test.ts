/**
 * Recalls and the journey on the consumer side: a recalled batch, a recalled case and a recalled
 * single code all turn a genuine scan into `recalled` with the reason and time; the scan page
 * shows the recall notice and the batch's journey; the journey page and API list a code's full
 * trace without counting a query; unknown codes there count as invalid lookups.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  harness,
  json,
  operatorClient,
  type Client,
  type Harness,
} from './support/harness.js';

const phone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const SHANGHAI = '116.228.111.118';

interface Verification {
  verdict: string;
  queryCount: number;
  recall: { at: number; reason: string | null; scope: string } | null;
  trace: {
    steps: Array<{ stage: string; bizStep: string | null; at: number; place: string | null }>;
    more: number;
  } | null;
}

interface Journey {
  code: string;
  steps: Array<{ stage: string; bizStep: string | null; place: string | null }>;
  more: number;
}

for (const dialect of dialects) {
  describe(`recalls and journeys on the scan side on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let batchA = '';
    let batchB = '';
    let items: string[] = [];
    let others: string[] = [];
    let cases: string[] = [];

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 201): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return JSON.parse(r.body) as T;
    };
    const get = (url: string, ip = SHANGHAI) =>
      h.app.inject({ method: 'GET', url, remoteAddress: ip, headers: { 'user-agent': phone } });
    const verify = async (code: string): Promise<Verification> => {
      const res = await get(`/api/v1/verify/${code}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<Verification>(res);
    };
    const act = (action: string, body: unknown) =>
      ok<{ eventIds: string[] }>(admin.call('POST', `/api/v1/trace-actions/${action}`, body));

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL: 'https://t.example.cn', SCAN_INVALID_PER_ADDRESS: '3' });
      const operator = await operatorClient(h);
      const e = await approvedEnterprise(h, operator, { username: 'recall-admin', orgBody: 'MA1RCL00' });
      admin = e.admin;
      const productId = (
        await ok<{ id: string }>(
          admin.call('POST', '/api/v1/products', { name: '儿童米粉', gtin: '6901234567892' }),
        )
      ).id;
      const batch = async (lot: string) =>
        (
          await ok<{ id: string }>(
            admin.call('POST', '/api/v1/batches', {
              productId,
              lot,
              productionDate: '2026-10-01',
              quantity: 100,
            }),
          )
        ).id;
      batchA = await batch('MF-2026-A');
      batchB = await batch('MF-2026-B');
      const spaceId = (
        await ok<{ id: string }>(admin.call('POST', '/api/v1/code-spaces', { name: 'R', length: 17 }))
      ).id;
      const job = async (count: number, packingLevel?: string) =>
        (
          await ok<{ id: string }>(
            admin.call('POST', '/api/v1/code-jobs', {
              spaceId,
              productId,
              count,
              ...(packingLevel === undefined ? {} : { packingLevel }),
            }),
          )
        ).id;
      const codesOf = async (jobId: string, n: number) =>
        (
          await ok<{ items: Array<{ code: string }> }>(
            admin.call('GET', `/api/v1/code-jobs/${jobId}/codes?count=${n}`),
            200,
          )
        ).items.map((c) => c.code);
      const itemJob = await job(10);
      const otherJob = await job(6);
      const caseJob = await job(2, 'case');
      await ok(admin.call('POST', '/api/v1/code-activations', { batchId: batchA, jobId: itemJob }), 200);
      await ok(admin.call('POST', '/api/v1/code-activations', { batchId: batchB, jobId: otherJob }), 200);
      await ok(admin.call('POST', '/api/v1/code-activations', { batchId: batchB, jobId: caseJob }), 200);
      items = await codesOf(itemJob, 10);
      others = await codesOf(otherJob, 6);
      cases = await codesOf(caseJob, 2);
      // Raw materials into batch B, then two of its items packed into a case and shipped.
      const received = await ok<{ lots: Array<{ id: string }> }>(
        admin.call('POST', '/api/v1/trace-actions/receive-materials', {
          supplier: '北大荒农场',
          location: '原料仓',
          eventTime: '2026-09-20T08:00:00+08:00',
          lots: [{ material: '大米', lot: 'DM-0920', quantity: 800, unit: 'KGM' }],
        }),
      );
      await act('produce', {
        batchId: batchB,
        inputs: [{ lotId: received.lots[0]?.id, quantity: 500 }],
        eventTime: '2026-10-01T10:00:00+08:00',
      });
      await ok(
        admin.call('POST', '/api/v1/line/pack', { parent: cases[0], children: [others[0], others[1]] }),
        200,
      );
      await act('ship', {
        codes: [cases[0]],
        to: '华东分销中心',
        fromLocation: '成品仓',
        eventTime: '2026-10-05T09:00:00+08:00',
      });
    });
    after(() => h.close());

    test('a genuine code shows its batch journey with the activation, and nothing about recalls', async () => {
      const v = await verify(items[0] ?? '');
      assert.equal(v.verdict, 'genuine_first');
      assert.equal(v.recall, null);
      assert.ok(v.trace !== null && v.trace.steps.length > 0, 'the batch journey is shown');
      assert.ok(v.trace.steps.some((s) => s.bizStep === 'commissioning'));
    });

    test('recalling a batch makes every scan of its codes recalled, with the reason and time, and the query is still recorded', async () => {
      await act('recall', { batches: [{ batchId: batchA }], reason: '铁含量不符合国家标准' });
      const v = await verify(items[1] ?? '');
      assert.equal(v.verdict, 'recalled');
      assert.equal(v.queryCount, 1, 'the query was counted');
      assert.equal(v.recall?.scope, 'batch');
      assert.equal(v.recall.reason, '铁含量不符合国家标准');
      assert.ok(v.recall.at > Date.now() - 60_000);
      // A code queried before the recall is recalled from now on too.
      assert.equal((await verify(items[0] ?? '')).verdict, 'recalled');
      const stored = await h.db.kysely
        .selectFrom('scans')
        .select('verdict')
        .where('code', '=', items[1] ?? '')
        .execute();
      assert.deepEqual(
        stored.map((s) => s.verdict),
        ['recalled'],
      );
      // A report filed from that page keeps the verdict the consumer saw.
      const boundary = '----recall';
      const report = await h.app.inject({
        method: 'POST',
        url: `/api/v1/verify/${items[1] ?? ''}/reports`,
        remoteAddress: SHANGHAI,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="where"\r\n\r\n社区超市\r\n--${boundary}--\r\n`,
      });
      assert.equal(report.statusCode, 201, report.body);
      const filed = await h.db.kysely
        .selectFrom('counterfeit_reports')
        .select('verdict')
        .where('id', '=', json<{ id: string }>(report).id)
        .executeTakeFirstOrThrow();
      assert.equal(filed.verdict, 'recalled');
      // The other batch is not affected.
      assert.equal((await verify(others[2] ?? '')).verdict, 'genuine_first');
    });

    test('the scan page says recalled with the reason, in both languages, and the batch journey', async () => {
      const zh = await get(`/c/${items[2] ?? ''}`);
      assert.equal(zh.statusCode, 200);
      assert.match(zh.body, /此商品已被召回/);
      assert.match(zh.body, /铁含量不符合国家标准/);
      assert.match(zh.body, /此商品所属的整个批次/);
      assert.match(zh.body, /溯源信息/);
      assert.match(zh.body, new RegExp(`href="/c/${items[2] ?? ''}/trace"`));
      const en = await get(`/c/${items[3] ?? ''}?lang=en`);
      assert.match(en.body, /This product has been recalled/);
      assert.match(en.body, /the whole batch of this item/);
    });

    test('recalling a case recalls the items packed in it, not the others of the batch', async () => {
      await act('recall', { codes: [cases[0]], reason: '运输途中受潮' });
      const packed = await verify(others[1] ?? '');
      assert.equal(packed.verdict, 'recalled');
      assert.equal(packed.recall?.scope, 'container');
      assert.equal(packed.recall.reason, '运输途中受潮');
      assert.equal((await verify(others[3] ?? '')).verdict, 'genuine_first', 'not in the case');
    });

    test('recalling one code recalls that code only', async () => {
      await act('recall', { codes: [others[4]], reason: '标签印刷错误' });
      const v = await verify(others[4] ?? '');
      assert.equal(v.verdict, 'recalled');
      assert.equal(v.recall?.scope, 'code');
      assert.equal((await verify(others[5] ?? '')).verdict, 'genuine_first');
    });

    test("a code's journey page and API list raw materials, production, packing and shipping, and count no query", async () => {
      const code = others[0] ?? '';
      const api = await get(`/api/v1/verify/${code}/trace`);
      assert.equal(api.statusCode, 200, api.body);
      const journey = json<Journey>(api);
      assert.equal(journey.code, code);
      const stages = new Set(journey.steps.map((s) => s.stage));
      for (const s of ['raw_material', 'production', 'processing', 'logistics'])
        assert.ok(stages.has(s), `${s} in ${[...stages].join(',')}`);
      assert.ok(
        journey.steps.some((s) => s.place === '原料仓'),
        'own sites are shown by name',
      );
      const page = await get(`/c/${code}/trace`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /流通记录/);
      assert.match(page.body, /原料仓/);
      assert.match(page.body, /发货/);
      const queried = await h.db.kysely.selectFrom('scans').select('id').where('code', '=', code).execute();
      assert.deepEqual(queried, [], 'viewing the journey is not a query');
    });

    test('an unknown code on the journey routes is 404 and counts as an invalid lookup of the address', async () => {
      const bad = `${(items[0] ?? '').slice(0, 16)}${(Number((items[0] ?? '').slice(16)) + 1) % 10}`;
      const ip = '61.129.1.1';
      const api = await get(`/api/v1/verify/${bad}/trace`, ip);
      assert.equal(api.statusCode, 404);
      assert.equal(json<{ error: { code: string } }>(api).error.code, 'TRACE_SCAN_CODE_UNKNOWN');
      const page = await get(`/c/${bad}/trace`, ip);
      assert.equal(page.statusCode, 404);
      assert.match(page.body, /页面不存在/);
      // Two invalid lookups counted; the third (the address limit here) blocks the address.
      assert.equal(h.app.verifier.guard.blockedFor(ip), 0);
      assert.equal((await get(`/api/v1/verify/${bad}`, ip)).statusCode, 200);
      assert.ok(h.app.verifier.guard.blockedFor(ip) > 0);
      assert.equal((await get(`/c/${items[5] ?? ''}/trace`, ip)).statusCode, 429);
    });
  });
}
