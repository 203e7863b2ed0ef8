/**
 * What a consumer's scan means: the rules that turn a code's state and its query history into
 * a verdict. Pure, so the JSON endpoint, the scan page and the tests all agree.
 */

/** The verdict a consumer sees, each with its own wording on the page. */
export type Verdict =
  /** Genuine and queried for the first time: the first query time was locked now. */
  | 'genuine_first'
  /** Genuine, queried before: shows the locked first query time and the count. */
  | 'genuine_repeat'
  /** The code exists but something is wrong: query limit passed or an abnormal pattern. */
  | 'warning'
  /** The label carries a hidden PIN (scratch-off) and none was given: the code alone is not proof. */
  | 'pin_required'
  /** A PIN was given and it is wrong. */
  | 'pin_wrong'
  /** Issued but never activated for a batch: suspicious (codes leaked before packing). */
  | 'not_activated'
  /** Bad check digit, unknown prefix or never issued. */
  | 'invalid'
  /** Taken out of use (replaced, destroyed). */
  | 'voided'
  /**
   * Genuine, but the enterprise recalled it (the code, a case or pallet it is packed in, or its
   * batch): the consumer must stop using it. Outranks every genuine verdict and warning.
   */
  | 'recalled';

/** Why a genuine code is shown with a warning. */
export type WarningReason =
  /** More queries than the enterprise's per-code limit (单码限定查询次数). */
  | 'query_limit'
  /** This query comes from far away from the previous one, sooner than anyone could travel. */
  | 'distant_regions';

/** The state of an issued code, as the store knows it at the moment of the query. */
export type CodeState = 'issued' | 'active' | 'voided';

/** Everything {@link decideVerdict} weighs. */
export interface VerdictInput {
  readonly state: CodeState;
  /** Whether the code's job printed a hidden PIN. */
  readonly hasPin: boolean;
  /** The PIN the consumer typed, if any; `pinOk` says whether it matched. */
  readonly pinGiven: boolean;
  readonly pinOk: boolean;
  /** Queries so far, this one included (0 when the query is not counted). */
  readonly queryCount: number;
  /** Whether this query is the one that locked the first query time. */
  readonly isFirstQuery: boolean;
  /** The enterprise's per-code query limit; null means no limit. */
  readonly queryLimit: number | null;
  /** Whether the distance/time check found this query implausibly far from the last one. */
  readonly distantFromPrevious: boolean;
  /** Whether the code, a container it is packed in or its batch is under recall. */
  readonly recalled?: boolean;
}

/** The outcome: the verdict plus every warning reason found (for the page and statistics). */
export interface VerdictOutcome {
  readonly verdict: Verdict;
  readonly warnings: readonly WarningReason[];
}

/**
 * Decides the verdict. Order matters: a voided code is voided whatever its history; a wrong PIN
 * is reported before anything that would suggest the code is fine; a recall outranks warnings
 * (the consumer's safety first; the warnings are still returned for statistics); warnings
 * outrank "genuine".
 */
export function decideVerdict(input: VerdictInput): VerdictOutcome {
  if (input.state === 'voided') return { verdict: 'voided', warnings: [] };
  if (input.pinGiven && !input.pinOk) return { verdict: 'pin_wrong', warnings: [] };
  if (input.state === 'issued') return { verdict: 'not_activated', warnings: [] };
  const warnings: WarningReason[] = [];
  if (input.queryLimit !== null && input.queryCount > input.queryLimit) warnings.push('query_limit');
  if (input.distantFromPrevious) warnings.push('distant_regions');
  if (input.recalled === true) return { verdict: 'recalled', warnings };
  if (warnings.length > 0) return { verdict: 'warning', warnings };
  if (input.hasPin && !input.pinOk) return { verdict: 'pin_required', warnings: [] };
  return { verdict: input.isFirstQuery ? 'genuine_first' : 'genuine_repeat', warnings: [] };
}

/**
 * Whether two consecutive queries of one code are too far apart for the time between them:
 * faster than `maxSpeedKmh` over more than `minDistanceKm` (nearby cities are never flagged,
 * IP regions are coarse). Unknown distance is never abnormal.
 */
export function isImplausibleTravel(
  distanceKm: number | undefined,
  elapsedMs: number,
  options: { readonly minDistanceKm?: number; readonly maxSpeedKmh?: number } = {},
): boolean {
  const minDistanceKm = options.minDistanceKm ?? 300;
  const maxSpeedKmh = options.maxSpeedKmh ?? 800;
  if (distanceKm === undefined || distanceKm < minDistanceKm) return false;
  const hours = Math.max(elapsedMs, 0) / 3_600_000;
  return distanceKm > maxSpeedKmh * hours;
}

/**
 * What the decision of one counted query needs besides the code's state, all known before the
 * write: plain data, so the write can run on a thread of its own and decide there.
 */
export interface ScanRule {
  /** Whether the code's job printed a hidden PIN. */
  readonly hasPin: boolean;
  readonly pinGiven: boolean;
  readonly pinOk: boolean;
  /** The per-code query limit in force (the product's, else the enterprise's); null: none. */
  readonly queryLimit: number | null;
  /** Whether the code itself, or a case or pallet it is packed in, is under recall. */
  readonly recalled: boolean;
  /** The tenant's batches under recall (which batch the code is in is read with its state). */
  readonly recalledBatches: readonly string[];
  /** The product of the code's job, written with the query. */
  readonly productId: string | null;
}

/** The query summary of a code before (or after) a query: first query locked, count, last query. */
export interface QuerySummary {
  readonly firstAt: number;
  readonly firstRegion: string | null;
  readonly count: number;
  readonly lastAt: number;
  readonly lastRegion: string | null;
}

/** A code's state at the moment of a query, as the store reads it inside the write. */
export interface QueryState {
  readonly activation: { readonly batchId: string; readonly activatedAt: number } | null;
  readonly voided: boolean;
  /** The query summary before this query; null when the code was never queried. */
  readonly previous: QuerySummary | null;
}

/** The decision written with a query: verdict, warnings (comma-separated), product and batch. */
export interface ScanVerdict {
  readonly verdict: Verdict;
  readonly warnings: string;
  readonly productId: string | null;
  readonly batchId: string | null;
}

/**
 * Decides a counted query (or a preview's look) from its rule and the code's state: the state
 * names the code's batch (recalled or not) and its previous query (how far away, how long ago;
 * `distanceKm` between region codes, undefined when unknown).
 */
export function decideScan(
  rule: ScanRule,
  query: { readonly at: number; readonly regionCode: string | null },
  state: QueryState,
  distanceKm: (a: string, b: string) => number | undefined,
): ScanVerdict {
  const previous = state.previous;
  const batchId = state.activation?.batchId ?? null;
  const outcome = decideVerdict({
    state: state.voided ? 'voided' : state.activation === null ? 'issued' : 'active',
    hasPin: rule.hasPin,
    pinGiven: rule.pinGiven,
    pinOk: rule.pinOk,
    queryCount: (previous?.count ?? 0) + 1,
    isFirstQuery: previous === null,
    queryLimit: rule.queryLimit,
    distantFromPrevious:
      previous !== null &&
      previous.lastRegion !== null &&
      query.regionCode !== null &&
      isImplausibleTravel(distanceKm(previous.lastRegion, query.regionCode), query.at - previous.lastAt),
    recalled: rule.recalled || (batchId !== null && rule.recalledBatches.includes(batchId)),
  });
  return {
    verdict: outcome.verdict,
    warnings: outcome.warnings.join(','),
    productId: rule.productId,
    batchId,
  };
}
