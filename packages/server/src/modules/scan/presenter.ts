import type { Static } from 'typebox';
import type { ConsumerTrace, PositionAnswer, Verification } from './schemas.js';
import type { PlaceView, ScanView, TraceView } from './view-model.js';

/**
 * The verify endpoint's answer: the page's view with absolute URLs, since apps and
 * mini-programs do not resolve paths against our origin.
 */
export function presentVerification(view: ScanView, publicUrl: string): Static<typeof Verification> {
  const absolute = (url: string | null): string | null =>
    url === null || /^https?:\/\//.test(url) ? url : `${publicUrl}${url}`;
  return {
    ...view,
    warnings: [...view.warnings],
    product: view.product === null ? null : { ...view.product, imageUrl: absolute(view.product.imageUrl) },
    batch:
      view.batch === null
        ? null
        : { ...view.batch, inspectionReportUrl: absolute(view.batch.inspectionReportUrl) },
    enterprise:
      view.enterprise === null
        ? null
        : {
            ...view.enterprise,
            regionNames: [...view.enterprise.regionNames],
            qualifications: view.enterprise.qualifications.map((q) => ({ ...q })),
          },
    links: view.links.map((l) => ({ ...l })),
    place: presentPlace(view.place),
    recall: view.recall === null ? null : { ...view.recall },
    trace: view.trace === null ? null : presentTrace(view.trace),
  };
}

/** A consumer trace as the API shows it. */
export function presentTrace(trace: TraceView): Static<typeof ConsumerTrace> {
  return { steps: trace.steps.map((s) => ({ ...s })), more: trace.more };
}

/** A place as the API shows it. */
export function presentPlace(place: PlaceView | null): Static<typeof PositionAnswer>['place'] {
  return place === null ? null : { ...place, names: [...place.names] };
}
