import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { ScanSettingsRow } from '@tracemark/db';
import { dialects } from '@tracemark/testing';
import { effectiveScanSettings, DEFAULT_QUERY_LIMIT } from '../src/modules/scan-settings/service.js';
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

interface Settings {
  queryLimit: number | null;
  warningText: string | null;
  promptText: string | null;
  imageFileId: string | null;
  antiCounterfeitPopup: boolean;
  links: Array<{ kind: string; url: string; label: string | null }>;
}

interface ProductSettings {
  override:
    | (Omit<Settings, 'queryLimit' | 'antiCounterfeitPopup' | 'links'> & {
        queryLimit: number | 'none' | null;
        antiCounterfeitPopup: boolean | null;
        links: Settings['links'] | null;
      })
    | null;
  effective: Settings;
}

const defaults: Settings = {
  queryLimit: 10,
  warningText: null,
  promptText: null,
  imageFileId: null,
  antiCounterfeitPopup: true,
  links: [],
};

function row(scope: string, fields: Partial<ScanSettingsRow>): ScanSettingsRow {
  return {
    tenant_id: 't',
    scope,
    query_limit: null,
    warning_text: null,
    prompt_text: null,
    image_file_id: null,
    popup: null,
    links: null,
    updated_by: 'u',
    updated_at: 0,
    ...fields,
  };
}

describe('effectiveScanSettings', () => {
  test('no rows give the defaults: 10 queries, popup on, no texts, image or links', () => {
    assert.equal(DEFAULT_QUERY_LIMIT, 10);
    assert.deepEqual({ ...effectiveScanSettings([], null), links: [] }, defaults);
    assert.deepEqual({ ...effectiveScanSettings([], 'p1'), links: [] }, defaults);
  });

  test("a product's row overrides the enterprise's field by field; null inherits", () => {
    const star = row('*', {
      query_limit: 5,
      warning_text: '谨防假冒',
      prompt_text: '感谢查询',
      popup: 0,
      links: JSON.stringify([{ kind: 'shop', url: 'https://shop.example.cn', label: null }]),
    });
    const own = row('p1', { query_limit: 0, prompt_text: '', image_file_id: 'img' });
    const e = effectiveScanSettings([star, own, row('p2', { query_limit: 99 })], 'p1');
    assert.equal(e.queryLimit, null, 'query_limit 0 lifts the limit');
    assert.equal(e.warningText, '谨防假冒', 'inherited');
    assert.equal(e.promptText, null, "'' switches the text off");
    assert.equal(e.imageFileId, 'img');
    assert.equal(e.antiCounterfeitPopup, false);
    assert.deepEqual(e.links, [{ kind: 'shop', url: 'https://shop.example.cn', label: null }]);
    assert.equal(effectiveScanSettings([star, own], null).queryLimit, 5, 'the enterprise ignores overrides');
    assert.equal(effectiveScanSettings([star, own], 'p3').queryLimit, 5, 'other products inherit');
    const noLinks = effectiveScanSettings([star, row('p1', { links: '[]' })], 'p1');
    assert.deepEqual(noLinks.links, [], '[] replaces the enterprise links');
  });

  test('an enterprise row with null columns falls back to the defaults', () => {
    assert.deepEqual({ ...effectiveScanSettings([row('*', {})], null), links: [] }, defaults);
  });
});

for (const dialect of dialects) {
  describe(`scan settings on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let staff: Client;
    let other: Client;
    let operator: Client;
    let regulator: Client;
    let enterpriseId: string;
    let productId: string;
    let otherProductId: string;

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return json<T>(r);
    };
    const png = { name: 'page.png', type: 'image/png', data: files.png };

    before(async () => {
      h = await harness(dialect);
      operator = await operatorClient(h);
      ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
        username: 'ss-admin',
        orgBody: 'MA1CFG00',
      }));
      ({ admin: other } = await approvedEnterprise(h, operator, {
        username: 'ss-other',
        orgBody: 'MA1CFG01',
      }));
      await ok(
        admin.call('POST', '/api/v1/users', {
          username: 'ss-staff',
          displayName: 'Staff',
          password,
          role: 'enterprise_operator',
        }),
        201,
      );
      staff = new Client(h.app);
      await staff.login('ss-staff', password);
      regulator = await regulatorClient(h, '310000');
      productId = (await ok<{ id: string }>(admin.call('POST', '/api/v1/products', { name: '酱油' }), 201))
        .id;
      otherProductId = (await ok<{ id: string }>(other.call('POST', '/api/v1/products', { name: '醋' }), 201))
        .id;
    });
    after(() => h.close());

    test('an enterprise that set nothing reads the defaults', async () => {
      assert.deepEqual(await ok<Settings>(admin.call('GET', '/api/v1/scan-settings')), defaults);
    });

    test('the administrator replaces the settings; fields not sent return to their defaults', async () => {
      const body = {
        queryLimit: 3,
        warningText: '  此码已被多次查询，谨防假冒  ',
        promptText: '感谢您选购正品',
        antiCounterfeitPopup: false,
        links: [
          { kind: 'shop', url: 'https://shop.example.cn/x', label: '官方旗舰店' },
          { kind: 'news', url: 'http://news.example.cn' },
        ],
      };
      const put = await ok<Settings>(admin.call('PUT', '/api/v1/scan-settings', body));
      assert.deepEqual(put, {
        queryLimit: 3,
        warningText: '此码已被多次查询，谨防假冒',
        promptText: '感谢您选购正品',
        imageFileId: null,
        antiCounterfeitPopup: false,
        links: [
          { kind: 'shop', url: 'https://shop.example.cn/x', label: '官方旗舰店' },
          { kind: 'news', url: 'http://news.example.cn', label: null },
        ],
      });
      assert.deepEqual(await ok<Settings>(admin.call('GET', '/api/v1/scan-settings')), put);
      const audit = await ok<{ items: Array<{ action: string; targetId: string }> }>(
        admin.call('GET', '/api/v1/audit-log?action=scan_settings.updated'),
      );
      assert.equal(audit.items[0]?.targetId, enterpriseId);
      // Only the limit sent: everything else is back to its default.
      assert.deepEqual(await ok<Settings>(admin.call('PUT', '/api/v1/scan-settings', { queryLimit: 7 })), {
        ...defaults,
        queryLimit: 7,
      });
      assert.deepEqual(await ok<Settings>(admin.call('PUT', '/api/v1/scan-settings', {})), defaults);
    });

    test('a null query limit means no limit', async () => {
      const s = await ok<Settings>(admin.call('PUT', '/api/v1/scan-settings', { queryLimit: null }));
      assert.equal(s.queryLimit, null);
      assert.equal((await ok<Settings>(admin.call('GET', '/api/v1/scan-settings'))).queryLimit, null);
      await ok(admin.call('PUT', '/api/v1/scan-settings', {}));
    });

    test('settings out of bounds are a 400 naming the field', async () => {
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ queryLimit: 0 }, 'queryLimit'],
        [{ queryLimit: 100_001 }, 'queryLimit'],
        [{ queryLimit: 2.5 }, 'queryLimit'],
        [{ queryLimit: '5' }, 'queryLimit'],
        [{ warningText: 'x'.repeat(501) }, 'warningText'],
        [{ promptText: 'x'.repeat(501) }, 'promptText'],
        [{ imageFileId: 'not-a-uuid' }, 'imageFileId'],
        [{ links: [{ kind: 'shop', url: 'javascript:alert(1)' }] }, 'links'],
        [{ links: [{ kind: 'shop', url: `https://e.cn/${'x'.repeat(500)}` }] }, 'links'],
        [{ links: [{ kind: 'blog', url: 'https://e.cn' }] }, 'links'],
        [{ links: [{ kind: 'shop', url: 'https://e.cn', label: 'x'.repeat(41) }] }, 'links'],
        [{ links: Array.from({ length: 11 }, () => ({ kind: 'news', url: 'https://e.cn' })) }, 'links'],
        [{ colour: 'red' }, ''],
      ];
      for (const [body, field] of bad) {
        const res = await admin.call('PUT', '/api/v1/scan-settings', body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(errorCode(res), 'TRACE_HTTP_VALIDATION');
        assert.ok(res.body.includes(field), `${JSON.stringify(body)}: ${res.body}`);
      }
      assert.deepEqual(await ok<Settings>(admin.call('GET', '/api/v1/scan-settings')), defaults);
    });

    test('an uploaded JPEG or PNG becomes the page image and is public on scan pages', async () => {
      const up = await ok<{ fileId: string }>(
        admin.upload('POST', '/api/v1/scan-settings/image', {}, png),
        201,
      );
      const s = await ok<Settings>(admin.call('PUT', '/api/v1/scan-settings', { imageFileId: up.fileId }));
      assert.equal(s.imageFileId, up.fileId);
      const media = await h.app.inject({ method: 'GET', url: `/c/media/${up.fileId}` });
      assert.equal(media.statusCode, 200);
      assert.deepEqual(media.rawPayload, files.png);
      const jpeg = await admin.upload(
        'POST',
        '/api/v1/scan-settings/image',
        {},
        {
          name: 'p.jpg',
          type: 'image/jpeg',
          data: files.jpeg,
        },
      );
      assert.equal(jpeg.statusCode, 201, jpeg.body);
      await ok(admin.call('PUT', '/api/v1/scan-settings', {}));
    });

    test('a PDF or an unknown file type is refused as the page image', async () => {
      for (const file of [
        { name: 'x.pdf', type: 'application/pdf', data: files.pdf },
        { name: 'x.exe', type: 'image/png', data: files.exe },
      ]) {
        const res = await admin.upload('POST', '/api/v1/scan-settings/image', {}, file);
        assert.equal(res.statusCode, 415, res.body);
        assert.equal(errorCode(res), 'TRACE_FILE_TYPE');
      }
      const none = await admin.upload('POST', '/api/v1/scan-settings/image', {});
      assert.equal(errorCode(none), 'TRACE_FILE_MISSING');
    });

    test("a qualification document or another enterprise's image cannot be the page image", async () => {
      const doc = await ok<{ file: { id: string } }>(
        admin.upload(
          'POST',
          `/api/v1/enterprises/${enterpriseId}/documents`,
          { kind: 'other', number: 'DOC-JPEG-1', expiresOn: '2035-01-01' },
          { name: 'licence.jpg', type: 'image/jpeg', data: files.jpeg },
        ),
        201,
      );
      const asDoc = await admin.call('PUT', '/api/v1/scan-settings', { imageFileId: doc.file.id });
      assert.equal(asDoc.statusCode, 400);
      assert.equal(errorCode(asDoc), 'TRACE_SCAN_IMAGE_INVALID');
      const theirs = await ok<{ fileId: string }>(
        other.upload('POST', '/api/v1/scan-settings/image', {}, png),
        201,
      );
      for (const [url, body] of [
        ['/api/v1/scan-settings', { imageFileId: theirs.fileId }],
        [`/api/v1/products/${productId}/scan-settings`, { imageFileId: theirs.fileId }],
        ['/api/v1/scan-settings', { imageFileId: '0190a0a0-0000-7000-8000-000000000000' }],
      ] as const) {
        const res = await admin.call('PUT', url, body);
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(errorCode(res), 'TRACE_SCAN_IMAGE_NOT_FOUND');
      }
      assert.deepEqual(await ok<Settings>(admin.call('GET', '/api/v1/scan-settings')), defaults);
    });

    test("a product's override inherits its null fields, can lift the limit, and is removed again", async () => {
      await ok(
        admin.call('PUT', '/api/v1/scan-settings', {
          queryLimit: 20,
          warningText: '企业警示',
          links: [{ kind: 'promotion', url: 'https://promo.example.cn' }],
        }),
      );
      const none = await ok<ProductSettings>(
        admin.call('GET', `/api/v1/products/${productId}/scan-settings`),
      );
      assert.equal(none.override, null);
      assert.equal(none.effective.queryLimit, 20);

      const set = await ok<ProductSettings>(
        admin.call('PUT', `/api/v1/products/${productId}/scan-settings`, {
          queryLimit: 'none',
          promptText: '',
          antiCounterfeitPopup: false,
        }),
      );
      assert.deepEqual(set.override, {
        queryLimit: 'none',
        warningText: null,
        promptText: '',
        imageFileId: null,
        antiCounterfeitPopup: false,
        links: null,
      });
      assert.deepEqual(set.effective, {
        queryLimit: null,
        warningText: '企业警示',
        promptText: null,
        imageFileId: null,
        antiCounterfeitPopup: false,
        links: [{ kind: 'promotion', url: 'https://promo.example.cn', label: null }],
      });
      assert.deepEqual(
        await ok<ProductSettings>(admin.call('GET', `/api/v1/products/${productId}/scan-settings`)),
        set,
      );

      const replaced = await ok<ProductSettings>(
        admin.call('PUT', `/api/v1/products/${productId}/scan-settings`, { queryLimit: 2, links: [] }),
      );
      assert.equal(replaced.override?.queryLimit, 2);
      assert.equal(replaced.override.antiCounterfeitPopup, null, 'PUT replaces the whole override');
      assert.deepEqual(replaced.effective.links, []);
      assert.equal(replaced.effective.antiCounterfeitPopup, true);

      const del = await admin.call('DELETE', `/api/v1/products/${productId}/scan-settings`);
      assert.equal(del.statusCode, 204);
      assert.equal(del.body, '');
      const after = await ok<ProductSettings>(
        admin.call('GET', `/api/v1/products/${productId}/scan-settings`),
      );
      assert.equal(after.override, null);
      assert.equal(after.effective.queryLimit, 20);
      assert.equal(
        (await admin.call('DELETE', `/api/v1/products/${productId}/scan-settings`)).statusCode,
        204,
      );
      const actions = (
        await ok<{ items: Array<{ action: string }> }>(
          admin.call('GET', `/api/v1/audit-log?targetId=${productId}`),
        )
      ).items.map((a) => a.action);
      assert.deepEqual(
        actions.filter((a) => a.startsWith('scan_settings.')),
        ['scan_settings.override_removed', 'scan_settings.override_set', 'scan_settings.override_set'],
      );
      await ok(admin.call('PUT', '/api/v1/scan-settings', {}));
    });

    test("another enterprise's product is 404 on every product settings route", async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { queryLimit: 1 }],
        ['DELETE', undefined],
      ] as const) {
        const res = await admin.call(method, `/api/v1/products/${otherProductId}/scan-settings`, body);
        assert.equal(res.statusCode, 404, `${method}: ${res.body}`);
        assert.equal(errorCode(res), 'TRACE_PRODUCT_NOT_FOUND');
      }
      const theirs = await ok<ProductSettings>(
        other.call('GET', `/api/v1/products/${otherProductId}/scan-settings`),
      );
      assert.equal(theirs.override, null);
    });

    test('an enterprise operator reads the settings but cannot change them', async () => {
      assert.equal((await staff.call('GET', '/api/v1/scan-settings')).statusCode, 200);
      assert.equal((await staff.call('GET', `/api/v1/products/${productId}/scan-settings`)).statusCode, 200);
      for (const res of [
        await staff.call('PUT', '/api/v1/scan-settings', { queryLimit: 1 }),
        await staff.call('PUT', `/api/v1/products/${productId}/scan-settings`, { queryLimit: 1 }),
        await staff.call('DELETE', `/api/v1/products/${productId}/scan-settings`),
        await staff.upload('POST', '/api/v1/scan-settings/image', {}, png),
      ]) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorCode(res), 'TRACE_AUTH_FORBIDDEN');
      }
    });

    test('regulators and the platform operator have no scan settings to read', async () => {
      for (const c of [regulator, operator]) {
        const res = await c.call('GET', '/api/v1/scan-settings');
        assert.equal(res.statusCode, 403);
        assert.equal((await c.call('GET', `/api/v1/products/${productId}/scan-settings`)).statusCode, 403);
      }
    });

    test('the preview renders the real scan page with the drafts, on a code of its own, and stores nothing', async () => {
      await ok(admin.call('PUT', '/api/v1/scan-settings', { promptText: '已保存的提示语', queryLimit: 4 }));
      const space = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: 'preview space', length: 17 }),
        201,
      );
      const job = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, productId, count: 3 }),
        201,
      );
      const code = (
        await ok<{ items: Array<{ code: string }> }>(
          admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?count=1`),
        )
      ).items[0]?.code;
      assert.ok(code !== undefined);
      const counts = async () =>
        Promise.all(
          ['scans', 'code_queries', 'audit_log'].map(async (table) =>
            Number(
              (
                await h.db.kysely
                  .selectFrom(table as 'scans')
                  .select((eb) => eb.fn.countAll<number | string>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          ),
        );
      const before = await counts();
      const preview = async (body: unknown, client = admin) => {
        const res = await client.call('POST', '/api/v1/scan-settings/preview', body);
        assert.equal(res.statusCode, 200, res.body);
        return res;
      };

      // Saved settings, genuine first query: the product, the prompt, a code of this product.
      const first = await preview({ productId });
      assert.match(String(first.headers['content-type']), /^text\/html/);
      assert.equal(first.headers['cache-control'], 'no-store');
      const csp = String(first.headers['content-security-policy']);
      assert.match(csp, /sandbox/);
      assert.doesNotMatch(csp, /script-src/);
      assert.ok(first.body.includes('酱油'), 'the product');
      assert.ok(first.body.includes('已保存的提示语'), 'the saved prompt');
      assert.ok(first.body.includes(code.slice(0, 4)), 'a code of the product');
      assert.ok(first.body.includes('class="tm-preview"'), 'marked as a preview');
      assert.ok(!first.body.includes('<script'), 'no script');
      const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
      assert.ok(nonce !== undefined && first.body.includes(`<style nonce="${nonce}">`));

      // Drafts win over what is saved; the warning shows the draft's text and limit, in English.
      const warning = await preview({
        productId,
        enterprise: {
          queryLimit: 6,
          warningText: '草稿警示语',
          links: [{ kind: 'shop', url: 'https://shop.example.cn/draft', label: '草稿店铺' }],
        },
        verdict: 'warning',
        language: 'en',
      });
      assert.ok(warning.body.includes('草稿警示语'));
      assert.ok(warning.body.includes('https://shop.example.cn/draft'));
      assert.ok(warning.body.includes('7'), 'one query past the draft limit');
      assert.ok(warning.body.includes('lang="en"'));
      assert.ok(warning.body.includes('Preview'));

      // A draft override of the product over the saved enterprise settings.
      const override = await preview({
        productId,
        override: { promptText: '产品草稿提示语', antiCounterfeitPopup: null },
        verdict: 'genuine_repeat',
      });
      assert.ok(override.body.includes('产品草稿提示语'));
      assert.ok(!override.body.includes('已保存的提示语'));
      // The box off: a genuine verdict gives way to the product.
      const off = await preview({ productId, override: { antiCounterfeitPopup: false } });
      assert.ok(!off.body.includes('id="verdict-title"'));
      // Without a product: the enterprise's settings on its newest product; operators may preview.
      assert.ok((await preview({}, staff)).body.includes('已保存的提示语'));

      assert.deepEqual(await counts(), before, 'no query stored, nothing audited');
      assert.equal(
        (await ok<{ count: number }>(admin.call('GET', `/api/v1/codes/${code}/queries`))).count,
        0,
        'the code was not queried',
      );
      await ok(admin.call('PUT', '/api/v1/scan-settings', {}));
    });

    test('a preview checks its drafts as saving them would', async () => {
      const bad: Array<[unknown, number, string]> = [
        [{ enterprise: { queryLimit: 0 } }, 400, 'TRACE_HTTP_VALIDATION'],
        [{ override: { promptText: 'x' } }, 400, 'TRACE_HTTP_VALIDATION'],
        [{ verdict: 'voided' }, 400, 'TRACE_HTTP_VALIDATION'],
        [{ productId: otherProductId }, 404, 'TRACE_PRODUCT_NOT_FOUND'],
        [
          { enterprise: { imageFileId: '0190a0a0-0000-7000-8000-000000000000' } },
          404,
          'TRACE_SCAN_IMAGE_NOT_FOUND',
        ],
      ];
      for (const [body, status, code] of bad) {
        const res = await admin.call('POST', '/api/v1/scan-settings/preview', body);
        assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
        assert.equal(errorCode(res), code);
      }
      for (const c of [regulator, operator]) {
        assert.equal((await c.call('POST', '/api/v1/scan-settings/preview', {})).statusCode, 403);
      }
    });

    test("scan pages follow a product's override at once: its limit turns the next query into a warning", async () => {
      const space = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: 'settings space', length: 17 }),
        201,
      );
      const batch = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/batches', { productId, lot: 'SS-1', productionDate: '2026-11-01' }),
        201,
      );
      const job = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, productId, count: 2 }),
        201,
      );
      await ok(admin.call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: job.id }));
      const code = (
        await ok<{ items: Array<{ code: string }> }>(
          admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?count=1`),
        )
      ).items[0]?.code;
      assert.ok(code !== undefined);
      const verify = async () =>
        json<{ verdict: string; warningText: string | null; queryLimit: number | null }>(
          await h.app.inject({
            method: 'GET',
            url: `/api/v1/verify/${code}`,
            remoteAddress: '116.228.111.118',
          }),
        );
      assert.equal((await verify()).verdict, 'genuine_first');
      assert.equal((await verify()).queryLimit, DEFAULT_QUERY_LIMIT);
      await ok(
        admin.call('PUT', `/api/v1/products/${productId}/scan-settings`, {
          queryLimit: 2,
          warningText: '查询次数过多',
        }),
      );
      const third = await verify();
      assert.equal(third.verdict, 'warning');
      assert.equal(third.warningText, '查询次数过多');
      assert.equal(third.queryLimit, 2);
      await ok(admin.call('PUT', `/api/v1/products/${productId}/scan-settings`, { queryLimit: 'none' }));
      const fourth = await verify();
      assert.equal(fourth.verdict, 'genuine_repeat');
      assert.equal(fourth.queryLimit, null);
      assert.equal(
        (await admin.call('DELETE', `/api/v1/products/${productId}/scan-settings`)).statusCode,
        204,
      );
    });
  });
}
