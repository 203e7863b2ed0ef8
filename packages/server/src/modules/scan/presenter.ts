import type { Static } from 'typebox';
import type { ConsumerTrace, PositionAnswer } from './schemas.js';
import type {
  BatchView,
  EnterpriseView,
  PlaceView,
  ProductView,
  RecallView,
  ScanLink,
  ScanView,
  TraceView,
} from './view-model.js';

/**
 * The verify endpoint's answer (the `Verification` schema) as UTF-8 JSON: the page's view with
 * absolute URLs, since apps and mini-programs do not resolve paths against our origin. Written
 * here rather than by the route's serializer because most of it repeats: the parts drawn from
 * the scan path's cached views (product, batch, enterprise, links, place, trace) are immutable
 * and replaced when their data changes, so each is encoded once per view object and copied into
 * the answer; only the query's own fields are written per request. Every object is spelled field
 * by field, so nothing outside the schema can slip into an answer.
 */
export function verificationBody(view: ScanView, publicUrl: string): Buffer {
  const own =
    `{"code":${JSON.stringify(view.code)},"verdict":"${view.verdict}",` +
    `"warnings":${view.warnings.length === 0 ? '[]' : JSON.stringify(view.warnings)},` +
    `"counted":${view.counted},"scanId":${JSON.stringify(view.scanId)},` +
    `"firstQueryAt":${view.firstQueryAt},"queryCount":${view.queryCount},` +
    `"hasPin":${view.hasPin},"pinVerified":${view.pinVerified},` +
    `"promptText":${JSON.stringify(view.promptText)},"warningText":${JSON.stringify(view.warningText)},` +
    `"queryLimit":${view.queryLimit},"antiCounterfeitPopup":${view.antiCounterfeitPopup},` +
    `"reportable":${view.reportable},"recall":${view.recall === null ? 'null' : recallJson(view.recall)}`;
  const product = view.product === null ? NO_PRODUCT : once(view.product, publicUrl, productPart);
  const batch = view.batch === null ? NO_BATCH : once(view.batch, publicUrl, batchPart);
  const enterprise = view.enterprise === null ? NO_ENTERPRISE : once(view.enterprise, '', enterprisePart);
  const links = once(view.links, '', linksPart);
  const place = view.place === null ? NO_PLACE : once(view.place, '', placePart);
  const trace = view.trace === null ? NO_TRACE : once(view.trace, '', tracePart);
  const ownBytes = Buffer.byteLength(own);
  const body = Buffer.allocUnsafe(
    ownBytes +
      product.length +
      batch.length +
      enterprise.length +
      links.length +
      place.length +
      trace.length +
      1,
  );
  body.write(own, 0);
  let at = ownBytes;
  for (const part of [product, batch, enterprise, links, place, trace]) {
    body.set(part, at);
    at += part.length;
  }
  body[at] = CLOSE_BRACE;
  return body;
}

const CLOSE_BRACE = 0x7d;
const NO_PRODUCT = Buffer.from(',"product":null');
const NO_BATCH = Buffer.from(',"batch":null');
const NO_ENTERPRISE = Buffer.from(',"enterprise":null');
const NO_PLACE = Buffer.from(',"place":null');
const NO_TRACE = Buffer.from(',"trace":null');

const encoded = new WeakMap<object, { readonly variant: string; readonly part: Buffer }>();

/**
 * A part of the answer (`,"name":value` in UTF-8), encoded once per view object and variant (the
 * public URL it was made with).
 */
function once<V extends object>(
  view: V,
  variant: string,
  write: (view: V, variant: string) => string,
): Buffer {
  const hit = encoded.get(view);
  if (hit !== undefined && hit.variant === variant) return hit.part;
  const part = Buffer.from(write(view, variant));
  encoded.set(view, { variant, part });
  return part;
}

/** A URL of ours made absolute under the public URL; others as they are. */
function absolute(url: string | null, publicUrl: string): string | null {
  return url === null || /^https?:\/\//.test(url) ? url : `${publicUrl}${url}`;
}

const productPart = (p: ProductView, publicUrl: string): string =>
  ',"product":' +
  JSON.stringify({
    name: p.name,
    brand: p.brand,
    specification: p.specification,
    category: p.category,
    gtin: p.gtin,
    executedStandard: p.executedStandard,
    shelfLifeDays: p.shelfLifeDays,
    description: p.description,
    imageUrl: absolute(p.imageUrl, publicUrl),
  });

const batchPart = (b: BatchView, publicUrl: string): string =>
  ',"batch":' +
  JSON.stringify({
    lot: b.lot,
    productionDate: b.productionDate,
    expiryDate: b.expiryDate,
    inspectionReportUrl: absolute(b.inspectionReportUrl, publicUrl),
  });

const enterprisePart = (e: EnterpriseView): string =>
  ',"enterprise":' +
  JSON.stringify({
    name: e.name,
    uscc: e.uscc,
    address: e.address,
    regionNames: e.regionNames,
    qualifications: e.qualifications.map((q) => ({
      kind: q.kind,
      title: q.title,
      number: q.number,
      expiresOn: q.expiresOn,
    })),
  });

const linksPart = (links: readonly ScanLink[]): string =>
  ',"links":' + JSON.stringify(links.map((l) => ({ kind: l.kind, url: l.url, label: l.label })));

const placePart = (place: PlaceView): string => `,"place":${JSON.stringify(presentPlace(place))}`;

const recallJson = (r: RecallView): string => JSON.stringify({ at: r.at, reason: r.reason, scope: r.scope });

const tracePart = (trace: TraceView): string => `,"trace":${JSON.stringify(presentTrace(trace))}`;

/** A consumer trace as the API shows it. */
export function presentTrace(trace: TraceView): Static<typeof ConsumerTrace> {
  return {
    steps: trace.steps.map((s) => ({
      stage: s.stage,
      bizStep: s.bizStep,
      disposition: s.disposition,
      at: s.at,
      place: s.place,
    })),
    more: trace.more,
  };
}

/** A place as the API shows it. */
export function presentPlace(place: PlaceView | null): Static<typeof PositionAnswer>['place'] {
  return place === null
    ? null
    : { regionCode: place.regionCode, names: [...place.names], source: place.source };
}
