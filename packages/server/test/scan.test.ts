import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { dammCheckDigit, type CodeLength } from '@tracemark/codes';
import { repositories } from '@tracemark/db';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  errorCode,
  files,
  harness,
  json,
  operatorClient,
  type Client,
  type Harness,
} from './support/harness.js';

interface Verification {
  code: string;
  verdict: string;
  warnings: string[];
  counted: boolean;
  scanId: string | null;
  firstQueryAt: number | null;
  queryCount: number;
  hasPin: boolean;
  pinVerified: boolean;
  warningText: string | null;
  product: { name: string; gtin: string | null; imageUrl: string | null } | null;
  batch: { lot: string; productionDate: string } | null;
  enterprise: { name: string; qualifications: Array<{ kind: string; number: string }> } | null;
  place: { regionCode: string; names: string[]; source: string } | null;
  reportable: boolean;
}

const phone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';
const NANJING = '218.2.2.2';
const BEIJING = '202.106.0.20';
const SHANGHAI = '116.228.111.118';

/** Appends the GS1 mod-10 check digit. */
function withGs1Check(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A random well-formed code of a prefix: right length, right check digit, random field. */
function randomCode(prefix: string, length: CodeLength): string {
  let field = '';
  while (field.length < length - prefix.length - 1) field += String(Math.floor(Math.random() * 10));
  const body = `${prefix}${field}`;
  return `${body}${dammCheckDigit(body)}`;
}

for (const dialect of dialects) {
  describe(`consumer verification on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let enterpriseId: string;
    let productId: string;
    let gtin14: string;
    let spacePrefix: string;
    /** Activated codes, each used by one test. */
    let active: string[] = [];
    /** Issued, never activated. */
    let dormant: string[] = [];
    let pinCodes: Array<{ code: string; pin: string }> = [];
    let operator: Client;

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return JSON.parse(r.body) as T;
    };
    const verify = async (code: string, ip = SHANGHAI, extra: Record<string, string> = {}) => {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/v1/verify/${encodeURIComponent(code)}`,
        remoteAddress: ip,
        headers: { 'user-agent': phone, ...extra },
      });
      return res;
    };
    const verdictOf = async (code: string, ip = SHANGHAI): Promise<Verification> => {
      const res = await verify(code, ip);
      assert.equal(res.statusCode, 200, res.body);
      return json<Verification>(res);
    };
    const counts = async () => {
      const db = h.db.kysely;
      const n = async (t: 'scans' | 'code_queries' | 'counterfeit_reports' | 'platform_alerts') =>
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n;
      return {
        scans: await n('scans'),
        queries: await n('code_queries'),
        reports: await n('counterfeit_reports'),
        alerts: await n('platform_alerts'),
      };
    };
    const take = (list: string[]): string => {
      const c = list.shift();
      if (c === undefined) throw new Error('fixture ran out of codes');
      return c;
    };

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL: 'https://t.example.cn', SCAN_INVALID_PER_ADDRESS: '20' });
      operator = await operatorClient(h);
      const e = await approvedEnterprise(h, operator, { username: 'scan-admin', orgBody: 'MA1TCN00' });
      admin = e.admin;
      enterpriseId = e.enterpriseId;
      const product = await ok<{ id: string; gtin: string }>(
        admin.call('POST', '/api/v1/products', {
          name: '五常大米 5kg',
          brand: '稻香',
          gtin: withGs1Check('690123400001'),
        }),
        201,
      );
      productId = product.id;
      gtin14 = product.gtin;
      const image = await admin.upload(
        'POST',
        `/api/v1/products/${productId}/images`,
        {},
        {
          name: 'rice.png',
          type: 'image/png',
          data: files.png,
        },
      );
      assert.equal(image.statusCode, 201, image.body);
      const batch = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/batches', { productId, lot: 'WC-2026-11', productionDate: '2026-11-01' }),
        201,
      );
      const space = await ok<{ id: string; prefix: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: '大米码段', length: 17 }),
        201,
      );
      spacePrefix = space.prefix;
      const job = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 200, productId }),
        201,
      );
      const codes = (
        await ok<{ items: Array<{ code: string }> }>(
          admin.call('GET', `/api/v1/code-jobs/${job.id}/codes?offset=0&count=200`),
        )
      ).items.map((i) => i.code);
      await ok(
        admin.call('POST', '/api/v1/code-activations', {
          batchId: batch.id,
          jobId: job.id,
          from: 1,
          to: 150,
        }),
      );
      active = codes.slice(0, 150);
      dormant = codes.slice(150);
      const pinJob = await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 10, productId, withPin: true }),
        201,
      );
      await ok(
        admin.call('POST', '/api/v1/code-activations', {
          batchId: batch.id,
          jobId: pinJob.id,
          from: 1,
          to: 10,
        }),
      );
      pinCodes = (
        await ok<{ items: Array<{ code: string; pin?: string }> }>(
          admin.call('GET', `/api/v1/code-jobs/${pinJob.id}/codes?offset=0&count=10`),
        )
      ).items.map((i) => ({ code: i.code, pin: i.pin ?? '' }));
    });
    after(() => h.close());

    test('the first query of a genuine code locks its first query time; the second shows it and the count', async () => {
      const code = take(active);
      const first = await verdictOf(code);
      assert.equal(first.verdict, 'genuine_first');
      assert.equal(first.counted, true);
      assert.equal(first.queryCount, 1);
      assert.ok(first.firstQueryAt !== null && Math.abs(first.firstQueryAt - Date.now()) < 10_000);
      assert.equal(first.product?.name, '五常大米 5kg');
      assert.equal(first.batch?.lot, 'WC-2026-11');
      assert.equal(first.enterprise?.qualifications[0]?.kind, 'business_licence');
      assert.equal(first.place?.regionCode, '310000');
      assert.match(first.product.imageUrl ?? '', /^https:\/\/t\.example\.cn\/c\/media\//);
      const second = await verdictOf(code, SHANGHAI);
      assert.equal(second.verdict, 'genuine_repeat');
      assert.equal(second.firstQueryAt, first.firstQueryAt);
      assert.equal(second.queryCount, 2);
      const summary = await repositories(h.db.kysely).scans.listScans(
        enterpriseId,
        { productId },
        { page: 1, pageSize: 200 },
      );
      assert.ok(
        summary.items.some(
          (s) => s.code === code && s.verdict === 'genuine_first' && s.region_code === '310000',
        ),
      );
    });

    test('the scan page counts like the API and shows the verdict in Chinese by default', async () => {
      const code = take(active);
      const res = await h.app.inject({
        method: 'GET',
        url: `/c/${code}`,
        headers: { 'user-agent': phone },
        remoteAddress: SHANGHAI,
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.body, /lang="zh/);
      assert.match(res.body, /五常大米/);
      const again = await verdictOf(code);
      assert.equal(again.verdict, 'genuine_repeat');
      assert.equal(again.queryCount, 2);
    });

    test('pages link one stylesheet that browsers cache for good, allowed by the page CSP', async () => {
      const res = await h.app.inject({
        method: 'GET',
        url: `/c/${take(active)}`,
        headers: { 'user-agent': phone },
        remoteAddress: SHANGHAI,
      });
      const href = /<link rel="stylesheet" href="([^"]+)"/.exec(res.body)?.[1];
      assert.ok(href !== undefined && /^\/c\/assets\/page-[0-9a-f]{12}\.css$/.test(href), String(href));
      assert.ok(!res.body.includes('<style'), 'no inline stylesheet');
      assert.match(String(res.headers['content-security-policy']), /style-src 'self'/);
      const css = await h.app.inject({ method: 'GET', url: href });
      assert.equal(css.statusCode, 200);
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(css.body, /\.card\{/);
      const entry = await h.app.inject({ method: 'GET', url: '/c' });
      assert.ok(entry.body.includes(`href="${href}"`), 'the entry page links the same file');
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/c/assets/page-000000000000.css' })).statusCode,
        404,
      );
    });

    test('link previews, crawlers, HEAD requests and prefetches see the page but are not counted', async () => {
      const code = take(active);
      const before = await counts();
      for (const ua of [
        'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
        'TelegramBot (like TwitterBot)',
        'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
        'WhatsApp/2.23.20.0',
        'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
        '',
      ]) {
        const res = await h.app.inject({ method: 'GET', url: `/c/${code}`, headers: { 'user-agent': ua } });
        assert.equal(res.statusCode, 200, ua);
      }
      const head = await h.app.inject({
        method: 'HEAD',
        url: `/c/${code}`,
        headers: { 'user-agent': phone },
      });
      assert.equal(head.statusCode, 200);
      const prefetch = await h.app.inject({
        method: 'GET',
        url: `/c/${code}`,
        headers: { 'user-agent': phone, 'sec-purpose': 'prefetch' },
      });
      assert.equal(prefetch.statusCode, 200);
      assert.deepEqual(await counts(), before, 'nothing was written');
      const real = await verdictOf(code);
      assert.equal(real.verdict, 'genuine_first', 'the first real query is still the first');
    });

    test('a code issued but never activated is suspicious: not_activated, and the query is recorded', async () => {
      const code = take(dormant);
      const v = await verdictOf(code);
      assert.equal(v.verdict, 'not_activated');
      assert.equal(v.queryCount, 1);
      assert.equal(v.batch, null);
    });

    test('bad input (wrong check digit, letters, wrong length, huge paths, never issued) answers invalid and writes nothing', async () => {
      const good = active[0] ?? '';
      const typo = `${good.slice(0, -2)}${(Number(good.at(-2)) + 1) % 10}${good.at(-1)}`;
      const before = await counts();
      for (const bad of [
        typo,
        'ABCDEFGHIJKLMNOPQ',
        '123',
        '1'.repeat(60),
        `${spacePrefix}${'9'.repeat(11)}0`,
      ]) {
        const v = await verdictOf(bad, '10.9.0.1');
        assert.equal(v.verdict, 'invalid', bad);
        assert.equal(v.reportable, false);
        assert.equal(v.product, null);
      }
      const neverIssued = randomCode(spacePrefix, 17);
      assert.equal((await verdictOf(neverIssued, '10.9.0.2')).verdict, 'invalid');
      const huge = await h.app.inject({
        method: 'GET',
        url: `/c/${'7'.repeat(5000)}`,
        headers: { 'user-agent': phone },
      });
      assert.ok([400, 404, 414].includes(huge.statusCode), String(huge.statusCode));
      const page = await h.app.inject({
        method: 'GET',
        url: `/c/${typo}`,
        headers: { 'user-agent': phone },
        remoteAddress: '10.9.0.3',
      });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.deepEqual(await counts(), before);
    });

    test('the GS1 Digital Link form verifies the same code, and a GTIN of another product makes it invalid', async () => {
      const code = take(active);
      const res = await h.app.inject({
        method: 'GET',
        url: `/01/${gtin14}/21/${code}`,
        headers: { 'user-agent': phone },
        remoteAddress: SHANGHAI,
      });
      assert.equal(res.statusCode, 200);
      assert.equal((await verdictOf(code)).queryCount, 2);
      const wrong = await h.app.inject({
        method: 'GET',
        url: `/01/${withGs1Check('0690123400009')}/21/${take(active)}`,
        headers: { 'user-agent': phone },
        remoteAddress: '10.9.1.1',
      });
      assert.equal(wrong.statusCode, 200);
      assert.doesNotMatch(wrong.body, /五常大米/);
    });

    test('passing the query limit turns the verdict into a warning with the enterprise warning text', async () => {
      await repositories(h.db.kysely).scans.putSettings({
        tenant_id: enterpriseId,
        scope: productId,
        query_limit: 3,
        warning_text: '此码查询次数过多，谨防假冒，请拨打 400-000-0000',
        prompt_text: null,
        image_file_id: null,
        popup: null,
        links: null,
        updated_by: 'test',
        updated_at: Date.now(),
      });
      h.app.changes.notify('scan-presentation', enterpriseId);
      const code = take(active);
      for (let i = 1; i <= 3; i++) assert.notEqual((await verdictOf(code)).verdict, 'warning', `query ${i}`);
      const fourth = await verdictOf(code);
      assert.equal(fourth.verdict, 'warning');
      assert.deepEqual(fourth.warnings, ['query_limit']);
      assert.equal(fourth.warningText, '此码查询次数过多，谨防假冒，请拨打 400-000-0000');
      await repositories(h.db.kysely).scans.deleteSettings(enterpriseId, productId);
      h.app.changes.notify('scan-presentation', enterpriseId);
    });

    test('queries from distant regions within minutes raise a warning', async () => {
      const code = take(active);
      assert.equal((await verdictOf(code, NANJING)).verdict, 'genuine_first');
      const far = await verdictOf(code, BEIJING);
      assert.equal(far.verdict, 'warning');
      assert.deepEqual(far.warnings, ['distant_regions']);
    });

    test('a hidden PIN: none asks for it, a wrong one is refused, the right one verifies', async () => {
      const { code, pin } = pinCodes[0] ?? { code: '', pin: '' };
      assert.equal((await verdictOf(code)).verdict, 'pin_required');
      const wrongPin = pin === '00000000' ? '11111111' : '00000000';
      const wrong = await ok<Verification>(
        h.app.inject({
          method: 'POST',
          url: '/api/v1/verify',
          payload: { code, pin: wrongPin },
          remoteAddress: SHANGHAI,
        }),
      );
      assert.equal(wrong.verdict, 'pin_wrong');
      const right = await ok<Verification>(
        h.app.inject({
          method: 'POST',
          url: '/api/v1/verify',
          payload: { code, pin },
          remoteAddress: SHANGHAI,
        }),
      );
      assert.equal(right.verdict, 'genuine_repeat');
      assert.equal(right.pinVerified, true);
      const page = await h.app.inject({
        method: 'POST',
        url: `/c/${code}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': phone },
        payload: `pin=${pin}`,
        remoteAddress: SHANGHAI,
      });
      assert.equal(page.statusCode, 200);
    });

    test('a replaced (voided) code says so', async () => {
      const old = take(active);
      const replacement = take(dormant);
      const r = await admin.call('POST', '/api/v1/line/replace', { old, new: replacement });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((await verdictOf(old)).verdict, 'voided');
    });

    test('simultaneous first queries of one code: exactly one is the first, the counts are 1..n', async () => {
      const code = take(active);
      const answers = await Promise.all(Array.from({ length: 40 }, () => verdictOf(code)));
      assert.equal(answers.filter((a) => a.verdict === 'genuine_first').length, 1);
      assert.deepEqual(
        answers.map((a) => a.queryCount).sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.equal(new Set(answers.map((a) => a.firstQueryAt)).size, 1);
    });

    test('a consumer reports a suspected fake with a photo; the enterprise has it, with the region and price', async () => {
      const code = take(active);
      const before = await counts();
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/verify/${code}/reports`,
        remoteAddress: SHANGHAI,
        ...multipart({ where: '某电商平台 XX 旗舰店', price: '39.90', note: '包装印刷模糊' }, files.jpeg),
      });
      assert.equal(res.statusCode, 201, res.body);
      const id = json<{ id: string }>(res).id;
      const stored = await repositories(h.db.kysely).scans.findReport(enterpriseId, id);
      assert.equal(stored?.where_bought, '某电商平台 XX 旗舰店');
      assert.equal(stored.price_cents, 3990);
      assert.equal(stored.region_code, '310000');
      assert.ok(stored.photo_file_id !== null);
      assert.equal((await counts()).reports, before.reports + 1);
    });

    test('a report of a code that is not ours, or without where it was bought, is refused and stores nothing', async () => {
      const before = await counts();
      const bad = await h.app.inject({
        method: 'POST',
        url: `/api/v1/verify/${randomCode(spacePrefix, 17)}/reports`,
        ...multipart({ where: 'x' }),
      });
      assert.equal(bad.statusCode, 404);
      assert.equal(errorCode(bad), 'TRACE_SCAN_NOT_OURS');
      const incomplete = await h.app.inject({
        method: 'POST',
        url: `/api/v1/verify/${active[0] ?? ''}/reports`,
        ...multipart({ price: '12' }, files.jpeg),
      });
      assert.equal(incomplete.statusCode, 400, incomplete.body);
      assert.deepEqual(await counts(), before);
    });

    test('a consented position places the query by point-in-polygon and is kept coarsened; only once', async () => {
      const code = take(active);
      const v = await verdictOf(code, '10.0.0.7');
      assert.equal(v.place, null, 'a private address has no region');
      const pos = await ok<{ place: { regionCode: string; source: string } }>(
        h.app.inject({
          method: 'POST',
          url: `/api/v1/scans/${v.scanId}/position`,
          payload: { latitude: 23.129163, longitude: 113.264435, accuracy: 30 },
        }),
      );
      assert.equal(pos.place.regionCode, '440100');
      assert.equal(pos.place.source, 'position');
      const row = await repositories(h.db.kysely).scans.findScan(enterpriseId, v.scanId ?? '');
      assert.equal(row?.region_code, '440100');
      assert.equal(row.latitude, 23.13);
      assert.equal(row.longitude, 113.26);
      const again = await h.app.inject({
        method: 'POST',
        url: `/api/v1/scans/${v.scanId}/position`,
        payload: { latitude: 31.2, longitude: 121.4 },
      });
      assert.equal(again.statusCode, 409);
    });

    test('product images are public on scan pages; qualification documents are not', async () => {
      const v = await verdictOf(take(active));
      const path = new URL(v.product?.imageUrl ?? '').pathname;
      const img = await h.app.inject({ method: 'GET', url: path });
      assert.equal(img.statusCode, 200);
      assert.equal(img.headers['content-type'], 'image/png');
      const doc = await h.db.kysely
        .selectFrom('files')
        .select('id')
        .where('purpose', '=', 'document')
        .executeTakeFirstOrThrow();
      const hidden = await h.app.inject({ method: 'GET', url: `/c/media/${doc.id}` });
      assert.equal(hidden.statusCode, 404);
    });

    test('enumeration: thousands of random codes from one address are stopped by the limiter and find no valid code', async () => {
      const attacker = '198.51.100.7';
      const before = await counts();
      const verdicts = new Map<string, number>();
      let refused = 0;
      for (let i = 0; i < 3000; i++) {
        const res = await verify(randomCode(spacePrefix, 17), attacker);
        if (res.statusCode === 429) {
          refused += 1;
          assert.equal(errorCode(res), 'TRACE_SCAN_BLOCKED');
          assert.ok(Number(res.headers['retry-after']) > 0);
          continue;
        }
        const v = json<Verification>(res).verdict;
        verdicts.set(v, (verdicts.get(v) ?? 0) + 1);
      }
      assert.deepEqual([...verdicts.keys()], ['invalid'], 'no random code was valid');
      assert.equal(verdicts.get('invalid'), 20, 'the limit of invalid lookups per address');
      assert.equal(refused, 2980);
      // A real code from the blocked address is refused too; another address is unaffected.
      assert.equal((await verify(active[0] ?? '', attacker)).statusCode, 429);
      assert.equal((await verify(active[0] ?? '', '203.0.113.9')).statusCode, 200);
      const after = await counts();
      assert.equal(after.scans, before.scans + 1, 'only the real query was written');
    });

    test('many addresses of one network hitting invalid codes block the network and raise an operator alert', async () => {
      for (let host = 1; host <= 12; host++) {
        for (let i = 0; i < 20; i++) await verify(randomCode(spacePrefix, 17), `192.0.2.${host}`);
      }
      const fresh = await verify(active[0] ?? '', '192.0.2.200');
      assert.equal(fresh.statusCode, 429, 'a new address of the blocked network is refused');
      await h.app.verifier.drain();
      const alerts = await h.db.kysely.selectFrom('platform_alerts').selectAll().execute();
      const alert = alerts.find((a) => a.kind === 'invalid_lookups_network');
      assert.equal(alert?.subject, '192.0.2.0/24');
      assert.equal(alert.status, 'open');
    });
  });
}

/** A multipart body of text fields and an optional JPEG photo, for `inject`. */
function multipart(fields: Record<string, string>, photo?: Buffer) {
  const boundary = '----scanreport';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (photo !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="fake.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      photo,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  };
}
