/**
 * The scan page as a consumer sees it: real Chromium (Debian's), a phone viewport with WeChat's
 * user agent, a real listening server. Scanning twice shows the locked first query time and the
 * count; manual entry works; the English switch works; the position button places the query.
 * Screenshots go to screenshots/scan-browser/ (git-ignored) for people to look at.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AccessibilityAudit, BrowserSessions, phone, screenshotDir } from '@tracemark/testing';
import { approvedEnterprise, harness, operatorClient, type Client, type Harness } from './support/harness.js';

describe('scan page in Chromium on a phone', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let codes: string[] = [];
  /** Issued, never activated (a suspicious code on the consumer side). */
  let dormant: string[] = [];
  /** Active, with a hidden PIN (a scratch-off label). */
  let withPin = '';
  let admin: Client;
  const shots = screenshotDir('scan-browser');

  before(async () => {
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h);
    const e = await approvedEnterprise(h, operator, { username: 'browser-admin', orgBody: 'MA1BRW00' });
    admin = e.admin;
    const call = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
      const r = await e.admin.call(method, url, body);
      assert.ok(r.statusCode < 300, r.body);
      return JSON.parse(r.body) as T;
    };
    const product = await call<{ id: string }>('POST', '/api/v1/products', {
      name: '五常稻花香大米 5kg',
      brand: '禾香源',
      specification: '5kg/袋',
      shelfLifeDays: 365,
    });
    const batch = await call<{ id: string }>('POST', '/api/v1/batches', {
      productId: product.id,
      lot: 'DM20261101',
      productionDate: '2026-11-01',
      expiryDate: '2027-10-31',
    });
    const space = await call<{ id: string }>('POST', '/api/v1/code-spaces', { name: '大米', length: 17 });
    const job = await call<{ id: string }>('POST', '/api/v1/code-jobs', {
      spaceId: space.id,
      count: 10,
      productId: product.id,
    });
    await call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: job.id, from: 1, to: 10 });
    codes = (
      await call<{ items: Array<{ code: string }> }>('GET', `/api/v1/code-jobs/${job.id}/codes?count=10`)
    ).items.map((i) => i.code);
    const unused = await call<{ id: string }>('POST', '/api/v1/code-jobs', {
      spaceId: space.id,
      count: 3,
      productId: product.id,
    });
    const scratch = await call<{ id: string }>('POST', '/api/v1/code-jobs', {
      spaceId: space.id,
      count: 1,
      productId: product.id,
      withPin: true,
    });
    await call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: scratch.id, from: 1, to: 1 });
    withPin =
      (await call<{ items: Array<{ code: string }> }>('GET', `/api/v1/code-jobs/${scratch.id}/codes?count=1`))
        .items[0]?.code ?? '';
    dormant = (
      await call<{ items: Array<{ code: string }> }>('GET', `/api/v1/code-jobs/${unused.id}/codes?count=3`)
    ).items.map((i) => i.code);
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  test('scanning a code twice shows the first query time locked and the count', async () => {
    const { context, page } = await sessions.open({ context: phone });
    const code = codes[0] ?? '';
    const first = await page.goto(`/c/${code}`);
    assert.equal(first?.status(), 200);
    assert.equal(await page.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await page.screenshot({ path: join(shots, 'first-query.zh.png'), fullPage: true });
    const beijingTime = /(\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2})/;
    const firstTime = beijingTime.exec(await page.locator('body').innerText())?.[1];
    assert.ok(firstTime !== undefined, 'the first query shows its time');

    await page.reload();
    assert.equal(await page.locator('#verdict-title').innerText(), '此码已被查询过');
    const body = await page.locator('body').innerText();
    assert.match(body, /首次查询时间：/);
    assert.match(body, /共查询 2 次/);
    // The time shown is the one locked by the first query (Beijing time, to the minute).
    assert.equal(beijingTime.exec(body)?.[1], firstTime);
    await page.screenshot({ path: join(shots, 'second-query.zh.png'), fullPage: true });
    const scripts = await page.locator('script').count();
    assert.ok(scripts <= 1, 'at most the small position script');
    await context.close();
  });

  test('the page renders without JavaScript, and the English switch keeps the verdict', async () => {
    const { context, page } = await sessions.open({ context: { ...phone, javaScriptEnabled: false } });
    await page.goto(`/c/${codes[1] ?? ''}`);
    assert.equal(await page.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(await page.locator('#verdict-title').innerText(), 'This code has been queried before');
    await page.screenshot({ path: join(shots, 'second-query.en.png'), fullPage: true });
    await context.close();
  });

  test('a code typed in by hand on /c opens its verdict; a typo says it is not a valid code', async () => {
    const { context, page } = await sessions.open({ context: phone });
    await page.goto(`/c`);
    await page.screenshot({ path: join(shots, 'entry.zh.png'), fullPage: true });
    const code = codes[2] ?? '';
    await page.getByRole('textbox', { name: /防伪码/ }).fill(code);
    await page.locator('form button[type="submit"], form input[type="submit"]').first().click();
    await page.waitForLoadState('load');
    assert.equal(await page.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await page.goto(`/c`);
    const typo = `${code.slice(0, -1)}${(Number(code.at(-1)) + 1) % 10}`;
    await page.getByRole('textbox', { name: /防伪码/ }).fill(typo);
    await page.locator('form button[type="submit"], form input[type="submit"]').first().click();
    await page.waitForLoadState('load');
    const title = await page.locator('#verdict-title').innerText();
    assert.notEqual(title, '正品 · 首次查询');
    await page.screenshot({ path: join(shots, 'invalid.zh.png'), fullPage: true });
    await context.close();
  });

  test('allowing the position places the query in the city of the position', async () => {
    const { context, page } = await sessions.open({
      context: {
        ...phone,
        geolocation: { latitude: 23.129163, longitude: 113.264435 },
        permissions: ['geolocation'],
      },
    });
    await page.goto(`/c/${codes[3] ?? ''}`);
    await page.locator('#pos-btn').click();
    await page.locator('#place-names', { hasText: '广州' }).waitFor();
    await page.screenshot({ path: join(shots, 'position.zh.png'), fullPage: true });
    const row = await h.db.kysely
      .selectFrom('scans')
      .select(['region_code', 'region_source'])
      .where('code', '=', codes[3] ?? '')
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { region_code: '440100', region_source: 'position' });
    await context.close();
  });

  test('every consumer page passes the WCAG 2.1 A and AA rules (axe-core), in Chinese and in English', async () => {
    const ok = async (res: Promise<{ statusCode: number; body: string }>): Promise<void> => {
      const r = await res;
      assert.ok(r.statusCode < 300, r.body);
    };
    // A low query limit with the enterprise's own texts, a recalled code and a voided one.
    await ok(
      admin.call('PUT', '/api/v1/scan-settings', {
        queryLimit: 2,
        warningText: '此码查询次数异常，请向品牌方核实。',
        promptText: '感谢您购买禾香源大米。',
        links: [{ kind: 'shop', url: 'https://shop.example.cn/hexiang', label: '官方旗舰店' }],
      }),
    );
    const [repeated = '', recalled = '', voided = '', reported = ''] = codes.slice(5);
    await ok(
      admin.call('POST', '/api/v1/trace-actions/recall', { codes: [recalled], reason: '标签印刷错误' }),
    );
    await ok(admin.call('POST', '/api/v1/line/replace', { old: voided, new: dormant[2] }));

    const { page } = await sessions.open({ context: phone });
    const audit = new AccessibilityAudit();
    const check = async (what: string, url: string | null, verdict?: string): Promise<void> => {
      if (url !== null) await page.goto(url);
      if (verdict !== undefined)
        assert.equal(await page.locator('#verdict-title').innerText(), verdict, what);
      await page.screenshot({ path: join(shots, `page-${what.replace(/\W+/g, '-')}.png`), fullPage: true });
      await audit.check(page, what);
    };
    await check('first query', `/c/${repeated}`, '正品 · 首次查询');
    await check('queried before', `/c/${repeated}`, '此码已被查询过');
    await check('over the query limit', `/c/${repeated}`);
    assert.match(await page.locator('body').innerText(), /此码查询次数异常/);
    await check('over the query limit, English', `/c/${repeated}?lang=en`);
    // The choice is remembered (the tm_lang cookie): the pages below are in English until ?lang=zh.
    await check('not activated, English', `/c/${dormant[0] ?? ''}`);
    await check('recalled, English', `/c/${recalled}`);
    await check('voided, English', `/c/${voided}`);
    await check('PIN asked for, English', `/c/${withPin}`);
    await page.locator('input[name="pin"]').fill('0000');
    await page.locator('input[name="pin"]').press('Enter');
    await page.waitForLoadState('load');
    await check('PIN wrong, English', null);
    assert.equal(await page.locator('input[name="pin"]').getAttribute('aria-invalid'), 'true');
    const typo = `${repeated.slice(0, -1)}${(Number(repeated.at(-1)) + 1) % 10}`;
    await check('invalid code', `/c/${typo}?lang=zh`);
    await check('malformed code', '/c/12ab');
    await check('manual entry', '/c');
    await check('manual entry, English', '/c?lang=en');
    await check('journey', `/c/${repeated}/trace?lang=zh`);
    // The report form, opened and sent: the thanks page.
    await page.goto(`/c/${reported}`);
    await page.locator('#report summary').click();
    await check('report form', null);
    await page.locator('#r-where').fill('某超市');
    await page.locator('#report button[type="submit"]').click();
    await page.waitForLoadState('load');
    await check('report thanks', null);
    assert.deepEqual(audit.findings, []);
  });
});
