import { normalizeCode, parseCode } from '@tracemark/codes';
import {
  canonicalIdentifier,
  eventFacts,
  GS1_DIGITAL_LINK_BASE,
  traceStage,
  TRACE_STAGES,
  type JsonObject,
  type TraceStage,
} from '@tracemark/core';
import type { CodeSpaceRow, Repositories } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireTenant, type ServiceContext } from '../../lib/context.js';
import { batchClass, codeEpc } from '../trace-actions/identifiers.js';
import { identifierOptions } from '../epcis/service.js';

/**
 * Forward (追踪) and backward (溯源) trace: a walk over the derived tables (`trace_edges`,
 * `trace_parent`, `trace_holdings`) and the codes tables, one frontier at a time, so its cost
 * grows with the size of the answer, not with the number of events. Cycle-safe (every node is
 * visited once) and bounded (`depth`, and at most {@link MAX_NODES} nodes).
 */

/** What a trace starts from: exactly one of these. */
export interface TraceStart {
  readonly code?: string;
  readonly epc?: string;
  readonly batchId?: string;
  readonly lot?: string;
}

/** Which way to walk. */
export type TraceDirection = 'backward' | 'forward' | 'both';

/** What a node of the genealogy graph is. */
export type TraceNodeKind =
  'item' | 'case' | 'pallet' | 'lot' | 'batch' | 'code_range' | 'party' | 'location' | 'other';

/** A node of the genealogy graph. */
export interface TraceNode {
  readonly id: string;
  kind: TraceNodeKind;
  /** Levels from the start (0 for the start, negative backward, positive forward). */
  readonly level: number;
  /** A batch's id, lot and product; a code range's space, serials and count. */
  details?: Readonly<Record<string, unknown>>;
  /** Current parent (container), if packed. */
  parent?: string | null;
  /** Current holding (where and who, by the latest event of this identifier). */
  holding?: {
    readonly bizLocation: string | null;
    readonly readPoint: string | null;
    readonly owner: string | null;
    readonly disposition: string | null;
    readonly bizStep: string | null;
    readonly eventTime: number;
  };
}

/** The kinds of edges in a trace answer. */
export type TraceLinkKind = 'contains' | 'transformed-into' | 'shipped-to' | 'commissioned';

/** An edge of the genealogy graph. */
export interface TraceLink {
  readonly from: string;
  readonly to: string;
  readonly kind: TraceLinkKind;
  /** The eventID of the event behind the edge; null for links through the codes tables. */
  readonly eventId: string | null;
  readonly eventTime: number;
}

/** One event of the timeline. */
export interface TimelineEvent {
  readonly eventId: string;
  readonly type: string;
  readonly action: string | null;
  readonly bizStep: string | null;
  readonly disposition: string | null;
  readonly eventTime: number;
  readonly readPoint: string | null;
  readonly bizLocation: string | null;
  readonly stage: TraceStage;
}

/** A trace answer. */
export interface TraceResult {
  readonly roots: readonly string[];
  readonly nodes: readonly TraceNode[];
  readonly links: readonly TraceLink[];
  readonly timeline: ReadonlyArray<{ readonly stage: TraceStage; readonly events: readonly TimelineEvent[] }>;
  /** The walk stopped at MAX_NODES, or the timeline at its limit. */
  readonly truncated: boolean;
}

/** Most nodes one trace returns. */
export const MAX_NODES = 5000;
/** Default and largest number of timeline events. */
export const DEFAULT_TIMELINE = 200;
export const MAX_TIMELINE = 2000;
/** Most containers listed per activated code range (forward from a batch). */
const CONTAINERS_PER_RANGE = 500;

interface Walk {
  readonly tenantId: string;
  readonly repos: Repositories;
  readonly ctx: ServiceContext;
  readonly nodes: Map<string, TraceNode>;
  readonly links: TraceLink[];
  readonly linkKeys: Set<string>;
  readonly edgePks: Map<TraceLink, string>;
  truncated: boolean;
  readonly spaces: Map<string, CodeSpaceRow | null>;
}

/**
 * Traces from a code, an identifier, a batch or a lot.
 *
 * @example
 * await trace(ctx, { code: '123451000000000136' }, { direction: 'backward' });
 */
export async function trace(
  ctx: ServiceContext,
  start: TraceStart,
  options: { direction?: TraceDirection; depth?: number; timelineLimit?: number } = {},
): Promise<TraceResult> {
  const tenantId = requireTenant(ctx);
  return traceFor(ctx, tenantId, start, options);
}

/**
 * The timeline of one of an enterprise's codes (by space and serial), backward through its
 * containers, batch and raw materials — for the consumer scan page.
 */
export async function traceTimelineForCode(
  ctx: ServiceContext,
  tenantId: string,
  spaceId: string,
  serial: number,
): Promise<TraceResult['timeline']> {
  const space = await reader(ctx).codes.findSpace(tenantId, spaceId);
  if (space === undefined) return [];
  const code = ctx.engines.for(space).codec.encode(serial);
  const r = await traceFor(ctx, tenantId, { code }, { direction: 'backward' });
  return r.timeline;
}

/**
 * The timeline of one of an enterprise's batches, backward to its raw materials (production,
 * inspection, stage records) — what the consumer scan page shows for every code of the batch.
 */
export async function traceTimelineForBatch(
  ctx: ServiceContext,
  tenantId: string,
  batchId: string,
): Promise<TraceResult['timeline']> {
  const r = await traceFor(ctx, tenantId, { batchId }, { direction: 'backward' });
  return r.timeline;
}

async function traceFor(
  ctx: ServiceContext,
  tenantId: string,
  start: TraceStart,
  options: { direction?: TraceDirection; depth?: number; timelineLimit?: number },
): Promise<TraceResult> {
  const given = [start.code, start.epc, start.batchId, start.lot].filter((v) => v !== undefined);
  if (given.length !== 1) throw new AppError('TRACE_TRACE_START_INVALID');
  const repos = reader(ctx);
  const w: Walk = {
    tenantId,
    repos,
    ctx,
    nodes: new Map(),
    links: [],
    linkKeys: new Set(),
    edgePks: new Map(),
    truncated: false,
    spaces: new Map(),
  };
  const roots = await rootsOf(w, start);
  for (const r of roots) addNode(w, r.id, r.kind, 0, r.details);
  const direction = options.direction ?? 'both';
  const depth = options.depth ?? Number.POSITIVE_INFINITY;
  const ids = roots.map((r) => r.id);
  if (direction !== 'forward') await walk(w, ids, 'backward', depth);
  if (direction !== 'backward') await walk(w, ids, 'forward', depth);
  await describe(w);
  const limit = Math.min(options.timelineLimit ?? DEFAULT_TIMELINE, MAX_TIMELINE);
  const timeline = await timelineOf(w, limit);
  // Edges of the derived tables carry internal keys: the wire shows eventIDs.
  const pks = [...new Set(w.edgePks.values())];
  const eventIds = await repos.trace.eventIdsOf(tenantId, pks);
  const links = w.links.map((l) => {
    const pk = w.edgePks.get(l);
    return pk === undefined ? l : { ...l, eventId: eventIds.get(pk) ?? null };
  });
  return {
    roots: ids,
    nodes: [...w.nodes.values()],
    links,
    timeline: timeline.groups,
    truncated: w.truncated || timeline.truncated,
  };
}

interface Root {
  readonly id: string;
  readonly kind: TraceNodeKind;
  readonly details?: Readonly<Record<string, unknown>>;
}

async function rootsOf(w: Walk, start: TraceStart): Promise<Root[]> {
  const publicUrl = w.ctx.config.publicUrl;
  if (start.code !== undefined) {
    const ids = await codeIdentities(w, normalizeCode(start.code));
    if (ids === undefined) throw new AppError('TRACE_CODE_NOT_FOUND');
    return ids.map((id) => ({ id, kind: 'item' as const }));
  }
  if (start.batchId !== undefined) {
    const [b] = await w.repos.trace.batchesWithGtin(w.tenantId, [start.batchId]);
    if (b === undefined) throw new AppError('TRACE_BATCH_NOT_FOUND');
    return [{ id: batchClass(publicUrl, b, b.gtin), kind: 'batch', details: batchDetails(b) }];
  }
  if (start.lot !== undefined) {
    const lot = start.lot.trim();
    if (/^(https?:\/\/|urn:)/i.test(lot)) {
      const c = canonicalIdentifier(lot, identifierOptions(w.ctx));
      if (!c.ok) throw new AppError('TRACE_TRACE_START_INVALID', c.message);
      return [{ id: c.uri, kind: 'lot' }];
    }
    const batches = await w.repos.trace.batchesWithGtin(
      w.tenantId,
      await w.repos.trace.batchIdsByLot(w.tenantId, lot),
    );
    const raw = await w.repos.trace.rawLotClassesByLot(w.tenantId, lot);
    return [
      ...batches.map((b) => ({
        id: batchClass(publicUrl, b, b.gtin),
        kind: 'batch' as const,
        details: batchDetails(b),
      })),
      ...raw.map((id) => ({ id, kind: 'lot' as const })),
    ];
  }
  const epc = (start.epc ?? '').trim();
  const c = canonicalIdentifier(epc, identifierOptions(w.ctx));
  if (!c.ok) throw new AppError('TRACE_TRACE_START_INVALID', c.message);
  const code = codeOf(w, c.uri);
  if (code !== undefined) {
    const ids = await codeIdentities(w, code);
    if (ids !== undefined) return ids.map((id) => ({ id, kind: 'item' as const }));
  }
  return [{ id: c.uri, kind: kindOfIdentifier(c.uri) }];
}

/** The platform code an identifier names (short link, or an SGTIN whose serial is a code), if any. */
function codeOf(w: Walk, id: string): string | undefined {
  const base = `${w.ctx.config.publicUrl.replace(/\/+$/, '')}/c/`;
  if (id.startsWith(base)) return id.slice(base.length);
  const m = /^https:\/\/id\.gs1\.org\/01\/\d{14}\/21\/(\d{15,21})$/.exec(id);
  return m?.[1];
}

interface OwnCode {
  readonly code: string;
  readonly space: CodeSpaceRow;
  readonly serial: number;
}

/** Resolves one of the tenant's codes (undefined for anything else). */
async function ownCode(w: Walk, code: string): Promise<OwnCode | undefined> {
  const parsed = parseCode(code);
  if (parsed.type === 'error') return undefined;
  const key = `${parsed.layout.length}:${parsed.prefix}`;
  let space = w.spaces.get(key);
  if (space === undefined) {
    space = (await w.repos.codes.findSpaceByPrefix(parsed.layout.length, parsed.prefix)) ?? null;
    w.spaces.set(key, space);
  }
  if (space?.tenant_id !== w.tenantId) return undefined;
  const decoded = w.ctx.engines.for(space).codec.decode(code);
  if (decoded.type === 'error') return undefined;
  return { code, space, serial: decoded.serial };
}

/** Both identities of one of the tenant's codes in events (short link and, with a GTIN, SGTIN). */
async function codeIdentities(w: Walk, code: string): Promise<string[] | undefined> {
  const own = await ownCode(w, code);
  if (own === undefined) return undefined;
  const job = await w.repos.codes.findJobOfSerial(w.tenantId, own.space.id, own.serial);
  if (job === undefined) return undefined;
  const product =
    job.product_id === null ? undefined : await w.repos.products.find(w.tenantId, job.product_id);
  const gtin = product?.gtin ?? null;
  const short = codeEpc(w.ctx.config.publicUrl, code, null);
  const main = codeEpc(w.ctx.config.publicUrl, code, gtin);
  return main === short ? [short] : [main, short];
}

function kindOfIdentifier(id: string): TraceNodeKind {
  if (id.startsWith(`${GS1_DIGITAL_LINK_BASE}/01/`)) return id.includes('/21/') ? 'item' : 'lot';
  if (id.startsWith(`${GS1_DIGITAL_LINK_BASE}/00/`)) return 'case';
  if (
    id.startsWith(`${GS1_DIGITAL_LINK_BASE}/417/`) ||
    id.includes('/id/enterprise/') ||
    id.includes('/party/')
  )
    return 'party';
  if (id.startsWith(`${GS1_DIGITAL_LINK_BASE}/414/`) || id.includes('/site/')) return 'location';
  if (id.includes('/id/batch/')) return 'batch';
  if (id.includes('/id/raw-lot/')) return 'lot';
  if (id.includes('/c/')) return 'item';
  return 'other';
}

function addNode(
  w: Walk,
  id: string,
  kind: TraceNodeKind,
  level: number,
  details?: Readonly<Record<string, unknown>>,
): boolean {
  if (w.nodes.has(id)) return false;
  if (w.nodes.size >= MAX_NODES) {
    w.truncated = true;
    return false;
  }
  w.nodes.set(id, { id, kind, level, ...(details !== undefined ? { details } : {}) });
  return true;
}

function addLink(w: Walk, link: TraceLink, eventPk?: string): void {
  const key = `${link.from}\u0000${link.kind}\u0000${link.to}\u0000${eventPk ?? ''}`;
  if (w.linkKeys.has(key)) return;
  w.linkKeys.add(key);
  w.links.push(link);
  if (eventPk !== undefined) w.edgePks.set(link, eventPk);
}

const linkKind = { contains: 'contains', transformed: 'transformed-into', shipped: 'shipped-to' } as const;

/**
 * Walks one way, a level at a time. Backward: containers (every container the identifier was
 * ever packed in), transformation inputs, and for the platform's codes their batch. Forward:
 * contents (current and past), transformation outputs, shipment destinations (not walked
 * further: a party's other goods are not this product's trace), and for a batch its activated
 * code ranges and the containers they were packed in.
 */
async function walk(
  w: Walk,
  from: readonly string[],
  direction: 'backward' | 'forward',
  depth: number,
): Promise<void> {
  const sign = direction === 'backward' ? -1 : 1;
  let frontier = [...from];
  for (let level = 1; frontier.length > 0 && level <= depth && !w.truncated; level++) {
    const next: string[] = [];
    const reach = (id: string, kind: TraceNodeKind, expand = true): void => {
      if (addNode(w, id, kind, sign * level) && expand) next.push(id);
    };
    if (direction === 'backward') {
      for (const e of await w.repos.trace.edgesTo(w.tenantId, frontier, ['contains', 'transformed'])) {
        reach(e.from_epc, e.kind === 'contains' ? 'case' : kindOfIdentifier(e.from_epc));
        addLink(
          w,
          { from: e.from_epc, to: e.to_epc, kind: linkKind[e.kind], eventId: null, eventTime: e.event_time },
          e.event_pk,
        );
      }
      for (const id of frontier) {
        const code = codeOf(w, id);
        if (code === undefined) continue;
        const link = await batchOfCode(w, code);
        if (link === undefined) continue;
        reach(link.batch, 'batch');
        const node = w.nodes.get(link.batch);
        if (node !== undefined) node.details ??= link.details;
        addLink(w, { from: link.batch, to: id, kind: 'commissioned', eventId: null, eventTime: link.at });
      }
    } else {
      for (const e of await w.repos.trace.edgesFrom(w.tenantId, frontier, [
        'contains',
        'transformed',
        'shipped',
      ])) {
        reach(e.to_epc, kindOfIdentifier(e.to_epc), e.kind !== 'shipped');
        addLink(
          w,
          { from: e.from_epc, to: e.to_epc, kind: linkKind[e.kind], eventId: null, eventTime: e.event_time },
          e.event_pk,
        );
      }
      await ascend(w, frontier, sign * level);
      for (const id of await rangesAndContainers(w, frontier, sign * level)) next.push(id);
    }
    frontier = next;
  }
}

/**
 * Forward, where goods went also depends on what they were packed in: the containers of the
 * frontier (up to the outermost) and where those were shipped — without walking into the
 * containers' other contents, which are not this product's trace.
 */
async function ascend(w: Walk, frontier: readonly string[], level: number): Promise<void> {
  let up: string[] = [];
  const collect = async (ids: readonly string[]): Promise<void> => {
    for (const e of await w.repos.trace.edgesTo(w.tenantId, ids, ['contains'])) {
      if (addNode(w, e.from_epc, 'case', level)) up.push(e.from_epc);
      addLink(
        w,
        { from: e.from_epc, to: e.to_epc, kind: 'contains', eventId: null, eventTime: e.event_time },
        e.event_pk,
      );
    }
  };
  await collect(frontier);
  while (up.length > 0 && !w.truncated) {
    const containers = up;
    up = [];
    for (const e of await w.repos.trace.edgesFrom(w.tenantId, containers, ['shipped'])) {
      addNode(w, e.to_epc, kindOfIdentifier(e.to_epc), level);
      addLink(
        w,
        { from: e.from_epc, to: e.to_epc, kind: 'shipped-to', eventId: null, eventTime: e.event_time },
        e.event_pk,
      );
    }
    await collect(containers);
  }
}

/** The batch class of one of the tenant's codes, through `code_activations`. */
async function batchOfCode(
  w: Walk,
  code: string,
): Promise<{ batch: string; at: number; details: Record<string, unknown> } | undefined> {
  const own = await ownCode(w, code);
  if (own === undefined) return undefined;
  const a = await w.repos.codes.findActivation(w.tenantId, own.space.id, own.serial);
  if (a === undefined) return undefined;
  const [b] = await w.repos.trace.batchesWithGtin(w.tenantId, [a.batch_id]);
  if (b === undefined) return undefined;
  return {
    batch: batchClass(w.ctx.config.publicUrl, b, b.gtin),
    at: a.activated_at,
    details: batchDetails(b),
  };
}

function batchDetails(b: {
  id: string;
  lot: string;
  product_id: string;
  product_name: string;
}): Record<string, unknown> {
  return { batchId: b.id, lot: b.lot, productId: b.product_id, productName: b.product_name };
}

/**
 * Forward from batches of the tenant: their activated code ranges (one node per range, never one
 * per code) and the containers codes of those ranges are packed in (walked on).
 */
async function rangesAndContainers(w: Walk, frontier: readonly string[], level: number): Promise<string[]> {
  const batchIds = new Map<string, string>();
  for (const id of frontier) {
    const d = w.nodes.get(id)?.details;
    if (typeof d?.['batchId'] === 'string') batchIds.set(d['batchId'], id);
  }
  if (batchIds.size === 0) return [];
  const next: string[] = [];
  for (const a of await w.repos.trace.activationsOfBatches(w.tenantId, [...batchIds.keys()])) {
    const batch = batchIds.get(a.batch_id);
    if (batch === undefined) continue;
    const space = await w.repos.codes.findSpace(w.tenantId, a.space_id);
    if (space === undefined) continue;
    const codec = w.ctx.engines.for(space).codec;
    const rangeId = `${w.ctx.config.publicUrl.replace(/\/+$/, '')}/c/${codec.encode(a.first_serial)}..${codec.encode(a.last_serial)}`;
    const count = a.last_serial - a.first_serial + 1;
    if (count === 1) {
      const id = codeEpc(w.ctx.config.publicUrl, codec.encode(a.first_serial), null);
      if (addNode(w, id, 'item', level)) next.push(id);
      addLink(w, { from: batch, to: id, kind: 'commissioned', eventId: null, eventTime: a.activated_at });
      continue;
    }
    addNode(w, rangeId, 'code_range', level, {
      spaceId: a.space_id,
      jobId: a.job_id,
      firstCode: codec.encode(a.first_serial),
      lastCode: codec.encode(a.last_serial),
      count,
    });
    addLink(w, { from: batch, to: rangeId, kind: 'commissioned', eventId: null, eventTime: a.activated_at });
    const parents = await w.repos.trace.parentsInRange(
      w.tenantId,
      a.space_id,
      a.first_serial,
      a.last_serial,
      CONTAINERS_PER_RANGE,
    );
    if (parents.length >= CONTAINERS_PER_RANGE) w.truncated = true;
    for (const p of parents) {
      const ps =
        p.parent_space_id === space.id ? space : await w.repos.codes.findSpace(w.tenantId, p.parent_space_id);
      if (ps === undefined) continue;
      const code = w.ctx.engines.for(ps).codec.encode(p.parent_serial);
      const ids = (await codeIdentities(w, code)) ?? [codeEpc(w.ctx.config.publicUrl, code, null)];
      for (const id of ids) {
        if (addNode(w, id, 'case', level + 1)) next.push(id);
        addLink(w, { from: id, to: rangeId, kind: 'contains', eventId: null, eventTime: a.activated_at });
      }
    }
  }
  return next;
}

/** Kinds from the graph's shape, current parents and holdings of the nodes. */
async function describe(w: Walk): Promise<void> {
  const hasChildren = new Set<string>();
  for (const l of w.links) if (l.kind === 'contains') hasChildren.add(l.from);
  for (const n of w.nodes.values()) {
    if (!hasChildren.has(n.id)) {
      if (n.kind === 'case' && !n.id.startsWith(`${GS1_DIGITAL_LINK_BASE}/00/`)) n.kind = 'item';
      continue;
    }
    const nested = w.links.some((l) => l.kind === 'contains' && l.from === n.id && hasChildren.has(l.to));
    if (n.kind === 'item' || n.kind === 'case' || n.kind === 'other') n.kind = nested ? 'pallet' : 'case';
  }
  const ids = [...w.nodes.values()]
    .filter((n) => n.kind !== 'party' && n.kind !== 'location' && n.kind !== 'code_range')
    .map((n) => n.id);
  for (const p of await w.repos.trace.parentsOf(w.tenantId, ids)) {
    const n = w.nodes.get(p.child);
    if (n !== undefined) n.parent = p.parent;
  }
  for (const h of await w.repos.trace.holdings(w.tenantId, ids)) {
    const n = w.nodes.get(h.epc);
    if (n === undefined) continue;
    n.holding = {
      bizLocation: h.biz_location,
      readPoint: h.read_point,
      owner: h.owner,
      disposition: h.disposition,
      bizStep: h.biz_step,
      eventTime: h.event_time,
    };
  }
  const batches = [...w.nodes.values()].filter((n) => n.kind === 'batch' && n.details === undefined);
  if (batches.length === 0) return;
  // Batch classes reached through events: name the tenant's batch when it is one.
  const publicUrl = w.ctx.config.publicUrl;
  for (const n of batches) {
    const m = /\/id\/batch\/([^/]+)$/.exec(n.id);
    if (m?.[1] === undefined) continue;
    const [b] = await w.repos.trace.batchesWithGtin(w.tenantId, [m[1]]);
    if (b !== undefined && batchClass(publicUrl, b, b.gtin) === n.id) n.details = batchDetails(b);
  }
}

/** The latest events of the graph's nodes (not declared erroneous), oldest first, by stage. */
async function timelineOf(
  w: Walk,
  limit: number,
): Promise<{ groups: TraceResult['timeline']; truncated: boolean }> {
  const ids = [...w.nodes.values()]
    .filter((n) => n.kind !== 'party' && n.kind !== 'location' && n.kind !== 'code_range')
    .map((n) => n.id);
  const pks = await w.repos.trace.eventPksOf(w.tenantId, ids, limit + 1);
  const truncated = pks.length > limit;
  const rows = await w.repos.trace.timelineRows(w.tenantId, pks.slice(0, limit));
  rows.sort((a, b) => a.event_time - b.event_time || (a.id < b.id ? -1 : 1));
  const byStage = new Map<TraceStage, TimelineEvent[]>();
  const options = identifierOptions(w.ctx);
  for (const e of rows) {
    let stage: TraceStage;
    if (e.body !== null) {
      const f = eventFacts(JSON.parse(e.body) as JsonObject, options);
      stage = f.ok ? traceStage(f.facts) : 'channel';
    } else stage = traceStage({ bizStep: e.biz_step, disposition: e.disposition, type: e.type, epcs: [] });
    const list = byStage.get(stage) ?? [];
    list.push({
      eventId: e.event_id,
      type: e.type,
      action: e.action,
      bizStep: e.biz_step,
      disposition: e.disposition,
      eventTime: e.event_time,
      readPoint: e.read_point,
      bizLocation: e.biz_location,
      stage,
    });
    byStage.set(stage, list);
  }
  const groups = TRACE_STAGES.flatMap((stage) => {
    const events = byStage.get(stage);
    return events === undefined ? [] : [{ stage, events }];
  });
  return { groups, truncated };
}
