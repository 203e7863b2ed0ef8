import type { Static } from 'typebox';
import type { ConsumerTrace, PositionAnswer, Verification } from './schemas.js';
import type { PlaceView, ScanView, TraceView } from './view-model.js';

/**
 * The verify endpoint's answer: the page's view with absolute URLs, since apps and
 * mini-programs do not resolve paths against our origin. The parts drawn from the scan path's
 * cached views (product, batch, enterprise, links, trace) are presented once per view object:
 * the views are immutable and replaced when their data changes.
 */
export function presentVerification(view: ScanView, publicUrl: string): Static<typeof Verification> {
  const absolute = (url: string | null): string | null =>
    url === null || /^https?:\/\//.test(url) ? url : `${publicUrl}${url}`;
  return {
    ...view,
    warnings: [...view.warnings],
    product:
      view.product === null
        ? null
        : once(view.product, publicUrl, (p) => ({ ...p, imageUrl: absolute(p.imageUrl) })),
    batch:
      view.batch === null
        ? null
        : once(view.batch, publicUrl, (b) => ({
            ...b,
            inspectionReportUrl: absolute(b.inspectionReportUrl),
          })),
    enterprise:
      view.enterprise === null
        ? null
        : once(view.enterprise, '', (e) => ({
            ...e,
            regionNames: [...e.regionNames],
            qualifications: e.qualifications.map((q) => ({ ...q })),
          })),
    links: once(view.links, '', (links) => links.map((l) => ({ ...l }))),
    place: presentPlace(view.place),
    recall: view.recall === null ? null : { ...view.recall },
    trace: view.trace === null ? null : once(view.trace, '', presentTrace),
  };
}

const presented = new WeakMap<object, { readonly variant: string; readonly value: unknown }>();

/** `present(view)`, made once per view object (and variant: the public URL it was made with). */
function once<V extends object, P>(view: V, variant: string, present: (view: V) => P): P {
  const hit = presented.get(view);
  if (hit !== undefined && hit.variant === variant) return hit.value as P;
  const value = present(view);
  presented.set(view, { variant, value });
  return value;
}

/** A consumer trace as the API shows it. */
export function presentTrace(trace: TraceView): Static<typeof ConsumerTrace> {
  return { steps: trace.steps.map((s) => ({ ...s })), more: trace.more };
}

/** A place as the API shows it. */
export function presentPlace(place: PlaceView | null): Static<typeof PositionAnswer>['place'] {
  return place === null ? null : { ...place, names: [...place.names] };
}
