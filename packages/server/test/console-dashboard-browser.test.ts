/**
 * The console's figures in a real browser (Debian's Chromium) against a real listening server on
 * SQLite. An enterprise's codes are scanned through the real verify API (genuine, over the query
 * limit, never activated, from two cities) and a consumer reports a fake; 30 days of history are
 * written as the verifier writes them. The enterprise lands on its dashboard and follows a flagged
 * scan to the scan log; the regulator lands on supervision and sorts its enterprises; the
 * operator opens an application from the review queue (the menu stays on 入驻审核, across a
 * reload) and acknowledges a platform alert. Every screen is photographed in Chinese at desktop
 * (1440×900) and tablet (1024×768) widths and in English at desktop width into
 * screenshots/console-dashboard/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import { newId, repositories } from '@tracemark/db';
import {
  BrowserSessions,
  AccessibilityAudit,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  photograph,
  screenshotDir,
} from '@tracemark/testing';
import {
  approvedEnterprise,
  files,
  harness,
  json,
  operatorClient,
  password,
  Client,
  registerEnterprise,
  regulatorClient,
  type Harness,
} from './support/harness.js';

const SHANGHAI = '116.228.111.118';
const BEIJING = '202.106.0.20';
const DAY = 86_400_000;
const operatorPassword = 'Operator-2026';
const regulatorPassword = 'Regulator-2026';

/** A one-page licence PDF in Chinese (Noto Sans SC), so the review shows a real document. */
function licencePdf(uscc: string, name: string): Promise<Buffer> {
  const font = createRequire(import.meta.url).resolve(
    '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  );
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.font(font).fontSize(30).fillColor('#D41819').text('营 业 执 照', { align: 'center' });
    doc.moveDown().fontSize(14).fillColor('#000');
    doc.text(`统一社会信用代码：${uscc}`);
    doc.text(`名称：${name}`);
    doc.text('住所：上海市徐汇区漕溪北路 88 号');
    doc.rect(56, 260, 480, 200).stroke('#316464');
    doc.end();
  });
}

interface Summary {
  today: { total: number; warnings: number; suspicious: number };
  last7Days: { total: number; warnings: number; suspicious: number };
  recentFlagged: Array<{ code: string }>;
  figures: { openReports: number; codesIssued: number; codesActivated: number };
}

describe('console figures in Chromium: dashboard, supervision, platform alerts', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let hexiangId = '';
  let pendingId = '';
  let networkAlert = '';
  let hexiangAdmin: Client;
  let regulatorApi: Client;
  const shots = screenshotDir('console-dashboard');

  const ok = async <T>(
    c: Client,
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
  ): Promise<T> => {
    const r = await c.call(method, url, body);
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
    return json<T>(r);
  };

  /** A product with a batch and `count` codes, the first `active` activated for the batch. */
  async function line(
    admin: Client,
    spaceId: string,
    name: string,
    lot: string,
    count: number,
    active: number,
  ) {
    const product = await ok<{ id: string }>(admin, 'POST', '/api/v1/products', { name });
    const batch = await ok<{ id: string }>(admin, 'POST', '/api/v1/batches', {
      productId: product.id,
      lot,
      productionDate: '2026-11-01',
    });
    const job = await ok<{ id: string }>(admin, 'POST', '/api/v1/code-jobs', {
      spaceId,
      productId: product.id,
      count,
    });
    await ok(admin, 'POST', '/api/v1/code-activations', {
      batchId: batch.id,
      jobId: job.id,
      from: 1,
      to: active,
    });
    const codes = (
      await ok<{ items: Array<{ code: string }> }>(
        admin,
        'GET',
        `/api/v1/code-jobs/${job.id}/codes?count=${count}`,
      )
    ).items.map((i) => i.code);
    return { productId: product.id, batchId: batch.id, codes };
  }

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

  /** An earlier query, written as the verifier writes it (the verify API only records "now"). */
  async function history(
    tenantId: string,
    at: number,
    l: { productId: string; batchId: string; codes: string[] },
    i: number,
    verdict: 'genuine_first' | 'genuine_repeat' | 'warning' | 'not_activated',
    region: string,
  ): Promise<void> {
    await h.db.kysely
      .insertInto('scans')
      .values({
        tenant_id: tenantId,
        id: newId(at),
        space_id: 'history',
        serial: i,
        code: l.codes[i % l.codes.length] ?? '',
        product_id: l.productId,
        batch_id: l.batchId,
        at,
        verdict,
        warnings: verdict === 'warning' ? 'query_limit' : '',
        region_code: region,
        region_source: 'ip',
        latitude: null,
        longitude: null,
        channel: 'page',
        client: 'wechat',
        pin_verified: 0,
      })
      .execute();
  }

  async function changePassword(c: Client, next: string): Promise<void> {
    await ok(c, 'POST', '/api/v1/auth/password', { currentPassword: password, newPassword: next });
  }

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h, 'operator');
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });

    // The enterprise whose figures the dashboard shows.
    const hexiang = await approvedEnterprise(h, operator, {
      username: 'hexiang-admin',
      orgBody: 'MA1DTH00',
      region: '310115',
      name: '浦江禾香源食品有限公司',
    });
    hexiangId = hexiang.enterpriseId;
    const admin = hexiang.admin;
    hexiangAdmin = admin;
    await ok(admin, 'PUT', '/api/v1/scan-settings', { queryLimit: 3 });
    const space = await ok<{ id: string }>(admin, 'POST', '/api/v1/code-spaces', {
      name: '大米',
      length: 15,
    });
    const rice = await line(admin, space.id, '禾香源五常大米 5kg', 'R-2611', 60, 50);
    const beans = await line(admin, space.id, '禾香源东北大豆 2kg', 'B-2611', 40, 30);
    const oil = await line(admin, space.id, '禾香源压榨菜籽油 5L', 'O-2611', 20, 20);
    for (let i = 0; i < 12; i++)
      assert.match(await verify(rice.codes[i] ?? '', i % 3 === 0 ? BEIJING : SHANGHAI), /genuine/);
    for (let i = 0; i < 6; i++) await verify(beans.codes[i] ?? '', SHANGHAI);
    for (let i = 0; i < 3; i++) await verify(oil.codes[i] ?? '', BEIJING);
    // One code queried past the limit of 3: warnings.
    for (let i = 0; i < 5; i++) await verify(rice.codes[20] ?? '', SHANGHAI);
    // Codes printed but never activated: suspicious.
    assert.equal(await verify(rice.codes[55] ?? '', BEIJING), 'not_activated');
    assert.equal(await verify(beans.codes[35] ?? '', SHANGHAI), 'not_activated');
    // A consumer reports a fake.
    const report = await new Client(h.app).upload('POST', `/api/v1/verify/${rice.codes[55] ?? ''}/reports`, {
      where: '某电商平台 低价店铺',
      price: '39.9',
      note: '包装印刷模糊',
    });
    assert.equal(report.statusCode, 201, report.body);
    // Documents lapsing soon.
    const inDays = (d: number) => new Date(Date.now() + d * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    for (const [kind, days] of [
      ['production_licence', 12],
      ['quality_inspection', 4],
    ] as const) {
      const up = await admin.upload(
        'POST',
        `/api/v1/enterprises/${hexiangId}/documents`,
        { kind, number: `SC-${days}-3101150001`, expiresOn: inDays(days) },
        { name: 'doc.pdf', type: 'application/pdf', data: files.pdf },
      );
      assert.equal(up.statusCode, 201, up.body);
    }
    // 29 earlier days, as the verifier would have written them.
    const now = Date.now();
    for (let d = 1; d < 30; d++) {
      const per = 4 + ((d * 7) % 9);
      for (let i = 0; i < per; i++) {
        const verdict =
          i === 0 && d % 4 === 0 ? 'warning' : i === 1 && d % 6 === 0 ? 'not_activated' : 'genuine_repeat';
        const l = i % 3 === 0 ? beans : i % 5 === 0 ? oil : rice;
        await history(
          hexiangId,
          now - d * DAY - i * 60_000,
          l,
          i,
          verdict,
          ['310115', '110105', '320102', '440305'][i % 4] ?? '310115',
        );
      }
    }

    // Other enterprises for the supervisors: one in Guangzhou with scans, one waiting for review
    // in Shanghai, one still a draft.
    const sui = await approvedEnterprise(h, operator, {
      username: 'suifeng-admin',
      orgBody: 'MA1DTH01',
      region: '440106',
      name: '广州穗丰粮油有限公司',
    });
    const gzSpace = await ok<{ id: string }>(sui.admin, 'POST', '/api/v1/code-spaces', {
      name: '油',
      length: 15,
    });
    const gzOil = await line(sui.admin, gzSpace.id, '穗丰花生油 5L', 'G-01', 20, 10);
    for (let i = 0; i < 4; i++) await verify(gzOil.codes[i] ?? '', BEIJING);
    const pending = await registerEnterprise(h, {
      username: 'jiangnan-admin',
      orgBody: 'MA1DTH02',
      region: '310104',
      name: '上海江南酿造有限公司',
    });
    pendingId = pending.enterpriseId;
    await pending.admin.upload(
      'POST',
      `/api/v1/enterprises/${pendingId}/documents`,
      { kind: 'business_licence', number: pending.uscc, expiresOn: '2040-01-01' },
      {
        name: '营业执照.pdf',
        type: 'application/pdf',
        data: await licencePdf(pending.uscc, '上海江南酿造有限公司'),
      },
    );
    await ok(pending.admin, 'POST', `/api/v1/enterprises/${pendingId}/submit`);
    await registerEnterprise(h, {
      username: 'draft-admin',
      orgBody: 'MA1DTH03',
      region: '310112',
      name: '闵行新农食品有限公司',
    });

    // People: the operator and a regulator of 上海市, with their forced password changes done.
    await changePassword(operator, operatorPassword);
    await changePassword(await regulatorClient(h, '310000', 'sh-amr'), regulatorPassword);
    regulatorApi = new Client(h.app);
    await regulatorApi.login('sh-amr', regulatorPassword);

    // Platform alerts, as the scan guard raises them.
    const scans = repositories(h.db.kysely).scans;
    await scans.raiseAlert({
      id: newId(),
      kind: 'invalid_lookups_network',
      subject: '203.0.113.0/24',
      details: JSON.stringify({ invalidLookups: 300, windowSeconds: 600 }),
      count: 1,
      at: now - 3_600_000,
    });
    await scans.raiseAlert({
      id: newId(),
      kind: 'invalid_lookups_rate',
      subject: 'platform',
      details: JSON.stringify({ lastMinute: 1840, hourlyAveragePerMinute: 35.5 }),
      count: 1,
      at: now - 600_000,
    });
    networkAlert = (
      await h.db.kysely
        .selectFrom('platform_alerts')
        .select('id')
        .where('subject', '=', '203.0.113.0/24')
        .executeTakeFirstOrThrow()
    ).id;
  });

  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** Photographs the page once antd's loading states are gone and the charts' animations end (900 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 900);

  /** Waits until the side menu highlights `label` (navigations render in a transition, after the URL). */
  async function menuSelects(page: Page, label: string): Promise<void> {
    await page.locator('.ant-menu-item-selected').filter({ hasText: label }).waitFor();
    assert.deepEqual(await page.locator('.ant-menu-item-selected').allInnerTexts(), [label]);
  }

  test('the enterprise lands on its dashboard: figures, 30 days of scans, top products, flagged scans to the scan log', async () => {
    const summary = await ok<Summary>(hexiangAdmin, 'GET', '/api/v1/scans/summary');
    assert.equal(summary.today.total, 12 + 6 + 3 + 5 + 2);
    assert.equal(summary.today.warnings, 2);
    assert.equal(summary.today.suspicious, 2);
    assert.equal(summary.figures.openReports, 1);
    assert.equal(summary.figures.codesIssued, 120);

    const page = await sessions.page({ login: { username: 'hexiang-admin', password } });
    await page.goto('/console/');
    await page.waitForURL(/\/console\/dashboard$/);
    await menuSelects(page, '数据概览');
    await page.getByText('浦江禾香源食品有限公司 · 消费者扫码查询与防伪预警').waitFor();
    await page.getByTestId('stat-today').getByText('28', { exact: true }).waitFor();
    await page.getByTestId('stat-today').getByText('其中异常 4 次').waitFor();
    await page.getByTestId('stat-reports').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('stat-codes').getByText('/ 120').waitFor();
    // The trend is drawn (a canvas with pixels), not an empty state.
    const canvas = page.getByRole('img', { name: '近 30 天查询趋势' }).locator('canvas');
    await canvas.waitFor();
    assert.ok(((await canvas.boundingBox())?.height ?? 0) > 200);
    await page.getByText('禾香源五常大米 5kg').first().waitFor();
    await page.getByText('生产 / 卫生许可证').waitFor();
    await page.getByText('剩 4 天').waitFor();
    await shot(page, 'dashboard-flow.zh.desktop');

    // A flagged scan opens the scan log for its code.
    const first = summary.recentFlagged[0]?.code ?? '';
    await page.getByTestId('flagged-code').first().click();
    await page.waitForURL(new RegExp(`/console/scan-log\\?code=${first}$`));
    // The open reports figure opens the reports.
    await page.goto('/console/dashboard');
    await page.getByTestId('stat-reports').click();
    await page.waitForURL(/\/console\/counterfeit-reports$/);
  });

  test('the regulator lands on supervision: the jurisdiction figures, charts, and enterprises sorted on the server', async () => {
    const page = await sessions.page({ login: { username: 'sh-amr', password: regulatorPassword } });
    await page.goto('/console/');
    await page.waitForURL(/\/console\/supervision$/);
    await menuSelects(page, '监管总览');
    await page.getByText('上海市 · 辖区内企业的赋码、消费者查询与防伪预警').waitFor();
    // Shanghai only: three enterprises, one approved; Guangzhou's scans are not counted.
    await page.getByTestId('sup-enterprises').getByText('3', { exact: true }).waitFor();
    await page.getByTestId('sup-enterprises').getByText('已通过 1 家').waitFor();
    const { scans } = (
      await ok<{ figures: { scans: number } }>(regulatorApi, 'GET', '/api/v1/supervision/overview')
    ).figures;
    assert.ok(scans > 28);
    await page
      .getByTestId('sup-scans')
      .getByText(new Intl.NumberFormat('zh-CN').format(scans), { exact: true })
      .waitFor();
    await page.getByRole('img', { name: '企业资质状态' }).locator('canvas').waitFor();
    await page.getByRole('img', { name: '各地区查询与异常' }).locator('canvas').waitFor();

    // Sorting by scans asks the server; the busiest enterprise comes first.
    const sorted = page.waitForRequest(
      (r) => r.url().includes('/api/v1/supervision/enterprises') && r.url().includes('sort=scans'),
    );
    await page
      .locator('th .ant-table-column-title')
      .filter({ hasText: /^查询$/ })
      .click();
    await sorted;
    await page
      .locator('.ant-table-row')
      .first()
      .getByRole('link', { name: '浦江禾香源食品有限公司' })
      .waitFor();
    await page.locator('.ant-table-row').first().getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/enterprises/${hexiangId}$`));
    await menuSelects(page, '企业管理');
  });

  test('the operator: an application opened from the review queue stays under 入驻审核; an alert is acknowledged', async () => {
    const page = await sessions.page({ login: { username: 'operator', password: operatorPassword } });
    await page.goto('/console/reviews');
    await page.getByRole('link', { name: '上海江南酿造有限公司' }).click();
    await page.waitForURL(new RegExp(`/console/enterprises/${pendingId}$`));
    const detail = page.locator('h3').filter({ hasText: '上海江南酿造有限公司' });
    await detail.waitFor();
    await menuSelects(page, '入驻审核');
    await page.reload();
    await detail.waitFor();
    await menuSelects(page, '入驻审核');
    // The same page opened from the list of enterprises is under 企业管理.
    await page.goto('/console/enterprises');
    await page.getByRole('link', { name: '上海江南酿造有限公司' }).click();
    await page.waitForURL(new RegExp(`/console/enterprises/${pendingId}$`));
    await menuSelects(page, '企业管理');

    // The platform's supervision: all four enterprises.
    await page.getByRole('menuitem', { name: '监管总览' }).click();
    await page.getByTestId('sup-enterprises').getByText('4', { exact: true }).waitFor();

    await page.getByRole('menuitem', { name: '平台预警' }).click();
    await page.waitForURL(/\/console\/platform-alerts$/);
    await page.getByText('疑似批量猜码', { exact: true }).waitFor();
    await page.getByText('600 秒内无效查询 300 次').waitFor();
    await page.getByText('上一分钟 1840 次，近一小时平均每分钟 35.5 次').waitFor();
    const row = page.locator('.ant-table-row').filter({ hasText: '203.0.113.0/24' });
    await row.getByRole('button', { name: '确认已处理' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确认已处理' }).click();
    await page.getByText('预警已确认').waitFor();
    await row.waitFor({ state: 'detached' });
    const stored = await h.db.kysely
      .selectFrom('platform_alerts')
      .select(['status', 'acknowledged_by'])
      .where('id', '=', networkAlert)
      .executeTakeFirstOrThrow();
    assert.equal(stored.status, 'acknowledged');
    assert.notEqual(stored.acknowledged_by, null);
    await page.getByText('已确认', { exact: true }).click();
    await page.getByText(/Operator 于 .* 确认/).waitFor();
  });

  test('every screen in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    const audit = new AccessibilityAudit();
    const screens: ReadonlyArray<readonly [string, string, string, string]> = [
      ['dashboard', '/console/dashboard', 'hexiang-admin', password],
      ['supervision-regulator', '/console/supervision', 'sh-amr', regulatorPassword],
      ['supervision-platform', '/console/supervision', 'operator', operatorPassword],
      ['platform-alerts', '/console/platform-alerts', 'operator', operatorPassword],
      ['review-from-queue', '/console/reviews', 'operator', operatorPassword],
    ];
    await eachWidth(async (width, viewport, language) => {
      const pages = new Map<string, Page>();
      for (const [name, url, who, pass] of screens) {
        let page = pages.get(who);
        if (page === undefined) {
          page = await sessions.page({
            viewport,
            language: language === 'en' ? 'en-US' : undefined,
            login: { username: who, password: pass },
          });
          pages.set(who, page);
        }
        await openScreen(page, url);
        await page.locator('h3').first().waitFor();
        if (name === 'platform-alerts') {
          // Both alerts, the open one and the one acknowledged above.
          await page.locator('.ant-table-row').first().waitFor();
          // The status filter's last choice (the header's language switch is a segmented control too).
          await page
            .locator('.ant-segmented')
            .filter({ hasText: language === 'zh' ? '待处理' : 'Open' })
            .locator('.ant-segmented-item')
            .last()
            .click();
          await page.locator('.ant-table-row').nth(1).waitFor();
        }
        if (name === 'review-from-queue') {
          await page.locator('.ant-table-row a').first().click();
          await page.waitForURL(/\/console\/enterprises\//);
          await page.locator('h3').first().waitFor();
          await page.waitForTimeout(1200);
        }
        await shot(page, `${name}.${language}.${width}`);
        await audit.check(page, `${name}.${language}.${width}`);
      }
      for (const p of pages.values()) await p.context().close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
