/**
 * The preview of the consumer scan page for settings being edited: the real page renderer on the
 * enterprise's own product, batch, qualifications and a code of its own, with the draft settings
 * merged as saving them would. Reads only: no code is written, no query stored or counted.
 */
import { randomBytes } from 'node:crypto';
import type { Verdict } from '@tracemark/core';
import type { ScanSettingsRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireActor, requireTenant, type ServiceContext } from '../../lib/context.js';
import { loadProduct } from '../products/service.js';
import { renderScanPage } from '../scan/page.js';
import { mediaPath, type ScanPresentation } from '../scan/presentation.js';
import { placeOf } from '../scan/verifier.js';
import type { Lang, ScanView } from '../scan/view-model.js';
import {
  effectiveScanSettings,
  enterpriseSettingsRow,
  overrideSettingsRow,
  requireImage,
  type ScanSettingsInput,
  type ScanSettingsOverrideInput,
} from './service.js';

/** The verdicts a preview can show: what settings change. */
export type PreviewVerdict = Extract<Verdict, 'genuine_first' | 'genuine_repeat' | 'warning'>;

/** What to preview, as the API takes it. */
export interface PreviewInput {
  /** The product the page is for; without it, the enterprise's settings on its newest product. */
  readonly productId?: string | undefined;
  /** A draft of the enterprise's settings; missing: the saved ones. */
  readonly enterprise?: ScanSettingsInput | undefined;
  /** A draft of the product's override (needs `productId`); missing: the saved one. */
  readonly override?: ScanSettingsOverrideInput | undefined;
  readonly verdict?: PreviewVerdict | undefined;
  readonly language?: Lang | undefined;
}

/** A rendered preview: the page and the nonce its inline style carries. */
export interface RenderedPreview {
  readonly html: string;
  readonly nonce: string;
}

/** Shown on the code line when the enterprise has issued no codes yet. */
const SAMPLE_CODE = '10000000000000000001';
const DAY_MS = 86_400_000;

// What makes the page a preview: a ribbon that says so, and links that lead nowhere (the page is
// shown in the console, sandboxed; a click must not open a shop or the live page in the frame).
const PREVIEW_STYLE =
  '.tm-preview{position:sticky;top:0;z-index:10;margin:0;padding:6px 12px;background:#262626;color:#fff;' +
  'font-size:12px;line-height:1.5;text-align:center;letter-spacing:.02em}' +
  'a[href]:not([href^="#"]){pointer-events:none;cursor:default}';
const RIBBON = {
  zh: '预览 · 示例数据，不计入查询次数',
  en: 'Preview · sample data, not counted as a query',
} as const;

/**
 * Renders the scan page a consumer would see with the draft settings. The query record is made
 * up for the verdict asked (a first query now; a repeat three days after the first; a warning
 * one query past the limit, or between distant regions when there is no limit).
 */
export async function renderScanPreview(
  ctx: ServiceContext,
  presentation: ScanPresentation,
  input: PreviewInput,
  now: number = Date.now(),
): Promise<RenderedPreview> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx);
  if (input.override !== undefined && input.productId === undefined) {
    throw new AppError('TRACE_HTTP_VALIDATION', 'A draft override needs the productId it is for.', [
      { field: 'body.override', message: 'needs productId' },
    ]);
  }
  const product = input.productId === undefined ? undefined : await loadProduct(ctx, input.productId);
  for (const id of [input.enterprise?.imageFileId, input.override?.imageFileId])
    if (id != null) await requireImage(repos, tenantId, id);

  // The saved rows with the drafts in their place, merged as the scan page merges them.
  const saved = await repos.scans.settingsFor(tenantId, product?.id ?? null);
  const rows: ScanSettingsRow[] = saved.filter(
    (r) =>
      !(r.scope === '*' && input.enterprise !== undefined) &&
      !(r.scope === product?.id && input.override !== undefined),
  );
  if (input.enterprise !== undefined)
    rows.push(enterpriseSettingsRow(tenantId, input.enterprise, actor.id, now));
  if (input.override !== undefined && product !== undefined)
    rows.push(overrideSettingsRow(tenantId, product.id, input.override, actor.id, now));
  const settings = effectiveScanSettings(rows, product?.id ?? null);

  // Sample content: the product (or the newest active one), its newest batch, a code of its own.
  const sampleProductId =
    product?.id ??
    (await repos.products.list(tenantId, { status: 'active' }, { page: 1, pageSize: 1 })).items[0]?.id;
  const [shown, enterprise, enterpriseRow, batchRow, job] = await Promise.all([
    sampleProductId === undefined ? undefined : presentation.product(tenantId, sampleProductId),
    presentation.enterprise(tenantId),
    repos.enterprises.findById(tenantId),
    sampleProductId === undefined
      ? undefined
      : repos.batches
          .list(tenantId, { productId: sampleProductId }, { page: 1, pageSize: 1 })
          .then((p) => p.items[0]),
    repos.codes
      .listJobs(tenantId, sampleProductId === undefined ? {} : { productId: sampleProductId }, {
        page: 1,
        pageSize: 1,
      })
      .then((p) => p.items[0]),
  ]);
  const [batch, trace] =
    batchRow === undefined
      ? [undefined, null]
      : await Promise.all([
          presentation.batch(tenantId, batchRow.id),
          presentation.trace(tenantId, batchRow.id),
        ]);
  const space = job === undefined ? undefined : await repos.codes.findSpace(tenantId, job.space_id);
  const code =
    job === undefined || space === undefined
      ? SAMPLE_CODE
      : ctx.engines.for(space).codec.encode(job.first_serial);

  const verdict = input.verdict ?? 'genuine_first';
  const limit = settings.queryLimit;
  const count = verdict === 'genuine_first' ? 1 : verdict === 'genuine_repeat' ? 2 : (limit ?? 2) + 1;
  const firstAt = verdict === 'genuine_first' ? now : now - (verdict === 'genuine_repeat' ? 3 : 20) * DAY_MS;
  const imageId = settings.imageFileId ?? shown?.firstImageId ?? null;
  const view: ScanView = {
    code,
    verdict,
    warnings: verdict !== 'warning' ? [] : limit === null ? ['distant_regions'] : ['query_limit'],
    counted: true,
    scanId: null,
    firstQueryAt: firstAt,
    queryCount: count,
    hasPin: false,
    pinVerified: false,
    promptText: settings.promptText,
    warningText: settings.warningText,
    queryLimit: limit,
    antiCounterfeitPopup: settings.antiCounterfeitPopup,
    product:
      shown === undefined ? null : { ...shown.view, imageUrl: imageId === null ? null : mediaPath(imageId) },
    batch: batch?.view ?? null,
    enterprise: enterprise ?? null,
    links: settings.links,
    place: placeOf(enterpriseRow?.region_code ?? null, 'ip'),
    reportable: true,
    recall: null,
    trace,
  };
  const lang = input.language ?? 'zh';
  const nonce = randomBytes(12).toString('base64');
  const page = renderScanPage(view, {
    lang,
    // The language switch leads nowhere: the console switches the preview's language.
    path: 'about:blank',
    positionEndpoint: null,
    reportAction: '#report',
    pinAction: '#',
    nonce,
  });
  const extra = `<style nonce="${nonce}">${PREVIEW_STYLE}</style></head>`;
  const ribbon = `<body><p class="tm-preview" role="note">${RIBBON[lang]}</p>`;
  return { html: page.replace('</head>', extra).replace('<body>', ribbon), nonce };
}
