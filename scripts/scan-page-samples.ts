/**
 * Renders every consumer page (each verdict, both languages, entry, thanks, problems) with
 * realistic data, serves them from a local server with the scan page's strict CSP, and
 * screenshots them in Debian's Chromium at a phone viewport, so a person can look at them.
 *
 *   node --conditions=source --import tsx scripts/scan-page-samples.ts [--only <name>]
 *
 * Writes `screenshots/scan-samples/<name>.<lang>.{html,png}` (git-ignored) and prints each page's
 * gzip size. Also checks every page at 320px for horizontal overflow, that no request leaves the
 * local server, that the CSP blocks nothing, and that the precise-location button works.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import {
  renderEntryPage,
  renderProblemPage,
  renderReportThanks,
  renderScanPage,
} from '../packages/server/src/modules/scan/page.js';
import type { Lang, ScanView } from '../packages/server/src/modules/scan/view-model.js';

const OUT = join(import.meta.dirname, '..', 'screenshots', 'scan-samples');
const CODE = '31004287519036621';
const NOW = Date.UTC(2026, 10, 27, 7, 4); // 15:04 in Beijing
const FIRST = Date.UTC(2026, 10, 20, 1, 32); // 09:32 in Beijing, a week earlier

const USER_AGENT =
  'Mozilla/5.0 (Linux; Android 14; 23127PN0CC Build/UKQ1.230804.001; wv) AppleWebKit/537.36 ' +
  '(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 ' +
  'MMWEBSDK/20241103 MMWEBID/6533 MicroMessenger/8.0.54.2760(0x28003637) WeChat/arm64 Weixin ' +
  'NetType/WIFI Language/zh_CN ABI/arm64';

/** A genuine first query of a 500 g bag of rice from a Shanghai food company. */
const BASE: ScanView = {
  code: CODE,
  verdict: 'genuine_first',
  warnings: [],
  counted: true,
  scanId: '019ac4a2-7f10-7d3e-9a51-3c2b8e0f4d61',
  firstQueryAt: NOW,
  queryCount: 1,
  hasPin: false,
  pinVerified: false,
  promptText: '感谢您选购禾香源大米。开袋后请密封保存于阴凉干燥处，避免阳光直射。',
  warningText: null,
  queryLimit: 10,
  antiCounterfeitPopup: true,
  product: {
    name: '禾香源 五常稻花香大米',
    brand: '禾香源',
    specification: '500 g',
    category: '粮食加工品 · 大米',
    gtin: '6901234567892',
    executedStandard: 'GB/T 19266',
    shelfLifeDays: 365,
    description: '产自黑龙江五常，当季新米，一级，真空包装。',
    imageUrl: '/img/rice.svg',
  },
  batch: {
    lot: '20261101-A03',
    productionDate: '2026-11-01',
    expiryDate: '2027-10-31',
    inspectionReportUrl: '/files/report-20261101-A03.pdf',
  },
  enterprise: {
    name: '上海示范食品有限公司',
    uscc: '91310115703218567R',
    address: '上海市浦东新区张江路 88 号 5 幢 3 层',
    regionNames: ['上海市', '浦东新区'],
    qualifications: [
      {
        kind: 'business_licence',
        title: '营业执照',
        number: '91310115703218567R',
        expiresOn: null,
      },
      {
        kind: 'production_licence',
        title: '食品生产许可证',
        number: 'SC10131011500287',
        expiresOn: '2029-06-30',
      },
    ],
  },
  links: [
    { kind: 'shop', url: 'https://heyuan.example.com/shop', label: '禾香源天猫旗舰店' },
    { kind: 'news', url: 'https://heyuan.example.com/news', label: null },
    { kind: 'promotion', url: 'https://heyuan.example.com/member', label: '会员注册 · 新人专享' },
  ],
  place: { regionCode: '310115', names: ['上海市', '浦东新区'], source: 'ip' },
  reportable: true,
  recall: null,
  trace: null,
};

const SAMPLES: Readonly<Record<string, ScanView>> = {
  'genuine-first': BASE,
  'genuine-first-pin-verified': { ...BASE, hasPin: true, pinVerified: true },
  'genuine-repeat': { ...BASE, verdict: 'genuine_repeat', firstQueryAt: FIRST, queryCount: 3 },
  warning: {
    ...BASE,
    verdict: 'warning',
    warnings: ['query_limit', 'distant_regions'],
    firstQueryAt: FIRST,
    queryCount: 14,
    warningText: '此码查询次数异常，可能已被仿冒。请通过禾香源官方渠道购买，如有疑问请致电 400-820-8820。',
    place: { regionCode: '440305', names: ['广东省', '深圳市', '南山区'], source: 'ip' },
  },
  'warning-default': {
    ...BASE,
    verdict: 'warning',
    warnings: ['query_limit'],
    firstQueryAt: FIRST,
    queryCount: 11,
  },
  'pin-required': { ...BASE, verdict: 'pin_required', hasPin: true },
  'pin-wrong': { ...BASE, verdict: 'pin_wrong', hasPin: true, firstQueryAt: FIRST, queryCount: 2 },
  'not-activated': {
    ...BASE,
    verdict: 'not_activated',
    firstQueryAt: null,
    queryCount: 1,
    batch: null,
    promptText: null,
  },
  invalid: {
    ...BASE,
    code: '31004287519036629',
    verdict: 'invalid',
    scanId: null,
    firstQueryAt: null,
    queryCount: 0,
    queryLimit: null,
    promptText: null,
    product: null,
    batch: null,
    enterprise: null,
    links: [],
    reportable: false,
  },
  voided: { ...BASE, verdict: 'voided', firstQueryAt: FIRST, queryCount: 2, promptText: null },
  'tracing-only': { ...BASE, antiCounterfeitPopup: false },
  preview: { ...BASE, counted: false, scanId: null, firstQueryAt: FIRST, queryCount: 3 },
};

type Page = (lang: Lang, path: string, nonce: string) => string;

const PAGES: Readonly<Record<string, Page>> = {
  ...Object.fromEntries(
    Object.entries(SAMPLES).map(([name, view]): [string, Page] => [
      name,
      (lang, path, nonce) =>
        renderScanPage(view, {
          lang,
          path,
          positionEndpoint: '/position',
          reportAction: `/c/${view.code}/report`,
          pinAction: `/c/${view.code}`,
          entryUrl: '/c',
          nonce,
        }),
    ]),
  ),
  entry: (lang, _path, nonce) => renderEntryPage({ lang, action: '/c', nonce }),
  'entry-error': (lang, _path, nonce) =>
    renderEntryPage({ lang, action: '/c', error: 'invalid_code', code: '3100 4287 5190 3662 9', nonce }),
  thanks: (lang, _path, nonce) => renderReportThanks({ lang, backUrl: `/c/${CODE}`, nonce }),
  'rate-limited': (lang, _path, nonce) =>
    renderProblemPage({ lang, kind: 'rate_limited', retryAfterSeconds: 300, nonce }),
  'not-found': (lang, _path, nonce) => renderProblemPage({ lang, kind: 'not_found', nonce }),
};

/** A product picture drawn as SVG: a rice bag with a label. */
const RICE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">
<rect width="200" height="200" fill="#f6f1e4"/>
<path d="M52 38h96l10 16-6 118c0 8-6 12-14 12H62c-8 0-14-4-14-12l-6-118z" fill="#fbfaf5" stroke="#d8cfb8" stroke-width="3"/>
<path d="M52 38h96l-6 12H58z" fill="#c8a24a"/>
<rect x="64" y="70" width="72" height="64" rx="8" fill="#2f6b3d"/>
<text x="100" y="99" font-size="20" text-anchor="middle" fill="#fff" font-family="WenQuanYi Micro Hei, sans-serif">禾香源</text>
<text x="100" y="122" font-size="12" text-anchor="middle" fill="#f2e6c4" font-family="WenQuanYi Micro Hei, sans-serif">五常大米</text>
<text x="100" y="160" font-size="13" text-anchor="middle" fill="#7a6a45" font-family="sans-serif">500 g</text>
</svg>`;

function csp(nonce: string): string {
  return (
    `default-src 'none'; img-src 'self' data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; ` +
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  );
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/img/rice.svg') {
    res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(RICE_SVG);
    return;
  }
  if (url.pathname === '/position' && req.method === 'POST') {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ place: { names: ['上海市', '浦东新区'] } }));
    return;
  }
  const name = url.pathname.startsWith('/s/') ? url.pathname.slice(3) : '';
  const page = PAGES[name];
  if (page === undefined) {
    res.writeHead(404).end();
    return;
  }
  const lang: Lang = url.searchParams.get('lang') === 'en' ? 'en' : 'zh';
  const nonce = randomBytes(12).toString('base64');
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp(nonce) })
    .end(page(lang, url.pathname, nonce));
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  await mkdir(OUT, { recursive: true });
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const problems: string[] = [];
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: USER_AGENT,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: 31.2041, longitude: 121.5907, accuracy: 35 },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${page.url()}: console ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) {
        problems.push(`${page.url()}: request left the site: ${r.url()}`);
      }
    });

    const rows: string[] = [];
    for (const name of Object.keys(PAGES)) {
      if (only !== undefined && name !== only) continue;
      for (const lang of ['zh', 'en'] as const) {
        const render = PAGES[name];
        if (render === undefined) continue;
        const file = `${name}.${lang}`;
        const htmlText = render(lang, `/s/${name}`, 'sample-nonce');
        await writeFile(join(OUT, `${file}.html`), htmlText);
        const gz = gzipSync(htmlText, { level: 6 }).length;
        rows.push(
          `${file.padEnd(36)} ${String(htmlText.length).padStart(6)} B  ${String(gz).padStart(5)} B gzip`,
        );

        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(`${origin}/s/${name}?lang=${lang}`, { waitUntil: 'load' });
        await page.screenshot({ path: join(OUT, `${file}.png`), fullPage: true });

        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = Number(
          await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
        );
        if (overflow > 0) problems.push(`${file}: overflows by ${overflow}px at 320px`);
        if (name === 'genuine-repeat' || name === 'warning' || name === 'entry') {
          await page.screenshot({ path: join(OUT, `${file}.320.png`), fullPage: true });
        }
      }
    }

    // The enhancement: the hidden button appears, asks for the position and shows the region.
    if (only === undefined || only === 'genuine-first') {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${origin}/s/genuine-first?lang=zh`, { waitUntil: 'load' });
      await page.click('#pos-btn');
      await page.waitForSelector('#pos-btn', { state: 'hidden' });
      const place = await page.textContent('#place-names');
      const source = await page.textContent('#place-source');
      rows.push(`position button → ${place ?? ''}${source ?? ''}`);
      await page.locator('.v').screenshot({ path: join(OUT, 'genuine-first.zh.position.png') });
      // The report form, opened.
      await page.goto(`${origin}/s/genuine-first?lang=zh`, { waitUntil: 'load' });
      await page.click('#report summary');
      await page.locator('#report').screenshot({ path: join(OUT, 'genuine-first.zh.report-open.png') });
    }
    console.log(rows.join('\n'));
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.log(`no overflow at 320px, no outside requests, no CSP or script errors; files in ${OUT}`);
  }
}

await main();
