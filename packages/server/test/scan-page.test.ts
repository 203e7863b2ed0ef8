import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Verdict } from '@tracemark/core';
import {
  MESSAGE_KEYS,
  formatDate,
  formatDateTime,
  t,
  type MessageKey,
} from '../src/modules/scan/messages.js';
import {
  escapeHtml,
  html,
  raw,
  renderEntryPage,
  renderProblemPage,
  renderReportThanks,
  renderScanPage,
  scanPageBytes,
  type ScanPageOptions,
} from '../src/modules/scan/page.js';
import type { Lang, ScanView } from '../src/modules/scan/view-model.js';
import { verificationBody } from '../src/modules/scan/presenter.js';
import { Verification } from '../src/modules/scan/schemas.js';
import type { Static } from 'typebox';
import { Value } from 'typebox/value';

const VERDICTS: readonly Verdict[] = [
  'genuine_first',
  'genuine_repeat',
  'warning',
  'pin_required',
  'pin_wrong',
  'not_activated',
  'invalid',
  'voided',
  'recalled',
];
const LANGS: readonly Lang[] = ['zh', 'en'];

/** 15:04 on 27 Nov 2026 in Beijing (07:04 UTC). */
const AT_1504 = Date.UTC(2026, 10, 27, 7, 4);
const IMAGE_URL = 'https://img.heyuan.example.com/rice-500g.png';
const SHOP_URL = 'https://heyuan.example.com/shop';

const VIEW: ScanView = {
  code: '31004287519036621',
  verdict: 'genuine_first',
  warnings: [],
  counted: true,
  scanId: '019ac4a2-7f10-7d3e-9a51-3c2b8e0f4d61',
  firstQueryAt: AT_1504,
  queryCount: 1,
  hasPin: false,
  pinVerified: false,
  promptText: '感谢您选购禾香源大米。',
  warningText: null,
  queryLimit: 10,
  antiCounterfeitPopup: true,
  product: {
    name: '禾香源 五常稻花香大米',
    brand: '禾香源',
    specification: '500 g',
    category: '粮食加工品',
    gtin: '6901234567892',
    executedStandard: 'GB/T 19266',
    shelfLifeDays: 365,
    description: '产自黑龙江五常。',
    imageUrl: IMAGE_URL,
  },
  batch: {
    lot: '20261101-A03',
    productionDate: '2026-11-01',
    expiryDate: '2027-10-31',
    inspectionReportUrl: '/files/report.pdf',
  },
  enterprise: {
    name: '上海示范食品有限公司',
    uscc: '91310115703218567R',
    address: '上海市浦东新区张江路 88 号',
    regionNames: ['上海市', '浦东新区'],
    qualifications: [
      { kind: 'business_licence', title: '营业执照', number: '91310115703218567R', expiresOn: null },
      {
        kind: 'production_licence',
        title: '食品生产许可证',
        number: 'SC10131011500287',
        expiresOn: '2029-06-30',
      },
    ],
  },
  links: [
    { kind: 'shop', url: SHOP_URL, label: '天猫旗舰店' },
    { kind: 'news', url: 'https://heyuan.example.com/news', label: null },
  ],
  place: { regionCode: '310115', names: ['上海市', '浦东新区'], source: 'ip' },
  reportable: true,
  recall: null,
  trace: {
    steps: [
      {
        stage: 'raw_material',
        bizStep: 'receiving',
        disposition: null,
        at: AT_1504 - 40 * 86_400_000,
        place: '五常基地',
      },
      {
        stage: 'production',
        bizStep: 'transforming',
        disposition: null,
        at: AT_1504 - 30 * 86_400_000,
        place: '一号车间',
      },
      {
        stage: 'production',
        bizStep: 'inspecting',
        disposition: 'conformant',
        at: AT_1504 - 29 * 86_400_000,
        place: null,
      },
    ],
    more: 0,
  },
};

const OPTIONS: ScanPageOptions = {
  lang: 'zh',
  path: '/c/31004287519036621',
  positionEndpoint: '/api/v1/scans/019ac4a2-7f10-7d3e-9a51-3c2b8e0f4d61/position',
  reportAction: '/c/31004287519036621/report',
  pinAction: '/c/31004287519036621',
};

/** A realistic view for each verdict (the fields the service sets with it). */
function viewFor(verdict: Verdict, over: Partial<ScanView> = {}): ScanView {
  const base: Partial<ScanView> =
    verdict === 'genuine_first'
      ? {}
      : verdict === 'genuine_repeat'
        ? { firstQueryAt: AT_1504 - 86_400_000, queryCount: 3 }
        : verdict === 'warning'
          ? { warnings: ['query_limit'], queryCount: 11, firstQueryAt: AT_1504 - 86_400_000 }
          : verdict === 'pin_required' || verdict === 'pin_wrong'
            ? { hasPin: true }
            : verdict === 'invalid'
              ? {
                  product: null,
                  batch: null,
                  enterprise: null,
                  links: [],
                  reportable: false,
                  scanId: null,
                  firstQueryAt: null,
                  queryCount: 0,
                  trace: null,
                }
              : verdict === 'recalled'
                ? { recall: { at: AT_1504 - 86_400_000, reason: '铁含量不符合国家标准', scope: 'batch' } }
                : { firstQueryAt: null };
  return { ...VIEW, verdict, ...base, ...over };
}

function page(view: ScanView, options: Partial<ScanPageOptions> = {}): string {
  return renderScanPage(view, { ...OPTIONS, ...options });
}

/** The text as it appears in markup (escaped), to look for in a page. */
function inPage(lang: Lang, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return escapeHtml(t(lang, key, params));
}

/** Every `<tag …>` opening tag of a kind, with its attributes. */
function tags(markup: string, name: string): string[] {
  return [...markup.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => m[0]);
}

function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

/** Every form control has a `<label for>` naming its id. */
function assertLabelled(markup: string): void {
  const labelled = new Set(tags(markup, 'label').map((l) => attr(l, 'for')));
  const controls = [...tags(markup, 'input'), ...tags(markup, 'textarea')].filter(
    (c) => attr(c, 'type') !== 'hidden',
  );
  assert.ok(controls.length > 0);
  for (const c of controls) {
    const id = attr(c, 'id');
    assert.ok(id !== undefined && labelled.has(id), `no label for ${c}`);
  }
}

describe('scan page messages', () => {
  test('both languages have every key, none empty, with the same placeholders', () => {
    for (const key of MESSAGE_KEYS) {
      const zh = t('zh', key);
      const en = t('en', key);
      assert.ok(zh.trim() !== '' && en.trim() !== '', key);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(names(zh), names(en), key);
    }
  });

  test('t fills {name} placeholders', () => {
    assert.equal(t('zh', 'record.count', { count: 3 }), '共查询 3 次');
    assert.equal(
      t('en', 'warning.query_limit', { count: 12, limit: 10 }),
      'This code has been queried 12 times, more than its limit of 10',
    );
  });

  test('times are Beijing time in both languages, whatever the process time zone', () => {
    assert.equal(formatDateTime('zh', AT_1504), '2026年11月27日 15:04');
    assert.equal(formatDateTime('en', AT_1504), '27 Nov 2026, 15:04 (Beijing time)');
    // 16:30 UTC is already the next day in Beijing, at 00:30 (not 24:30).
    assert.equal(formatDateTime('zh', Date.UTC(2026, 10, 27, 16, 30)), '2026年11月28日 00:30');
    assert.equal(formatDateTime('en', Date.UTC(2026, 8, 1, 1, 5)), '1 Sep 2026, 09:05 (Beijing time)');
  });

  test('calendar dates are shown as they are, without a time zone shift', () => {
    assert.equal(formatDate('zh', '2026-11-01'), '2026年11月1日');
    assert.equal(formatDate('en', '2027-10-31'), '31 Oct 2027');
    assert.equal(formatDate('en', 'not a date'), 'not a date');
  });

  test('every document kind has its own name', () => {
    const kinds = [
      'business_licence',
      'trademark',
      'production_licence',
      'quality_inspection',
      'product_specification',
      'foreign_equivalent',
      'other',
    ] as const;
    assert.deepEqual(
      kinds.map((k) => t('zh', `doc.${k}`)),
      ['营业执照', '商标注册证', '生产许可证', '质量检验报告', '产品标准/说明', '境外同等资质', '其他资质'],
    );
    assert.equal(new Set(kinds.map((k) => t('en', `doc.${k}`))).size, kinds.length);
  });
});

describe('html tag', () => {
  test('escapes text, keeps raw markup, joins arrays and drops null, undefined and booleans', () => {
    const name = `<b title='x'>&"`;
    assert.equal(
      html`<p title="${name}">
        ${name}${[html`<i>${1}</i>`, 'a<']}${null}${undefined}${false}${raw('<br>')}
      </p>`.toString(),
      '<p title="&lt;b title=&#39;x&#39;&gt;&amp;&quot;">&lt;b title=&#39;x&#39;&gt;&amp;&quot;<i>1</i>a&lt;<br></p>',
    );
  });

  test('the page as bytes is the page as text in UTF-8, its cached cards copied in (first and later draws)', () => {
    const options: ScanPageOptions = { ...OPTIONS, nonce: 'n0nce' };
    for (const verdict of ['genuine_first', 'genuine_repeat', 'invalid', 'recalled'] as const) {
      const view = viewFor(verdict);
      for (let draw = 0; draw < 2; draw++) {
        const bytes = scanPageBytes(view, options);
        assert.deepEqual(bytes, Buffer.from(renderScanPage(view, options)), `${verdict}, draw ${draw}`);
        assert.ok(bytes.toString('utf8').includes('</html>'));
      }
    }
  });

  test('pages of the same shape each carry their own values, and a page keeps its bytes after later pages', () => {
    const views = [3, 4, 5].map((count, i) =>
      viewFor('genuine_repeat', {
        code: `3100428751903662${i}`,
        queryCount: count,
        firstQueryAt: AT_1504 + i * 60_000,
        place: { regionCode: '310115', names: ['上海市', `区${i}`], source: 'ip' },
        scanId: `019ac4a2-7f10-7d3e-9a51-3c2b8e0f4d6${i}`,
      }),
    );
    const optionsOf = (v: ScanView): ScanPageOptions => ({
      ...OPTIONS,
      nonce: 'n0nce',
      path: `/c/${v.code}`,
      positionEndpoint: `/api/scans/${v.scanId ?? ''}/position`,
    });
    const pages = views.map((v) => scanPageBytes(v, optionsOf(v)));
    // Enough pages after them to go through more than one of the buffers pages are written into.
    for (let i = 0; i < 200; i++) scanPageBytes(viewFor('genuine_first'), OPTIONS);
    for (const [i, bytes] of pages.entries()) {
      const view = views[i] as ScanView;
      const markup = bytes.toString('utf8');
      assert.equal(markup, renderScanPage(view, optionsOf(view)));
      assert.ok(markup.includes(`共查询 ${3 + i} 次`));
      assert.ok(markup.includes(`2026年11月27日 15:0${4 + i}`));
      assert.ok(markup.includes(`<span id="place-names">上海市 区${i}</span>`));
      assert.ok(markup.includes(`/api/scans/019ac4a2-7f10-7d3e-9a51-3c2b8e0f4d6${i}/position`));
      assert.ok(markup.includes(`href="/c/3100428751903662${i}?lang=en"`));
    }
  });
});

describe('scan page', () => {
  test('a recalled code says so with the scope, the time and the reason, and offers no report of a fake', () => {
    const zh = page(viewFor('recalled'));
    assert.ok(zh.includes('此商品已被召回'));
    assert.ok(zh.includes(inPage('zh', 'recall.scope.batch')));
    assert.ok(zh.includes('铁含量不符合国家标准'));
    assert.ok(zh.includes('2026年11月26日 15:04'));
    assert.match(zh, /role="alert"/);
    assert.match(zh, /<details>/, 'the report form stays closed: a recall is not a fake');
    const en = page(viewFor('recalled'), { lang: 'en' });
    assert.ok(en.includes('This product has been recalled'));
    assert.ok(en.includes('the whole batch of this item'));
    // Shown even where the enterprise turned the verdict box off.
    assert.ok(page(viewFor('recalled', { antiCounterfeitPopup: false })).includes('此商品已被召回'));
  });

  test('the batch journey is listed oldest first with stage, step, Beijing time and place, and links the full journey', () => {
    const markup = page(viewFor('genuine_first'), { traceUrl: '/c/31004287519036621/trace' });
    const order = ['五常基地', '一号车间', inPage('zh', 'step.inspecting')].map((x) => markup.indexOf(x));
    assert.ok(order.every((i) => i > 0));
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
    assert.ok(markup.includes(inPage('zh', 'stage.raw_material')));
    assert.ok(markup.includes('2026年10月18日 15:04'));
    assert.ok(markup.includes('href="/c/31004287519036621/trace"'));
    assert.ok(
      !page(viewFor('invalid')).includes(inPage('zh', 'trace.heading')),
      'nothing for an invalid code',
    );
    assert.ok(!page(viewFor('genuine_first', { trace: null })).includes(inPage('zh', 'trace.heading')));
  });

  test('with a stylesheet URL the page links it instead of inlining', () => {
    const linked = page(viewFor('genuine_first'), {
      styleHref: '/c/assets/page-0123456789ab.css',
      nonce: 'n1',
    });
    assert.ok(linked.includes('<link rel="stylesheet" href="/c/assets/page-0123456789ab.css" />'));
    assert.ok(!linked.includes('<style'));
    assert.ok(page(viewFor('genuine_first'), { nonce: 'n1' }).includes('<style nonce="n1">'));
  });

  test('every verdict renders its own wording in zh and en', () => {
    for (const lang of LANGS) {
      const titles = new Set<string>();
      for (const verdict of VERDICTS) {
        const markup = page(viewFor(verdict), { lang });
        const title = t(lang, `verdict.${verdict}.title`);
        titles.add(title);
        assert.ok(markup.includes(`>${escapeHtml(title)}</h1>`), `${lang} ${verdict} title`);
        if (verdict !== 'warning') {
          assert.ok(markup.includes(inPage(lang, `verdict.${verdict}.body`)), `${lang} ${verdict} body`);
        }
        for (const other of VERDICTS) {
          if (other !== verdict && t(lang, `verdict.${other}.title`) !== title) {
            assert.ok(!markup.includes(inPage(lang, `verdict.${other}.title`)), `${verdict} shows ${other}`);
          }
        }
      }
      assert.equal(titles.size, VERDICTS.length, `${lang} titles are distinct`);
    }
    assert.ok(page(viewFor('genuine_first')).includes('正品 · 首次查询'));
    assert.ok(page(viewFor('genuine_repeat')).includes('此码已被查询过'));
    assert.ok(page(viewFor('invalid')).includes('12315'));
  });

  test('the verdict is announced: status for genuine, alert for the others', () => {
    for (const verdict of VERDICTS) {
      const role = verdict.startsWith('genuine') ? 'status' : 'alert';
      assert.match(page(viewFor(verdict)), new RegExp(`<div class="v-head" role="${role}">`), verdict);
    }
  });

  test('data is escaped everywhere it appears', () => {
    const evil = '<script>alert(1)</script>';
    const markup = page(
      viewFor('warning', {
        code: `1"><img src=x onerror=alert(1)>`,
        warningText: evil,
        promptText: evil,
        product: { ...VIEW.product!, name: evil, description: evil, brand: evil },
        enterprise: { ...VIEW.enterprise!, name: evil, address: evil },
        links: [{ kind: 'shop', url: `${SHOP_URL}?a="><script>`, label: evil }],
        place: { regionCode: '310115', names: [evil], source: 'ip' },
      }),
    );
    assert.ok(!markup.includes('<script>alert(1)'));
    assert.ok(!markup.includes('<img src=x'));
    assert.ok(markup.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    // In an attribute too: the image's alt text names the product.
    assert.ok(markup.includes('alt="&lt;script&gt;alert(1)&lt;/script&gt;的产品图片"'));
    assert.ok(markup.includes(`href="${SHOP_URL}?a=&quot;&gt;&lt;script&gt;"`));
  });

  test('links and images that are not http(s) or a local path are not rendered', () => {
    const markup = page(
      viewFor('genuine_first', {
        links: [
          { kind: 'shop', url: 'javascript:alert(1)', label: 'x' },
          { kind: 'news', url: '//evil.example.com', label: 'y' },
          { kind: 'promotion', url: '/\\evil.example.com', label: 'z' },
        ],
        product: { ...VIEW.product!, imageUrl: 'data:image/svg+xml,<svg onload=alert(1)>' },
        batch: { ...VIEW.batch!, inspectionReportUrl: 'javascript:alert(2)' },
      }),
    );
    assert.ok(!/javascript:|evil\.example|data:image/.test(markup));
    assert.equal(tags(markup, 'img').length, 0);
  });

  test('the page loads nothing from elsewhere: only the given image and the enterprise links point out', () => {
    for (const verdict of VERDICTS) {
      for (const lang of LANGS) {
        const markup = page(viewFor(verdict), { lang });
        for (const tag of [...tags(markup, 'link'), ...tags(markup, 'script'), ...tags(markup, 'img')]) {
          const url = attr(tag, 'src') ?? attr(tag, 'href') ?? '';
          assert.ok(!/^https?:|^\/\//i.test(url) || url === IMAGE_URL, `${verdict}: ${tag}`);
        }
        for (const tag of tags(markup, 'a')) {
          const url = attr(tag, 'href') ?? '';
          assert.ok(!/^https?:|^\/\//i.test(url) || url.startsWith('https://heyuan.example.com/'), tag);
        }
        assert.ok(!/@import|url\(\s*['"]?(https?:)?\/\//i.test(markup), 'no CSS import or remote url()');
        assert.ok(!/<(iframe|object|embed|link rel="stylesheet")/.test(markup));
      }
    }
  });

  test('the largest realistic page stays far under 60 KB gzip (aim: 12 KB)', (t) => {
    const long = '本品选用黑龙江五常核心产区稻花香2号，当季收割，低温慢磨，真空包装，开袋即食。'.repeat(8);
    const big = viewFor('warning', {
      warnings: ['query_limit', 'distant_regions'],
      warningText: long,
      product: { ...VIEW.product!, description: long, name: '禾香源 五常稻花香大米 一级 真空装 礼盒版' },
      enterprise: {
        ...VIEW.enterprise!,
        qualifications: (
          [
            'business_licence',
            'trademark',
            'production_licence',
            'quality_inspection',
            'product_specification',
            'foreign_equivalent',
            'other',
          ] as const
        ).map((kind, i) => ({
          kind,
          title: `资质文件 ${i}`,
          number: `SC1013101150028${i}`,
          expiresOn: '2029-06-30',
        })),
      },
      links: [
        { kind: 'shop', url: SHOP_URL, label: '禾香源天猫旗舰店' },
        { kind: 'news', url: 'https://heyuan.example.com/news', label: '品牌资讯' },
        { kind: 'promotion', url: 'https://heyuan.example.com/member', label: '会员注册 · 新人专享' },
      ],
    });
    let largest = { bytes: 0, gzip: 0, lang: 'zh' as Lang };
    for (const lang of LANGS) {
      const markup = page(big, { lang, nonce: 'bm9uY2Utbm9uY2Utbm9u' });
      const gzip = gzipSync(markup).length;
      if (gzip > largest.gzip) largest = { bytes: Buffer.byteLength(markup), gzip, lang };
    }
    t.diagnostic(
      `largest scan page (${largest.lang}): ${largest.bytes} bytes, ${largest.gzip} bytes gzip (HTML, CSS and JS)`,
    );
    assert.ok(largest.gzip < 60 * 1024);
    assert.ok(largest.gzip < 12 * 1024, `${largest.gzip} bytes gzip is over the 12 KB aim`);
  });

  test('genuine_repeat shows the first query time in Beijing time and the count', () => {
    const view = viewFor('genuine_repeat', { firstQueryAt: AT_1504, queryCount: 3 });
    const zh = page(view);
    assert.ok(zh.includes('首次查询时间：'));
    assert.ok(zh.includes('2026年11月27日 15:04'));
    assert.ok(zh.includes('共查询 3 次'));
    assert.ok(zh.includes('如果首次查询不是您本人，请警惕假冒'));
    const en = page(view, { lang: 'en' });
    assert.ok(en.includes('27 Nov 2026, 15:04 (Beijing time)'));
    assert.ok(en.includes('Queried 3 times in total'));
  });

  test('genuine_first shows the time it just locked', () => {
    const markup = page(viewFor('genuine_first'));
    assert.ok(markup.includes('2026年11月27日 15:04'));
    assert.ok(markup.includes(inPage('zh', 'record.thisQuery')));
  });

  test('a query that was not counted (link preview) shows no first query time of its own', () => {
    const markup = page(viewFor('genuine_repeat', { counted: false, scanId: null }));
    assert.ok(!markup.includes(inPage('zh', 'record.firstQuery')));
    assert.ok(markup.includes(inPage('zh', 'verdict.preview.body')));
    assert.ok(!markup.includes('<script'));
  });

  test('warning shows the enterprise warning text, else the default, and each reason', () => {
    const text = '此码查询次数异常，请通过官方渠道购买。';
    const own = page(
      viewFor('warning', { warningText: text, warnings: ['query_limit', 'distant_regions'], queryCount: 14 }),
    );
    assert.ok(own.includes(text));
    assert.ok(!own.includes(inPage('zh', 'verdict.warning.body')));
    assert.ok(own.includes('本码已被查询 14 次，超过 10 次上限'));
    assert.ok(own.includes('短时间内在相距很远的地方被查询'));
    const fallback = page(viewFor('warning', { warningText: null }), { lang: 'en' });
    assert.ok(fallback.includes(inPage('en', 'verdict.warning.body')));
    assert.ok(fallback.includes('more than its limit of 10'));
  });

  test('the PIN form appears for pin_required and pin_wrong only', () => {
    for (const verdict of VERDICTS) {
      const markup = page(viewFor(verdict), { pinAction: '/c/123/pin' });
      const forms = tags(markup, 'form').filter((f) => attr(f, 'action') === '/c/123/pin');
      if (verdict === 'pin_required' || verdict === 'pin_wrong') {
        assert.equal(forms.length, 1, verdict);
        assert.equal(attr(forms[0]!, 'method'), 'post');
        const input = tags(markup, 'input').find((i) => attr(i, 'name') === 'pin')!;
        assert.equal(attr(input, 'inputmode'), 'numeric');
        assert.equal(attr(input, 'autocomplete'), 'off');
        assert.ok(markup.includes('<label for="pin">'));
        assert.equal(input.includes('aria-invalid="true"'), verdict === 'pin_wrong');
      } else {
        assert.equal(forms.length, 0, verdict);
        assert.ok(!markup.includes('name="pin"'), verdict);
      }
    }
  });

  test('the report form appears only when the code is reportable and there is a target', () => {
    const markup = page(viewFor('genuine_first'));
    const form = tags(markup, 'form').find((f) => attr(f, 'action') === OPTIONS.reportAction);
    assert.ok(form !== undefined);
    assert.equal(attr(form, 'enctype'), 'multipart/form-data');
    assert.match(markup, /<details[^>]*><summary><h2>举报疑似假冒<\/h2><\/summary>/);
    const named = (n: string) =>
      [...tags(markup, 'input'), ...tags(markup, 'textarea')].find((i) => attr(i, 'name') === n);
    assert.ok(named('where')!.includes(' required'));
    assert.equal(attr(named('price')!, 'inputmode'), 'decimal');
    assert.ok(named('note')!.startsWith('<textarea'));
    assert.ok(named('contact') !== undefined);
    const photo = named('photo')!;
    assert.equal(attr(photo, 'type'), 'file');
    assert.equal(attr(photo, 'accept'), 'image/jpeg,image/png');
    assert.equal(attr(photo, 'capture'), 'environment');
    assertLabelled(markup);

    assert.ok(!page(viewFor('genuine_first', { reportable: false })).includes('name="where"'));
    assert.ok(!page(viewFor('genuine_first'), { reportAction: null }).includes('name="where"'));
  });

  test('the report form opens by itself after a suspicious verdict', () => {
    assert.match(page(viewFor('not_activated')), /<details open>/);
    assert.match(page(viewFor('genuine_first')), /<details>/);
  });

  test('no script tag at all when there is no position endpoint', () => {
    for (const verdict of VERDICTS)
      assert.ok(!page(viewFor(verdict), { positionEndpoint: null }).includes('<script'));
  });

  test('the position button is hidden until the script reveals it, and explains the coarsening', () => {
    const markup = page(viewFor('genuine_first'), { nonce: 'abc123' });
    const button = tags(markup, 'button').find((b) => attr(b, 'id') === 'pos-btn')!;
    assert.ok(button.includes(' hidden'));
    assert.equal(attr(button, 'data-endpoint'), OPTIONS.positionEndpoint);
    assert.ok(markup.includes(inPage('zh', 'position.note')));
    assert.ok(markup.includes('约 1\u00a0公里'));
    assert.equal(tags(markup, 'script').length, 1);
    assert.ok(markup.includes('<script nonce="abc123">'));
    assert.ok(markup.includes('<style nonce="abc123">'));
    assert.ok(markup.includes('getCurrentPosition'));
    // Without a recorded query there is nothing to attach a position to.
    assert.ok(!page(viewFor('invalid')).includes('<script'));
  });

  test('the place of this query is shown with where it came from', () => {
    assert.ok(
      page(viewFor('genuine_first')).includes(
        '上海市 浦东新区</span><span id="place-source">（根据网络位置）',
      ),
    );
    const precise = page(
      viewFor('genuine_first', {
        place: { regionCode: '310115', names: ['上海市', '浦东新区'], source: 'position' },
      }),
      {
        lang: 'en',
      },
    );
    assert.ok(precise.includes('(from your precise location)'));
  });

  test('antiCounterfeitPopup false hides the genuine banner but never a warning, voided or invalid one', () => {
    for (const verdict of ['genuine_first', 'genuine_repeat', 'pin_required'] as const) {
      const markup = page(viewFor(verdict, { antiCounterfeitPopup: false }));
      assert.ok(!markup.includes('class="v '), verdict);
      assert.ok(!markup.includes(inPage('zh', `verdict.${verdict}.title`)), verdict);
      assert.ok(markup.includes(`<h1 id="product-title">${VIEW.product!.name}</h1>`), verdict);
      assert.ok(markup.includes(inPage('zh', 'batch.heading')));
      assert.ok(markup.includes(VIEW.enterprise!.name));
    }
    for (const verdict of ['warning', 'voided', 'invalid', 'not_activated', 'pin_wrong'] as const) {
      const markup = page(viewFor(verdict, { antiCounterfeitPopup: false }));
      assert.ok(markup.includes(inPage('zh', `verdict.${verdict}.title`)), verdict);
    }
  });

  test('headings are in order with one h1, the page has a language and a switch to the other', () => {
    for (const verdict of VERDICTS) {
      for (const popup of [true, false]) {
        for (const lang of LANGS) {
          const markup = page(viewFor(verdict, { antiCounterfeitPopup: popup }), { lang });
          const levels = [...markup.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
          assert.equal(levels.filter((l) => l === 1).length, 1, `${verdict} ${popup} h1`);
          assert.equal(levels[0], 1);
          for (let i = 1; i < levels.length; i++)
            assert.ok(levels[i]! <= levels[i - 1]! + 1, `${verdict}: ${levels.join(',')}`);
          assert.ok(markup.startsWith(`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`));
        }
      }
    }
    assert.ok(page(viewFor('genuine_first')).includes('href="/c/31004287519036621?lang=en"'));
    assert.ok(page(viewFor('genuine_first'), { lang: 'en' }).includes('href="/c/31004287519036621?lang=zh"'));
  });

  test('the product image has its size, lazy loading and a text alternative', () => {
    const img = tags(page(viewFor('genuine_first')), 'img')[0]!;
    assert.equal(attr(img, 'src'), IMAGE_URL);
    assert.equal(attr(img, 'width'), '96');
    assert.equal(attr(img, 'height'), '96');
    assert.equal(attr(img, 'loading'), 'lazy');
    assert.equal(attr(img, 'alt'), '禾香源 五常稻花香大米的产品图片');
  });

  test('batch facts, the verified qualifications and the links are shown', () => {
    const markup = page(viewFor('genuine_first'));
    for (const text of [
      '20261101-A03',
      '2026年11月1日',
      '2027年10月31日',
      '生产许可证',
      'SC10131011500287',
      '有效期至 2029年6月30日',
      '长期有效',
      '天猫旗舰店',
      '品牌资讯',
    ]) {
      assert.ok(markup.includes(text), text);
    }
    assert.ok(markup.includes('href="/files/report.pdf"'));
  });

  test('cards follow their views: a replaced product, batch or enterprise shows its new data, each language its own', () => {
    const view = viewFor('genuine_repeat');
    const zh = page(view);
    assert.ok(zh.includes(inPage('zh', 'batch.productionDate')));
    assert.ok(page(view, { lang: 'en' }).includes(inPage('en', 'batch.productionDate')));
    assert.equal(page(view), zh, 'the same views draw the same page');
    const product = view.product;
    const batch = view.batch;
    const enterprise = view.enterprise;
    assert.ok(product !== null && batch !== null && enterprise !== null);
    const renamed = page({
      ...view,
      product: { ...product, name: '新包装大米 1kg' },
      batch: { ...batch, lot: '20261120-B07' },
      enterprise: { ...enterprise, name: '禾香源（新）粮油有限公司' },
    });
    for (const text of ['新包装大米 1kg', '20261120-B07', '禾香源（新）粮油有限公司'])
      assert.ok(renamed.includes(text), text);
    assert.ok(!renamed.includes('20261101-A03'));
  });
});

describe('entry page', () => {
  test('has labelled inputs for the code and the PIN, numeric and without autocomplete', () => {
    for (const lang of LANGS) {
      const markup = renderEntryPage({ lang, action: '/c' });
      assertLabelled(markup);
      const form = tags(markup, 'form')[0]!;
      assert.equal(attr(form, 'action'), '/c');
      assert.equal(attr(form, 'method'), 'post');
      for (const name of ['code', 'pin']) {
        const input = tags(markup, 'input').find((i) => attr(i, 'name') === name)!;
        assert.equal(attr(input, 'inputmode'), 'numeric', name);
        assert.equal(attr(input, 'autocomplete'), 'off', name);
        assert.ok(attr(input, 'pattern') !== undefined, name);
      }
      assert.ok(markup.includes(inPage(lang, 'entry.pinHint')));
      assert.ok(markup.includes('href="?lang='));
    }
  });

  test('the code pattern accepts codes as printed (groups, full-width digits) and is valid for the v flag', () => {
    const input = tags(renderEntryPage({ lang: 'zh', action: '/c' }), 'input').find(
      (i) => attr(i, 'name') === 'code',
    )!;
    const source = attr(input, 'pattern')!.replace(/&#39;/g, "'");
    // Browsers match the whole value with the v flag.
    const pattern = new RegExp(`^(?:${source})$`, 'v');
    for (const ok of [
      '31004287519036621',
      '3100 4287 5190 3662 1',
      '3100-4287-5190-3662-1',
      '３１００４２８７５１９０３６６２１',
    ]) {
      assert.ok(pattern.test(ok), ok);
    }
    for (const bad of ['abc', '123', '3100 4287 5190 3662 X']) assert.ok(!pattern.test(bad), bad);
  });

  test('an invalid code is reported, the field marked and what was typed kept (escaped)', () => {
    const markup = renderEntryPage({ lang: 'en', action: '/c', error: 'invalid_code', code: '12"><b>' });
    assert.ok(markup.includes('role="alert"'));
    assert.ok(markup.includes(inPage('en', 'entry.error.invalid_code')));
    assert.ok(markup.includes('value="12&quot;&gt;&lt;b&gt;"'));
    assert.ok(markup.includes('aria-invalid="true"'));
    assert.ok(renderEntryPage({ lang: 'zh', action: '/c', error: 'rate_limited' }).includes('查询过于频繁'));
  });
});

describe('other pages', () => {
  test('the thanks page links back to the result', () => {
    const markup = renderReportThanks({ lang: 'zh', backUrl: '/c/31004287519036621' });
    assert.ok(markup.includes('感谢您的举报'));
    assert.ok(markup.includes('href="/c/31004287519036621"'));
  });

  test('problem pages say what happened and when to retry', () => {
    assert.ok(
      renderProblemPage({ lang: 'zh', kind: 'rate_limited', retryAfterSeconds: 30 }).includes(
        '请在 30 秒后再试',
      ),
    );
    assert.ok(
      renderProblemPage({ lang: 'en', kind: 'rate_limited', retryAfterSeconds: 300 }).includes('about 5 min'),
    );
    for (const kind of ['bad_request', 'not_found', 'unavailable'] as const) {
      for (const lang of LANGS) {
        const markup = renderProblemPage({ lang, kind });
        assert.ok(markup.includes(inPage(lang, `problem.${kind}.title`)), kind);
        assert.ok(!markup.includes('<script'));
      }
    }
  });
});

describe('verify answer', () => {
  const answer = (view: ScanView, publicUrl: string): Static<typeof Verification> => {
    const parsed: unknown = JSON.parse(verificationBody(view, publicUrl).toString('utf8'));
    assert.ok(Value.Check(Verification, parsed), 'the answer has the documented shape');
    return parsed;
  };

  test('URLs are made absolute under the public URL, and a replaced view shows its new data', () => {
    const view = viewFor('genuine_repeat', {
      product: { ...VIEW.product!, imageUrl: '/c/media/f1' },
      batch: { ...VIEW.batch!, inspectionReportUrl: '/c/media/f2' },
    });
    const a = answer(view, 'https://a.example');
    assert.equal(a.product?.imageUrl, 'https://a.example/c/media/f1');
    assert.equal(a.batch?.inspectionReportUrl, 'https://a.example/c/media/f2');
    const b = answer(view, 'https://b.example');
    assert.equal(b.product?.imageUrl, 'https://b.example/c/media/f1', 'another public URL, other URLs');
    const renamed = answer(
      { ...view, product: { ...view.product!, name: '新包装大米 1kg' } },
      'https://a.example',
    );
    assert.equal(renamed.product?.name, '新包装大米 1kg');
    assert.equal(answer(view, 'https://a.example').product?.name, view.product?.name);
    assert.deepEqual(a.links, view.links);
    assert.deepEqual(a.enterprise, view.enterprise);
  });

  test('the answer of every verdict is JSON of the documented shape, missing parts as null', () => {
    const verdicts: Verdict[] = ['genuine_first', 'genuine_repeat', 'warning', 'pin_required', 'pin_wrong'];
    for (const verdict of [...verdicts, 'not_activated', 'invalid', 'voided', 'recalled'] as const) {
      const a = answer(viewFor(verdict), 'https://a.example');
      assert.equal(a.verdict, verdict);
    }
    const bare = answer(viewFor('invalid', { place: null }), 'https://a.example');
    assert.deepEqual(
      [bare.product, bare.batch, bare.enterprise, bare.place, bare.trace, bare.recall],
      [null, null, null, null, null, null],
    );
  });

  test('every field of the view is in the answer, and nothing beyond the schema', () => {
    const view = viewFor('recalled', {
      warnings: ['query_limit', 'distant_regions'],
      scanId: '0190a0b0-0000-7000-8000-000000000001',
      firstQueryAt: 1_700_000_000_000,
      queryCount: 7,
      promptText: '感谢您购买 "正品"\n',
      warningText: null,
      queryLimit: 5,
      place: { regionCode: '310115', names: ['上海市', '浦东新区'], source: 'ip' },
      recall: { at: 1_700_000_100_000, reason: '包装破损', scope: 'batch' },
      trace: {
        steps: [{ stage: 'production', bizStep: 'commissioning', disposition: null, at: 1, place: '一厂' }],
        more: 2,
      },
      // A view object may carry more than the schema has; the answer must not.
      product: { ...VIEW.product!, internalNote: 'not for consumers' } as ScanView['product'],
    });
    const a = answer(view, 'https://a.example');
    const { product, batch, enterprise, ...rest } = a;
    const { product: vp, batch: vb, enterprise: ve, ...viewRest } = view;
    assert.deepEqual(rest, viewRest);
    assert.deepEqual(batch, { ...vb!, inspectionReportUrl: `https://a.example${vb!.inspectionReportUrl!}` });
    assert.deepEqual(enterprise, ve);
    assert.deepEqual(product, VIEW.product, 'an absolute image URL stays as it is');
    assert.equal(product?.name, vp?.name);
    assert.ok(!('internalNote' in (product ?? {})));
  });
});
