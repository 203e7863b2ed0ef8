import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { dammCheckDigit } from '@tracemark/codes';
import { newId } from '@tracemark/db';
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

interface Scan {
  id: string;
  code: string;
  productId: string | null;
  batchId: string | null;
  at: number;
  verdict: string;
  warnings: string[];
  region: { regionCode: string; names: string[]; source: string } | null;
  position: { latitude: number; longitude: number } | null;
  channel: string;
  client: string;
  pinVerified: boolean;
}
interface ScanPage {
  items: Scan[];
  total: number;
  page: number;
  pageSize: number;
}
interface Counts {
  total: number;
  warnings: number;
  suspicious: number;
}
interface Summary {
  today: Counts;
  last7Days: Counts;
  byDay: Array<{ date: string; total: number; warnings: number; suspicious: number }>;
  topProducts: Array<{ productId: string; name: string | null; count: number }>;
  byRegion: Array<{ regionCode: string; names: string[]; count: number }>;
  recentFlagged: Array<{ id: string; verdict: string; at: number }>;
  figures: { products: number; codesIssued: number; codesActivated: number; openReports: number };
}
interface History {
  code: string;
  firstQueryAt: number | null;
  firstRegion: { regionCode: string; names: string[] } | null;
  count: number;
  lastQueryAt: number | null;
  lastRegion: { regionCode: string; names: string[] } | null;
  scans: Scan[];
}

const SHANGHAI = '116.228.111.118';
const BEIJING = '202.106.0.20';
const wechat =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const DAY = 86_400_000;
const CHINA = 8 * 3_600_000;

for (const dialect of dialects) {
  describe(`consumer query log on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let staff: Client;
    let other: Client;
    let stats: Client;
    let operator: Client;
    let regulator: Client;
    let enterpriseId: string;
    let statsId: string;
    let rice: { productId: string; batchId: string; codes: string[] };
    let beans: { productId: string; batchId: string; codes: string[] };
    let dormant: string[];
    let prefix: string;
    let foreignCode: string;

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return json<T>(r);
    };
    const verify = (code: string, ip = SHANGHAI) =>
      ok(h.app.inject({ method: 'GET', url: `/api/v1/verify/${code}`, remoteAddress: ip }));
    const scans = (c: Client, query = '') =>
      ok<ScanPage>(c.call('GET', `/api/v1/scans?pageSize=200${query}`));

    /** A product with a batch and `count` codes activated for it (and `dormant` issued, not activated). */
    async function line(c: Client, spaceId: string, name: string, count: number, idle = 0) {
      const productId = (await ok<{ id: string }>(c.call('POST', '/api/v1/products', { name }), 201)).id;
      const batchId = (
        await ok<{ id: string }>(
          c.call('POST', '/api/v1/batches', { productId, lot: `L-${name}`, productionDate: '2026-11-01' }),
          201,
        )
      ).id;
      const job = await ok<{ id: string }>(
        c.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: count + idle }),
        201,
      );
      await ok(c.call('POST', '/api/v1/code-activations', { batchId, jobId: job.id, from: 1, to: count }));
      const codes = (
        await ok<{ items: Array<{ code: string }> }>(
          c.call('GET', `/api/v1/code-jobs/${job.id}/codes?count=${count + idle}`),
        )
      ).items.map((i) => i.code);
      return { productId, batchId, codes: codes.slice(0, count), idle: codes.slice(count) };
    }

    /** Writes a logged query as the verifier would, at a chosen time (for windows and statistics). */
    async function seed(
      tenantId: string,
      at: number,
      fields: {
        verdict?: string;
        productId?: string | null;
        region?: string | null;
        code?: string;
        spaceId?: string;
        serial?: number;
      } = {},
    ): Promise<string> {
      const id = newId(at);
      await h.db.kysely
        .insertInto('scans')
        .values({
          tenant_id: tenantId,
          id,
          space_id: fields.spaceId ?? 'seeded',
          serial: fields.serial ?? 1,
          code: fields.code ?? '00000000000000000',
          product_id: fields.productId ?? null,
          batch_id: null,
          at,
          verdict: (fields.verdict ?? 'genuine_repeat') as 'genuine_repeat',
          warnings: fields.verdict === 'warning' ? 'query_limit' : '',
          region_code: fields.region ?? null,
          region_source: fields.region == null ? null : 'ip',
          latitude: null,
          longitude: null,
          channel: 'api',
          client: 'app',
          pin_verified: 0,
        })
        .execute();
      return id;
    }

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
        username: 'log-admin',
        orgBody: 'MA1LGA00',
      }));
      ({ admin: other } = await approvedEnterprise(h, operator, {
        username: 'log-other',
        orgBody: 'MA1LGA01',
      }));
      ({ admin: stats, enterpriseId: statsId } = await approvedEnterprise(h, operator, {
        username: 'log-stats',
        orgBody: 'MA1LGA02',
      }));
      await ok(
        admin.call('POST', '/api/v1/users', {
          username: 'log-staff',
          displayName: 'Staff',
          password,
          role: 'enterprise_operator',
        }),
        201,
      );
      staff = new Client(h.app);
      await staff.login('log-staff', password);
      regulator = await regulatorClient(h, '310000');
      const space = await ok<{ id: string; prefix: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: 'log', length: 17 }),
        201,
      );
      prefix = space.prefix;
      const r = await line(admin, space.id, '五常大米', 10, 3);
      rice = r;
      dormant = r.idle;
      beans = await line(admin, space.id, '东北大豆', 3);
      const otherSpace = await ok<{ id: string }>(
        other.call('POST', '/api/v1/code-spaces', { name: 'other', length: 17 }),
        201,
      );
      foreignCode = (await line(other, otherSpace.id, '外企商品', 1)).codes[0] ?? '';
      await verify(foreignCode);
    });
    after(() => h.close());

    test('consumer queries are listed newest first with verdict, region, channel and client', async () => {
      const code = rice.codes[0] ?? '';
      await verify(code, SHANGHAI);
      const page = await h.app.inject({
        method: 'GET',
        url: `/c/${code}`,
        remoteAddress: BEIJING,
        headers: { 'user-agent': wechat },
      });
      assert.equal(page.statusCode, 200);
      const list = await scans(admin, `&code=${code}`);
      assert.equal(list.total, 2);
      const [last, first] = list.items;
      assert.ok(last !== undefined && first !== undefined);
      assert.ok(last.id > first.id && last.at >= first.at);
      assert.equal(first.code, code);
      assert.equal(first.verdict, 'genuine_first');
      assert.deepEqual(first.warnings, []);
      assert.deepEqual(first.region, { regionCode: '310000', names: ['上海市'], source: 'ip' });
      assert.equal(first.channel, 'api');
      assert.equal(first.productId, rice.productId);
      assert.equal(first.batchId, rice.batchId);
      assert.equal(first.pinVerified, false);
      assert.equal(first.position, null);
      assert.equal(last.channel, 'page');
      assert.equal(last.client, 'wechat');
      assert.equal(last.region?.regionCode, '110000');
      assert.equal(last.verdict, 'warning', 'Shanghai to Beijing within seconds');
      assert.deepEqual(last.warnings, ['distant_regions']);
    });

    test('the log filters by verdict, product and batch, and pages', async () => {
      await verify(dormant[0] ?? '');
      await verify(beans.codes[0] ?? '');
      await verify(beans.codes[1] ?? '');
      const notActivated = await scans(admin, '&verdict=not_activated');
      assert.deepEqual(
        notActivated.items.map((s) => s.code),
        [dormant[0]],
      );
      const byProduct = await scans(admin, `&productId=${beans.productId}`);
      assert.deepEqual(
        byProduct.items.map((s) => s.code),
        [beans.codes[1], beans.codes[0]],
      );
      const byBatch = await scans(admin, `&batchId=${beans.batchId}`);
      assert.equal(byBatch.total, 2);
      const all = await scans(admin);
      assert.ok(
        all.items.every((s) => s.code !== foreignCode),
        "no other enterprise's queries",
      );
      const paged = await ok<ScanPage>(admin.call('GET', '/api/v1/scans?pageSize=2&page=2'));
      assert.equal(paged.total, all.total);
      assert.deepEqual(
        paged.items.map((s) => s.id),
        all.items.slice(2, 4).map((s) => s.id),
      );
      const bad = await admin.call('GET', '/api/v1/scans?verdict=great');
      assert.equal(bad.statusCode, 400);
    });

    test('from (inclusive) and to (exclusive) select queries by time in epoch ms', async () => {
      const t = Date.now() - 10 * DAY;
      const ids = [await seed(statsId, t - DAY), await seed(statsId, t), await seed(statsId, t + DAY)];
      const window = await scans(stats, `&from=${t}&to=${t + DAY}`);
      assert.deepEqual(
        window.items.map((s) => s.id),
        [ids[1]],
      );
      assert.equal((await scans(stats, `&from=${t}&to=${t + DAY + 1}`)).total, 2);
      assert.equal((await scans(stats, `&to=${t}`)).items[0]?.id, ids[0]);
      await h.db.kysely.deleteFrom('scans').where('tenant_id', '=', statsId).execute();
    });

    test("a code's history shows the locked first query, the count, first and last regions and its latest queries", async () => {
      const code = rice.codes[1] ?? '';
      await verify(code, SHANGHAI);
      await verify(code, SHANGHAI);
      await verify(code, BEIJING);
      const history = await ok<History>(admin.call('GET', `/api/v1/codes/${code}/queries`));
      assert.equal(history.code, code);
      assert.equal(history.count, 3);
      assert.deepEqual(history.firstRegion, { regionCode: '310000', names: ['上海市'] });
      assert.deepEqual(history.lastRegion, { regionCode: '110000', names: ['北京市'] });
      assert.ok(history.firstQueryAt !== null && history.lastQueryAt !== null);
      assert.ok(history.lastQueryAt >= history.firstQueryAt);
      assert.equal(history.scans.length, 3);
      assert.equal(history.scans[2]?.verdict, 'genuine_first');
      assert.equal(history.scans[2].at, history.firstQueryAt);
      // Only the latest 50 queries are listed, newest first (the walk of the code's chain).
      for (let i = 0; i < 55; i++) await verify(code, SHANGHAI);
      const long = await ok<History>(admin.call('GET', `/api/v1/codes/${code}/queries`));
      assert.equal(long.count, 58);
      assert.equal(long.scans.length, 50);
      const ats = long.scans.map((s) => s.at);
      assert.deepEqual(
        ats,
        [...ats].sort((a, b) => b - a),
      );
      assert.ok(
        !long.scans.some((s) => s.verdict === 'genuine_first'),
        'the first query is beyond the latest 50',
      );
      assert.equal(long.lastQueryAt, long.scans[0]?.at);
    });

    test("a code's queries stay one unbroken chain when many arrive at once (overlapping batches)", async () => {
      const code = rice.codes[5] ?? '';
      await Promise.all(Array.from({ length: 60 }, () => verify(code, SHANGHAI)));
      const history = await ok<History>(admin.call('GET', `/api/v1/codes/${code}/queries`));
      assert.equal(history.count, 60);
      const listed = await ok<{ total: number; items: Array<{ id: string }> }>(
        admin.call('GET', `/api/v1/scans?code=${code}&pageSize=100`),
      );
      assert.equal(listed.total, 60, 'every query is reachable along the chain');
      assert.equal(new Set(listed.items.map((i) => i.id)).size, 60);
      const rows = await h.db.kysely
        .selectFrom('scans')
        .select(['id', 'prev_scan_id'])
        .where('code', '=', code)
        .execute();
      assert.equal(rows.filter((r) => r.prev_scan_id === null).length, 1, 'exactly one first query');
      assert.equal(new Set(rows.map((r) => r.prev_scan_id)).size, 60, 'no query has two successors');
    });

    test('a code never queried has zero counts and no queries', async () => {
      const code = rice.codes[9] ?? '';
      assert.deepEqual(await ok<History>(admin.call('GET', `/api/v1/codes/${code}/queries`)), {
        code,
        firstQueryAt: null,
        firstRegion: null,
        count: 0,
        lastQueryAt: null,
        lastRegion: null,
        scans: [],
      });
    });

    test("another enterprise's code or one never issued is 404 TRACE_CODE_NOT_FOUND; a malformed one 400", async () => {
      const issued = [...rice.codes, ...dormant, ...beans.codes];
      const randomCode = (): string => {
        let field = '';
        while (field.length < 17 - prefix.length - 1) field += String(Math.floor(Math.random() * 10));
        return `${prefix}${field}${dammCheckDigit(`${prefix}${field}`)}`;
      };
      let unissued = randomCode();
      while (issued.includes(unissued)) unissued = randomCode();
      for (const code of [foreignCode, unissued]) {
        for (const url of [`/api/v1/codes/${code}/queries`, `/api/v1/scans?code=${code}`]) {
          const res = await admin.call('GET', url);
          assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
          assert.equal(errorCode(res), 'TRACE_CODE_NOT_FOUND');
          assert.ok(!res.body.includes(code), 'the answer does not repeat the code');
        }
      }
      const code = rice.codes[2] ?? '';
      const wrongCheck = `${code.slice(0, -1)}${(Number(code.slice(-1)) + 1) % 10}`;
      const invalid = await admin.call('GET', `/api/v1/codes/${wrongCheck}/queries`);
      assert.equal(invalid.statusCode, 400);
      assert.equal(errorCode(invalid), 'TRACE_CODE_INVALID');
      assert.equal((await admin.call('GET', '/api/v1/codes/12345abc/queries')).statusCode, 400);
      assert.equal((await admin.call('GET', '/api/v1/scans?code=123')).statusCode, 400);
    });

    test('the summary counts today and the last 7 and 30 days by calendar day in China, top products, provinces and flagged queries', async () => {
      const now = Date.now();
      const todayStart = Math.floor((now + CHINA) / DAY) * DAY - CHINA;
      const p1 = (await ok<{ id: string }>(stats.call('POST', '/api/v1/products', { name: '统计大米' }), 201))
        .id;
      const p2 = (await ok<{ id: string }>(stats.call('POST', '/api/v1/products', { name: '统计大豆' }), 201))
        .id;
      const mid = todayStart + Math.floor((now - todayStart) / 2);
      await seed(statsId, todayStart, { productId: p1, verdict: 'genuine_first', region: '310115' });
      const warned = await seed(statsId, mid, { productId: p1, verdict: 'warning', region: '320100' });
      await seed(statsId, mid, { productId: p1, region: '310000' });
      const dormantScan = await seed(statsId, todayStart - 1, {
        productId: p2,
        verdict: 'not_activated',
        region: '310000',
      });
      const voidedScan = await seed(statsId, todayStart - 6 * DAY + 3_600_000, {
        productId: p2,
        verdict: 'voided',
        region: '440305',
      });
      await seed(statsId, todayStart - 7 * DAY + 3_600_000, { productId: p1, region: null });
      const wrongPin = await seed(statsId, todayStart - 29 * DAY, { verdict: 'pin_wrong', region: '110000' });
      await seed(statsId, todayStart - 30 * DAY + 3_600_000, {
        productId: p2,
        verdict: 'voided',
        region: '500000',
      });
      await seed(enterpriseId, mid, { productId: rice.productId, region: '650000' });

      const s = await ok<Summary>(stats.call('GET', '/api/v1/scans/summary'));
      assert.deepEqual(s.today, { total: 3, warnings: 1, suspicious: 0 });
      assert.deepEqual(s.last7Days, { total: 5, warnings: 1, suspicious: 2 });
      assert.equal(s.byDay.length, 30);
      const date = (t: number) => new Date(t + CHINA).toISOString().slice(0, 10);
      assert.equal(s.byDay[29]?.date, date(now));
      assert.equal(s.byDay[0]?.date, date(todayStart - 29 * DAY));
      assert.deepEqual(s.byDay[29], { date: date(now), total: 3, warnings: 1, suspicious: 0 });
      assert.deepEqual(s.byDay[28], { date: date(todayStart - 1), total: 1, warnings: 0, suspicious: 1 });
      assert.equal(s.byDay[0].suspicious, 1);
      assert.equal(s.byDay[23]?.total, 1);
      assert.equal(s.byDay[22]?.total, 1);
      assert.equal(s.byDay[0].total, 1);
      assert.equal(
        s.byDay.reduce((n, d) => n + d.total, 0),
        7,
      );
      assert.deepEqual(s.topProducts, [
        { productId: p1, name: '统计大米', count: 3 },
        { productId: p2, name: '统计大豆', count: 2 },
      ]);
      assert.deepEqual(s.byRegion, [
        { regionCode: '310000', names: ['上海市'], count: 3 },
        { regionCode: '110000', names: ['北京市'], count: 1 },
        { regionCode: '320000', names: ['江苏省'], count: 1 },
        { regionCode: '440000', names: ['广东省'], count: 1 },
      ]);
      // Flagged queries of the last 30 days, newest first; the one before the window is left out.
      assert.deepEqual(
        s.recentFlagged.map((f) => [f.id, f.verdict]),
        [
          [warned, 'warning'],
          [dormantScan, 'not_activated'],
          [voidedScan, 'voided'],
          [wrongPin, 'pin_wrong'],
        ],
      );
      assert.deepEqual(s.figures, { products: 2, codesIssued: 0, codesActivated: 0, openReports: 0 });
    });

    test('an enterprise operator reads the log; regulators and the platform operator are refused', async () => {
      const code = rice.codes[0] ?? '';
      assert.equal((await staff.call('GET', '/api/v1/scans')).statusCode, 200);
      assert.equal((await staff.call('GET', '/api/v1/scans/summary')).statusCode, 200);
      assert.equal((await staff.call('GET', `/api/v1/codes/${code}/queries`)).statusCode, 200);
      for (const c of [regulator, operator]) {
        for (const url of ['/api/v1/scans', '/api/v1/scans/summary', `/api/v1/codes/${code}/queries`]) {
          const res = await c.call('GET', url);
          assert.equal(res.statusCode, 403, url);
        }
      }
      const theirs = await scans(other);
      assert.deepEqual(
        theirs.items.map((s) => s.code),
        [foreignCode],
      );
      assert.equal((await other.call('GET', `/api/v1/codes/${code}/queries`)).statusCode, 404);
    });
  });
}
