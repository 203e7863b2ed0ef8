import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '@tracemark/testing';
import { windowStart } from '../src/modules/supervision/service.js';
import {
  approvedEnterprise,
  errorCode,
  harness,
  json,
  operatorClient,
  regulatorClient,
  type Client,
  type Harness,
} from './support/harness.js';

interface Figures {
  products: number;
  codesIssued: number;
  codesActivated: number;
  scans: number;
  warnings: number;
  suspicious: number;
  openReports: number;
}
interface Row {
  id: string;
  name: string;
  regionNames: string[];
  status: string;
  figures: Figures;
}

test('the window starts at midnight Beijing time, today counting as the first day', () => {
  const now = Date.UTC(2026, 10, 27, 1, 30); // 09:30 in Beijing
  assert.equal(windowStart(1, now), Date.UTC(2026, 10, 26, 16, 0));
  assert.equal(windowStart(30, now), Date.UTC(2026, 9, 28, 16, 0));
});

for (const dialect of dialects) {
  describe(`supervision on ${dialect}`, () => {
    let h: Harness;
    let operator: Client;
    let shanghai: { admin: Client; enterpriseId: string };
    let guangzhou: { admin: Client; enterpriseId: string };

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      shanghai = await approvedEnterprise(h, operator, {
        username: 'sup-sh',
        orgBody: 'MA1TUP00',
        region: '310115',
      });
      guangzhou = await approvedEnterprise(h, operator, {
        username: 'sup-gz',
        orgBody: 'MA1TUP01',
        region: '440106',
      });
      const call = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
        const r = await shanghai.admin.call(method, url, body);
        assert.ok(r.statusCode < 300, r.body);
        return JSON.parse(r.body) as T;
      };
      const product = await call<{ id: string }>('POST', '/api/v1/products', { name: '监管测试产品' });
      const batch = await call<{ id: string }>('POST', '/api/v1/batches', {
        productId: product.id,
        lot: 'S-1',
        productionDate: '2026-11-01',
      });
      const space = await call<{ id: string }>('POST', '/api/v1/code-spaces', { name: 's', length: 15 });
      const job = await call<{ id: string }>('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 100 });
      await call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: job.id, from: 1, to: 60 });
      const codes = (
        await call<{ items: Array<{ code: string }> }>('GET', `/api/v1/code-jobs/${job.id}/codes?count=100`)
      ).items.map((i) => i.code);
      const scan = (code: string) =>
        h.app.inject({ url: `/api/v1/verify/${code}`, headers: { 'user-agent': 'Mozilla/5.0 Mobile' } });
      await scan(codes[0] ?? '');
      await scan(codes[1] ?? '');
      await scan(codes[99] ?? ''); // never activated: suspicious
    });
    after(() => h.close());

    test('a regulator sees only the enterprises of the jurisdiction, with their codes, scans and suspicious scans', async () => {
      const reg = await regulatorClient(h, '310000');
      const res = await reg.call('GET', '/api/v1/supervision/enterprises?pageSize=50');
      assert.equal(res.statusCode, 200, res.body);
      const page = json<{ items: Row[]; total: number }>(res);
      assert.deepEqual(
        page.items.map((r) => r.id),
        [shanghai.enterpriseId],
      );
      assert.deepEqual(page.items[0]?.figures, {
        products: 1,
        codesIssued: 100,
        codesActivated: 60,
        scans: 3,
        warnings: 0,
        suspicious: 1,
        openReports: 0,
      });
      assert.deepEqual(page.items[0].regionNames, ['上海市', '浦东新区']);
      const overview = json<{
        jurisdictionNames: string[];
        enterprises: { total: number };
        figures: Figures;
      }>(await reg.call('GET', '/api/v1/supervision/overview'));
      assert.deepEqual(overview.jurisdictionNames, ['上海市']);
      assert.equal(overview.enterprises.total, 1);
      assert.equal(overview.figures.scans, 3);
    });

    test('the platform operator sees every enterprise; the totals add up', async () => {
      const overview = json<{
        jurisdiction: null;
        enterprises: { total: number; byStatus: Record<string, number> };
        figures: Figures;
      }>(await operator.call('GET', '/api/v1/supervision/overview?days=7'));
      assert.equal(overview.jurisdiction, null);
      assert.equal(overview.enterprises.total, 2);
      assert.equal(overview.enterprises.byStatus['approved'], 2);
      assert.equal(overview.figures.codesIssued, 100);
      const list = json<{ items: Row[] }>(await operator.call('GET', '/api/v1/supervision/enterprises'));
      assert.equal(list.items.length, 2);
      const gz = list.items.find((r) => r.id === guangzhou.enterpriseId);
      assert.equal(gz?.figures.scans, 0);
    });

    test('the overview breaks the figures down one region level below the scope and ranks enterprises by queries', async () => {
      interface Breakdown {
        byRegion: Array<{
          regionCode: string;
          names: string[];
          enterprises: number;
          scans: number;
          warnings: number;
          suspicious: number;
        }>;
        topEnterprises: Array<{ id: string; name: string; scans: number; suspicious: number }>;
      }
      const platform = json<Breakdown>(await operator.call('GET', '/api/v1/supervision/overview'));
      assert.deepEqual(platform.byRegion, [
        { regionCode: '310000', names: ['上海市'], enterprises: 1, scans: 3, warnings: 0, suspicious: 1 },
        { regionCode: '440000', names: ['广东省'], enterprises: 1, scans: 0, warnings: 0, suspicious: 0 },
      ]);
      assert.deepEqual(
        platform.topEnterprises.map((e) => [e.id, e.scans, e.suspicious]),
        [[shanghai.enterpriseId, 3, 1]],
      );
      // A municipality's city level is only a grouping: its districts are shown instead.
      const sh = json<Breakdown>(
        await (await regulatorClient(h, '310000', 'reg-sh-2')).call('GET', '/api/v1/supervision/overview'),
      );
      assert.deepEqual(
        sh.byRegion.map((r) => [r.regionCode, r.names, r.scans]),
        [['310115', ['上海市', '浦东新区'], 3]],
      );
      const gd = json<Breakdown>(
        await (await regulatorClient(h, '440000')).call('GET', '/api/v1/supervision/overview'),
      );
      assert.deepEqual(
        gd.byRegion.map((r) => [r.regionCode, r.names, r.enterprises]),
        [['440100', ['广东省', '广州市'], 1]],
      );
      assert.deepEqual(gd.topEnterprises, []);
    });

    test('the list of enterprises can be ordered by a figure, most first, and still pages', async () => {
      const first = json<{ items: Row[]; total: number }>(
        await operator.call('GET', '/api/v1/supervision/enterprises?sort=suspicious&pageSize=1'),
      );
      assert.equal(first.total, 2);
      assert.deepEqual(
        first.items.map((r) => r.id),
        [shanghai.enterpriseId],
      );
      const second = json<{ items: Row[] }>(
        await operator.call('GET', '/api/v1/supervision/enterprises?sort=suspicious&pageSize=1&page=2'),
      );
      assert.deepEqual(
        second.items.map((r) => r.id),
        [guangzhou.enterpriseId],
      );
      const filtered = json<{ items: Row[]; total: number }>(
        await operator.call('GET', '/api/v1/supervision/enterprises?sort=scans&status=rejected'),
      );
      assert.equal(filtered.total, 0);
      const wrong = await operator.call('GET', '/api/v1/supervision/enterprises?sort=name');
      assert.equal(wrong.statusCode, 400);
    });

    test('a regulator of another province sees none of them; enterprises may not supervise', async () => {
      const other = await regulatorClient(h, '120000');
      const page = json<{ items: Row[] }>(await other.call('GET', '/api/v1/supervision/enterprises'));
      assert.deepEqual(page.items, []);
      const refused = await shanghai.admin.call('GET', '/api/v1/supervision/overview');
      assert.equal(refused.statusCode, 403);
      assert.equal(errorCode(refused), 'TRACE_AUTH_FORBIDDEN');
    });

    test("a regulator in scope and the operator page through an enterprise's products; others get 404 or 403", async () => {
      interface ProductRow {
        name: string;
        gtin: string | null;
        status: string;
        figures: { batches: number; codesActivated: number; scans: number };
      }
      const url = (id: string, query = '') => `/api/v1/supervision/enterprises/${id}/products${query}`;
      const gtin = await guangzhou.admin.call('POST', '/api/v1/products', {
        name: '广州GTIN产品',
        gtin: '06901234567892',
        category: '食品',
      });
      assert.equal(gtin.statusCode, 201, gtin.body);

      const reg = await regulatorClient(h, '310000', 'reg-sh-products');
      const page = json<{ items: ProductRow[]; total: number }>(
        await reg.call('GET', url(shanghai.enterpriseId)),
      );
      assert.equal(page.total, 1);
      assert.equal(page.items[0]?.name, '监管测试产品');
      assert.equal(page.items[0].status, 'active');
      // Two queries of activated codes (by their batch); the never-activated one names no product.
      assert.deepEqual(page.items[0].figures, { batches: 1, codesActivated: 60, scans: 2 });
      const none = json<{ total: number }>(await reg.call('GET', url(shanghai.enterpriseId, '?q=nothing')));
      assert.equal(none.total, 0);

      const outside = await reg.call('GET', url(guangzhou.enterpriseId));
      assert.equal(outside.statusCode, 404);
      assert.equal(errorCode(outside), 'TRACE_ENTERPRISE_NOT_FOUND');
      const unknown = await reg.call('GET', url('00000000-0000-4000-8000-000000000000'));
      assert.equal(unknown.statusCode, 404);
      assert.equal((await shanghai.admin.call('GET', url(shanghai.enterpriseId))).statusCode, 403);

      const found = json<{ items: ProductRow[]; total: number }>(
        await operator.call('GET', url(guangzhou.enterpriseId, '?q=06901234567892&pageSize=5')),
      );
      assert.equal(found.total, 1);
      assert.deepEqual(found.items[0]?.figures, { batches: 0, codesActivated: 0, scans: 0 });
      const sh = json<{ total: number }>(
        await operator.call('GET', url(shanghai.enterpriseId, '?page=2&pageSize=1')),
      );
      assert.equal(sh.total, 1);
    });
  });
}
