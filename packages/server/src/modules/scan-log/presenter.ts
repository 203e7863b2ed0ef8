import { regionPath } from '@tracemark/core';
import type { ScanRow } from '@tracemark/db';
import type { CodeQueriesView, ScanSummary } from './service.js';

/** A region code with its names, or null. */
export function presentRegion(code: string | null) {
  return code === null ? null : { regionCode: code, names: [...(regionPath(code) ?? [])] };
}

/** A recorded consumer query on the wire. */
export function presentScan(s: ScanRow) {
  const region = presentRegion(s.region_code);
  return {
    id: s.id,
    code: s.code,
    productId: s.product_id,
    batchId: s.batch_id,
    at: s.at,
    verdict: s.verdict,
    warnings: s.warnings === '' ? [] : s.warnings.split(','),
    region: region === null ? null : { ...region, source: s.region_source ?? ('ip' as const) },
    position:
      s.latitude === null || s.longitude === null ? null : { latitude: s.latitude, longitude: s.longitude },
    channel: s.channel,
    client: s.client,
    pinVerified: s.pin_verified === 1,
  };
}

/** The dashboard on the wire. */
export function presentSummary(s: ScanSummary) {
  return {
    today: { ...s.today },
    last7Days: { ...s.last7Days },
    byDay: s.byDay.map((d) => ({ ...d })),
    topProducts: s.topProducts.map((p) => ({ ...p })),
    byRegion: s.byProvince.map((p) => ({
      regionCode: p.regionCode,
      names: [...(regionPath(p.regionCode) ?? [])],
      count: p.count,
    })),
    recentFlagged: s.recentFlagged.map(presentScan),
    figures: { ...s.figures },
  };
}

/** A code's query history on the wire. */
export function presentCodeQueries(v: CodeQueriesView) {
  const q = v.summary;
  return {
    code: v.code,
    firstQueryAt: q === undefined ? null : q.first_at,
    firstRegion: presentRegion(q?.first_region ?? null),
    count: q === undefined ? 0 : q.count,
    lastQueryAt: q === undefined ? null : q.last_at,
    lastRegion: presentRegion(q?.last_region ?? null),
    scans: v.scans.map(presentScan),
  };
}
