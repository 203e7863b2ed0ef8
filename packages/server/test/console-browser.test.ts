/**
 * The web console in a real browser (Debian's Chromium) against a real listening server on
 * SQLite: an enterprise registers and uploads its licence, the operator reviews the documents
 * side by side and approves, the enterprise creates a product with an image and a batch with an
 * inspection report; the operator creates a regulator, who changes the forced password, sees
 * the enterprise of the jurisdiction and opens it to its products. Then every main screen is
 * photographed in Chinese at desktop (1440×900) and tablet (1024×768) widths and in English at
 * desktop width into screenshots/console/.
 *
 * The console is built first when its build is missing or older than its sources.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import {
  BrowserSessions,
  AccessibilityAudit,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  phone,
  photograph,
  screenshotDir,
} from '@tracemark/testing';
import { files, harness, makeUscc, operatorClient, password, type Harness } from './support/harness.js';

/** A one-page PDF that looks like a scanned licence, in Chinese (Noto Sans SC). */
function licencePdf(uscc: string): Promise<Buffer> {
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
    doc.text('名称：浦江禾香源食品有限公司');
    doc.text('类型：有限责任公司');
    doc.text('法定代表人：张三');
    doc.text('住所：上海市浦东新区张江路 1 号');
    doc.rect(56, 300, 480, 200).stroke('#316464');
    doc.end();
  });
}

describe('console in Chromium', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let enterpriseId = '';
  let picture: Buffer = files.png;
  const shots = screenshotDir('console');
  const uscc = makeUscc('310115', 'MA1CN800');

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    await operatorClient(h, 'operator');
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    h.app.exportRunner.start(); // as startServer() does: exports run in the background
    // Real pictures for the product image and the trademark certificate, drawn by the browser.
    const painter = await sessions.browser.newPage({ viewport: { width: 480, height: 480 } });
    await painter.setContent(
      '<div id="p" style="width:480px;height:480px;display:grid;place-items:center;background:linear-gradient(135deg,#FFCC00,#D41819);font:bold 64px sans-serif;color:#fff">禾香源<br>大米</div>',
    );
    picture = await painter.locator('#p').screenshot();
    await painter.close();
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  async function loginByForm(page: Page, username: string, pass = password): Promise<void> {
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login/);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(pass);
    await page.getByRole('button', { name: '登录' }).click();
  }

  /** Answers the forced password change of a first login. */
  async function changeForcedPassword(page: Page, next: string): Promise<void> {
    await page.getByText('请先设置新密码').waitFor();
    await page.getByLabel('当前密码').fill(password);
    await page.getByLabel('新密码', { exact: true }).fill(next);
    await page.getByLabel('确认新密码').fill(next);
    await page.getByRole('button', { name: '修改密码' }).click();
  }

  /** Photographs the page once antd's spinners are gone (not 'networkidle': a PDF preview keeps a connection open). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 150);

  test('register → upload licence → operator approves side by side → product and batch', async () => {
    // The enterprise registers.
    const { context, page } = await sessions.open();
    await page.goto('/console/');
    await page.waitForURL(/\/console\/login/);
    await shot(page, 'login.zh.desktop');
    // A wrong password is said in place.
    await page.getByLabel('用户名').fill('nobody');
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码错误。').waitFor();

    await page.getByRole('link', { name: '申请入驻' }).click();
    await page.waitForURL(/\/console\/register/);
    await page.getByLabel('企业名称').fill('浦江禾香源食品有限公司');
    await page.getByLabel('统一社会信用代码').fill(`${uscc.slice(0, 17)}${uscc.endsWith('0') ? '1' : '0'}`);
    await page.getByLabel('法定代表人').fill('张三');
    await page.getByLabel('所在地区').click();
    await page.locator('.ant-cascader-menu-item[title="上海市"]').click();
    await page.locator('.ant-cascader-menu-item[title="市辖区"]').click();
    await page.locator('.ant-cascader-menu-item[title="浦东新区"]').click();
    await page.getByLabel('详细地址').fill('上海市浦东新区张江路 1 号');
    await page.getByLabel('联系人').fill('李四');
    await page.getByLabel('联系电话').fill('13800000000');
    await page.getByLabel('用户名').fill('hexiang-admin');
    await page.getByLabel('姓名').fill('王五');
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByLabel('确认密码').fill(password);
    await page.getByRole('button', { name: '提交申请' }).click();
    // The check character is checked in the browser as the server does.
    await page.getByText('统一社会信用代码有误（18 位，校验码不符）').waitFor();
    await shot(page, 'register-error.zh.desktop');
    await page.getByLabel('统一社会信用代码').fill(uscc);
    await page.getByRole('button', { name: '提交申请' }).click();

    // Onboarding: upload the licence, submit.
    await page.waitForURL(/\/console\/onboarding/);
    await page.getByText('还没有资质文件').waitFor();
    await shot(page, 'onboarding-empty.zh.desktop');
    enterpriseId = (
      await h.db.kysely
        .selectFrom('enterprises')
        .select('id')
        .where('uscc', '=', uscc)
        .executeTakeFirstOrThrow()
    ).id;
    await page.getByLabel('证照编号').fill(uscc);
    await page.locator('input[type=file]').setInputFiles({
      name: '营业执照.pdf',
      mimeType: 'application/pdf',
      buffer: await licencePdf(uscc),
    });
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.getByText('文件已上传').waitFor();
    await page.getByLabel('文件类型').click();
    await page.locator('.ant-select-item-option[title="商标注册证或授权书"]').click();
    await page.getByLabel('证照编号').fill('第 12345678 号');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '商标.png', mimeType: 'image/png', buffer: picture });
    await page.getByRole('button', { name: '上传', exact: true }).click();
    await page.locator('.ant-table-row').nth(1).waitFor();
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByText('资料已提交，正在等待平台审核').waitFor();
    await shot(page, 'onboarding-pending.zh.desktop');

    // The operator reviews with the documents side by side and approves.
    const op = await sessions.open();
    await loginByForm(op.page, 'operator');
    await changeForcedPassword(op.page, 'Operator-2026');
    await op.page.waitForURL(/\/console\/reviews/);
    await op.page.getByRole('link', { name: '浦江禾香源食品有限公司' }).click();
    await op.page.waitForURL(/\/console\/enterprises\//);
    await op.page.locator('iframe[title]').waitFor();
    await shot(op.page, 'review.zh.desktop');
    await op.page.getByRole('button', { name: '核验通过' }).first().click();
    await op.page.getByText('文件已核验').waitFor();
    await op.page.getByRole('button', { name: '通过申请' }).click();
    await op.page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await op.page.getByText('已通过', { exact: true }).first().waitFor();
    const status = await h.db.kysely
      .selectFrom('enterprises')
      .select('status')
      .where('id', '=', enterpriseId)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'approved');

    // The enterprise creates a product (with an image) and a batch (with its report).
    await page.reload();
    await page.getByText('企业已通过审核').waitFor();
    await page.getByRole('menuitem', { name: '产品管理' }).click();
    await page.getByText('还没有产品').waitFor();
    await shot(page, 'products-empty.zh.desktop');
    await page.getByRole('button', { name: '新建产品' }).first().click();
    const drawer = page.locator('.ant-drawer-open');
    await drawer.getByLabel('产品名称').fill('五常稻花香大米 5kg');
    await drawer.getByLabel('品牌').fill('禾香源');
    await drawer.getByLabel('规格').fill('5kg/袋');
    await drawer.getByLabel('GTIN 商品条码').fill('6901234567893');
    await drawer.getByLabel('保质期').fill('365');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('GTIN 有误').waitFor();
    await drawer.getByLabel('GTIN 商品条码').fill('6901234567892');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').first().waitFor();
    await drawer.locator('input[type=file]').setInputFiles({
      name: 'rice.png',
      mimeType: 'image/png',
      buffer: picture,
    });
    await drawer.locator('.ant-image').first().waitFor();
    await drawer.getByRole('button', { name: '取消' }).click();
    await page.getByRole('cell', { name: '五常稻花香大米 5kg 禾香源' }).waitFor();
    // Its picture in the list is named after it.
    await page.locator('.ant-table-row').getByRole('img', { name: '五常稻花香大米 5kg' }).waitFor();
    await shot(page, 'products.zh.desktop');

    await page.getByRole('menuitem', { name: '批次管理' }).click();
    await page.getByText('还没有批次').waitFor();
    await page.getByRole('button', { name: '新建批次' }).click();
    await drawer.getByLabel('产品').click();
    await page.locator('.ant-select-item-option[title="五常稻花香大米 5kg · 5kg/袋"]').click();
    await drawer.getByLabel('批号').fill('DM20261101');
    await drawer.getByLabel('生产日期').fill('2026-11-01');
    await drawer.getByLabel('生产日期').press('Enter');
    await drawer.getByLabel('数量').fill('1000');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: 'DM20261101' }).waitFor();
    await page.locator('.ant-table input[type=file]').setInputFiles({
      name: '检验报告.pdf',
      mimeType: 'application/pdf',
      buffer: await licencePdf(uscc),
    });
    await page.getByText('检验报告已上传').waitFor();
    await shot(page, 'batches.zh.desktop');
    const batch = await h.db.kysely
      .selectFrom('batches')
      .select(['lot', 'expiry_date', 'inspection_file_id'])
      .where('tenant_id', '=', enterpriseId)
      .executeTakeFirstOrThrow();
    assert.equal(batch.lot, 'DM20261101');
    assert.equal(batch.expiry_date, '2027-11-01', 'the expiry follows from the shelf life');
    assert.notEqual(batch.inspection_file_id, null);

    // Trace codes: a code space, 1,000 codes, the label PDF and a CSV export, activation, a scan.
    await page.getByRole('menuitem', { name: '赋码管理' }).click();
    await page.getByText('还没有码段').waitFor();
    await page.getByRole('button', { name: '新建码段' }).click();
    await page.getByLabel('码段名称').fill('大米 5kg 装');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: '大米 5kg 装' }).waitFor();
    await page.getByRole('button', { name: '生成追溯码' }).click();
    await page.locator('.ant-modal').getByLabel('产品').click();
    await page.locator('.ant-select-item-option[title="五常稻花香大米 5kg · 5kg/袋"]').click();
    await page.getByRole('button', { name: '生成', exact: true }).click();
    await page.getByText('已生成 1,000 个追溯码').waitFor();
    const job = page.locator('.ant-drawer-open');
    await job.locator('.ant-typography code').first().waitFor();
    const [labels] = await Promise.all([
      page.waitForEvent('download'),
      job.getByRole('button', { name: /下载标签/ }).click(),
    ]);
    assert.equal(
      readFileSync(await labels.path())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
    await job.getByLabel('压缩').click();
    await page.locator('.ant-select-item-option[title="不压缩"]').click();
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await job.getByRole('button', { name: '导出' }).click();
    await job.getByText('已完成').waitFor();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      job.locator('a[download]').filter({ hasText: '.csv' }).first().click(),
    ]);
    const rows = readFileSync(await csv.path(), 'utf8')
      .trim()
      .split('\n');
    assert.ok(rows.length >= 1000, `the CSV has ${rows.length} lines`);
    assert.match(rows.at(-1) ?? '', /\/c\/\d{17}|\/01\/\d{14}\/21\/\d{17}/);
    await job.getByLabel('批次').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'DM20261101' }).click();
    await job.getByRole('button', { name: '激活' }).click();
    await page.getByText('已激活 1,000 个码').waitFor();
    await shot(page, 'code-job.zh.desktop');
    const code = await job.locator('.ant-typography code').first().innerText();
    // The scan page as a consumer's phone opens it (headless Chromium's own agent counts as a preview).
    const { context: phoneContext, page: scan } = await sessions.open({ context: phone });
    await scan.goto(`/c/${code.trim()}`);
    assert.equal(await scan.locator('#verdict-title').innerText(), '正品 · 首次查询');
    await phoneContext.close();
    await job.locator('.ant-drawer-close').click();
    await shot(page, 'codes.zh.desktop');

    // The operator creates a regulator for Shanghai, who must change the password first.
    await op.page.getByRole('menuitem', { name: '监管账号' }).click();
    await op.page.getByRole('button', { name: '新建监管账号' }).click();
    await op.page.getByLabel('辖区').click();
    await op.page.locator('.ant-cascader-menu-item[title="上海市"]').click();
    await op.page.keyboard.press('Escape');
    await op.page.getByLabel('部门 / 姓名').fill('上海市市场监督管理局');
    await op.page.getByLabel('用户名').fill('sh-amr');
    await op.page.getByLabel('初始密码').fill(password);
    await op.page.getByRole('button', { name: '保存' }).click();
    await op.page.getByRole('cell', { name: '上海市 (310000)' }).waitFor();
    await shot(op.page, 'regulators.zh.desktop');

    const reg = await sessions.open();
    await loginByForm(reg.page, 'sh-amr');
    await reg.page.getByText('请先设置新密码').waitFor();
    await shot(reg.page, 'password-forced.zh.desktop');
    await changeForcedPassword(reg.page, 'Regulator-2026');
    await reg.page.getByRole('link', { name: '浦江禾香源食品有限公司' }).waitFor();
    await shot(reg.page, 'jurisdiction.zh.desktop');
    // Opening the enterprise shows its products, paged on the server.
    await reg.page.getByRole('link', { name: '浦江禾香源食品有限公司' }).click();
    await reg.page.getByRole('cell', { name: '五常稻花香大米 5kg' }).waitFor();

    // The English switch is remembered across a reload.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('menuitem', { name: 'Batches' }).waitFor();
    await page.reload();
    await page.getByRole('menuitem', { name: 'Batches' }).waitFor();
    await page.getByRole('button', { name: 'Generate codes' }).waitFor();

    for (const c of [context, op.context, reg.context]) await c.close();
  });

  test('every main screen in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    const audit = new AccessibilityAudit();
    assert.notEqual(enterpriseId, '', 'the flow above ran first');
    const logins = {
      enterprise: { username: 'hexiang-admin', password },
      operator: { username: 'operator', password: 'Operator-2026' },
      regulator: { username: 'sh-amr', password: 'Regulator-2026' },
    };
    const screens: ReadonlyArray<readonly [string, string, keyof typeof logins | undefined]> = [
      ['login', '/console/login', undefined],
      ['register', '/console/register', undefined],
      ['onboarding', '/console/onboarding', 'enterprise'],
      ['products', '/console/products', 'enterprise'],
      ['batches', '/console/batches', 'enterprise'],
      ['codes', '/console/codes', 'enterprise'],
      ['reviews', '/console/reviews', 'operator'],
      ['enterprise', `/console/enterprises/${enterpriseId}`, 'operator'],
      ['enterprises', '/console/enterprises', 'operator'],
      ['regulators', '/console/regulators', 'operator'],
      ['jurisdiction', '/console/enterprises', 'regulator'],
    ];
    await eachWidth(async (width, viewport, language) => {
      const pages = new Map<string | undefined, Page>();
      for (const [name, url, role] of screens) {
        let page = pages.get(role);
        if (page === undefined) {
          page = await sessions.page({
            viewport,
            language: language === 'en' ? 'en-US' : undefined,
            ...(role === undefined ? {} : { login: logins[role] }),
          });
          pages.set(role, page);
        }
        await openScreen(page, url);
        await page.locator('h3, h4').first().waitFor();
        // The PDF viewer draws the document after the page is done.
        if (name === 'enterprise') await page.waitForTimeout(1200);
        await shot(page, `${name}.${language}.${width}`);
        await audit.check(page, `${name}.${language}.${width}`);
      }
      for (const p of pages.values()) await p.context().close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
