import { timingSafeEqual } from 'node:crypto';
import { normalizeCode, parseCode } from '@tracemark/codes';
import {
  decideScan,
  regionName,
  regionPath,
  type QueryState,
  type ScanRule,
  type ScanVerdict,
} from '@tracemark/core';
import {
  createScanStore,
  newId,
  repositories,
  type CodeSpaceRow,
  type Db,
  type ScanChannel,
  type ScanClient,
  type ScanQuery,
  type ScanStore,
} from '@tracemark/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { ChangeNotices } from '../../lib/changes.js';
import type { GeoLocator } from '../../lib/geo/index.js';
import type { CodeEngines, SpaceEngine } from '../codes/code-engine.js';
import type { EffectiveScanSettings } from '../scan-settings/service.js';
import { SpaceDirectory, type IssuedRange } from './directory.js';
import { ScanGuard, type GuardAlert } from './guard.js';
import { codeEpc } from '../trace-actions/identifiers.js';
import { mediaPath, ScanPresentation, type BatchTraceLoader } from './presentation.js';
import { containerRecall, NO_RECALLS, recallView, type RecallMark, type RecallSet } from './recalls.js';
import { DecodeBatch } from './decode-batch.js';
import { GroupCommit } from './group-commit.js';
import type { PlaceView, ProductView, RecallView, ScanView, TraceView } from './view-model.js';

/** One verification request, as the routes hand it over. */
export interface VerifyRequest {
  /** The code as typed or taken from the URL (normalised here). */
  readonly code: string;
  /** The hidden PIN, when the consumer typed one. */
  readonly pin: string | undefined;
  readonly ip: string;
  readonly channel: ScanChannel;
  readonly client: ScanClient;
  /** False for link previews, crawlers and prefetches: they see the product but are not counted. */
  readonly countable: boolean;
  /**
   * The GTIN of a Digital Link URL (`/01/{gtin}/21/{code}`): the code must belong to a product
   * with this GTIN, else the label is not ours.
   */
  readonly gtin?: string | undefined;
}

/** The answer: a view to show, or a refusal of an address that made too many invalid lookups. */
export type VerifyResult =
  | { readonly type: 'view'; readonly view: ScanView }
  | { readonly type: 'blocked'; readonly retryAfterSeconds: number };

/** The journey of a code, or why there is none to show. */
export type JourneyResult =
  | { readonly type: 'journey'; readonly code: string; readonly journey: TraceView }
  | { readonly type: 'invalid'; readonly code: string }
  | { readonly type: 'blocked'; readonly retryAfterSeconds: number };

/** Where the scan side reads traces from (the app passes the trace module's walks). */
export interface ScanTraceSource {
  /** A batch's journey for the scan page (cached per batch), null when it has no events. */
  readonly batch: BatchTraceLoader;
  /** A code's full journey (its containers, batch and raw materials). */
  readonly code: (tenantId: string, spaceId: string, serial: number) => Promise<TraceView>;
}

/** A recall that covers a scanned code, and how (the code itself, a container, its batch). */
interface FoundRecall {
  readonly mark: RecallMark;
  readonly scope: RecallView['scope'];
}

/** Longest input looked at; anything longer is not a code and is refused before parsing. */
const MAX_INPUT = 64;

/**
 * Consumer verification — the platform's hottest path. For one request: refuse an address the
 * {@link ScanGuard} blocked; parse the code (pure); find its space and issuing job in memory
 * ({@link SpaceDirectory}); check the PIN; then hand the query to the group commit, which reads
 * the code's activation, void and query summary, decides the verdict and writes the query in
 * one transaction with the other queries of the moment. The answer goes out only after that
 * commit, so a query the consumer saw is never lost. Invalid lookups write nothing; they only
 * count against the address in the guard.
 */
export class Verifier {
  readonly #db: Db;
  readonly #engines: CodeEngines;
  readonly #geo: GeoLocator;
  readonly #log: FastifyBaseLogger;
  readonly #directory: SpaceDirectory;
  readonly #presentation: ScanPresentation;
  readonly #store: ScanStore;
  readonly #commits: GroupCommit;
  readonly #decodes = new DecodeBatch();
  readonly guard: ScanGuard;
  readonly #publicUrl: string;
  readonly #trace: ScanTraceSource | undefined;
  #alerts: Promise<void> = Promise.resolve();
  readonly #shownProducts = new WeakMap<
    Omit<ProductView, 'imageUrl'>,
    { imageId: string | null; view: ProductView }
  >();

  constructor(deps: {
    db: Db;
    config: Config;
    engines: CodeEngines;
    geo: GeoLocator;
    changes: ChangeNotices;
    log: FastifyBaseLogger;
    /** The traces the pages show; without it, pages show none. */
    trace?: ScanTraceSource;
  }) {
    this.#publicUrl = deps.config.publicUrl;
    this.#trace = deps.trace;
    this.#db = deps.db;
    this.#engines = deps.engines;
    this.#geo = deps.geo;
    this.#log = deps.log;
    this.#directory = new SpaceDirectory(deps.db);
    this.#presentation = new ScanPresentation(deps.db, deps.changes, deps.trace?.batch);
    this.#store = createScanStore(deps.db.native, deps.geo.centroids);
    this.#commits = new GroupCommit(this.#store);
    this.guard = new ScanGuard(deps.config.scanGuard, (alert) => this.#raise(alert));
    deps.changes.subscribe((topic, tenantId) => {
      if (topic === 'codes') this.#directory.forget(tenantId);
    });
  }

  /** The cached presentation (the report and position routes reuse it). */
  get presentation(): ScanPresentation {
    return this.#presentation;
  }

  /** Waits for queued queries to be written (shutdown). */
  async drain(): Promise<void> {
    await this.#commits.drain();
    await this.#alerts;
  }

  /** Verifies one code. Never throws for bad input; throws only when the database fails. */
  async verify(req: VerifyRequest): Promise<VerifyResult> {
    const now = Date.now();
    const blocked = this.guard.blockedFor(req.ip, now);
    if (blocked > 0) return { type: 'blocked', retryAfterSeconds: Math.ceil(blocked / 1000) };

    const found = await this.#issued(req.code, now);
    const code = found.code;
    const invalid = (): VerifyResult => {
      this.guard.failure(req.ip, now);
      return { type: 'view', view: invalidView(code, req.countable) };
    };
    if (found.issued === undefined) return invalid();
    const { space, engine, serial, range } = found.issued;
    if (req.gtin !== undefined) {
      const product =
        range.productId === null
          ? undefined
          : await this.#presentation.product(space.tenant_id, range.productId);
      if (product?.view.gtin !== req.gtin) return invalid();
    }

    const pin = req.pin ?? '';
    const pinGiven = pin !== '';
    const pinOk = range.withPin && pinGiven && samePin(engine.pins.pin(serial), pin);
    if (pinGiven && !pinOk) this.guard.failure(req.ip, now);

    const tenantId = space.tenant_id;
    const regionCode = this.#geo.regionOfIp(req.ip).regionCode ?? null;
    // Settings by the job's product; a job without a product uses the enterprise's settings.
    const settings = await this.#presentation.settings(tenantId, range.productId);
    const recalls = await this.#presentation.recalls(tenantId);
    const codeRecall =
      recalls === NO_RECALLS ? undefined : await this.#codeRecall(tenantId, code, range, recalls);
    const batchRecall = (state: QueryState): FoundRecall | undefined => {
      const mark =
        state.activation === null || recalls.batches.size === 0
          ? undefined
          : recalls.batches.get(state.activation.batchId);
      return mark === undefined ? undefined : { mark, scope: 'batch' };
    };
    const rule: ScanRule = {
      hasPin: range.withPin,
      pinGiven,
      pinOk,
      queryLimit: settings.queryLimit,
      recalled: codeRecall !== undefined,
      recalledBatches: recalls.batchIds,
      productId: range.productId,
    };

    const query: ScanQuery = {
      tenantId,
      spaceId: space.id,
      serial,
      code,
      id: newId(now),
      at: now,
      regionCode,
      channel: req.channel,
      client: req.client,
      pinVerified: pinOk,
      rule,
    };
    if (!req.countable) {
      const state = await this.#store.peek(tenantId, space.id, serial);
      const decision = decideScan(rule, query, state, (a, b) => this.#geo.distanceKm(a, b));
      return {
        type: 'view',
        view: await this.#view(tenantId, code, range, decision, state, settings, {
          recall: await this.#recallOf(tenantId, decision, codeRecall ?? batchRecall(state)),
          counted: false,
          scanId: null,
          firstQueryAt: state.previous?.firstAt ?? null,
          queryCount: state.previous?.count ?? 0,
          pinOk,
          regionCode: null,
        }),
      };
    }
    const outcome = await this.#commits.submit(query);
    return {
      type: 'view',
      view: await this.#view(tenantId, code, range, outcome.decision, outcome.state, settings, {
        recall: await this.#recallOf(tenantId, outcome.decision, codeRecall ?? batchRecall(outcome.state)),
        counted: true,
        scanId: query.id,
        firstQueryAt: outcome.summary.firstAt,
        queryCount: outcome.summary.count,
        pinOk,
        regionCode,
      }),
    };
  }

  /**
   * The journey of a code for its trace page: nothing is counted or written; an invalid code
   * counts against the address like any invalid lookup.
   */
  async journey(rawCode: string, ip: string): Promise<JourneyResult> {
    const now = Date.now();
    const blocked = this.guard.blockedFor(ip, now);
    if (blocked > 0) return { type: 'blocked', retryAfterSeconds: Math.ceil(blocked / 1000) };
    const found = await this.#issued(rawCode, now);
    if (found.issued === undefined) {
      this.guard.failure(ip, now);
      return { type: 'invalid', code: found.code };
    }
    const { space, serial } = found.issued;
    const journey =
      this.#trace === undefined
        ? { steps: [], more: 0 }
        : await this.#trace.code(space.tenant_id, space.id, serial);
    return { type: 'journey', code: found.code, journey };
  }

  /** A code parsed, decoded and found in an issued range (all in memory), or why not. */
  async #issued(
    raw: string,
    now: number,
  ): Promise<{
    code: string;
    issued?: { space: CodeSpaceRow; engine: SpaceEngine; serial: number; range: IssuedRange };
  }> {
    if (raw.length > MAX_INPUT) return { code: raw.slice(0, MAX_INPUT) };
    const code = normalizeCode(raw);
    const parsed = parseCode(code);
    if (parsed.type === 'error') return { code };
    const space = await this.#directory.space(parsed.layout.length, parsed.prefix, now);
    if (space === undefined) return { code };
    const engine = this.#engines.for(space);
    const decoded = await this.#decodes.decode(engine.codec, code);
    if (decoded.type === 'error') return { code };
    const range = await this.#directory.issued(space, decoded.serial, now);
    return range === undefined
      ? { code }
      : { code, issued: { space, engine, serial: decoded.serial, range } };
  }

  /** The recall over a code itself or over a container it is packed in. */
  async #codeRecall(
    tenantId: string,
    code: string,
    range: IssuedRange,
    recalls: RecallSet,
  ): Promise<FoundRecall | undefined> {
    if (recalls.codes.size === 0) return undefined;
    const own = recalls.codes.get(code);
    if (own !== undefined) return { mark: own, scope: 'code' };
    const product =
      range.productId === null ? undefined : await this.#presentation.product(tenantId, range.productId);
    const epc = codeEpc(this.#publicUrl, code, product?.view.gtin ?? null);
    const container = await containerRecall(this.#db, tenantId, epc, recalls);
    return container === undefined ? undefined : { mark: container, scope: 'container' };
  }

  /** The recall to show with a `recalled` verdict (reason read from its event, cached). */
  async #recallOf(
    tenantId: string,
    decision: ScanVerdict,
    found: FoundRecall | undefined,
  ): Promise<RecallView | null> {
    if (decision.verdict !== 'recalled' || found === undefined) return null;
    const reason = await this.#presentation.recallReason(tenantId, found.mark.eventPk);
    return recallView(found.mark, found.scope, reason);
  }

  async #view(
    tenantId: string,
    code: string,
    range: IssuedRange,
    decision: ScanVerdict,
    state: QueryState,
    settings: EffectiveScanSettings,
    query: {
      recall: RecallView | null;
      counted: boolean;
      scanId: string | null;
      firstQueryAt: number | null;
      queryCount: number;
      pinOk: boolean;
      regionCode: string | null;
    },
  ): Promise<ScanView> {
    const batch =
      state.activation === null
        ? undefined
        : await this.#presentation.batch(tenantId, state.activation.batchId);
    const productId = range.productId ?? batch?.productId ?? null;
    const [product, enterprise, productSettings, trace] = await Promise.all([
      productId === null ? undefined : this.#presentation.product(tenantId, productId),
      this.#presentation.enterprise(tenantId),
      productId === range.productId ? settings : this.#presentation.settings(tenantId, productId),
      state.activation === null ? null : this.#presentation.trace(tenantId, state.activation.batchId),
    ]);
    const imageId = productSettings.imageFileId ?? product?.firstImageId ?? null;
    return {
      code,
      verdict: decision.verdict,
      warnings: decision.warnings === '' ? [] : (decision.warnings.split(',') as ScanView['warnings']),
      counted: query.counted,
      scanId: query.scanId,
      firstQueryAt: query.firstQueryAt,
      queryCount: query.queryCount,
      hasPin: range.withPin,
      pinVerified: query.pinOk,
      promptText: productSettings.promptText,
      warningText: productSettings.warningText,
      queryLimit: productSettings.queryLimit,
      antiCounterfeitPopup: productSettings.antiCounterfeitPopup,
      product: product === undefined ? null : this.#shownProduct(product.view, imageId),
      batch: batch?.view ?? null,
      enterprise: enterprise ?? null,
      links: productSettings.links,
      place: placeOf(query.regionCode, 'ip'),
      reportable: true,
      recall: query.recall,
      trace,
    };
  }

  /**
   * The product as shown, with its image: one object per cached product view and image, so the
   * page draws its card once (page.ts keeps cards by view object).
   */
  #shownProduct(view: Omit<ProductView, 'imageUrl'>, imageId: string | null): ProductView {
    const shown = this.#shownProducts.get(view);
    if (shown !== undefined && shown.imageId === imageId) return shown.view;
    const made = { ...view, imageUrl: imageId === null ? null : mediaPath(imageId) };
    this.#shownProducts.set(view, { imageId, view: made });
    return made;
  }

  #raise(alert: GuardAlert): void {
    this.#log.warn({ alert }, 'scan guard alert');
    const repos = repositories(this.#db.kysely);
    this.#alerts = this.#alerts
      .then(() =>
        repos.scans.raiseAlert({
          id: newId(),
          kind: alert.kind,
          subject: alert.subject,
          details: JSON.stringify(alert.details),
          count: 1,
          at: Date.now(),
        }),
      )
      .catch((error: unknown) => this.#log.error({ err: error }, 'could not store a platform alert'));
  }
}

/**
 * Where a query was placed, with the region's names: one object per region and source, so the
 * answer writes it once (GB/T 2260 has a few thousand regions).
 */
export function placeOf(regionCode: string | null, source: PlaceView['source']): PlaceView | null {
  if (regionCode === null) return null;
  const known = places[source];
  let place = known.get(regionCode);
  if (place === undefined) {
    const path = regionPath(regionCode) ?? [regionCode];
    place = { regionCode, names: path.map((c) => regionName(c) ?? c), source };
    if (known.size < MAX_PLACES) known.set(regionCode, place);
  }
  return place;
}
const places: Record<PlaceView['source'], Map<string, PlaceView>> = { ip: new Map(), position: new Map() };
const MAX_PLACES = 10_000;

/** Compares PINs in constant time (a PIN is a secret under a scratch-off coating). */
function samePin(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The view of a code that is not one of ours. */
function invalidView(code: string, counted: boolean): ScanView {
  return {
    code,
    verdict: 'invalid',
    warnings: [],
    counted,
    scanId: null,
    firstQueryAt: null,
    queryCount: 0,
    hasPin: false,
    pinVerified: false,
    promptText: null,
    warningText: null,
    queryLimit: null,
    antiCounterfeitPopup: true,
    product: null,
    batch: null,
    enterprise: null,
    links: [],
    place: null,
    reportable: false,
    recall: null,
    trace: null,
  };
}
