import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import pino from 'pino';
import { gs1CheckDigit } from '@tracemark/codes';
import { orgCodeCheckCharacter, usccCheckCharacter } from '@tracemark/core';
import { migrateToLatest, openDatabase, repositories, type Db } from '@tracemark/db';
import {
  buildApp,
  createPlatformAccount,
  FileStore,
  hashPassword,
  systemContext,
  type Config,
} from '@tracemark/server';
import { ApiClient } from '../api-client.js';
import { settingsOrReport, type Io } from '../settings.js';
import { generatePassword } from './user.js';

/** What `tracemark demo --json` prints, for scripts that drive the API. */
export interface DemoResult {
  readonly url: string;
  readonly accounts: ReadonlyArray<{ role: string; username: string; password: string }>;
  readonly enterprise: { id: string; name: string; uscc: string };
  readonly apiKey: string;
  readonly products: ReadonlyArray<{ id: string; name: string; gtin: string | null }>;
  readonly batches: ReadonlyArray<{ id: string; productId: string; lot: string }>;
  /** One code space of each length. */
  readonly codeSpaces: ReadonlyArray<{ id: string; length: number; prefix: string }>;
  /** Activated demo codes of the first product's first batch, with their scan URLs. */
  readonly scanCodes: ReadonlyArray<{ code: string; url: string; lanUrl: string | null }>;
}

/** A credit code that passes GB 32100 for the demo enterprise (region 310115, body "MA1DEM00"). */
export function demoUscc(): string {
  const orgBody = 'MA1DEM00';
  const first17 = `91310115${orgBody}${orgCodeCheckCharacter(orgBody) ?? '0'}`;
  return `${first17}${usccCheckCharacter(first17) ?? '0'}`;
}

function gtin(base12: string): string {
  return `${base12}${gcd(base12)}`;
}
const gcd = (digits: string): string => String(gs1CheckDigit(digits));

// The smallest well-formed PDF, standing in for the scanned licence of a demo enterprise.
const demoPdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

const accounts = {
  operator: { username: 'operator', role: 'platform_operator' },
  regulator: { username: 'regulator-sh', role: 'regulator' },
  admin: { username: 'demo-admin', role: 'enterprise_admin' },
  clerk: { username: 'demo-clerk', role: 'enterprise_operator' },
} as const;

async function setPassword(db: Db, username: string, password: string): Promise<void> {
  const repos = repositories(db.kysely);
  const user = await repos.users.findByUsername(username);
  if (user === undefined) return;
  await repos.users.update(user.id, {
    password_hash: await hashPassword(password),
    must_change_password: 0,
    status: 'active',
    updated_at: Date.now(),
  });
}

/**
 * Creates (or, on a second run, refreshes) the demo: a platform operator, a Shanghai regulator,
 * an approved demo enterprise with its administrator and clerk, products and batches, and an API
 * key. Everything except the operator and regulator accounts goes through the HTTP API.
 */
export async function runDemo(config: Config): Promise<DemoResult> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  try {
    await migrateToLatest(db);
    const log = pino({ level: 'silent' });
    const app = await buildApp({ config, db, logger: log });
    try {
      const ctx = systemContext({ db, config, files: new FileStore(config.dataDir), log });
      const repos = repositories(db.kysely);
      const passwords = {
        operator: generatePassword(),
        regulator: generatePassword(),
        admin: generatePassword(),
        clerk: generatePassword(),
      };
      if ((await repos.users.findByUsername(accounts.operator.username)) === undefined) {
        await createPlatformAccount(ctx, {
          username: accounts.operator.username,
          displayName: '平台运营',
          password: passwords.operator,
          role: 'platform_operator',
        });
      }
      if ((await repos.users.findByUsername(accounts.regulator.username)) === undefined) {
        await createPlatformAccount(ctx, {
          username: accounts.regulator.username,
          displayName: '上海市市场监督管理局',
          password: passwords.regulator,
          role: 'regulator',
          jurisdiction: '310000',
        });
      }
      await setPassword(db, accounts.operator.username, passwords.operator);
      await setPassword(db, accounts.regulator.username, passwords.regulator);

      const uscc = demoUscc();
      const admin = new ApiClient(app);
      let enterprise = await repos.enterprises.findByUscc(uscc);
      if (enterprise === undefined) {
        await admin.request('POST', '/api/v1/registrations', {
          enterprise: {
            name: '上海示范食品有限公司',
            uscc,
            legalRepresentative: '张明',
            address: '上海市浦东新区张江路 100 号',
            regionCode: '310115',
            contactName: '李华',
            contactPhone: '021-50000000',
            contactEmail: 'demo@example.cn',
          },
          admin: {
            username: accounts.admin.username,
            displayName: '示范企业管理员',
            password: passwords.admin,
          },
        });
        enterprise = await repos.enterprises.findByUscc(uscc);
        if (enterprise === undefined) throw new Error('demo enterprise was not created');
        await admin.upload(
          'POST',
          `/api/v1/enterprises/${enterprise.id}/documents`,
          { kind: 'business_licence', title: '营业执照', number: uscc, expiresOn: '2046-12-31' },
          { name: 'business-licence.pdf', contentType: 'application/pdf', data: demoPdf },
        );
        await admin.upload(
          'POST',
          `/api/v1/enterprises/${enterprise.id}/documents`,
          {
            kind: 'production_licence',
            title: '食品生产许可证',
            number: 'SC10131011500001',
            expiresOn: nextMonth(),
          },
          { name: 'production-licence.pdf', contentType: 'application/pdf', data: demoPdf },
        );
        await admin.request('POST', `/api/v1/enterprises/${enterprise.id}/submit`);
        const operator = new ApiClient(app);
        await operator.login(accounts.operator.username, passwords.operator);
        await operator.request('POST', `/api/v1/enterprises/${enterprise.id}/approve`);
        await admin.request('POST', '/api/v1/users', {
          username: accounts.clerk.username,
          displayName: '产线操作员',
          password: passwords.clerk,
          role: 'enterprise_operator',
        });
        await seedCatalogue(admin);
        for (const length of [15, 17, 21]) {
          await admin.request('POST', '/api/v1/code-spaces', { name: `示范码段 ${length} 位`, length });
        }
        await seedScanCodes(admin);
      }
      await setPassword(db, accounts.admin.username, passwords.admin);
      await setPassword(db, accounts.clerk.username, passwords.clerk);
      await admin.login(accounts.admin.username, passwords.admin);
      const key = await admin.request<{ key: string }>('POST', '/api/v1/api-keys', {
        name: `demo ${new Date().toISOString().slice(0, 16)}`,
      });
      const products = await admin.request<{
        items: Array<{ id: string; name: string; gtin: string | null }>;
      }>('GET', '/api/v1/products?pageSize=100');
      const batches = await admin.request<{ items: Array<{ id: string; productId: string; lot: string }> }>(
        'GET',
        '/api/v1/batches?pageSize=100',
      );
      const spaces = await admin.request<{ items: Array<{ id: string; length: number; prefix: string }> }>(
        'GET',
        '/api/v1/code-spaces',
      );
      return {
        url: config.publicUrl,
        accounts: (Object.keys(accounts) as Array<keyof typeof accounts>).map((k) => ({
          ...accounts[k],
          password: passwords[k],
        })),
        enterprise: { id: enterprise.id, name: enterprise.name, uscc },
        apiKey: key.key,
        products: products.items.map((p) => ({ id: p.id, name: p.name, gtin: p.gtin })),
        batches: batches.items.map((b) => ({ id: b.id, productId: b.productId, lot: b.lot })),
        codeSpaces: spaces.items
          .map((s) => ({ id: s.id, length: s.length, prefix: s.prefix }))
          .sort((a, b) => a.length - b.length),
        scanCodes: await demoScanCodes(admin, config),
      };
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}

/** Name of the demo's generation job, so a second run finds it again. */
const demoJobNote = '示范扫码 demo scan codes';

/**
 * Issues 20 codes of the 17-digit space for the first product and activates them for its first
 * batch, so a newcomer can open a scan page at once.
 */
async function seedScanCodes(api: ApiClient): Promise<void> {
  const spaces = await api.request<{ items: Array<{ id: string; length: number }> }>(
    'GET',
    '/api/v1/code-spaces',
  );
  const space = spaces.items.find((s) => s.length === 17);
  const products = await api.request<{ items: Array<{ id: string; name: string }> }>(
    'GET',
    '/api/v1/products?pageSize=100',
  );
  const product = products.items.find((p) => p.name.startsWith('五常'));
  if (space === undefined || product === undefined) throw new Error('demo catalogue is incomplete');
  const batches = await api.request<{ items: Array<{ id: string; lot: string }> }>(
    'GET',
    `/api/v1/batches?pageSize=100&productId=${product.id}`,
  );
  const batch = batches.items.find((b) => b.lot === 'DM20261101');
  if (batch === undefined) throw new Error('demo batch is missing');
  const job = await api.request<{ id: string }>('POST', '/api/v1/code-jobs', {
    spaceId: space.id,
    count: 20,
    productId: product.id,
    note: demoJobNote,
  });
  await api.request('POST', '/api/v1/code-activations', {
    batchId: batch.id,
    jobId: job.id,
    from: 1,
    to: 20,
  });
  await seedJourney(api, batch.id, job.id);
  await api.request('PUT', '/api/v1/scan-settings', {
    queryLimit: 20,
    promptText: '感谢您选购稻香源大米。开袋后请密封保存于阴凉干燥处。',
    warningText: '此码查询次数异常，可能已被仿冒。请通过稻香源官方渠道购买，如有疑问请致电 400-820-8820。',
    antiCounterfeitPopup: true,
    links: [
      { kind: 'shop', url: 'https://example.cn/shop', label: '稻香源官方旗舰店' },
      { kind: 'news', url: 'https://example.cn/news', label: '品牌资讯' },
    ],
  });
}

/**
 * The demo batch's journey, written through the business actions (so as EPCIS events): paddy
 * received from a farm cooperative, milled into the batch, inspected, stored; the first ten codes
 * shipped to a distributor and received there. The scan page then shows the batch's journey and
 * each code's full one.
 */
async function seedJourney(api: ApiClient, batchId: string, jobId: string): Promise<void> {
  const act = (action: string, body: unknown) => api.request('POST', `/api/v1/trace-actions/${action}`, body);
  await act('receive-materials', {
    supplier: '五常市稻花香种植合作社',
    location: '五常原粮仓',
    eventTime: '2026-10-20T09:30:00+08:00',
    lots: [{ material: '稻花香稻谷', lot: 'DG-2026-1020', quantity: 12_000, unit: 'KGM' }],
  });
  await act('produce', {
    batchId,
    inputs: [{ lot: 'DG-2026-1020', quantity: 10_000, unit: 'KGM' }],
    outputQuantity: 1_500,
    location: '一号加工车间',
    eventTime: '2026-11-01T08:00:00+08:00',
  });
  await act('inspection', {
    batches: [{ batchId }],
    result: 'pass',
    inspector: '稻香源质检中心',
    location: '质检中心',
    eventTime: '2026-11-02T10:00:00+08:00',
  });
  await act('warehouse-in', {
    ranges: [{ jobId, from: 1, to: 20 }],
    warehouse: '成品仓',
    eventTime: '2026-11-03T14:00:00+08:00',
  });
  await act('ship', {
    ranges: [{ jobId, from: 1, to: 10 }],
    to: '上海华东分销中心',
    fromLocation: '成品仓',
    eventTime: '2026-11-05T07:30:00+08:00',
  });
  await act('receive', {
    ranges: [{ jobId, from: 1, to: 10 }],
    at: '上海华东分销仓',
    eventTime: '2026-11-06T16:00:00+08:00',
  });
}

/** The first five demo codes with their scan URLs (and the same on this machine's LAN address). */
async function demoScanCodes(
  api: ApiClient,
  config: Config,
): Promise<Array<{ code: string; url: string; lanUrl: string | null }>> {
  const jobs = await api.request<{ items: Array<{ id: string; note: string | null }> }>(
    'GET',
    '/api/v1/code-jobs?pageSize=100',
  );
  const job = jobs.items.find((j) => j.note === demoJobNote);
  if (job === undefined) return [];
  const codes = await api.request<{ items: Array<{ code: string; url: string }> }>(
    'GET',
    `/api/v1/code-jobs/${job.id}/codes?offset=0&count=5`,
  );
  const lan = lanAddress();
  const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(config.publicUrl);
  return codes.items.map((c) => ({
    code: c.code,
    url: c.url,
    lanUrl:
      lan !== undefined && local ? c.url.replace(config.publicUrl, `http://${lan}:${config.port}`) : null,
  }));
}

/** This machine's first private IPv4 address, which a phone on the same network can reach. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return undefined;
}

function nextMonth(): string {
  return new Date(Date.now() + 25 * 86_400_000).toISOString().slice(0, 10);
}

async function seedCatalogue(api: ApiClient): Promise<void> {
  const catalogue = [
    {
      name: '五常有机大米 5kg',
      brand: '稻香源',
      category: '预包装粳米',
      specification: '5kg/袋',
      gtin: gtin('690123456789'),
      executedStandard: 'GB/T 19266',
      shelfLifeDays: 365,
      lots: ['DM20261101', 'DM20261115'],
    },
    {
      name: '全脂纯牛奶 250ml×12',
      brand: '牧场晨光',
      category: '灭菌乳',
      specification: '250ml×12盒',
      gtin: gtin('690123456790'),
      executedStandard: 'GB 25190',
      shelfLifeDays: 180,
      lots: ['NN20261120'],
    },
    {
      name: '压榨大豆油 5L',
      brand: '金禾',
      category: '大豆油',
      specification: '5L/桶',
      gtin: null,
      executedStandard: 'GB/T 1535',
      shelfLifeDays: 540,
      lots: ['DY20261010', 'DY20261105'],
    },
  ];
  for (const item of catalogue) {
    const { lots, ...fields } = item;
    const product = await api.request<{ id: string }>('POST', '/api/v1/products', fields);
    for (const [i, lot] of lots.entries()) {
      await api.request('POST', '/api/v1/batches', {
        productId: product.id,
        lot,
        productionDate: `2026-${lot.slice(6, 8)}-${lot.slice(8, 10)}`,
        line: `${i + 1}号线`,
        quantity: 10_000 * (i + 1),
      });
    }
  }
}

/** `tracemark demo [--json]`. */
export async function demo(
  env: Readonly<Record<string, string | undefined>>,
  io: Io,
  json: boolean,
): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  const result = await runDemo(config);
  if (json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...result.accounts.map((a) => a.username.length));
  io.out(
    `Demo ready: ${result.enterprise.name} (approved), ${result.products.length} products, ${result.batches.length} batches.\n\n` +
      `Log in at ${result.url} with:\n` +
      result.accounts.map((a) => `  ${a.username.padEnd(width)}  ${a.password}  (${a.role})\n`).join('') +
      `\nCode spaces: ${result.codeSpaces.map((s) => `${s.length} digits (prefix ${s.prefix}, id ${s.id})`).join('; ')}\n` +
      (result.scanCodes.length === 0
        ? ''
        : `\nScan a demo code (after \`npm start\`), on this computer:\n` +
          result.scanCodes.map((c) => `  ${c.url}\n`).join('') +
          (result.scanCodes[0]?.lanUrl === null || result.scanCodes[0] === undefined
            ? ''
            : `or from a phone on the same network:\n` +
              result.scanCodes.map((c) => `  ${c.lanUrl ?? ''}\n`).join(''))) +
      `\nAPI key of the demo enterprise (shown once):\n  ${result.apiKey}\n` +
      `  curl -H "Authorization: Bearer ${result.apiKey}" ${result.url}/api/v1/products\n` +
      `\nRunning demo again resets these passwords and makes a new key.\n`,
  );
  return 0;
}
