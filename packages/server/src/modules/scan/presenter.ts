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
 * The verify endpoint's answer (the `Verification` schema) as JSON text: the page's view with
 * absolute URLs, since apps and mini-programs do not resolve paths against our origin. Written
 * here rather than by the route's serializer because most of it repeats: the parts drawn from
 * the scan path's cached views (product, batch, enterprise, links, trace, place) are immutable
 * and replaced when their data changes, so each is written once per view object and reused.
 * Every object is spelled field by field, so nothing outside the schema can slip into an answer.
 */
export function verificationJson(view: ScanView, publicUrl: string): string {
  return (
    `{"code":${JSON.stringify(view.code)},"verdict":"${view.verdict}",` +
    `"warnings":${view.warnings.length === 0 ? '[]' : JSON.stringify(view.warnings)},` +
    `"counted":${view.counted},"scanId":${JSON.stringify(view.scanId)},` +
    `"firstQueryAt":${view.firstQueryAt},"queryCount":${view.queryCount},` +
    `"hasPin":${view.hasPin},"pinVerified":${view.pinVerified},` +
    `"promptText":${JSON.stringify(view.promptText)},"warningText":${JSON.stringify(view.warningText)},` +
    `"queryLimit":${view.queryLimit},"antiCounterfeitPopup":${view.antiCounterfeitPopup},` +
    `"product":${view.product === null ? 'null' : once(view.product, publicUrl, productJson)},` +
    `"batch":${view.batch === null ? 'null' : once(view.batch, publicUrl, batchJson)},` +
    `"enterprise":${view.enterprise === null ? 'null' : once(view.enterprise, '', enterpriseJson)},` +
    `"links":${once(view.links, '', linksJson)},` +
    `"place":${view.place === null ? 'null' : once(view.place, '', placeJson)},` +
    `"reportable":${view.reportable},"recall":${view.recall === null ? 'null' : recallJson(view.recall)},` +
    `"trace":${view.trace === null ? 'null' : once(view.trace, '', traceJson)}}`
  );
}

const written = new WeakMap<object, { readonly variant: string; readonly json: string }>();

/** `write(view, variant)`, made once per view object and variant (the public URL it was made with). */
function once<V extends object>(
  view: V,
  variant: string,
  write: (view: V, variant: string) => string,
): string {
  const hit = written.get(view);
  if (hit !== undefined && hit.variant === variant) return hit.json;
  const json = write(view, variant);
  written.set(view, { variant, json });
  return json;
}

/** A URL of ours made absolute under the public URL; others as they are. */
function absolute(url: string | null, publicUrl: string): string | null {
  return url === null || /^https?:\/\//.test(url) ? url : `${publicUrl}${url}`;
}

const productJson = (p: ProductView, publicUrl: string): string =>
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

const batchJson = (b: BatchView, publicUrl: string): string =>
  JSON.stringify({
    lot: b.lot,
    productionDate: b.productionDate,
    expiryDate: b.expiryDate,
    inspectionReportUrl: absolute(b.inspectionReportUrl, publicUrl),
  });

const enterpriseJson = (e: EnterpriseView): string =>
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

const linksJson = (links: readonly ScanLink[]): string =>
  JSON.stringify(links.map((l) => ({ kind: l.kind, url: l.url, label: l.label })));

const placeJson = (place: PlaceView): string => JSON.stringify(presentPlace(place));

const recallJson = (r: RecallView): string => JSON.stringify({ at: r.at, reason: r.reason, scope: r.scope });

const traceJson = (trace: TraceView): string => JSON.stringify(presentTrace(trace));

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
