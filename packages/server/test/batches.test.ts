import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  type Client,
  errorCode,
  files,
  harness,
  json,
  operatorClient,
  storedFile,
  storedFiles,
  type Harness,
} from './support/harness.js';

interface BatchBody {
  id: string;
  productId: string;
  productName?: string;
  lot: string;
  productionDate: string;
  expiryDate: string | null;
  line: string | null;
  quantity: number | null;
  inspectionReport: { id: string; mediaType: string; size: number; name: string; sha256: string } | null;
  status: 'active' | 'archived';
}

interface BatchPage {
  items: BatchBody[];
  total: number;
}

interface ErrorBody {
  error: { code: string; details?: Array<{ field: string }> };
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

for (const dialect of dialects) {
  describe(`batches on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let other: Client;
    let enterpriseId: string;
    /** Rice: 180 days' shelf life. */
    let rice: string;
    /** Oil: no shelf life recorded. */
    let oil: string;
    const createProduct = async (c: Client, body: Record<string, unknown>): Promise<string> => {
      const res = await c.call('POST', '/api/v1/products', body);
      assert.equal(res.statusCode, 201, res.body);
      return json<{ id: string }>(res).id;
    };
    const create = (body: Record<string, unknown>, c: Client = admin) =>
      c.call('POST', '/api/v1/batches', body);
    const createOk = async (body: Record<string, unknown>): Promise<BatchBody> => {
      const res = await create(body);
      assert.equal(res.statusCode, 201, res.body);
      return json<BatchBody>(res);
    };
    const list = async (query: string, c: Client = admin): Promise<BatchPage> => {
      const res = await c.call('GET', `/api/v1/batches?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<BatchPage>(res);
    };
    before(async () => {
      h = await harness(dialect);
      const operator = await operatorClient(h);
      ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
        username: 'batch',
        orgBody: 'MA1BAT00',
      }));
      ({ admin: other } = await approvedEnterprise(h, operator, {
        username: 'batchother',
        orgBody: 'MA1BAT01',
      }));
      rice = await createProduct(admin, { name: '珍珠米 5kg', shelfLifeDays: 180 });
      oil = await createProduct(admin, { name: '大豆油 5L' });
    });
    after(() => h.close());

    test('a batch is created with its lot, dates, line and quantity', async () => {
      const res = await create({
        productId: oil,
        lot: 'L20260301-A',
        productionDate: '2026-03-01',
        expiryDate: '2027-09-01',
        line: '二号线',
        quantity: 1200,
      });
      assert.equal(res.statusCode, 201, res.body);
      const b = json<BatchBody>(res);
      assert.equal(b.productId, oil);
      assert.equal(b.lot, 'L20260301-A');
      assert.equal(b.productionDate, '2026-03-01');
      assert.equal(b.expiryDate, '2027-09-01');
      assert.equal(b.line, '二号线');
      assert.equal(b.quantity, 1200);
      assert.equal(b.inspectionReport, null);
      assert.equal(b.status, 'active');
      const read = await admin.call('GET', `/api/v1/batches/${b.id}`);
      assert.equal(read.statusCode, 200);
      assert.equal(json<BatchBody>(read).lot, 'L20260301-A');
    });

    test('a lot number is unique per product (409 TRACE_BATCH_LOT_TAKEN) but may repeat on another product', async () => {
      await createOk({ productId: rice, lot: 'LOT-DUP', productionDate: '2026-01-10' });
      const dup = await create({ productId: rice, lot: 'LOT-DUP', productionDate: '2026-01-11' });
      assert.equal(dup.statusCode, 409);
      assert.equal(errorCode(dup), 'TRACE_BATCH_LOT_TAKEN');
      const elsewhere = await create({ productId: oil, lot: 'LOT-DUP', productionDate: '2026-01-10' });
      assert.equal(elsewhere.statusCode, 201, elsewhere.body);
    });

    test('simultaneous creates of one lot: one succeeds, the others get 409, never 500', async () => {
      const results = await Promise.all(
        [1, 2, 3].map(() => create({ productId: rice, lot: 'LOT-RACE', productionDate: '2026-01-12' })),
      );
      assert.deepEqual(
        results.map((r) => r.statusCode).sort(),
        [201, 409, 409],
        results.map((r) => r.body).join('\n'),
      );
      assert.ok(
        results.filter((r) => r.statusCode === 409).every((r) => errorCode(r) === 'TRACE_BATCH_LOT_TAKEN'),
      );
      assert.equal((await list('q=LOT-RACE')).total, 1);
    });

    test('renaming a batch to a lot its product already has is a 409', async () => {
      await createOk({ productId: rice, lot: 'LOT-RN-1', productionDate: '2026-02-01' });
      const second = await createOk({ productId: rice, lot: 'LOT-RN-2', productionDate: '2026-02-02' });
      const res = await admin.call('PATCH', `/api/v1/batches/${second.id}`, { lot: 'LOT-RN-1' });
      assert.equal(res.statusCode, 409);
      assert.equal(errorCode(res), 'TRACE_BATCH_LOT_TAKEN');
      const ok = await admin.call('PATCH', `/api/v1/batches/${second.id}`, { lot: 'LOT-RN-3', quantity: 50 });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(json<BatchBody>(ok).lot, 'LOT-RN-3');
      assert.equal(json<BatchBody>(ok).quantity, 50);
    });

    test('without an expiry date, it is computed from the product’s shelf life', async () => {
      const b = await createOk({ productId: rice, lot: 'LOT-SHELF', productionDate: '2026-01-10' });
      assert.equal(b.expiryDate, '2026-07-09');
      const leap = await createOk({ productId: rice, lot: 'LOT-SHELF-LEAP', productionDate: '2027-12-31' });
      assert.equal(leap.expiryDate, '2028-06-28');
      const given = await createOk({
        productId: rice,
        lot: 'LOT-SHELF-GIVEN',
        productionDate: '2026-01-10',
        expiryDate: '2026-03-01',
      });
      assert.equal(given.expiryDate, '2026-03-01');
      const none = await createOk({ productId: oil, lot: 'LOT-NO-SHELF', productionDate: '2026-01-10' });
      assert.equal(none.expiryDate, null);
    });

    test('an expiry before production, or an impossible date, is a 400 TRACE_BATCH_DATES_INVALID', async () => {
      const cases: Array<Record<string, unknown>> = [
        { productId: oil, lot: 'LOT-D1', productionDate: '2026-05-01', expiryDate: '2026-04-30' },
        { productId: oil, lot: 'LOT-D2', productionDate: '2026-02-30' },
        { productId: rice, lot: 'LOT-D3', productionDate: '2026-02-30' },
        { productId: oil, lot: 'LOT-D4', productionDate: '2026-01-01', expiryDate: '2026-02-30' },
        { productId: oil, lot: 'LOT-D5', productionDate: '2026-13-01' },
      ];
      for (const body of cases) {
        const res = await create(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(errorCode(res), 'TRACE_BATCH_DATES_INVALID', JSON.stringify(body));
      }
      const b = await createOk({
        productId: oil,
        lot: 'LOT-D6',
        productionDate: '2026-05-01',
        expiryDate: '2026-05-01',
      });
      const edit = await admin.call('PATCH', `/api/v1/batches/${b.id}`, { expiryDate: '2026-04-01' });
      assert.equal(edit.statusCode, 400);
      assert.equal(errorCode(edit), 'TRACE_BATCH_DATES_INVALID');
      const malformed = await create({ productId: oil, lot: 'LOT-D7', productionDate: '1 May 2026' });
      assert.equal(malformed.statusCode, 400);
      assert.ok(json<ErrorBody>(malformed).error.details?.some((d) => d.field === 'body.productionDate'));
      const kept = (await list('q=LOT-D&pageSize=200')).items
        .map((x) => x.lot)
        .filter((lot) => /^LOT-D\d$/.test(lot));
      assert.deepEqual(kept, ['LOT-D6']);
    });

    test('lists filter by product and by lot text, and name the product', async () => {
      const soy = await createProduct(admin, { name: '酱油 500ml' });
      await createOk({ productId: soy, lot: 'SOY-2026-001', productionDate: '2026-04-01' });
      await createOk({ productId: soy, lot: 'SOY-2026-002', productionDate: '2026-04-03' });
      await createOk({ productId: soy, lot: 'SOY-2025-900', productionDate: '2025-12-01' });
      await createOk({ productId: rice, lot: 'SOY-LOOKALIKE', productionDate: '2026-04-02' });

      const bySoy = await list(`productId=${soy}`);
      assert.equal(bySoy.total, 3);
      assert.deepEqual(
        bySoy.items.map((b) => b.lot),
        ['SOY-2026-002', 'SOY-2026-001', 'SOY-2025-900'],
      );
      assert.ok(bySoy.items.every((b) => b.productName === '酱油 500ml'));

      const byLot = await list('q=soy-2026');
      assert.deepEqual(byLot.items.map((b) => b.lot).sort(), ['SOY-2026-001', 'SOY-2026-002']);
      const both = await list(`q=SOY&productId=${rice}`);
      assert.deepEqual(
        both.items.map((b) => [b.lot, b.productName]),
        [['SOY-LOOKALIKE', '珍珠米 5kg']],
      );
      const paged = await list(`productId=${soy}&page=2&pageSize=2`);
      assert.equal(paged.total, 3);
      assert.deepEqual(
        paged.items.map((b) => b.lot),
        ['SOY-2025-900'],
      );
      assert.equal((await list('q=100%25')).total, 0);
    });

    test('an inspection report is uploaded with PUT, replaced, and the old file removed from disk', async () => {
      const b = await createOk({ productId: rice, lot: 'LOT-REPORT', productionDate: '2026-03-03' });
      const url = `/api/v1/batches/${b.id}/inspection-report`;
      const first = await admin.upload(
        'PUT',
        url,
        {},
        { name: '检测报告.pdf', type: 'application/pdf', data: files.pdf },
      );
      assert.equal(first.statusCode, 200, first.body);
      const report = json<BatchBody>(first).inspectionReport!;
      assert.equal(report.mediaType, 'application/pdf');
      assert.equal(report.name, '检测报告.pdf');
      assert.equal(report.sha256, sha256(files.pdf));
      assert.deepEqual(storedFile(h, enterpriseId, report.id), files.pdf);
      const dl = await admin.call('GET', `/api/v1/files/${report.id}`);
      assert.equal(dl.statusCode, 200);
      assert.equal(dl.headers['content-type'], 'application/pdf');
      assert.deepEqual(dl.rawPayload, files.pdf);

      const second = await admin.upload(
        'PUT',
        url,
        {},
        { name: 'report-scan.jpg', type: 'image/jpeg', data: files.jpeg },
      );
      assert.equal(second.statusCode, 200, second.body);
      const replacement = json<BatchBody>(second).inspectionReport!;
      assert.notEqual(replacement.id, report.id);
      assert.equal(replacement.mediaType, 'image/jpeg');
      assert.equal(storedFile(h, enterpriseId, report.id), undefined);
      assert.deepEqual(storedFile(h, enterpriseId, replacement.id), files.jpeg);
      assert.equal((await admin.call('GET', `/api/v1/files/${report.id}`)).statusCode, 404);
      assert.equal(
        await h.db.kysely.selectFrom('files').select('id').where('id', '=', report.id).executeTakeFirst(),
        undefined,
      );
      assert.equal(
        json<BatchBody>(await admin.call('GET', `/api/v1/batches/${b.id}`)).inspectionReport?.id,
        replacement.id,
      );
      assert.equal((await other.call('GET', `/api/v1/files/${replacement.id}`)).statusCode, 404);
    });

    test('a report of the wrong type, or none at all, is refused and leaves the current one in place', async () => {
      const b = await createOk({ productId: rice, lot: 'LOT-BADREPORT', productionDate: '2026-03-04' });
      const url = `/api/v1/batches/${b.id}/inspection-report`;
      const current = json<BatchBody>(
        await admin.upload('PUT', url, {}, { name: 'r.pdf', type: 'application/pdf', data: files.pdf }),
      ).inspectionReport!;
      const disk = storedFiles(h);
      const exe = await admin.upload(
        'PUT',
        url,
        {},
        { name: 'r.pdf', type: 'application/pdf', data: files.exe },
      );
      assert.equal(exe.statusCode, 415);
      assert.equal(errorCode(exe), 'TRACE_FILE_TYPE');
      const missing = await admin.upload('PUT', url, {});
      assert.equal(missing.statusCode, 400);
      assert.equal(errorCode(missing), 'TRACE_FILE_MISSING');
      assert.deepEqual(storedFiles(h), disk);
      assert.equal(
        json<BatchBody>(await admin.call('GET', `/api/v1/batches/${b.id}`)).inspectionReport?.id,
        current.id,
      );
    });

    test('a batch is archived and restored; an archived batch takes no edits or reports', async () => {
      const b = await createOk({ productId: oil, lot: 'LOT-ARCH', productionDate: '2026-03-05' });
      const archived = await admin.call('POST', `/api/v1/batches/${b.id}/archive`);
      assert.equal(archived.statusCode, 200, archived.body);
      assert.equal(json<BatchBody>(archived).status, 'archived');
      assert.deepEqual((await list('q=LOT-ARCH&status=active')).items, []);
      assert.deepEqual(
        (await list('q=LOT-ARCH&status=archived')).items.map((x) => x.id),
        [b.id],
      );
      const edit = await admin.call('PATCH', `/api/v1/batches/${b.id}`, { quantity: 1 });
      assert.equal(edit.statusCode, 409);
      assert.equal(errorCode(edit), 'TRACE_BATCH_ARCHIVED');
      const disk = storedFiles(h);
      const report = await admin.upload(
        'PUT',
        `/api/v1/batches/${b.id}/inspection-report`,
        {},
        { name: 'r.pdf', type: 'application/pdf', data: files.pdf },
      );
      assert.equal(report.statusCode, 409);
      assert.equal(errorCode(report), 'TRACE_BATCH_ARCHIVED');
      assert.deepEqual(storedFiles(h), disk);
      const restored = await admin.call('POST', `/api/v1/batches/${b.id}/restore`);
      assert.equal(restored.statusCode, 200);
      assert.equal(json<BatchBody>(restored).status, 'active');
      assert.equal((await admin.call('PATCH', `/api/v1/batches/${b.id}`, { quantity: 1 })).statusCode, 200);
    });

    test('a batch of an archived product cannot be created (409 TRACE_PRODUCT_ARCHIVED)', async () => {
      const old = await createProduct(admin, { name: '停产商品' });
      assert.equal((await admin.call('POST', `/api/v1/products/${old}/archive`)).statusCode, 200);
      const res = await create({ productId: old, lot: 'LOT-OLD', productionDate: '2026-03-06' });
      assert.equal(res.statusCode, 409);
      assert.equal(errorCode(res), 'TRACE_PRODUCT_ARCHIVED');
      assert.equal((await list(`productId=${old}`)).total, 0);
    });

    test('an unknown product id is a 404, and another enterprise’s product counts as unknown', async () => {
      const unknown = await create({
        productId: '01a00000-0000-7000-8000-000000000000',
        lot: 'LOT-X',
        productionDate: '2026-03-07',
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal(errorCode(unknown), 'TRACE_PRODUCT_NOT_FOUND');
      const foreign = await create(
        { productId: rice, lot: 'LOT-FOREIGN', productionDate: '2026-03-07' },
        other,
      );
      assert.equal(foreign.statusCode, 404);
      assert.equal(errorCode(foreign), 'TRACE_PRODUCT_NOT_FOUND');
      const malformed = await create({ productId: 'rice', lot: 'LOT-X', productionDate: '2026-03-07' });
      assert.equal(malformed.statusCode, 400);
    });

    test('another enterprise cannot see, edit or archive the batches', async () => {
      const b = await createOk({ productId: rice, lot: 'LOT-PRIVATE', productionDate: '2026-03-08' });
      assert.equal((await other.call('GET', `/api/v1/batches/${b.id}`)).statusCode, 404);
      assert.equal((await other.call('PATCH', `/api/v1/batches/${b.id}`, { quantity: 1 })).statusCode, 404);
      assert.equal((await other.call('POST', `/api/v1/batches/${b.id}/archive`)).statusCode, 404);
      const put = await other.upload(
        'PUT',
        `/api/v1/batches/${b.id}/inspection-report`,
        {},
        { name: 'r.pdf', type: 'application/pdf', data: files.pdf },
      );
      assert.equal(put.statusCode, 404);
      assert.equal((await list('q=LOT-PRIVATE', other)).total, 0);
      assert.equal((await list(`productId=${rice}`, other)).total, 0);
    });

    test('validation errors name the field: blank or padded lot, negative quantity, unknown field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ productId: oil, lot: '', productionDate: '2026-01-01' }, 'body.lot'],
        [{ productId: oil, lot: ' ', productionDate: '2026-01-01' }, 'body.lot'],
        [{ productId: oil, lot: 'LOT-Q ', productionDate: '2026-01-01' }, 'body.lot'],
        [{ productId: oil, lot: 'LOT-Q', productionDate: '2026-01-01', quantity: -1 }, 'body.quantity'],
        [{ productId: oil, lot: 'LOT-Q', productionDate: '2026-01-01', colour: 'red' }, 'body.colour'],
        [{ productId: oil, lot: 'LOT-Q' }, 'body.productionDate'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        const fields = json<ErrorBody>(res).error.details?.map((d) => d.field) ?? [];
        assert.ok(fields.includes(field), `${JSON.stringify(body)} → ${fields.join()}`);
      }
    });
  });
}
