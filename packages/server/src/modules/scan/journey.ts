/**
 * A trace timeline (the trace module's answer) as consumers read it: the steps in time order,
 * each with a readable place. Identifiers of places are URIs; the enterprise's own sites and
 * partners (`{PUBLIC_URL}/id/{enterpriseId}/site/{name}`) carry their name, a GLN is shown as
 * such, anything else is left out rather than shown as a URI.
 */
import type { TimelineEvent } from '../trace/service.js';
import type { TraceStage } from '@tracemark/core';
import type { TraceStepView, TraceView } from './view-model.js';

/** Most steps the scan page lists; the full journey has its own page. */
export const PAGE_STEPS = 12;

/** Most steps the journey page and the trace API list. */
export const JOURNEY_STEPS = 200;

/** A readable name for a place identifier, or null. */
export function placeName(uri: string | null): string | null {
  if (uri === null) return null;
  const own = /\/id\/[0-9a-f-]{36}\/(?:site|party)\/([^/?#]+)$/.exec(uri);
  if (own !== null) {
    try {
      return decodeURIComponent(own[1] ?? '');
    } catch {
      return null;
    }
  }
  const sgln = /^urn:epc:id:sgln:(\d+)\.(\d+)\.(.*)$/.exec(uri);
  if (sgln !== null) return `GLN ${sgln[1] ?? ''}${sgln[2] ?? ''}`;
  const gln = /\/414\/(\d{13})/.exec(uri);
  return gln === null ? null : `GLN ${gln[1] ?? ''}`;
}

/** The steps of a timeline, oldest first, at most `limit`. */
export function journeyOf(
  timeline: ReadonlyArray<{ readonly stage: TraceStage; readonly events: readonly TimelineEvent[] }>,
  limit: number,
): TraceView {
  const steps: TraceStepView[] = timeline
    .flatMap((g) => g.events)
    .sort((a, b) => a.eventTime - b.eventTime)
    .map((e) => ({
      stage: e.stage,
      bizStep: e.bizStep,
      disposition: e.disposition,
      at: e.eventTime,
      place: placeName(e.bizLocation) ?? placeName(e.readPoint),
    }));
  return { steps: steps.slice(0, limit), more: Math.max(0, steps.length - limit) };
}
