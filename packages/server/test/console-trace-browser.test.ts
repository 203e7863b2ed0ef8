/**
 * Traceability in the console, in Chromium against a real listening server on SQLite: a clerk
 * receives raw materials, produces a batch from them (a lot over-used is refused in place),
 * packs item codes into a case and ships the case (a wrong code is refused in place), stores a
 * range of printed positions (one past the job's end refused in place) on the business-actions
 * screen; records a stage of a template made on the stage-templates screen;
 * imports a CSV (a bad row listed, then the good rows stored); traces the raw lot forward and an
 * item code backward in the explorer, re-centres on the batch; and finds the shipment among the
 * events with its summary and JSON-LD. Then each screen is photographed in Chinese at desktop
 * (1440×900) and tablet (1024×768) widths and in English at desktop width into
 * screenshots/console-trace/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  BrowserSessions,
  desktop,
  AccessibilityAudit,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  photograph,
  screenshotDir,
  type Viewport,
} from '@tracemark/testing';
import {
  approvedEnterprise,
  harness,
  json,
  operatorClient,
  password,
  type Client,
  type Harness,
} from './support/harness.js';

describe('console traceability in Chromium', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let admin: Client;
  let batchId = '';
  let items: string[] = [];
  let cases: string[] = [];
  const shots = screenshotDir('console-trace');

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h, 'operator');
    admin = (
      await approvedEnterprise(h, operator, {
        username: 'soy-admin',
        orgBody: 'MA1HF800',
        name: '禾丰豆业有限公司',
      })
    ).admin;
    const ok = async (method: 'POST' | 'GET', url: string, body?: unknown, status = 201) => {
      const res = await admin.call(method, url, body);
      assert.equal(res.statusCode, status, res.body);
      return json(res);
    };
    const productId = (await ok('POST', '/api/v1/products', { name: '有机豆浆 1L', gtin: '6901234567892' }))
      .id as string;
    batchId = (
      await ok('POST', '/api/v1/batches', {
        productId,
        lot: 'L2611',
        productionDate: '2026-11-20',
        quantity: 2000,
      })
    ).id as string;
    const spaceId = (await ok('POST', '/api/v1/code-spaces', { name: '豆浆', length: 17 })).id as string;
    const itemJob = (await ok('POST', '/api/v1/code-jobs', { spaceId, productId, count: 20 })).id as string;
    const caseJob = (
      await ok('POST', '/api/v1/code-jobs', { spaceId, productId, count: 2, packingLevel: 'case' })
    ).id as string;
    await ok('POST', '/api/v1/code-activations', { batchId, jobId: itemJob }, 200);
    await ok('POST', '/api/v1/code-activations', { batchId, jobId: caseJob }, 200);
    const codesOf = async (job: string, n: number) =>
      (
        (await ok('GET', `/api/v1/code-jobs/${job}/codes?count=${n}`, undefined, 200)).items as {
          code: string;
        }[]
      ).map((c) => c.code);
    items = await codesOf(itemJob, 20);
    cases = await codesOf(caseJob, 2);
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** A page of the enterprise administrator (downloads accepted: the trace exports). */
  const open = (viewport: Viewport = desktop, language?: 'en-US'): Promise<Page> =>
    sessions.page({
      viewport,
      language,
      login: { username: 'soy-admin', password },
      context: { acceptDownloads: true },
    });

  /** Photographs the page once antd's loading states are gone and the graph settles (400 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 400);

  /** Picks an option of the open select dropdown by its text. */
  async function option(page: Page, text: string | RegExp): Promise<void> {
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: text })
      .first()
      .click();
  }

  const written = (page: Page, n: number) =>
    page.getByTestId('action-outcome').getByText(`已写入 ${n} 个事件`).waitFor();

  test('receive → produce → pack → ship on the actions screen; stage record; import; trace both ways; events', async () => {
    const page = await open();

    // Receive raw materials.
    await page.goto('/console/trace-actions');
    await page.getByRole('menuitem', { name: /原料收货/ }).click();
    await page.getByLabel('供应商', { exact: true }).fill('黑龙江大豆合作社');
    await page.getByLabel('供应商名称').fill('黑龙江大豆合作社');
    await page.getByLabel('地点').fill('一号原料库');
    await page.getByLabel('原料', { exact: true }).fill('非转基因大豆');
    await page.getByLabel('批号').fill('DD-2611-01');
    await page.getByLabel('数量').fill('500');
    await shot(page, 'receive-materials.zh.desktop');
    await page.getByRole('button', { name: '登记收货' }).click();
    await written(page, 1);
    const lots = json<{ items: { id: string; lot: string; quantity: number; usedQuantity: number }[] }>(
      await admin.call('GET', '/api/v1/trace-actions/raw-material-lots'),
    ).items;
    assert.equal(lots.length, 1);
    assert.equal(lots[0]?.lot, 'DD-2611-01');

    // Produce the batch; using more than was received is refused under the inputs.
    await page.goto('/console/trace-actions?action=produce');
    await page.getByLabel('生产批次').click();
    await option(page, 'L2611');
    await page.getByLabel('原料批次').click();
    await option(page, 'DD-2611-01');
    await page.getByLabel('用量').fill('900');
    await page.getByLabel('产出的追溯码（可选）').fill(items.slice(0, 10).join('\n'));
    await page.getByRole('button', { name: '登记生产' }).click();
    await page.getByText('原料批次剩余数量不足').first().waitFor();
    await shot(page, 'produce-error.zh.desktop');
    await page.getByLabel('用量').fill('120');
    await page.getByRole('button', { name: '登记生产' }).click();
    await written(page, 1);
    const lot = json<{ items: { usedQuantity: number }[] }>(
      await admin.call('GET', '/api/v1/trace-actions/raw-material-lots'),
    ).items[0];
    assert.equal(lot?.usedQuantity, 120, 'production drew on the lot');

    // Pack five items into the first case.
    await page.goto('/console/trace-actions?action=pack');
    await page.getByLabel('父码（箱码 / 托盘码）').fill(cases[0] ?? '');
    await page.getByLabel('子码').fill(items.slice(0, 5).join(' '));
    await page.getByRole('button', { name: '装箱', exact: true }).click();
    await page.getByText('已装入 5 个码').waitFor();

    // Ship the case; a wrong code is refused before sending.
    await page.goto('/console/trace-actions?action=ship');
    await page.getByLabel('追溯码').fill('123456');
    await page.getByLabel('收货方', { exact: true }).fill('华东经销商');
    await page.getByRole('button', { name: '登记发货' }).click();
    await page.getByText('这些不是有效的追溯码').waitFor();
    await page.getByLabel('追溯码').fill(`${sessions.base}/c/${cases[0] ?? ''}`);
    await page.getByText('已识别 1 个码').waitFor();
    await page.getByLabel('收货地点').fill('杭州配送中心');
    await page.getByLabel('单据号').fill('FH-20261127-01');
    await page.getByRole('button', { name: '登记发货' }).click();
    await written(page, 1);
    await shot(page, 'ship-done.zh.desktop');
    const shipped = await admin.call('GET', '/epcis/events?EQ_bizStep=shipping');
    const shipments = json<{ epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } } }>(
      shipped,
    ).epcisBody.queryResults.resultsBody.eventList;
    assert.equal(shipments.length, 1);

    // Warehouse-in of a run of printed positions of the item job: a range past the job's end is
    // refused under the ranges, then positions 12–15 go in as one event of four codes.
    await page.goto('/console/trace-actions?action=warehouse-in');
    await page.getByRole('button', { name: '添加码段范围' }).click();
    await page.locator('.ant-select').filter({ hasText: '选择赋码任务' }).click();
    await option(page, /单品 · 20 个码/);
    await page.getByPlaceholder('起始序号').fill('12');
    await page.getByPlaceholder('结束序号').fill('30');
    await page.getByLabel('仓库', { exact: true }).fill('二号成品库');
    await page.getByRole('button', { name: '登记入库' }).click();
    await page.getByText('区间须在任务范围内').waitFor();
    await shot(page, 'warehouse-in-range-refused.zh.desktop');
    await page.getByPlaceholder('结束序号').fill('15');
    await page.getByRole('button', { name: '登记入库' }).click();
    await written(page, 1);
    const stored = json<{
      epcisBody: { queryResults: { resultsBody: { eventList: Array<{ epcList: string[] }> } } };
    }>(await admin.call('GET', '/epcis/events?EQ_bizStep=storing'));
    const inRange = stored.epcisBody.queryResults.resultsBody.eventList.find((e) => e.epcList.length === 4);
    assert.ok(inRange !== undefined, 'one storing event of the four codes of positions 12–15');
    for (const code of items.slice(11, 15)) assert.ok(inRange.epcList.some((epc) => epc.includes(code)));

    // A stage template, then a record of it for the whole batch.
    await page.goto('/console/stage-templates');
    await page.getByText('还没有环节模板').waitFor();
    await page.getByRole('button', { name: '新建模板' }).first().click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('模板名称').fill('施肥记录');
    await drawer.getByLabel('显示名称').fill('肥料名称');
    await drawer.getByLabel('字段键').fill('Fertiliser');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('须以小写字母开头').waitFor();
    await drawer.getByLabel('字段键').fill('fertiliser');
    await drawer.getByLabel('必填').click();
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: /施肥记录/ }).waitFor();
    await page.goto('/console/trace-actions?action=record-stage');
    await page.getByLabel('环节模板').click();
    await option(page, '施肥记录');
    await page.getByLabel('肥料名称').fill('腐熟有机肥');
    await page.getByLabel('整批').click();
    await option(page, 'L2611');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '保存记录' }).click();
    await written(page, 1);

    // Import: a bad row refuses the file; the good rows only, then.
    await page.goto('/console/trace-actions?action=import');
    const csv = Buffer.from(
      `action,codes,location\nwarehouse-in,${items[10] ?? ''},一号成品库\nwarehouse-in,123,一号成品库\n`,
    );
    const file = { name: '入库.csv', mimeType: 'text/csv', buffer: csv };
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByText('有 1 行不正确').waitFor();
    await page.getByRole('cell', { name: '2', exact: true }).waitFor();
    await shot(page, 'import-rejected.zh.desktop');
    await page.getByText('只保存正确的行').click();
    await page.locator('input[type=file]').setInputFiles(file);
    await page
      .locator('.ant-statistic')
      .filter({ hasText: '已保存' })
      .getByText('1', { exact: true })
      .waitFor();

    // Trace the raw lot forward: the batch, its codes, the case and where it went.
    await page.goto('/console/trace');
    await page.getByText('输入要查询的追溯码、批号或标识').waitFor();
    await page.getByLabel('查询对象').click();
    await option(page, '批号 / 原料批');
    await page.getByText('追踪（向下游）').click();
    await page.getByLabel('查询内容').fill('DD-2611-01');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/lot=DD-2611-01/);
    const objects = page.locator('.ant-card').filter({ hasText: '追溯对象' });
    await objects.getByText('批号 L2611').waitFor();
    await objects.getByText('非转基因大豆 · DD-2611-01').waitFor();
    await objects.getByText('华东经销商').waitFor();
    const timeline = page.locator('.ant-card').filter({ hasText: '环节时间线' });
    await timeline.getByText('原料', { exact: true }).waitFor();
    await timeline.getByText('生产', { exact: true }).waitFor();
    await timeline.getByText('发货', { exact: true }).first().waitFor();
    await shot(page, 'trace-forward.zh.desktop');

    // Trace an item code backward: its case, its batch and the raw lot.
    await page.getByText('溯源（向上游）').click();
    await page.waitForURL(/direction=backward/);
    await page.getByLabel('查询对象').click();
    await option(page, '追溯码');
    await page.getByLabel('查询内容').fill(items[0] ?? '');
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/code=/);
    await objects.getByText('非转基因大豆 · DD-2611-01').waitFor();
    await objects.getByText(cases[0] ?? '').waitFor();
    await shot(page, 'trace-backward.zh.desktop');
    // A click on the batch traces from it.
    await objects.getByText('有机豆浆 1L · L2611').click();
    await page.waitForURL(new RegExp(`batchId=${batchId}`));

    // The events: the shipment among them, its summary and JSON-LD.
    await page.goto('/console/events');
    await page.locator('.ant-table-row').first().waitFor();
    await page.getByLabel('业务步骤').click();
    await page.keyboard.type('shipping');
    await option(page, 'shipping');
    await page.waitForURL(/bizStep=shipping/);
    await page.locator('.ant-table-row').filter({ hasText: '发货' }).first().click();
    const detail = page.locator('.ant-drawer-open');
    await detail.getByText('华东经销商').first().waitFor();
    await detail.getByText('FH-20261127-01').waitFor();
    await shot(page, 'event-drawer.zh.desktop');
    await detail.getByRole('tab', { name: 'JSON-LD' }).click();
    await detail.getByText('"bizStep": "shipping"').waitFor();
    // From the keyboard too: the step is a button (in the tab order), and Enter on it opens the event.
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    const step = page.locator('.ant-table-row').first().getByRole('button', { name: '发货' });
    await step.focus();
    await page.keyboard.press('Enter');
    await page.locator('.ant-drawer-open').getByText('FH-20261127-01').waitFor();

    // Deleting a stage template archives it.
    await page.goto('/console/stage-templates');
    await page.getByRole('button', { name: '删除' }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await page.getByText('模板已归档').waitFor();
    const templates = json<{ items: { status: string }[] }>(
      await admin.call('GET', '/api/v1/stage-templates?status=archived'),
    ).items;
    assert.equal(templates.length, 1);
    await page.context().close();
  });

  test('each traceability screen in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    const audit = new AccessibilityAudit();
    assert.notEqual(batchId, '', 'the flow above ran first');
    const screens: ReadonlyArray<readonly [string, string]> = [
      ['trace', `/console/trace?code=${items[0] ?? ''}`],
      ['trace-empty', '/console/trace'],
      ['events', '/console/events'],
      ['actions-ship', '/console/trace-actions?action=ship'],
      ['actions-receive', '/console/trace-actions?action=receive-materials'],
      ['actions-import', '/console/trace-actions?action=import'],
      ['actions-lots', '/console/trace-actions?action=lots'],
      ['stage-templates', '/console/stage-templates'],
    ];
    await eachWidth(async (width, viewport, language) => {
      const page = await open(viewport, language === 'en' ? 'en-US' : undefined);
      for (const [name, url] of screens) {
        await openScreen(page, url);
        await page.locator('h3').first().waitFor();
        if (name === 'trace') await page.locator('canvas').first().waitFor();
        await shot(page, `${name}.${language}.${width}`);
        await audit.check(page, `${name}.${language}.${width}`);
      }
      await page.context().close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
