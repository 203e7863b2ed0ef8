/**
 * The enterprise administrator's screens in a real browser (Debian's Chromium) against a real
 * listening server on SQLite: members (create with a role and an initial password, a taken
 * username refused in place, change the role, reset the password, disable), API keys (the key
 * shown once works, revoking stops it), webhooks (EPCIS subscriptions: a private destination is
 * refused in place and leaves nothing behind; one is created with its criteria, its signing
 * secret shown once, a captured event queues a delivery, deleting it ends the subscription)
 * and the audit log (filtered by action, actor and, for the operator, enterprise; details
 * expanded), also as the platform operator. Each screen is photographed in Chinese at 1440×900 and 1024×768
 * and in English at 1440×900 into screenshots/console-admin/.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  AccessibilityAudit,
  BrowserSessions,
  eachWidth,
  ensureConsoleBuilt,
  openScreen,
  photograph,
  screenshotDir,
} from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  harness,
  json,
  operatorClient,
  password,
  type Harness,
} from './support/harness.js';

const operatorPassword = 'Operator-2026';

interface UserBody {
  id: string;
  username: string;
  role: string;
  status: string;
  mustChangePassword: boolean;
}

describe('admin screens in Chromium', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let admin: Client;
  let enterpriseId: string;
  const shots = screenshotDir('console-admin');

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h, 'operator');
    const changed = await operator.call('POST', '/api/v1/auth/password', {
      currentPassword: password,
      newPassword: operatorPassword,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    ({ admin, enterpriseId } = await approvedEnterprise(h, operator, {
      username: 'hexiang-admin',
      orgBody: 'MA1ADM01',
      name: '浦江禾香源食品有限公司',
    }));
    // Some history for the audit log: a product and a key made through the API.
    const product = await admin.call('POST', '/api/v1/products', { name: '禾香源五常大米 5kg' });
    assert.equal(product.statusCode, 201, product.body);
    const key = await admin.call('POST', '/api/v1/api-keys', { name: 'WMS 仓储系统' });
    assert.equal(key.statusCode, 201, key.body);
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** Photographs the page once antd's loading states are gone and antd's messages settle (300 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 300);

  async function users(): Promise<UserBody[]> {
    const res = await admin.call('GET', '/api/v1/users?pageSize=100');
    assert.equal(res.statusCode, 200, res.body);
    return json<{ items: UserBody[] }>(res).items;
  }

  test('members: create with a role and initial password, change the role, reset the password, disable', async () => {
    const page = await sessions.page({ login: { username: 'hexiang-admin', password } });
    await page.goto('/console/users');
    await page.getByRole('heading', { name: '成员管理' }).waitFor();
    await page.getByRole('cell', { name: 'hexiang-admin', exact: true }).waitFor();

    // A taken username is refused by the server, in place.
    await page.getByRole('button', { name: '新建成员' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill('王仓管');
    await dialog.getByLabel('用户名').fill('hexiang-admin');
    await dialog.locator('#userCreate_password').fill('short');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('至少 10 个字符，须同时包含字母和数字').waitFor();
    await dialog.getByRole('button', { name: '生成随机密码' }).click();
    const generated = await dialog.locator('#userCreate_password').inputValue();
    assert.match(generated, /^(?=.*[A-Za-z])(?=.*\d).{14}$/);
    await dialog.locator('#userCreate_password').fill('Warehouse-2026');
    await dialog.getByLabel('邮箱').fill('wang@hexiang.example.cn');
    await shot(page, 'user-create.zh.desktop');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('该用户名已被使用。').waitFor();
    await dialog.getByLabel('用户名').fill('wang-wh');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: 'wang-wh', exact: true }).waitFor();
    let wang = (await users()).find((u) => u.username === 'wang-wh');
    assert.equal(wang?.role, 'enterprise_operator');
    assert.equal(wang.mustChangePassword, true);
    const first = new Client(h.app);
    await first.login('wang-wh', 'Warehouse-2026');

    // Change the role to distributor.
    const row = page.getByRole('row').filter({ hasText: 'wang-wh' });
    await row.getByRole('button', { name: '编辑' }).click();
    const edit = page.getByRole('dialog').filter({ hasText: '编辑成员' });
    await edit.waitFor();
    // Under load the dialog may still be opening: open the select until its list shows.
    const roleSelect = edit.locator('.ant-select').filter({ has: page.locator('#userEdit_role') });
    const distributor = page.locator('.ant-select-item-option[title="经销商"]');
    for (let i = 0; i < 10 && !(await distributor.isVisible()); i++) {
      await roleSelect.click();
      await distributor.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await distributor.click();
    await edit.getByRole('button', { name: '保存' }).click();
    await row.getByText('经销商').waitFor();
    wang = (await users()).find((u) => u.username === 'wang-wh');
    assert.equal(wang?.role, 'distributor_user');

    // Reset the password: the old one stops working, the new one must be changed at next login.
    await row.getByRole('button', { name: '更多' }).click();
    await page.getByRole('menuitem', { name: '重置密码' }).click();
    const reset = page.getByRole('dialog').filter({ hasText: '重置 王仓管 的密码' });
    await reset.locator('#userReset_password').fill('Temporary-2026');
    await shot(page, 'user-reset.zh.desktop');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await page.getByText('密码已重置').waitFor();
    assert.equal((await first.call('GET', '/api/v1/auth/me')).statusCode, 401);
    const again = new Client(h.app);
    await again.login('wang-wh', 'Temporary-2026');
    assert.equal(
      json<{ user: { mustChangePassword: boolean } }>(await again.call('GET', '/api/v1/auth/me')).user
        .mustChangePassword,
      true,
    );

    // Disable: the person cannot log in any more.
    await row.getByRole('button', { name: '更多' }).click();
    await page.getByRole('menuitem', { name: '停用' }).click();
    // A click while the dialog still zooms in can miss the button (seen under CI load): click
    // until the dialog has gone (disabling twice is the same as once).
    const confirm = page.locator('.ant-modal-confirm');
    await confirm.waitFor();
    for (let i = 0; i < 10 && (await confirm.isVisible()); i++) {
      await confirm
        .getByRole('button', { name: '停用' })
        .click({ timeout: 2_000 })
        .catch(() => undefined);
      await page.waitForTimeout(300);
    }
    await row.getByText('已停用').waitFor();
    wang = (await users()).find((u) => u.username === 'wang-wh');
    assert.equal(wang?.status, 'disabled');
    const refused = await new Client(h.app).call('POST', '/api/v1/auth/login', {
      username: 'wang-wh',
      password: 'Temporary-2026',
    });
    assert.notEqual(refused.statusCode, 200);
    await page.context().close();
  });

  test('API keys: the key is shown once and works; revoking it stops it at once', async () => {
    const page = await sessions.page({ login: { username: 'hexiang-admin', password } });
    await page.goto('/console/api-keys');
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    await page.getByText('WMS 仓储系统').waitFor();

    await page.getByRole('button', { name: '新建密钥' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('MES 3 号产线');
    // check(), not a click on the caption: it waits for the radio to take the click and verifies it
    // did (a click during the dialog's opening animation was once lost, and the key came out 读写).
    await dialog.getByRole('radio', { name: /只读 \+ 采集/ }).check();
    await dialog.getByRole('button', { name: '新建密钥' }).click();
    const secret = page.getByTestId('secret-once');
    await secret.waitFor();
    const key = await secret.inputValue();
    assert.match(key, /^tmk_/);
    await page.getByText('这是唯一一次显示完整密钥').waitFor();
    await shot(page, 'api-key-created.zh.desktop');
    await page.getByRole('button', { name: '我已保存' }).click();
    await secret.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: 'MES 3 号产线' });
    await row.getByText('只读 + 采集').waitFor();
    await row.getByText('从未使用').waitFor();
    // The list never carries a secret.
    assert.ok(!(await page.content()).includes(key));

    const machine = new Client(h.app);
    machine.bearer = key;
    assert.equal((await machine.call('GET', '/api/v1/products')).statusCode, 200);
    await page.reload();
    await row.getByText('从未使用').waitFor({ state: 'detached' });

    await row.getByRole('button', { name: '撤销' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤销' }).click();
    await page.getByText('密钥已撤销').waitFor();
    assert.equal((await machine.call('GET', '/api/v1/products')).statusCode, 401);
    // Revoked keys are hidden until asked for.
    await row.waitFor({ state: 'detached' });
    await page.getByText('显示已撤销的密钥').click();
    await row.getByText('已撤销').waitFor();
    await page.context().close();
  });

  test('webhooks: a private destination is refused in place; a subscription is made, queues events and is deleted', async () => {
    const page = await sessions.page({ login: { username: 'hexiang-admin', password } });
    await page.goto('/console/webhooks');
    await page.getByRole('heading', { name: 'Webhook 推送' }).waitFor();
    await page.getByText('还没有 Webhook').waitFor();
    await shot(page, 'webhooks-empty.zh.desktop');

    await page.getByRole('button', { name: '新建 Webhook' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('名称').fill('shipping-to-erp');
    await drawer.getByLabel('事件类型').click();
    await page.locator('.ant-select-item-option[title^="ObjectEvent"]').click();
    // A multiple select stays open: a click elsewhere closes it.
    await drawer.getByText('推送哪些事件').click();
    await drawer.getByLabel('业务步骤').click();
    await drawer.getByLabel('业务步骤').fill('shipping');
    await page
      .locator('.ant-select-item-option[title*="(shipping)"], .ant-select-item-option[title="shipping"]')
      .first()
      .click();
    await drawer.getByText('推送哪些事件').click();
    await drawer.getByLabel('标识符匹配').fill('urn:epc:idpat:sgtin:0614141.107346.*');
    await drawer.getByLabel('接收地址').fill('http://127.0.0.1:8080/hook');
    await shot(page, 'webhook-create.zh.desktop');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('接收地址不可用').waitFor();
    // The named query made for it went away with the refusal.
    assert.equal((await admin.call('GET', '/epcis/queries/shipping-to-erp')).statusCode, 404);

    await drawer.getByLabel('接收地址').fill('https://93.184.215.14/epcis/hook');
    await drawer.getByRole('button', { name: '保存' }).click();
    const secretBox = page.getByTestId('secret-once');
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    assert.match(secret, /^[0-9a-f]{64}$/);
    await page.getByText('签名密钥只显示这一次').waitFor();
    await shot(page, 'webhook-secret.zh.desktop');
    await page.getByRole('button', { name: '我已保存' }).click();

    const saved = json<{ query: Record<string, unknown> }>(
      await admin.call('GET', '/epcis/queries/shipping-to-erp'),
    );
    assert.deepEqual(saved.query, {
      eventType: ['ObjectEvent'],
      EQ_bizStep: ['shipping'],
      MATCH_epc: ['urn:epc:idpat:sgtin:0614141.107346.*'],
    });
    const subs = json<Array<{ subscriptionID: string; dest: string }>>(
      await admin.call('GET', '/epcis/queries/shipping-to-erp/subscriptions'),
    );
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.dest, 'https://93.184.215.14/epcis/hook');
    assert.ok(!JSON.stringify(subs).includes(secret));

    // A matching event is captured: it waits in the webhook's queue (no runner sends it here).
    const captured = await admin.call('POST', '/epcis/events', {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'ObjectEvent',
      eventID: 'urn:uuid:0f8e2a44-5c1b-4d6e-9a7f-3b2c1d0e9f8a',
      eventTime: '2026-11-27T08:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      epcList: ['https://id.gs1.org/01/10614141073464/21/HX0001'],
      action: 'OBSERVE',
      bizStep: 'shipping',
    });
    assert.equal(captured.statusCode, 201, captured.body);
    await page.getByRole('button', { name: '刷新' }).click();
    const row = page.getByRole('row').filter({ hasText: 'shipping-to-erp' });
    await row.getByText('投递中').waitFor();
    await row.getByText('1 条待投递').waitFor();
    await page.getByText('如何验证推送签名').click();
    await page.getByText('GS1-Signature: sha256=').first().waitFor();
    await shot(page, 'webhooks-delivering.zh.desktop');

    // Delete: the subscription and its named query are gone.
    await row.getByRole('button', { name: '删除' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '删除' }).click();
    await page.getByText('Webhook 已删除').waitFor();
    assert.equal((await admin.call('GET', '/epcis/queries/shipping-to-erp')).statusCode, 404);
    const left = json<{ items: unknown[] }>(await admin.call('GET', '/api/v1/webhooks'));
    assert.equal(left.items.length, 0);

    // A daily summary at 09:00 Beijing time is scheduled at 01:00 UTC, empty runs reported too.
    await page.getByRole('button', { name: '新建 Webhook' }).click();
    await drawer.getByLabel('名称').fill('daily-digest');
    await drawer.getByLabel('接收地址').fill('https://93.184.215.14/epcis/daily');
    await drawer.getByText('每天汇总推送').click();
    await drawer.getByLabel('每天推送时间（北京时间）').fill('9');
    await drawer.getByText('没有新事件时也推送（空结果）').click();
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('secret-once').waitFor();
    await page.getByRole('button', { name: '我已保存' }).click();
    const daily = json<
      Array<{ schedule?: Record<string, string>; reportIfEmpty: boolean; stream?: boolean }>
    >(await admin.call('GET', '/epcis/queries/daily-digest/subscriptions'));
    assert.deepEqual(daily[0]?.schedule, { hour: '1', minute: '0' });
    assert.equal(daily[0].reportIfEmpty, true);
    await admin.call('DELETE', '/epcis/queries/daily-digest');

    // One stays for the photographs.
    await admin.call('POST', '/epcis/queries', {
      name: 'recall-watch',
      query: { EQ_bizStep: ['shipping', 'receiving'] },
    });
    const kept = await admin.call('POST', '/epcis/queries/recall-watch/subscriptions', {
      dest: 'https://93.184.215.14/tracemark/recall',
      stream: true,
    });
    assert.equal(kept.statusCode, 201, kept.body);
    await page.context().close();
  });

  test('audit log: readable actions, filters on the server, details expanded; the operator sees the platform', async () => {
    const page = await sessions.page({ login: { username: 'hexiang-admin', password } });
    await page.goto('/console/audit-log');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    await page.getByText('新建 API 密钥').first().waitFor();
    // Filter by action: only revocations.
    await page.locator('.ant-select').filter({ hasText: '全部操作' }).click();
    await page.keyboard.type('撤销');
    await page.locator('.ant-select-item-option[title="撤销 API 密钥"]').click();
    await page.getByText('共 1 条').waitFor();
    const revoked = page.getByRole('row').filter({ hasText: 'api_key.revoked' });
    await revoked.click();
    await page.getByText('MES 3 号产线').first().waitFor();
    await shot(page, 'audit-log-details.zh.desktop');
    // Filter by actor: nobody by that name.
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByPlaceholder('操作人（用户名或密钥名）').fill('no-such-person');
    await page.getByPlaceholder('操作人（用户名或密钥名）').press('Enter');
    await page.getByText('所选条件下没有记录').waitFor();
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByText('新建 Webhook 订阅').first().waitFor();
    await page.context().close();

    const op = await sessions.page({ login: { username: 'operator', password: operatorPassword } });
    await op.goto('/console/audit-log');
    await op.getByText('全平台的变更记录').waitFor();
    // Everyone's entries, the enterprise approval among them.
    await op.locator('.ant-select').filter({ hasText: '全部操作' }).click();
    await op.keyboard.type('审核通过');
    await op.locator('.ant-select-item-option[title="审核通过"]').click();
    await op.getByRole('row').filter({ hasText: 'enterprise.approved' }).getByText('operator').waitFor();
    // One enterprise's entries, found by name: its administrator's key is there, and the total is
    // the API's for that enterprise — fewer than the whole platform's (the operator's own entries
    // belong to no enterprise).
    const totalOf = async (query: string): Promise<number> => {
      const res = await op.request.get(`${sessions.base}/api/v1/audit-log?pageSize=1${query}`);
      assert.equal(res.status(), 200, await res.text());
      return ((await res.json()) as { total: number }).total;
    };
    await op.getByRole('button', { name: '清除筛选' }).click();
    const all = await totalOf('');
    await op.getByText(`共 ${all} 条`).waitFor();
    await op.locator('.ant-select').filter({ hasText: '全部企业' }).click();
    await op.keyboard.type('禾香');
    await op.locator('.ant-select-item-option').filter({ hasText: '浦江禾香源食品有限公司' }).click();
    await op.getByRole('row').filter({ hasText: 'api_key.created' }).getByText('hexiang-admin').waitFor();
    const mine = await totalOf(`&enterpriseId=${enterpriseId}`);
    assert.ok(mine > 0 && mine < all, `${mine} of ${all}`);
    await op.getByText(`共 ${mine} 条`).waitFor();
    await op.getByRole('heading', { name: '审计日志' }).scrollIntoViewIfNeeded();
    await shot(op, 'audit-log-platform-enterprise.zh.desktop');
    await op.context().close();
  });

  test('every screen in Chinese at desktop and tablet widths, in English at desktop width, breaking no WCAG 2.1 A/AA rule', async () => {
    // axe-core on each screen as photographed.
    const audit = new AccessibilityAudit();
    const screens: ReadonlyArray<readonly [string, string, string]> = [
      ['users', '/console/users', 'hexiang-admin'],
      ['api-keys', '/console/api-keys', 'hexiang-admin'],
      ['webhooks', '/console/webhooks', 'hexiang-admin'],
      ['audit-log', '/console/audit-log', 'hexiang-admin'],
      ['audit-log-platform', '/console/audit-log', 'operator'],
    ];
    await eachWidth(async (width, viewport, language) => {
      const pages = new Map<string, Page>();
      for (const [name, url, who] of screens) {
        let page = pages.get(who);
        if (page === undefined) {
          page = await sessions.page({
            viewport,
            language: language === 'en' ? 'en-US' : 'zh-CN',
            login: { username: who, password: who === 'operator' ? operatorPassword : password },
          });
          pages.set(who, page);
        }
        await openScreen(page, url);
        await page.locator('h3').first().waitFor();
        await page.locator('.ant-table-row, .ant-empty').first().waitFor();
        await shot(page, `${name}.${language}.${width}`);
        await audit.check(page, `${name}.${language}.${width}`);
      }
      for (const p of pages.values()) await p.context().close();
    });
    assert.deepEqual(audit.findings, []);
  });
});
