/**
 * The consumer side as the enterprise runs it, in a real browser (Debian's Chromium) against a
 * real listening server on SQLite. An enterprise's codes are scanned through the real verify API
 * (first queries, repeats, one code past the query limit, from Shanghai and Beijing). The
 * administrator edits the scan page beside its live phone preview (which stores and counts
 * nothing), saves, and the real `/c/{code}` page on a phone shows the change; a product gets a
 * prompt of its own. The scan log filters by verdict and code (from the address) and shows a
 * code's history; a consumer reports a fake with a photo on the real scan page, and the
 * administrator handles it. An operator only reads. Every screen is photographed in Chinese at
 * desktop (1440×900) and tablet (1024×768) widths and in English at desktop width into
 * screenshots/console-scan/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  AccessibilityAudit,
  BrowserSessions,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  phone,
  photograph,
  screenshotDir,
} from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  files,
  harness,
  json,
  operatorClient,
  password,
  type Harness,
} from './support/harness.js';

const SHANGHAI = '116.228.111.118';
const BEIJING = '202.106.0.20';
const staffPassword = 'Staff-passw0rd-2026';

interface Settings {
  queryLimit: number | null;
  warningText: string | null;
  promptText: string | null;
  links: Array<{ kind: string; url: string; label: string | null }>;
}

/**
 * Whether an <img> loads: at once if it is done, else at its `load` or `error` (an image still on
 * its way when the step looks is not a broken one). Runs in the browser; the tests compile
 * without the DOM types.
 */
const loaded = (img: unknown): Promise<boolean> => {
  const i = img as {
    complete: boolean;
    naturalWidth: number;
    addEventListener: (type: 'load' | 'error', listener: () => void) => void;
  };
  if (i.complete) return Promise.resolve(i.naturalWidth > 0);
  return new Promise((resolve) => {
    i.addEventListener('load', () => resolve(i.naturalWidth > 0));
    i.addEventListener('error', () => resolve(false));
  });
};

describe('console scan screens in Chromium: scan page settings, scan log, counterfeit reports', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  const adminLogin = { username: 'hexiang-admin', password };
  let admin: Client;
  let productId = '';
  let codes: string[] = [];
  let picture: Buffer = files.png;
  const shots = screenshotDir('console-scan');

  const ok = async <T>(c: Client, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => {
    const r = await c.call(method, url, body);
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return json<T>(r);
  };

  /** A consumer query through the real verify API, from an address in a city. */
  async function verify(code: string, ip: string): Promise<string> {
    const r = await h.app.inject({
      method: 'GET',
      url: `/api/v1/verify/${code}`,
      remoteAddress: ip,
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.47' },
    });
    assert.equal(r.statusCode, 200, r.body);
    return json<{ verdict: string }>(r).verdict;
  }

  const scanCount = async (): Promise<number> =>
    json<{ total: number }>(await admin.call('GET', '/api/v1/scans?pageSize=1')).total;

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h, 'operator');
    ({ admin } = await approvedEnterprise(h, operator, {
      username: 'hexiang-admin',
      orgBody: 'MA1QR700',
      name: '浦江禾香源食品有限公司',
    }));
    await ok(admin, 'POST', '/api/v1/users', {
      username: 'hexiang-staff',
      displayName: '赵六',
      password,
      role: 'enterprise_operator',
    });
    // The operator sets a password of their own, as the first login asks.
    const staff = new Client(h.app);
    await staff.login('hexiang-staff', password);
    await ok(staff, 'POST', '/api/v1/auth/password', {
      currentPassword: password,
      newPassword: staffPassword,
    });
    // A real picture for the product, drawn by the browser.
    const painter = await sessions.browser.newPage({ viewport: { width: 480, height: 480 } });
    await painter.setContent(
      '<div id="p" style="width:480px;height:480px;display:grid;place-items:center;background:linear-gradient(135deg,#FFCC00,#D41819);font:bold 64px sans-serif;color:#fff">禾香源<br>大米</div>',
    );
    picture = await painter.locator('#p').screenshot();
    await painter.close();

    const product = await ok<{ id: string }>(admin, 'POST', '/api/v1/products', {
      name: '禾香源五常大米',
      brand: '禾香源',
      specification: '5 kg',
      shelfLifeDays: 365,
    });
    productId = product.id;
    const image = await admin.upload(
      'POST',
      `/api/v1/products/${productId}/images`,
      {},
      {
        name: 'rice.png',
        type: 'image/png',
        data: picture,
      },
    );
    assert.equal(image.statusCode, 201, image.body);
    const batch = await ok<{ id: string }>(admin, 'POST', '/api/v1/batches', {
      productId,
      lot: 'DM20261101',
      productionDate: '2026-11-01',
    });
    const space = await ok<{ id: string }>(admin, 'POST', '/api/v1/code-spaces', {
      name: '大米码段',
      length: 17,
    });
    const job = await ok<{ id: string }>(admin, 'POST', '/api/v1/code-jobs', {
      spaceId: space.id,
      productId,
      count: 20,
    });
    await ok(admin, 'POST', '/api/v1/code-activations', { batchId: batch.id, jobId: job.id });
    codes = (
      await ok<{ items: Array<{ code: string }> }>(admin, 'GET', `/api/v1/code-jobs/${job.id}/codes?count=20`)
    ).items.map((i) => i.code);

    // Consumers scan: first queries, a repeat, and one code past the limit of 10.
    assert.equal(await verify(codes[1] ?? '', SHANGHAI), 'genuine_first');
    assert.equal(await verify(codes[2] ?? '', BEIJING), 'genuine_first');
    assert.equal(await verify(codes[2] ?? '', BEIJING), 'genuine_repeat');
    for (let i = 0; i < 11; i++) await verify(codes[3] ?? '', i % 2 === 0 ? SHANGHAI : BEIJING);
    assert.equal(await verify(codes[3] ?? '', SHANGHAI), 'warning');

    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** Photographs the page once antd's loading states are gone and antd's messages settle (250 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 250);

  /** The real scan page of a code, as a consumer's phone opens it. */
  async function consumerPage(code: string): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await sessions.open({ context: phone });
    await opened.page.goto(`/c/${code}`);
    return opened;
  }

  test('the scan page is edited beside its live preview, and the real page follows what is saved', async () => {
    const before = await scanCount();
    const { context, page } = await sessions.open({ login: adminLogin });
    await page.goto('/console/scan-settings');
    const preview = page.frameLocator('iframe[title="扫码页预览"]');
    // The real page, with the product, its image, and a preview ribbon.
    await preview.getByRole('heading', { name: '禾香源五常大米' }).waitFor();
    assert.equal(await preview.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await preview.getByText('预览 · 示例数据，不计入查询次数').waitFor();
    assert.ok(
      await preview.locator('.product img').evaluate(loaded),
      'the product image loads in the preview',
    );

    // The preview follows the form as one types.
    await page.getByLabel('提示语').fill('感谢选购禾香源正品大米，关注公众号领取积分。');
    await preview.getByText('感谢选购禾香源正品大米，关注公众号领取积分。').waitFor();
    await page.getByRole('button', { name: /添加链接/ }).click();
    await page.getByLabel('网址').fill('ftp://shop.example.cn');
    await page.getByText('请输入以 http:// 或 https:// 开头的网址').waitFor();
    await page.getByLabel('网址').fill('https://shop.example.cn/hexiang');
    await page.getByLabel('显示文字').fill('禾香源官方商城');
    await preview.getByRole('link', { name: '禾香源官方商城' }).waitFor();
    // A warning, one query past the limit, with the draft's warning text.
    await page.locator('.ant-input-number input').fill('5');
    await page.getByLabel('警示语').fill('此码查询次数过多，谨防假冒。举报热线 400-820-0000');
    await page.getByTestId('preview-controls').getByText('警示', { exact: true }).click();
    await preview.getByText('此码查询次数过多，谨防假冒。举报热线 400-820-0000').waitFor();
    await preview.getByText('本码已被查询 6 次，超过 5 次上限').waitFor();
    await page.getByText('有未保存的修改').waitFor();
    // English, as English-speaking consumers see it.
    const previewControls = page.getByTestId('preview-controls');
    await previewControls.getByText('EN', { exact: true }).click();
    await preview.locator('html[lang="en"]').waitFor();
    await previewControls.getByText('正品 · 首次', { exact: true }).click();
    await previewControls.getByText('中文', { exact: true }).click();
    await preview.locator('#verdict-title').getByText('正品 · 首次查询').waitFor();
    await shot(page, 'scan-settings-editing.zh.desktop');
    assert.equal(await scanCount(), before, 'the preview stored no query');

    await page.getByRole('button', { name: /保存设置/ }).click();
    await page.getByText('已保存，扫码页立即生效').waitFor();
    const saved = await ok<Settings>(admin, 'GET', '/api/v1/scan-settings');
    assert.equal(saved.queryLimit, 5);
    assert.equal(saved.promptText, '感谢选购禾香源正品大米，关注公众号领取积分。');
    assert.deepEqual(saved.links, [
      { kind: 'shop', url: 'https://shop.example.cn/hexiang', label: '禾香源官方商城' },
    ]);

    // The real page shows what was saved.
    const consumer = await consumerPage(codes[5] ?? '');
    assert.equal(await consumer.page.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await consumer.page.getByText('感谢选购禾香源正品大米，关注公众号领取积分。').waitFor();
    await consumer.page.getByRole('link', { name: '禾香源官方商城' }).waitFor();
    await consumer.page.screenshot({ path: join(shots, 'consumer-page.zh.phone.png'), fullPage: true });
    await consumer.context.close();

    // One product with a prompt of its own; the rest follows the enterprise.
    await page.getByText('单个产品设置', { exact: true }).click();
    await page.getByText('请先在上方选择一个产品，再设置它的扫码页。').waitFor();
    await page.locator('.ant-select').filter({ hasText: '选择产品' }).click();
    await page.locator('.ant-select-item-option').filter({ hasText: '禾香源五常大米' }).click();
    await page.getByText('该产品目前沿用企业默认设置').waitFor();
    await page.getByTestId('inherit-promptText').getByRole('checkbox').uncheck();
    await page.getByLabel('提示语').fill('五常核心产区，当季新米。');
    await preview.getByText('五常核心产区，当季新米。').waitFor();
    await shot(page, 'scan-settings-product.zh.desktop');
    await page.getByRole('button', { name: /保存产品设置/ }).click();
    await page.getByText('已保存，扫码页立即生效').last().waitFor();
    await page.getByText('该产品有单独设置').waitFor();
    const own = await ok<{ override: { promptText: string | null; queryLimit: unknown } | null }>(
      admin,
      'GET',
      `/api/v1/products/${productId}/scan-settings`,
    );
    assert.equal(own.override?.promptText, '五常核心产区，当季新米。');
    assert.equal(own.override.queryLimit, null, 'the limit is inherited');
    const second = await consumerPage(codes[6] ?? '');
    await second.page.getByText('五常核心产区，当季新米。').waitFor();
    await second.context.close();
    await context.close();
  });

  test('an enterprise operator reads the settings but cannot save them', async () => {
    const { context, page } = await sessions.open({
      login: { username: 'hexiang-staff', password: staffPassword },
    });
    await page.goto('/console/scan-settings');
    await page.getByText('您可以查看设置，只有企业管理员可以修改。').waitFor();
    await page.frameLocator('iframe[title="扫码页预览"]').locator('#verdict-title').waitFor();
    assert.equal(await page.getByRole('button', { name: /保存设置/ }).count(), 0);
    assert.ok(await page.getByLabel('提示语').isDisabled());
    await context.close();
  });

  test('the scan log filters by verdict and by the code in the address, and shows its history', async () => {
    const total = await scanCount();
    const { context, page } = await sessions.open({ login: adminLogin });
    await page.goto('/console/scan-log');
    await page.getByText(`共 ${total} 条`).waitFor();
    await page.getByRole('cell', { name: '正品 · 首次查询' }).first().waitFor();
    await page
      .getByRole('cell', { name: /上海市/ })
      .first()
      .waitFor();
    await page.getByRole('cell', { name: /微信/ }).first().waitFor();
    await shot(page, 'scan-log-all.zh.desktop');

    await page.getByLabel('查询结果').click();
    await page.locator('.ant-select-item-option[title="警示 · 疑似仿冒"]').click();
    await page.waitForURL(/verdict=warning/);
    const warnings = await ok<{ total: number }>(admin, 'GET', '/api/v1/scans?verdict=warning&pageSize=1');
    assert.ok(warnings.total >= 1);
    await page.getByText(`共 ${warnings.total} 条`).waitFor();
    assert.equal(await page.locator('.ant-table-row').filter({ hasText: '正品' }).count(), 0);

    // A link from the dashboard or a report: the code in the address.
    const code = codes[3] ?? '';
    await page.goto(`/console/scan-log?code=${code}`);
    const history = await ok<{ count: number }>(admin, 'GET', `/api/v1/codes/${code}/queries`);
    await page.getByText(`共 ${history.count} 条`).waitFor();
    await page
      .locator('.ant-table-row')
      .first()
      .getByRole('button', { name: /查询历史/ })
      .click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByText(`${history.count} 次`, { exact: true }).waitFor();
    await drawer.getByText('首次查询时间').first().waitFor();
    // The reason of a warning shows on hover of its tag.
    await drawer.getByText('警示 · 疑似仿冒').first().hover();
    await page
      .getByRole('tooltip')
      .getByText(/查询次数超过上限|相距很远/)
      .waitFor();
    await shot(page, 'scan-log-history.zh.desktop');

    // A malformed code is said in place.
    await page.mouse.move(5, 5);
    await page.getByRole('tooltip').waitFor({ state: 'hidden' });
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    // Until its closing motion ends the drawer hands the focus back to the button that opened it:
    // an Enter meant for the search box then opened the history again (seen once in CI).
    await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
    await page.getByPlaceholder('输入追溯码查询').fill('12345');
    await page.getByPlaceholder('输入追溯码查询').press('Enter');
    await page.getByText('追溯码应为 15–21 位数字').waitFor();
    await context.close();
  });

  test('a fake reported with a photo on the real scan page is handled in the console', async () => {
    const code = codes[3] ?? '';
    // The consumer: the page warns (past the limit), the report form is open; a photo goes with it.
    const consumer = await consumerPage(code);
    assert.equal(await consumer.page.locator('#verdict-title').innerText(), '查询异常，请警惕假冒');
    await consumer.page.getByLabel(/购买地点/).fill('某电商平台 小李食品店');
    await consumer.page.getByLabel(/购买价格/).fill('39.90');
    await consumer.page.getByLabel(/补充说明/).fill('包装颜色偏淡，米粒碎。');
    await consumer.page.getByLabel(/联系方式/).fill('13800001234');
    await consumer.page
      .getByLabel(/照片/)
      .setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: picture });
    await consumer.page.getByRole('button', { name: /提交举报/ }).click();
    await consumer.page.getByRole('heading', { name: '感谢您的举报' }).waitFor();
    await consumer.context.close();

    const { context, page } = await sessions.open({ login: adminLogin });
    await page.goto('/console/counterfeit-reports');
    const row = page.locator('.ant-table-row').filter({ hasText: '某电商平台 小李食品店' });
    await row.waitFor();
    await row.getByText('待处理').waitFor();
    await row.getByText('¥39.90').waitFor();
    await row.getByText('禾香源五常大米').waitFor();
    await shot(page, 'counterfeit-reports-list.zh.desktop');
    await row.getByRole('button', { name: '处理' }).click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByText('包装颜色偏淡，米粒碎。').waitFor();
    await drawer.getByText('13800001234').waitFor();
    const photo = drawer.locator('img.ant-image-img');
    await photo.waitFor();
    assert.ok(await photo.evaluate(loaded), 'the photo loads');
    const history = await ok<{ count: number }>(admin, 'GET', `/api/v1/codes/${code}/queries`);
    await drawer.getByText(`${history.count} 次`).waitFor();
    await drawer.getByText('确认假货').click();
    await drawer.getByLabel('内部备注').fill('已联系平台下架该店铺商品。');
    await shot(page, 'counterfeit-report-drawer.zh.desktop');
    await drawer.getByRole('button', { name: /保存处理结果/ }).click();
    await page.getByText('处理结果已保存').waitFor();
    const reports = await ok<{ items: Array<{ status: string; handlerNote: string | null }> }>(
      admin,
      'GET',
      '/api/v1/counterfeit-reports',
    );
    assert.equal(reports.items[0]?.status, 'confirmed');
    assert.equal(reports.items[0].handlerNote, '已联系平台下架该店铺商品。');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await row.getByText('确认假货').waitFor();

    // The status filter, and the code's history from the report.
    await page.locator('.ant-segmented-item').filter({ hasText: '待处理' }).click();
    await page.getByText('没有该状态的举报。').waitFor();
    await page.locator('.ant-segmented-item').filter({ hasText: '确认假货' }).click();
    await row.waitFor();
    await row.getByRole('button', { name: '查看' }).click();
    await drawer.getByRole('link', { name: /查看查询记录/ }).click();
    await page.waitForURL(new RegExp(`/console/scan-log\\?code=${code}$`));
    await page.getByText(`共 ${history.count} 条`).waitFor();
    await context.close();
  });

  test('every scan screen in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    // axe-core on each screen as photographed (disabled inputs, which show inherited values, are
    // exempt from contrast as WCAG allows).
    const audit = new AccessibilityAudit({ exclude: ['.ant-input-number-disabled'] });
    const screens: ReadonlyArray<readonly [string, string]> = [
      ['scan-settings', '/console/scan-settings'],
      ['scan-settings-product', `/console/scan-settings?productId=${productId}`],
      ['scan-log', '/console/scan-log'],
      ['counterfeit-reports', '/console/counterfeit-reports'],
    ];
    await eachWidth(async (width, viewport, language) => {
      const { context, page } = await sessions.open({
        viewport,
        language: language === 'en' ? 'en-US' : undefined,
        login: adminLogin,
      });
      for (const [name, url] of screens) {
        await openScreen(page, url);
        await page.locator('h3').first().waitFor();
        if (name.startsWith('scan-settings'))
          await page.frameLocator('iframe').locator('#product-title').waitFor();
        await shot(page, `${name}.${language}.${width}`);
        await audit.check(page, `${name}.${language}.${width}`);
      }
      await context.close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
