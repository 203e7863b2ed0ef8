import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { newId, repositories, type CounterfeitReportRow } from '@tracemark/db';
import { FileStore } from '@tracemark/server';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  errorCode,
  files,
  harness,
  json,
  operatorClient,
  password,
  regulatorClient,
  type Harness,
} from './support/harness.js';

interface Report {
  id: string;
  code: string;
  productId: string | null;
  batchId: string | null;
  verdict: string;
  whereBought: string;
  priceCents: number | null;
  note: string | null;
  contact: string | null;
  photoUrl: string | null;
  region: { regionCode: string; names: string[] } | null;
  status: string;
  handlerNote: string | null;
  handledBy: string | null;
  handledAt: number | null;
  createdAt: number;
}
interface ReportPage {
  items: Report[];
  total: number;
}

for (const dialect of dialects) {
  describe(`counterfeit reports on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let staff: Client;
    let other: Client;
    let operator: Client;
    let regulator: Client;
    let enterpriseId: string;
    let otherId: string;
    let adminId: string;
    let product: { id: string; batchId: string; codes: string[] };
    let otherProductId: string;

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return json<T>(r);
    };

    /** Files a report as the consumer route would, at a chosen time, optionally with a stored photo. */
    async function report(
      tenantId: string,
      fields: Partial<CounterfeitReportRow> & { photo?: { data: Buffer; name: string } } = {},
    ): Promise<string> {
      const { photo, ...row } = fields;
      const id = newId();
      const at = row.created_at ?? Date.now();
      let photoId: string | null = null;
      if (photo !== undefined) {
        const stored = await new FileStore(h.config.dataDir).save(
          tenantId,
          Readable.from(photo.data),
          1e6,
          () => false,
        );
        photoId = stored.id;
        await repositories(h.db.kysely).files.insert({
          tenant_id: tenantId,
          id: stored.id,
          purpose: 'report_photo',
          media_type: stored.mediaType,
          size: stored.size,
          sha256: stored.sha256,
          original_name: photo.name,
          created_by: 'consumer',
          created_at: at,
        });
      }
      await repositories(h.db.kysely).scans.insertReport({
        tenant_id: tenantId,
        id,
        code: product.codes[0] ?? '',
        space_id: 'space',
        serial: 1,
        product_id: product.id,
        batch_id: product.batchId,
        verdict: 'genuine_repeat',
        where_bought: '某电商平台',
        price_cents: 12_900,
        note: '包装颜色偏淡',
        contact: '13800000000',
        photo_file_id: photoId,
        region_code: '310115',
        status: 'new',
        handler_note: null,
        handled_by: null,
        handled_at: null,
        created_at: at,
        ...row,
      });
      return id;
    }

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
        username: 'cf-admin',
        orgBody: 'MA1CFR00',
      }));
      ({ admin: other, enterpriseId: otherId } = await approvedEnterprise(h, operator, {
        username: 'cf-other',
        orgBody: 'MA1CFR01',
      }));
      adminId = json<{ user: { id: string } }>(await admin.call('GET', '/api/v1/auth/me')).user.id;
      await ok(
        admin.call('POST', '/api/v1/users', {
          username: 'cf-staff',
          displayName: 'Staff',
          password,
          role: 'enterprise_operator',
        }),
        201,
      );
      staff = new Client(h.app);
      await staff.login('cf-staff', password);
      regulator = await regulatorClient(h, '310000');
      const productId = (
        await ok<{ id: string }>(admin.call('POST', '/api/v1/products', { name: '茅台' }), 201)
      ).id;
      const batchId = (
        await ok<{ id: string }>(
          admin.call('POST', '/api/v1/batches', { productId, lot: 'CF-1', productionDate: '2026-10-01' }),
          201,
        )
      ).id;
      const space = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: 'cf', length: 17 }),
        201,
      );
      const job = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, productId, count: 3 }),
        201,
      );
      await ok(admin.call('POST', '/api/v1/code-activations', { batchId, jobId: job.id }));
      const codes = (
        await ok<{ items: Array<{ code: string }> }>(
          admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?count=3`),
        )
      ).items.map((i) => i.code);
      product = { id: productId, batchId, codes };
      otherProductId = (
        await ok<{ id: string }>(other.call('POST', '/api/v1/products', { name: '外企' }), 201)
      ).id;
    });
    after(() => h.close());

    test('reports are listed newest first and filter by status and product', async () => {
      const t = Date.now() - 60_000;
      const older = await report(enterpriseId, { created_at: t });
      const newer = await report(enterpriseId, { created_at: t + 1000, status: 'investigating' });
      const elsewhere = await report(enterpriseId, {
        created_at: t + 2000,
        product_id: null,
        batch_id: null,
      });
      await report(otherId, { product_id: otherProductId, batch_id: null });
      const all = await ok<ReportPage>(admin.call('GET', '/api/v1/counterfeit-reports'));
      assert.deepEqual(
        all.items.map((r) => r.id),
        [elsewhere, newer, older],
      );
      assert.equal(all.total, 3);
      const fresh = await ok<ReportPage>(admin.call('GET', '/api/v1/counterfeit-reports?status=new'));
      assert.deepEqual(
        fresh.items.map((r) => r.id),
        [elsewhere, older],
      );
      const byProduct = await ok<ReportPage>(
        admin.call('GET', `/api/v1/counterfeit-reports?productId=${product.id}&status=investigating`),
      );
      assert.deepEqual(
        byProduct.items.map((r) => r.id),
        [newer],
      );
      const paged = await ok<ReportPage & { page: number }>(
        admin.call('GET', '/api/v1/counterfeit-reports?pageSize=1&page=2'),
      );
      assert.deepEqual(
        paged.items.map((r) => r.id),
        [newer],
      );
      assert.equal((await admin.call('GET', '/api/v1/counterfeit-reports?status=open')).statusCode, 400);
      await h.db.kysely.deleteFrom('counterfeit_reports').execute();
    });

    test('a report reads with the code, price, contact and the region by name', async () => {
      const id = await report(enterpriseId);
      const r = await ok<Report>(admin.call('GET', `/api/v1/counterfeit-reports/${id}`));
      assert.deepEqual(
        { ...r, createdAt: 0 },
        {
          id,
          code: product.codes[0],
          productId: product.id,
          batchId: product.batchId,
          verdict: 'genuine_repeat',
          whereBought: '某电商平台',
          priceCents: 12_900,
          note: '包装颜色偏淡',
          contact: '13800000000',
          photoUrl: null,
          region: { regionCode: '310115', names: ['上海市', '浦东新区'] },
          status: 'new',
          handlerNote: null,
          handledBy: null,
          handledAt: null,
          createdAt: 0,
        },
      );
      const missing = await admin.call('GET', `/api/v1/counterfeit-reports/${newId()}`);
      assert.equal(missing.statusCode, 404);
      assert.equal(errorCode(missing), 'TRACE_REPORT_NOT_FOUND');
    });

    test('the administrator handles a report: status, note, who and when, audited', async () => {
      const id = await report(enterpriseId);
      const before = Date.now();
      const r = await ok<Report>(
        admin.call('PATCH', `/api/v1/counterfeit-reports/${id}`, {
          status: 'investigating',
          handlerNote: '  已联系消费者  ',
        }),
      );
      assert.equal(r.status, 'investigating');
      assert.equal(r.handlerNote, '已联系消费者');
      assert.equal(r.handledBy, adminId);
      assert.ok(r.handledAt !== null && r.handledAt >= before);
      const kept = await ok<Report>(
        admin.call('PATCH', `/api/v1/counterfeit-reports/${id}`, { status: 'confirmed' }),
      );
      assert.equal(kept.status, 'confirmed');
      assert.equal(kept.handlerNote, '已联系消费者', 'a note not sent is kept');
      const cleared = await ok<Report>(
        admin.call('PATCH', `/api/v1/counterfeit-reports/${id}`, { status: 'dismissed', handlerNote: null }),
      );
      assert.equal(cleared.handlerNote, null);
      assert.deepEqual(await ok<Report>(admin.call('GET', `/api/v1/counterfeit-reports/${id}`)), cleared);
      const audit = await ok<{ items: Array<{ action: string; details: Record<string, unknown> }> }>(
        admin.call('GET', `/api/v1/audit-log?targetId=${id}`),
      );
      assert.deepEqual(
        audit.items.map((a) => [a.action, a.details.to]),
        [
          ['counterfeit_report.handled', 'dismissed'],
          ['counterfeit_report.handled', 'confirmed'],
          ['counterfeit_report.handled', 'investigating'],
        ],
      );
    });

    test('a handling that is not one of the three statuses or has a long note is a 400', async () => {
      const id = await report(enterpriseId);
      for (const body of [
        { status: 'new' },
        { status: 'closed' },
        {},
        { status: 'confirmed', handlerNote: 'x'.repeat(1001) },
        { status: 'confirmed', extra: 1 },
      ]) {
        const res = await admin.call('PATCH', `/api/v1/counterfeit-reports/${id}`, body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(errorCode(res), 'TRACE_HTTP_VALIDATION');
      }
      assert.equal((await ok<Report>(admin.call('GET', `/api/v1/counterfeit-reports/${id}`))).status, 'new');
      const missing = await admin.call('PATCH', `/api/v1/counterfeit-reports/${newId()}`, {
        status: 'confirmed',
      });
      assert.equal(errorCode(missing), 'TRACE_REPORT_NOT_FOUND');
    });

    test("the report's photo streams with its type and is never run as a page", async () => {
      const id = await report(enterpriseId, { photo: { data: files.jpeg, name: '假货.jpg' } });
      const r = await ok<Report>(admin.call('GET', `/api/v1/counterfeit-reports/${id}`));
      assert.equal(r.photoUrl, `/api/v1/counterfeit-reports/${id}/photo`);
      const photo = await admin.call('GET', r.photoUrl);
      assert.equal(photo.statusCode, 200);
      assert.equal(photo.headers['content-type'], 'image/jpeg');
      assert.equal(photo.headers['x-content-type-options'], 'nosniff');
      assert.match(String(photo.headers['content-security-policy']), /sandbox/);
      assert.match(String(photo.headers['content-disposition']), /%E5%81%87%E8%B4%A7\.jpg/);
      assert.deepEqual(photo.rawPayload, files.jpeg);
      assert.equal((await staff.call('GET', r.photoUrl)).statusCode, 200);
      // Report photos are private: the public media route of scan pages refuses them.
      const fileId = (
        await h.db.kysely
          .selectFrom('counterfeit_reports')
          .select('photo_file_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).photo_file_id;
      assert.equal((await h.app.inject({ method: 'GET', url: `/c/media/${fileId ?? ''}` })).statusCode, 404);
      const without = await report(enterpriseId);
      const none = await admin.call('GET', `/api/v1/counterfeit-reports/${without}/photo`);
      assert.equal(none.statusCode, 404);
      assert.equal(errorCode(none), 'TRACE_REPORT_PHOTO_NOT_FOUND');
    });

    test('an enterprise operator reads reports but cannot handle them', async () => {
      const id = await report(enterpriseId);
      assert.equal((await staff.call('GET', '/api/v1/counterfeit-reports')).statusCode, 200);
      assert.equal((await staff.call('GET', `/api/v1/counterfeit-reports/${id}`)).statusCode, 200);
      const res = await staff.call('PATCH', `/api/v1/counterfeit-reports/${id}`, { status: 'dismissed' });
      assert.equal(res.statusCode, 403);
      assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
    });

    test('another enterprise sees none of the reports; regulators and the platform operator none at all', async () => {
      const id = await report(enterpriseId, { photo: { data: files.png, name: 'p.png' } });
      for (const [method, url, body] of [
        ['GET', `/api/v1/counterfeit-reports/${id}`, undefined],
        ['PATCH', `/api/v1/counterfeit-reports/${id}`, { status: 'dismissed' }],
        ['GET', `/api/v1/counterfeit-reports/${id}/photo`, undefined],
      ] as const) {
        const theirs = await other.call(method, url, body);
        assert.equal(theirs.statusCode, 404, `${method} ${url}`);
        assert.equal(errorCode(theirs), 'TRACE_REPORT_NOT_FOUND');
        for (const c of [regulator, operator])
          assert.equal((await c.call(method, url, body)).statusCode, 403);
      }
      const list = await ok<ReportPage>(other.call('GET', '/api/v1/counterfeit-reports?pageSize=200'));
      assert.ok(list.items.every((r) => r.id !== id));
      assert.equal((await regulator.call('GET', '/api/v1/counterfeit-reports')).statusCode, 403);
      assert.equal((await ok<Report>(admin.call('GET', `/api/v1/counterfeit-reports/${id}`))).status, 'new');
    });
  });
}
