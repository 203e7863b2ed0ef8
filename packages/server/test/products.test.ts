import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

interface ProductBody {
  id: string;
  name: string;
  brand: string | null;
  category: string | null;
  specification: string | null;
  gtin: string | null;
  executedStandard: string | null;
  shelfLifeDays: number | null;
  description: string | null;
  shopUrl: string | null;
  imageFileIds: string[];
  status: 'active' | 'archived';
  createdAt: number;
  updatedAt: number;
}

interface ProductPage {
  items: ProductBody[];
  total: number;
  page: number;
  pageSize: number;
}

interface ErrorBody {
  error: { code: string; details?: Array<{ field: string; message: string }> };
}

/** Appends the GS1 mod-10 check digit to a digit string (computed here, independent of the server). */
function withCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A valid GTIN-13 (Chinese GS1 prefix 690–699) from a 12-digit body. */
const gtin13 = (n: number): string => withCheckDigit(`69${String(n).padStart(10, '0')}`);

/** The same number with its check digit wrong. */
const wrongCheck = (gtin: string): string => `${gtin.slice(0, -1)}${(Number(gtin.slice(-1)) + 1) % 10}`;

const fieldsOf = (res: { body: string }): string[] =>
  (JSON.parse(res.body) as ErrorBody).error.details?.map((d) => d.field) ?? [];

for (const dialect of dialects) {
  describe(`products on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let enterpriseId: string;
    let other: Client;
    const create = (c: Client, body: Record<string, unknown>) => c.call('POST', '/api/v1/products', body);
    const list = async (c: Client, query: string): Promise<ProductPage> => {
      const res = await c.call('GET', `/api/v1/products?${query}`);
      assert.equal(res.statusCode, 200, res.body);
      return json<ProductPage>(res);
    };
    before(async () => {
      h = await harness(dialect);
      const operator = await operatorClient(h);
      ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
        username: 'prod',
        orgBody: 'MA1PRD00',
      }));
      ({ admin: other } = await approvedEnterprise(h, operator, {
        username: 'prodother',
        orgBody: 'MA1PRD01',
      }));
    });
    after(() => h.close());

    test('a product is created with every field and read back', async () => {
      const res = await create(admin, {
        name: '  五常大米 5kg  ',
        brand: '稻花香',
        category: '粮食',
        specification: '5kg/袋',
        executedStandard: 'GB/T 19266',
        shelfLifeDays: 365,
        description: '东北五常产区',
        shopUrl: 'https://shop.example.cn/rice',
      });
      assert.equal(res.statusCode, 201, res.body);
      const p = json<ProductBody>(res);
      assert.equal(p.name, '五常大米 5kg');
      assert.equal(p.brand, '稻花香');
      assert.equal(p.shelfLifeDays, 365);
      assert.equal(p.gtin, null);
      assert.equal(p.status, 'active');
      assert.deepEqual(p.imageFileIds, []);
      const read = await admin.call('GET', `/api/v1/products/${p.id}`);
      assert.equal(read.statusCode, 200);
      assert.deepEqual(json<ProductBody>(read), p);
    });

    test('editing changes only the fields sent; null clears an optional field', async () => {
      const p = json<ProductBody>(await create(admin, { name: '编辑前', brand: 'B1', specification: '1L' }));
      const res = await admin.call('PATCH', `/api/v1/products/${p.id}`, { name: '编辑后', brand: null });
      assert.equal(res.statusCode, 200, res.body);
      const e = json<ProductBody>(res);
      assert.equal(e.name, '编辑后');
      assert.equal(e.brand, null);
      assert.equal(e.specification, '1L');
      assert.ok(e.updatedAt >= p.updatedAt);
      const empty = await admin.call('PATCH', `/api/v1/products/${p.id}`, {});
      assert.equal(empty.statusCode, 400);
    });

    test('a GTIN-13 is validated and stored as GTIN-14 with a leading 0', async () => {
      const gtin = gtin13(1001);
      const res = await create(admin, { name: 'GTIN 商品', gtin });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(json<ProductBody>(res).gtin, `0${gtin}`);
      const gtin8 = withCheckDigit('9600001');
      const short = await create(admin, { name: 'GTIN-8 商品', gtin: gtin8 });
      assert.equal(short.statusCode, 201, short.body);
      assert.equal(json<ProductBody>(short).gtin, `000000${gtin8}`);
    });

    test('a GTIN with a wrong check digit is a 400 TRACE_PRODUCT_GTIN_INVALID, on create and on edit', async () => {
      const res = await create(admin, { name: '坏 GTIN', gtin: wrongCheck(gtin13(1002)) });
      assert.equal(res.statusCode, 400);
      assert.equal(errorCode(res), 'TRACE_PRODUCT_GTIN_INVALID');
      const p = json<ProductBody>(await create(admin, { name: '稍后加 GTIN' }));
      const edit = await admin.call('PATCH', `/api/v1/products/${p.id}`, { gtin: wrongCheck(gtin13(1003)) });
      assert.equal(edit.statusCode, 400);
      assert.equal(errorCode(edit), 'TRACE_PRODUCT_GTIN_INVALID');
      const shape = await create(admin, { name: '坏形状', gtin: '12345' });
      assert.equal(shape.statusCode, 400);
      assert.ok(fieldsOf(shape).includes('body.gtin'));
    });

    test('a GTIN is unique within an enterprise (also written as GTIN-14), but two enterprises may share one', async () => {
      const gtin = gtin13(1004);
      assert.equal((await create(admin, { name: '唯一 A', gtin })).statusCode, 201);
      const dup = await create(admin, { name: '唯一 B', gtin: `0${gtin}` });
      assert.equal(dup.statusCode, 409);
      assert.equal(errorCode(dup), 'TRACE_PRODUCT_GTIN_TAKEN');
      const p = json<ProductBody>(await create(admin, { name: '唯一 C' }));
      const edit = await admin.call('PATCH', `/api/v1/products/${p.id}`, { gtin });
      assert.equal(edit.statusCode, 409);
      assert.equal(errorCode(edit), 'TRACE_PRODUCT_GTIN_TAKEN');
      const elsewhere = await create(other, { name: '另一企业同码', gtin });
      assert.equal(elsewhere.statusCode, 201, elsewhere.body);
      assert.equal(json<ProductBody>(elsewhere).gtin, `0${gtin}`);
    });

    test('simultaneous creates with one GTIN: one succeeds, the others get 409, never 500', async () => {
      const gtin = gtin13(1010);
      const results = await Promise.all([1, 2, 3].map((i) => create(admin, { name: `并发 ${i}`, gtin })));
      assert.deepEqual(
        results.map((r) => r.statusCode).sort(),
        [201, 409, 409],
        results.map((r) => r.body).join('\n'),
      );
      assert.ok(
        results.filter((r) => r.statusCode === 409).every((r) => errorCode(r) === 'TRACE_PRODUCT_GTIN_TAKEN'),
      );
      assert.equal((await list(admin, `q=${gtin}`)).total, 1);
    });

    test('a product keeps its own GTIN when edited with it again', async () => {
      const gtin = gtin13(1005);
      const p = json<ProductBody>(await create(admin, { name: '保持 GTIN', gtin }));
      const res = await admin.call('PATCH', `/api/v1/products/${p.id}`, { gtin, name: '保持 GTIN 改名' });
      assert.equal(res.statusCode, 200, res.body);
    });

    test('lists page through the products with the total', async () => {
      for (let i = 0; i < 25; i++) {
        assert.equal(
          (await create(admin, { name: `分页-${String(i).padStart(2, '0')}`, brand: 'PAGER' })).statusCode,
          201,
        );
      }
      const page2 = await list(admin, 'q=PAGER&page=2&pageSize=10');
      assert.equal(page2.total, 25);
      assert.equal(page2.page, 2);
      assert.equal(page2.pageSize, 10);
      assert.equal(page2.items.length, 10);
      const page3 = await list(admin, 'q=PAGER&page=3&pageSize=10');
      assert.equal(page3.items.length, 5);
      const page1 = await list(admin, 'q=PAGER&page=1&pageSize=10');
      const seen = new Set([...page1.items, ...page2.items, ...page3.items].map((p) => p.id));
      assert.equal(seen.size, 25);
      const beyond = await list(admin, 'q=PAGER&page=9&pageSize=10');
      assert.deepEqual(beyond.items, []);
      assert.equal(beyond.total, 25);
      assert.equal((await admin.call('GET', '/api/v1/products?pageSize=0')).statusCode, 400);
      assert.equal((await admin.call('GET', '/api/v1/products?pageSize=201')).statusCode, 400);
    });

    test('search matches Chinese names, brands and GTINs', async () => {
      const gtin = gtin13(1006);
      const rice = json<ProductBody>(await create(admin, { name: '东北大米 10kg', brand: '搜索品牌', gtin }));
      const oil = json<ProductBody>(await create(admin, { name: '花生油', brand: 'SearchBrand' }));
      const byName = await list(admin, `q=${encodeURIComponent('大米')}&pageSize=200`);
      assert.ok(byName.items.some((p) => p.id === rice.id));
      assert.ok(byName.items.every((p) => p.name.includes('大米')));
      const byBrand = await list(admin, 'q=searchbrand');
      assert.deepEqual(
        byBrand.items.map((p) => p.id),
        [oil.id],
      );
      const byGtin = await list(admin, `q=${gtin}`);
      assert.deepEqual(
        byGtin.items.map((p) => p.id),
        [rice.id],
      );
      const none = await list(admin, `q=${encodeURIComponent('不存在的商品')}`);
      assert.equal(none.total, 0);
    });

    test('LIKE wildcards in the search text match literally', async () => {
      const pct = json<ProductBody>(await create(admin, { name: '纯度100%果汁' }));
      const plain = json<ProductBody>(await create(admin, { name: '纯度100果汁' }));
      const under = json<ProductBody>(await create(admin, { name: 'wild_card 商品' }));
      await create(admin, { name: 'wildXcard 商品' });
      const back = json<ProductBody>(await create(admin, { name: 'back\\slash 商品' }));
      assert.deepEqual(
        (await list(admin, `q=${encodeURIComponent('100%')}`)).items.map((p) => p.id),
        [pct.id],
      );
      assert.deepEqual(
        (await list(admin, `q=${encodeURIComponent('wild_card')}`)).items.map((p) => p.id),
        [under.id],
      );
      assert.deepEqual(
        (await list(admin, `q=${encodeURIComponent('back\\slash')}`)).items.map((p) => p.id),
        [back.id],
      );
      const both = (await list(admin, `q=${encodeURIComponent('纯度100')}`)).items.map((p) => p.id).sort();
      assert.deepEqual(both, [pct.id, plain.id].sort());
      assert.equal((await list(admin, 'q=%25%25')).total, 0);
    });

    test('sorting by name lists alphabetically, ascending by default and descending on request', async () => {
      for (const name of ['sortkey charlie', 'sortkey alpha', 'sortkey delta', 'sortkey bravo'])
        await create(admin, { name });
      const asc = await list(admin, 'q=sortkey&sort=name');
      assert.deepEqual(
        asc.items.map((p) => p.name),
        ['sortkey alpha', 'sortkey bravo', 'sortkey charlie', 'sortkey delta'],
      );
      const desc = await list(admin, 'q=sortkey&sort=name&order=desc');
      assert.deepEqual(
        desc.items.map((p) => p.name),
        ['sortkey delta', 'sortkey charlie', 'sortkey bravo', 'sortkey alpha'],
      );
      assert.equal((await admin.call('GET', '/api/v1/products?sort=price')).statusCode, 400);
    });

    test('an archived product is hidden by status=active, cannot be edited, and comes back when restored', async () => {
      const p = json<ProductBody>(await create(admin, { name: '归档测试品' }));
      const archived = await admin.call('POST', `/api/v1/products/${p.id}/archive`);
      assert.equal(archived.statusCode, 200, archived.body);
      assert.equal(json<ProductBody>(archived).status, 'archived');
      const q = `q=${encodeURIComponent('归档测试品')}`;
      assert.equal((await list(admin, `${q}&status=active`)).total, 0);
      assert.deepEqual(
        (await list(admin, `${q}&status=archived`)).items.map((x) => x.id),
        [p.id],
      );
      const edit = await admin.call('PATCH', `/api/v1/products/${p.id}`, { name: '改不了' });
      assert.equal(edit.statusCode, 409);
      assert.equal(errorCode(edit), 'TRACE_PRODUCT_ARCHIVED');
      const restored = await admin.call('POST', `/api/v1/products/${p.id}/restore`);
      assert.equal(restored.statusCode, 200);
      assert.equal(json<ProductBody>(restored).status, 'active');
      assert.deepEqual(
        (await list(admin, `${q}&status=active`)).items.map((x) => x.id),
        [p.id],
      );
      assert.equal(
        (await admin.call('PATCH', `/api/v1/products/${p.id}`, { name: '归档测试品 已恢复' })).statusCode,
        200,
      );
    });

    test('images: PNG and JPEG are added, downloaded byte for byte, and deleted with their files', async () => {
      const p = json<ProductBody>(await create(admin, { name: '带图商品' }));
      const png = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        {},
        { name: 'front.png', type: 'image/png', data: files.png },
      );
      assert.equal(png.statusCode, 201, png.body);
      const jpeg = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        {},
        { name: 'back.jpg', type: 'image/jpeg', data: files.jpeg },
      );
      assert.equal(jpeg.statusCode, 201, jpeg.body);
      const ids = json<ProductBody>(jpeg).imageFileIds;
      assert.equal(ids.length, 2);
      const [pngId, jpegId] = ids as [string, string];
      assert.deepEqual(json<ProductBody>(await admin.call('GET', `/api/v1/products/${p.id}`)).imageFileIds, [
        pngId,
        jpegId,
      ]);

      for (const [id, data, type] of [
        [pngId, files.png, 'image/png'],
        [jpegId, files.jpeg, 'image/jpeg'],
      ] as const) {
        const dl = await admin.call('GET', `/api/v1/files/${id}`);
        assert.equal(dl.statusCode, 200);
        assert.equal(dl.headers['content-type'], type);
        assert.equal(dl.headers['x-content-type-options'], 'nosniff');
        assert.deepEqual(dl.rawPayload, data);
        assert.deepEqual(storedFile(h, enterpriseId, id), data);
      }
      // Another enterprise cannot fetch the file, nor touch the product.
      assert.equal((await other.call('GET', `/api/v1/files/${pngId}`)).statusCode, 404);
      assert.equal((await other.call('DELETE', `/api/v1/products/${p.id}/images/${pngId}`)).statusCode, 404);

      const del = await admin.call('DELETE', `/api/v1/products/${p.id}/images/${pngId}`);
      assert.equal(del.statusCode, 200, del.body);
      assert.deepEqual(json<ProductBody>(del).imageFileIds, [jpegId]);
      assert.equal(storedFile(h, enterpriseId, pngId), undefined);
      const gone = await admin.call('GET', `/api/v1/files/${pngId}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(errorCode(gone), 'TRACE_FILE_NOT_FOUND');
      const again = await admin.call('DELETE', `/api/v1/products/${p.id}/images/${pngId}`);
      assert.equal(again.statusCode, 404);
      assert.equal(errorCode(again), 'TRACE_PRODUCT_IMAGE_NOT_FOUND');
    });

    test('a PDF or an EXE is not accepted as an image and leaves nothing on disk', async () => {
      const p = json<ProductBody>(await create(admin, { name: '图片类型测试' }));
      const disk = storedFiles(h);
      const pdf = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        {},
        { name: 'photo.png', type: 'image/png', data: files.pdf },
      );
      assert.equal(pdf.statusCode, 415);
      assert.equal(errorCode(pdf), 'TRACE_FILE_TYPE');
      const exe = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        {},
        { name: 'photo.jpg', type: 'image/jpeg', data: files.exe },
      );
      assert.equal(exe.statusCode, 415);
      const extra = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        { caption: 'x' },
        { name: 'a.png', type: 'image/png', data: files.png },
      );
      assert.equal(extra.statusCode, 400);
      assert.deepEqual(storedFiles(h), disk);
      assert.deepEqual(
        json<ProductBody>(await admin.call('GET', `/api/v1/products/${p.id}`)).imageFileIds,
        [],
      );
    });

    test('an archived product takes no new images, and the refused file is not kept', async () => {
      const p = json<ProductBody>(await create(admin, { name: '归档不加图' }));
      await admin.call('POST', `/api/v1/products/${p.id}/archive`);
      const disk = storedFiles(h);
      const res = await admin.upload(
        'POST',
        `/api/v1/products/${p.id}/images`,
        {},
        { name: 'a.png', type: 'image/png', data: files.png },
      );
      assert.equal(res.statusCode, 409);
      assert.equal(errorCode(res), 'TRACE_PRODUCT_ARCHIVED');
      assert.deepEqual(storedFiles(h), disk);
    });

    test('validation errors are a 400 naming the field: unknown field, empty name, bad URL, wrong type', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: '未知字段', colour: 'red' }, 'body.colour'],
        [{ name: '' }, 'body.name'],
        [{ brand: 'no name' }, 'body.name'],
        [{ name: '坏链接', shopUrl: 'not a url' }, 'body.shopUrl'],
        [{ name: '坏协议', shopUrl: 'javascript:alert(1)' }, 'body.shopUrl'],
        [{ name: '坏保质期', shelfLifeDays: '365' }, 'body.shelfLifeDays'],
        [{ name: '负保质期', shelfLifeDays: 0 }, 'body.shelfLifeDays'],
      ];
      for (const [body, field] of cases) {
        const res = await create(admin, body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(errorCode(res), 'TRACE_HTTP_VALIDATION');
        assert.ok(fieldsOf(res).includes(field), `${JSON.stringify(body)} → ${fieldsOf(res).join()}`);
      }
      const edit = await admin.call(
        'PATCH',
        `/api/v1/products/${json<ProductBody>(await create(admin, { name: '改错' })).id}`,
        { shopUrl: 'ftp://x' },
      );
      assert.equal(edit.statusCode, 400);
      assert.ok(fieldsOf(edit).includes('body.shopUrl'));
    });

    test('an unknown or foreign product id is a 404, a malformed one a 400', async () => {
      const mine = json<ProductBody>(await create(admin, { name: '隔离测试' }));
      for (const [method, suffix] of [
        ['GET', ''],
        ['PATCH', ''],
        ['POST', '/archive'],
      ] as const) {
        const res = await other.call(
          method,
          `/api/v1/products/${mine.id}${suffix}`,
          method === 'PATCH' ? { name: 'x' } : undefined,
        );
        assert.equal(res.statusCode, 404, `${method} ${suffix}`);
        assert.equal(errorCode(res), 'TRACE_PRODUCT_NOT_FOUND');
      }
      assert.ok(!(await list(other, 'pageSize=200')).items.some((p) => p.id === mine.id));
      assert.equal(
        (await admin.call('GET', '/api/v1/products/01a00000-0000-7000-8000-000000000000')).statusCode,
        404,
      );
      assert.equal((await admin.call('GET', '/api/v1/products/not-an-id')).statusCode, 400);
      assert.equal(
        json<ProductBody>(await admin.call('GET', `/api/v1/products/${mine.id}`)).status,
        'active',
      );
    });

    test('the platform operator has no product list of its own', async () => {
      const operator = await operatorClient(h, 'op2');
      const res = await operator.call('GET', '/api/v1/products');
      assert.equal(res.statusCode, 403);
    });
  });
}
