/**
 * Event sharing (adr/0007) in a real browser (Debian's Chromium) against a real listening server
 * on SQLite: enterprise A, with a receiving and a shipping event, shares its receiving events
 * with its partner B (a wrong enterprise ID is refused in place) and all its events with the
 * regulators of 上海市, on the 数据共享 screen; B's administrator finds the share under 共享给我的
 * and follows it to the events screen, which shows A's receiving event and not its shipment; the
 * regulator, still landing on supervision, reads A's events on the events screen; A revokes the
 * partner's share and B no longer sees the events (checked through the API). Photographed in
 * Chinese at 1440×900 and 1024×768 and in English at 1440×900 into screenshots/console-sharing/.
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
  Client,
  harness,
  json,
  operatorClient,
  password,
  regulatorClient,
  type Harness,
} from './support/harness.js';

const regulatorPassword = 'Regulator-2026';
const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

interface ShareBody {
  id: string;
  grantee: { type: string; id: string };
  bizSteps: string[] | null;
  revokedAt: number | null;
}
interface QueryDoc {
  epcisBody: { queryResults: { resultsBody: { eventList: Array<{ eventID: string; bizStep?: string }> } } };
}

describe('event sharing in Chromium', () => {
  let h: Harness;
  const sessions = new BrowserSessions();
  let ownerAdmin: Client;
  let partnerAdmin: Client;
  let regulator: Client;
  let partnerId: string;
  let receivingId: string;
  const shippingId = 'urn:uuid:0b7f3c52-6f1e-4d7a-9a43-5d1c2b3e4f60';
  const shots = screenshotDir('console-sharing');

  before(async () => {
    ensureConsoleBuilt();
    await sessions.launch();
    h = await harness('sqlite');
    const operator = await operatorClient(h, 'operator');
    ({ admin: ownerAdmin } = await approvedEnterprise(h, operator, {
      username: 'hexiang-admin',
      orgBody: 'MA1GXY01',
      name: '浦江禾香源食品有限公司',
    }));
    let partnerAdminClient: Client;
    ({ admin: partnerAdminClient, enterpriseId: partnerId } = await approvedEnterprise(h, operator, {
      username: 'huadong-admin',
      orgBody: 'MA1GXY02',
      region: '320102',
      name: '华东优选商贸有限公司',
    }));
    partnerAdmin = partnerAdminClient;
    const first = await regulatorClient(h, '310000', 'sh-amr');
    const changed = await first.call('POST', '/api/v1/auth/password', {
      currentPassword: password,
      newPassword: regulatorPassword,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    regulator = new Client(h.app);
    await regulator.login('sh-amr', regulatorPassword);

    // A's events: raw material received (a business action) and a shipment captured directly.
    const received = await ownerAdmin.call('POST', '/api/v1/trace-actions/receive-materials', {
      supplier: '北大荒农场',
      location: '原料仓',
      eventTime: '2026-09-20T08:00:00+08:00',
      lots: [{ material: '大米', lot: 'DM-0920', quantity: 800, unit: 'KGM' }],
    });
    assert.equal(received.statusCode, 201, received.body);
    const shipped = await ownerAdmin.call('POST', '/epcis/events', {
      '@context': [CTX],
      type: 'ObjectEvent',
      eventID: shippingId,
      eventTime: '2026-10-05T09:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      epcList: ['https://id.gs1.org/01/10614141073464/21/SHIP0001'],
      action: 'OBSERVE',
      bizStep: 'shipping',
    });
    assert.equal(shipped.statusCode, 201, shipped.body);
    const own = await ownerAdmin.call('GET', '/epcis/events?EQ_bizStep=receiving');
    assert.equal(own.statusCode, 200, own.body);
    const found = json<QueryDoc>(own).epcisBody.queryResults.resultsBody.eventList[0]?.eventID;
    assert.ok(found !== undefined, 'the receiving event is stored');
    receivingId = found;
    sessions.base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    // A failed step leaves its pages as they were: photograph them for whoever reads the failure.
    await sessions.end(shots);
    await h.close();
  });

  /** A page logged in as `username`, in Shanghai's time zone (the shares' dates are shown in it). */
  const session = (
    username: string,
    pass: string,
    viewport: Viewport = desktop,
    language: 'zh-CN' | 'en-US' = 'zh-CN',
  ): Promise<Page> =>
    sessions.page({
      viewport,
      language,
      login: { username, password: pass },
      context: { timezoneId: 'Asia/Shanghai' },
    });

  /** Photographs the page once antd's loading states are gone and antd's messages settle (300 ms). */
  const shot = (page: Page, name: string): Promise<void> => photograph(page, shots, name, 300);

  async function eventIds(c: Client): Promise<string[]> {
    const res = await c.call('GET', '/epcis/events');
    assert.equal(res.statusCode, 200, res.body);
    return json<QueryDoc>(res)
      .epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID)
      .sort();
  }

  async function given(): Promise<ShareBody[]> {
    const res = await ownerAdmin.call('GET', '/api/v1/event-shares?direction=given');
    assert.equal(res.statusCode, 200, res.body);
    return json<{ items: ShareBody[] }>(res).items;
  }

  test('A shares with its partner and with the regulators of 上海市 on the screen', async () => {
    const page = await session('hexiang-admin', password);
    await page.goto('/console/event-shares');
    await page.getByRole('heading', { name: '数据共享' }).waitFor();
    await page.getByRole('menuitem', { name: '数据共享' }).waitFor();
    await page.getByText('还没有共享。点击右上角“新建共享”').waitFor();
    await shot(page, 'given-empty.zh.desktop');

    // A wrong enterprise ID (well formed, but nobody's) is refused by the server, in place.
    await page.getByRole('button', { name: '新建共享' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('对方企业编号').fill('not-an-id');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('企业编号是 36 位的 UUID').waitFor();
    await drawer.getByLabel('对方企业编号').fill('01890000-0000-7000-8000-000000000000');
    await drawer.getByLabel('业务步骤').click();
    await drawer.getByLabel('业务步骤').fill('receiving');
    await page.locator('.ant-select-item-option[title="收货 · receiving"]').click();
    await drawer.locator('.ant-drawer-title').click();
    await drawer.getByLabel('备注').fill('原料收货记录，供华东优选核对来源');
    await drawer.getByRole('button', { name: '保存' }).click();
    await drawer.getByText('没有这个企业，或它尚未通过审核').waitFor();
    await shot(page, 'create-refused.zh.desktop');
    assert.equal((await given()).length, 0);

    await drawer.getByLabel('对方企业编号').fill(partnerId);
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: /华东优选商贸有限公司/ }).waitFor();
    await drawer.waitFor({ state: 'hidden' });

    // The regulators of 上海市: every event, no window.
    await page.getByRole('button', { name: '新建共享' }).click();
    await drawer.locator('.ant-radio-button-wrapper', { hasText: '监管部门' }).click();
    await drawer.getByLabel('辖区').click();
    // Until the field shows it: once in a CI run the click left the field empty (the menu's
    // options arrive with a lazily loaded chunk).
    const chosen = drawer.locator('.ant-cascader').filter({ hasText: '上海市' });
    for (let attempt = 0; attempt < 3 && !(await chosen.isVisible()); attempt++) {
      await page.locator('.ant-cascader-menu-item[title="上海市"]').click();
      await chosen.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await chosen.waitFor();
    await page.keyboard.press('Escape');
    await shot(page, 'create-regulator.zh.desktop');
    await drawer.getByRole('button', { name: '保存' }).click();
    await page.getByRole('cell', { name: /上海市 \(310000\)/ }).waitFor();
    await drawer.waitFor({ state: 'hidden' });
    await shot(page, 'given.zh.desktop');

    const shares = await given();
    assert.equal(shares.length, 2);
    const partnerShare = shares.find((s) => s.grantee.type === 'enterprise');
    assert.deepEqual(partnerShare?.bizSteps, ['receiving']);
    assert.equal(partnerShare.grantee.id, partnerId);
    const regShare = shares.find((s) => s.grantee.type === 'regulator');
    assert.equal(regShare?.grantee.id, '310000');
    assert.equal(regShare.bizSteps, null);
    await sessions.closeAll();
  });

  test('B finds the share and the shared event; the regulator reads it too', async () => {
    assert.deepEqual(await eventIds(partnerAdmin), [receivingId]);
    const page = await session('huadong-admin', password);
    await page.goto('/console/event-shares');
    await page.getByRole('tab', { name: '共享给我的' }).click();
    await page.getByRole('cell', { name: /浦江禾香源食品有限公司/ }).waitFor();
    await page.getByTestId('own-enterprise-id').getByText(partnerId).waitFor();
    await shot(page, 'received.zh.desktop');
    await page.getByRole('link', { name: '查看事件' }).click();
    await page.waitForURL(/\/console\/events\?bizStep=receiving/);
    await page.getByRole('heading', { name: '事件记录' }).waitFor();
    await page.locator('.ant-table-row').first().getByText('收货').first().waitFor();
    assert.equal(await page.locator('.ant-table-row').count(), 1);
    await shot(page, 'events-partner.zh.desktop');

    // The regulator still lands on supervision; shared events and shares follow in its menu.
    const reg = await session('sh-amr', regulatorPassword);
    await reg.goto('/console/');
    await reg.waitForURL(/\/console\/supervision/);
    const menu = await reg.locator('.ant-menu-item').allInnerTexts();
    assert.deepEqual(
      menu.map((s) => s.trim()),
      ['监管总览', '企业管理', '事件记录', '数据共享'],
    );
    await reg.getByRole('menuitem', { name: '事件记录' }).click();
    await reg.getByText('企业共享给本辖区的 EPCIS 2.0 事件').waitFor();
    await reg.locator('.ant-table-row').nth(1).waitFor();
    assert.equal(await reg.locator('.ant-table-row').count(), 2);
    assert.deepEqual(await eventIds(regulator), [shippingId, receivingId].sort());
    await reg.locator('.ant-table-row').first().click();
    await reg.locator('.ant-drawer').getByText('发货').first().waitFor();
    await reg.locator('.ant-drawer-close').click();
    await shot(reg, 'events-regulator.zh.desktop');
    await reg.getByRole('menuitem', { name: '数据共享' }).click();
    await reg.getByRole('cell', { name: /浦江禾香源食品有限公司/ }).waitFor();
    await shot(reg, 'received-regulator.zh.desktop');
    await sessions.closeAll();
  });

  test('A revokes the partner’s share: B no longer sees the events', async () => {
    const page = await session('hexiang-admin', password);
    await page.goto('/console/event-shares');
    const row = page.locator('.ant-table-row', { hasText: '华东优选商贸有限公司' });
    await row.getByRole('button', { name: '撤销' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '撤销' }).click();
    await row.getByText('已撤销', { exact: true }).waitFor();
    await shot(page, 'given-revoked.zh.desktop');

    const partnerShare = (await given()).find((s) => s.grantee.type === 'enterprise');
    assert.equal(typeof partnerShare?.revokedAt, 'number');
    assert.deepEqual(await eventIds(partnerAdmin), []);
    const received = await partnerAdmin.call('GET', '/api/v1/event-shares?direction=received');
    assert.deepEqual(json<{ items: unknown[] }>(received).items, []);
    // The regulators' share stays in force.
    assert.equal((await eventIds(regulator)).length, 2);
    await sessions.closeAll();
  });

  test('the screens in Chinese on a desktop and a tablet, in English on a desktop, breaking no WCAG 2.1 A/AA rule', async () => {
    const audit = new AccessibilityAudit();
    const look = async (page: Page, name: string): Promise<void> => {
      await shot(page, name);
      await audit.check(page, name);
    };
    await eachWidth(async (size, viewport, tag) => {
      const language = tag === 'zh' ? 'zh-CN' : 'en-US';
      const owner = await session('hexiang-admin', password, viewport, language);
      await owner.goto('/console/event-shares');
      await owner.locator('.ant-table-row').nth(1).waitFor();
      await look(owner, `given.${tag}.${size}`);
      await owner.getByRole('button', { name: language === 'zh-CN' ? '新建共享' : 'New share' }).click();
      await owner.locator('.ant-drawer .ant-radio-button-wrapper').nth(1).click();
      await look(owner, `create.${tag}.${size}`);

      const partner = await session('huadong-admin', password, viewport, language);
      await partner.goto('/console/event-shares?tab=received');
      await partner.getByTestId('own-enterprise-id').waitFor();
      await look(partner, `received-empty.${tag}.${size}`);

      const reg = await session('sh-amr', regulatorPassword, viewport, language);
      await reg.goto('/console/events');
      await reg.locator('.ant-table-row').nth(1).waitFor();
      await look(reg, `events-regulator.${tag}.${size}`);
      await openScreen(reg, '/console/event-shares');
      await reg.locator('.ant-table-row').first().waitFor();
      await look(reg, `received-regulator.${tag}.${size}`);
    });
    await sessions.closeAll();
    assert.deepEqual(audit.findings, []);
  });
});
