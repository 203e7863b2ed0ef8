/**
 * Trace codes in a real browser (Debian's Chromium) against a real listening server on SQLite:
 * an enterprise generates a job in the console, previews its labels live in two layouts and
 * colours (the preview is the real labels.pdf, shown inline), activates a pasted list of codes
 * (scan URLs, Digital Links, grouped digits): a misread check digit is caught in the browser,
 * an already active code is refused by the API in place (its line and reason) with nothing
 * activated, then the list goes through; at the packing station three items are packed into a
 * case by typing codes and Enter as a scanner gun does (a refused scan, an undo), and a damaged
 * label is replaced. The screens are photographed in Chinese at 1440×900 and 1024×768
 * and in English at 1440×900 into screenshots/console-codes/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
  AccessibilityAudit,
  BrowserSessions,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  photograph,
  screenshotDir,
} from '@tracemark/testing';
import type { Client } from './support/harness.js';
import { approvedEnterprise, harness, operatorClient, password, type Harness } from './support/harness.js';

interface CodeInfo {
  code: string;
  status: 'issued' | 'active' | 'voided';
  parent: string | null;
  children: string[];
  replacedBy: string | null;
}

/** The colour an element's background is drawn in (runs in the browser; the tests compile without the DOM types). */
const backgroundOf = (element: unknown): string =>
  (
    globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }
  ).getComputedStyle(element).backgroundColor;

/** The same code with one digit changed, so its check digit no longer matches. */
const typo = (code: string): string => {
  const i = code.length - 3;
  return `${code.slice(0, i)}${(Number(code[i]) + 1) % 10}${code.slice(i + 1)}`;
};

/** A code as printed on a label: groups of four. */
const grouped = (code: string): string => code.replace(/(\d{4})(?=\d)/g, '$1 ');

describe('trace codes, labels and packing in Chromium', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  /** The enterprise administrator, who does everything here. */
  const adminLogin = { username: 'hexiang-admin', password };
  let admin: Client;
  let productId = '';
  let batchId = '';
  let spaceId = '';
  let items: { code: string; url: string }[] = [];
  let cases: string[] = [];
  const shots = screenshotDir('console-codes');

  const ok = async <T>(res: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> => {
    const r = await res;
    assert.equal(r.statusCode, status, r.body);
    return JSON.parse(r.body) as T;
  };
  const info = (code: string) => ok<CodeInfo>(admin.call('GET', `/api/v1/codes/${code}`));
  const codesOf = async (jobId: string, count: number) =>
    (
      await ok<{ items: { code: string; url: string }[] }>(
        admin.call('GET', `/api/v1/code-jobs/${jobId}/codes?offset=0&count=${count}`),
      )
    ).items;

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite', { PUBLIC_URL: 'https://trace.example.cn' });
    const operator = await operatorClient(h, 'operator');
    ({ admin } = await approvedEnterprise(h, operator, {
      username: 'hexiang-admin',
      orgBody: 'MA1CDE01',
      name: '浦江禾香源食品有限公司',
    }));
    productId = (
      await ok<{ id: string }>(
        admin.call('POST', '/api/v1/products', {
          name: '五常稻花香大米 5kg',
          brand: '禾香源',
          gtin: '6901234567892',
        }),
        201,
      )
    ).id;
    batchId = (
      await ok<{ id: string }>(
        admin.call('POST', '/api/v1/batches', { productId, lot: 'DM20261101', productionDate: '2026-11-01' }),
        201,
      )
    ).id;
    spaceId = (
      await ok<{ id: string }>(
        admin.call('POST', '/api/v1/code-spaces', { name: '大米 5kg 装', length: 17 }),
        201,
      )
    ).id;
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** Photographs the page once antd's loading states are gone and antd's messages settle (400 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 400);

  /** The preview's PDF as the server sends it to the frame. */
  async function previewPdf(page: Page, frame: Locator): Promise<{ src: string; disposition: string }> {
    const src = (await frame.getAttribute('src')) ?? '';
    const res = await page.request.get(`${sessions.base}${src.replace(/#.*$/, '')}`);
    assert.equal(res.status(), 200);
    assert.equal((await res.body()).subarray(0, 5).toString(), '%PDF-');
    return { src, disposition: res.headers()['content-disposition'] ?? '' };
  }

  /** Types into the scan box as a scanner gun does: the characters, then Enter. */
  async function scan(input: Locator, text: string): Promise<void> {
    await input.pressSequentially(text);
    await input.press('Enter');
  }

  test('generate, preview labels in two layouts and colours, activate a list (refused in place, then done)', async () => {
    const page = await sessions.page({ login: adminLogin });
    await page.goto('/console/codes');
    await page.getByRole('cell', { name: '大米 5kg 装' }).waitFor();
    await page.getByRole('button', { name: '生成追溯码' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByLabel('产品').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '五常稻花香大米' }).click();
    await modal.getByLabel('数量').fill('20');
    await page.getByRole('button', { name: '生成', exact: true }).click();
    await page.getByText('已生成 20 个追溯码').waitFor();
    const drawer = page.locator('.ant-drawer-open');

    // The live preview: the first labels of the job, rendered by labels.pdf inline.
    const frame = drawer.locator('iframe[title="标签预览"]');
    await frame.waitFor();
    const first = await previewPdf(page, frame);
    assert.match(first.src, /layout=classic&colour=red&width=20&height=30&sheet=a4&offset=0&count=20/);
    assert.match(first.disposition, /^inline;/);
    await drawer.getByText('A4 每页 8 列 × 8 行 = 64 张').waitFor();
    await page.waitForTimeout(1500);
    await shot(page, 'label-preview-classic.zh.desktop');

    const option = (label: string) => drawer.locator('.ant-radio-button-wrapper').filter({ hasText: label });
    await option('侧栏版式').click();
    await option('蓝').click();
    await option('横版 3:2').click();
    await drawer.getByLabel('短边（毫米）').fill('30');
    await drawer.getByText('卷标（每页一张，标签打印机）').click();
    await drawer.getByText('45 × 30 mm', { exact: true }).waitFor();
    await page.waitForFunction(
      "document.querySelector('.ant-drawer-open iframe[title=\"标签预览\"]')?.getAttribute('src')?.includes('layout=sidebar&colour=blue&width=45&height=30&sheet=roll') === true",
    );
    const second = await previewPdf(page, frame);
    assert.match(second.src, /count=3&disposition=inline/, 'a roll previews the first three labels');
    await page.waitForTimeout(1500);
    await shot(page, 'label-preview-sidebar.zh.desktop');
    // The download takes the same options as the preview.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: /下载标签/ }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^labels-.*-1-20\.pdf$/);

    // Activation by a pasted list: the scanner's URLs and printed digits are read in the browser.
    const jobs = await ok<{ items: { id: string }[] }>(admin.call('GET', '/api/v1/code-jobs'));
    const jobId = jobs.items[0]?.id ?? '';
    items = await codesOf(jobId, 20);
    const code = (n: number): string => items[n - 1]?.code ?? '';
    assert.match(items[0]?.url ?? '', /\/01\/06901234567892\/21\//, 'a GTIN product: Digital Link QRs');
    await ok(admin.call('POST', '/api/v1/code-activations', { batchId, codes: [code(10)] }));
    await drawer.getByText('按码清单（扫码 / 粘贴）').click();
    await drawer.getByLabel('批次').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'DM20261101' }).click();
    const list = drawer.getByLabel('追溯码清单');
    const lines = [items[0]?.url ?? '', `https://trace.example.cn/c/${code(2)}`, grouped(code(3))];
    await list.fill([...lines, typo(code(4))].join('\n'));
    await drawer.getByText('校验位不符：可能扫错或输错').waitFor();
    assert.ok(await drawer.getByRole('button', { name: '激活清单中的 3 个码' }).isDisabled());

    await list.fill([...lines, code(10)].join('\n'));
    await drawer.getByText('已识别 4 个码').waitFor();
    await drawer.getByRole('button', { name: '激活清单中的 4 个码' }).click();
    await drawer.getByText('清单中有 1 个码不能激活，本次没有激活任何码').waitFor();
    const row = drawer.locator('.ant-table-row').filter({ hasText: '第 4 行' });
    await row.getByText('该码已激活，不能重复激活。').waitFor();
    await row.getByText(code(10)).waitFor();
    for (const n of [1, 2, 3])
      assert.equal((await info(code(n))).status, 'issued', `code ${n}: all or nothing`);
    await drawer.getByText('按码清单（扫码 / 粘贴）').scrollIntoViewIfNeeded();
    await shot(page, 'activate-list-refused.zh.desktop');

    await list.fill(lines.join('\n'));
    await drawer.getByRole('button', { name: '激活清单中的 3 个码' }).click();
    await drawer.getByText('激活完成：本次激活 3 个码').waitFor();
    await drawer.getByText('合并为 1 个连续号段，归属批次 DM20261101').waitFor();
    for (const n of [1, 2, 3]) assert.equal((await info(code(n))).status, 'active', `code ${n}`);
    await shot(page, 'activate-list-done.zh.desktop');
    await page.context().close();
  });

  test('packing station: three items into a case by typing codes and Enter; undo; relabel', async () => {
    assert.equal(items.length, 20, 'the job of the test above');
    const code = (n: number): string => items[n - 1]?.code ?? '';
    const caseJob = await ok<{ id: string }>(
      admin.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: 3, packingLevel: 'case' }),
      201,
    );
    cases = (await codesOf(caseJob.id, 3)).map((c) => c.code);
    const [case1 = ''] = cases;

    const page = await sessions.page({ login: adminLogin });
    await page.goto('/console/codes');
    await page.getByRole('menuitem', { name: '包装作业' }).click();
    await page.waitForURL(/\/console\/packing/);
    const input = page.getByLabel('扫描框');
    const feedback = page.locator('[data-tone]');
    const says = (text: string, tone: 'ok' | 'error' | 'info') =>
      page.locator(`[data-tone="${tone}"]`).filter({ hasText: text }).waitFor();
    await says('请扫描父码开始装箱', 'info');
    assert.equal(
      await page.evaluate("document.activeElement?.getAttribute('aria-label')"),
      '扫描框',
      'the scan box has the focus',
    );

    await scan(input, code(1));
    await says('这是单品码，不能作为父码', 'error');
    await scan(input, case1);
    await says('箱码已就绪（已装 0 件），请扫描子码', 'info');
    for (const n of [1, 2, 3]) {
      await scan(input, code(n));
      await says(`扫入成功 · 第 ${n} 件`, 'ok');
    }
    await scan(input, code(15));
    await says('该码尚未激活，不能装箱或换标', 'error');
    await shot(page, 'packing-refused.zh.desktop');
    await scan(input, code(2));
    await says('重复扫描：该码已在本次清单中', 'error');
    await scan(input, code(10));
    await says('扫入成功 · 第 4 件', 'ok');
    await input.press('Control+z');
    await says('已撤销上一次扫描', 'info');
    await page.getByRole('button', { name: '装箱提交（3 件）' }).waitFor();
    // Scanning the case again closes it.
    await scan(input, case1);
    await says('装箱完成：3 件已装入箱', 'ok');
    const packed = await info(case1);
    assert.deepEqual([...packed.children].sort(), [code(1), code(2), code(3)].sort());
    assert.equal((await info(code(10))).parent, null, 'the undone item stays out');
    await page.locator('.ant-tree').getByText(code(2)).waitFor();
    await shot(page, 'packing-packed.zh.desktop');

    // A damaged label: the old code, then the new one, then Enter.
    await page.getByText('换标', { exact: true }).click();
    await says('请扫描损坏的旧标签', 'info');
    await scan(input, code(1));
    await says('旧标签已就绪，请扫描新标签', 'info');
    await scan(input, code(16));
    await says('新标签已就绪', 'info');
    await input.press('Enter');
    await says('换标完成：新标签已激活，旧标签已作废', 'ok');
    const old = await info(code(1));
    assert.equal(old.status, 'voided');
    assert.equal(old.replacedBy, code(16));
    assert.equal((await info(code(16))).parent, case1, 'the new label takes the old one’s place in the case');
    await feedback.first().waitFor();
    await page.context().close();
  });

  test('the screens in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    assert.equal(cases.length, 3, 'the tests above ran first');
    // axe-core on each screen as photographed.
    const audit = new AccessibilityAudit();
    const photographAndCheck = async (page: Page, name: string): Promise<void> => {
      await shot(page, name);
      await audit.check(page, name);
    };
    const words = {
      zh: {
        open: '标签 · 导出 · 激活',
        list: '按码清单（扫码 / 粘贴）',
        scan: '扫描框',
        preview: '标签预览',
      },
      en: {
        open: 'Labels · export · activate',
        list: 'By list (scan / paste)',
        scan: 'Scan box',
        preview: 'Label preview',
      },
    } as const;
    await eachWidth(async (width, viewport, language) => {
      const w = words[language];
      const page = await sessions.page({
        viewport,
        language: language === 'en' ? 'en-US' : 'zh-CN',
        login: adminLogin,
      });
      await page.goto('/console/codes');
      await page.getByRole('button', { name: w.open }).first().waitFor();
      // The share activated is drawn in the brand's teal (#316464), not antd's informational blue.
      assert.equal(
        await page.locator('.ant-progress-track').first().evaluate(backgroundOf),
        'rgb(49, 100, 100)',
      );
      await photographAndCheck(page, `codes.${language}.${width}`);
      // Newest first: the case job of the packing test, then the item job.
      await page.getByRole('button', { name: w.open }).nth(1).click();
      const drawer = page.locator('.ant-drawer-open');
      await drawer.locator(`iframe[title="${w.preview}"]`).waitFor();
      // The PDF viewer draws the labels after the frame has loaded.
      await page.waitForTimeout(1500);
      await photographAndCheck(page, `code-job.${language}.${width}`);
      await drawer.getByText(w.list).click();
      await drawer.locator('textarea').fill(`${items[4]?.url ?? ''}\n${typo(items[5]?.code ?? '')}`);
      await drawer.locator('.ant-table-row').first().scrollIntoViewIfNeeded();
      await photographAndCheck(page, `code-job-activate.${language}.${width}`);
      await openScreen(page, '/console/packing');
      const input = page.getByLabel(w.scan);
      await scan(input, cases[1] ?? '');
      await page.locator('[data-tone="info"]').filter({ hasText: '0' }).waitFor();
      await scan(input, items[1]?.code ?? '');
      await page.locator('[data-tone="ok"]').waitFor();
      await scan(input, items[2]?.code ?? '');
      await page.locator('[data-tone="ok"]').filter({ hasText: '2' }).waitFor();
      await photographAndCheck(page, `packing.${language}.${width}`);
      await page.context().close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
