import type { EventFacts } from './event-model.js';

/**
 * What events mean for trace (docs/adr/0006-trace-derived-tables.md): the derived rows a stored
 * event adds — containment and transformation edges, the current parent of a child, the current
 * holding of an identifier — and the stage of the chain an event belongs to. Pure, so capture
 * (in its transaction) and the recomputation after an error declaration apply the same rules.
 */

/** How two identifiers are linked in the genealogy graph. */
export type TraceEdgeKind =
  /** AggregationEvent ADD/OBSERVE: parent → child (kept as history after an unpack). */
  | 'contains'
  /** TransformationEvent: input → output (instances or classes). */
  | 'transformed'
  /** An event with a destinationList: identifier → destination (party or location). */
  | 'shipped';

/** One edge of the genealogy graph, with the event that made it. */
export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: TraceEdgeKind;
  readonly eventPk: string;
  readonly eventTime: number;
}

/** A change of a child's current parent, applied in event-time order. */
export type ParentChange =
  /** The child is in `parent` from `eventTime` on (ADD/OBSERVE), unless a later change is known. */
  | {
      readonly type: 'set';
      readonly child: string;
      readonly parent: string;
      readonly eventPk: string;
      readonly eventTime: number;
    }
  /** The child left `parent` (DELETE naming it), if that is still its parent. */
  | {
      readonly type: 'clear';
      readonly child: string;
      readonly parent: string;
      readonly eventPk: string;
      readonly eventTime: number;
    }
  /** Every child currently in `parent` left it (DELETE without childEPCs). */
  | {
      readonly type: 'clear-all';
      readonly parent: string;
      readonly eventPk: string;
      readonly eventTime: number;
    };

/** Where an identifier is and who holds it, as of its latest event. */
export interface Holding {
  readonly epc: string;
  readonly bizLocation: string | null;
  readonly readPoint: string | null;
  /** The destination of the latest event with a destinationList (the receiver), else null. */
  readonly owner: string | null;
  readonly disposition: string | null;
  readonly bizStep: string | null;
  readonly eventPk: string;
  readonly eventTime: number;
}

/** Everything a set of events adds to the derived tables. */
export interface TraceEffects {
  readonly edges: TraceEdge[];
  readonly parents: ParentChange[];
  /** One per identifier: the latest of these events (owner carried over from earlier ones). */
  readonly holdings: Holding[];
}

/** An event as trace sees it: its internal key and facts. */
export interface TraceEventInput {
  readonly pk: string;
  readonly facts: EventFacts;
}

/**
 * The derived rows of events (declared-erroneous events add none). Events are taken in event
 * time order (stable), so an ADD and a later DELETE of one capture end with the child unpacked.
 * Holdings name the identifiers an event is about directly (epcList, parentID, outputs and
 * quantity classes, and inputs, whose disposition changes); children of an aggregation are
 * held where their container is, which trace reads through `trace_parent`.
 */
export function traceEffects(events: readonly TraceEventInput[]): TraceEffects {
  const ordered = [...events].sort((a, b) => a.facts.eventTimeMs - b.facts.eventTimeMs);
  const edges: TraceEdge[] = [];
  const parents: ParentChange[] = [];
  const holdings = new Map<string, Holding>();
  for (const { pk, facts: f } of ordered) {
    if (f.errorDeclaration !== null) continue;
    const t = f.eventTimeMs;
    let parent: string | undefined;
    const children: string[] = [];
    const inputs: string[] = [];
    const outputs: string[] = [];
    const direct: string[] = [];
    for (const e of f.epcs) {
      switch (e.role) {
        case 'parent':
          parent = e.epc;
          direct.push(e.epc);
          break;
        case 'child':
        case 'child_quantity':
          children.push(e.epc);
          break;
        case 'input':
        case 'input_quantity':
          inputs.push(e.epc);
          direct.push(e.epc);
          break;
        case 'output':
        case 'output_quantity':
          outputs.push(e.epc);
          direct.push(e.epc);
          break;
        default:
          direct.push(e.epc);
      }
    }
    if (f.type === 'AggregationEvent' && parent !== undefined) {
      if (f.action === 'ADD' || f.action === 'OBSERVE') {
        for (const c of children) {
          edges.push({ from: parent, to: c, kind: 'contains', eventPk: pk, eventTime: t });
          parents.push({ type: 'set', child: c, parent, eventPk: pk, eventTime: t });
        }
      } else if (f.action === 'DELETE') {
        if (children.length === 0) parents.push({ type: 'clear-all', parent, eventPk: pk, eventTime: t });
        for (const c of children)
          parents.push({ type: 'clear', child: c, parent, eventPk: pk, eventTime: t });
      }
    }
    if (f.type === 'TransformationEvent') {
      for (const i of inputs)
        for (const o of outputs)
          if (i !== o) edges.push({ from: i, to: o, kind: 'transformed', eventPk: pk, eventTime: t });
    }
    const destination = f.destination ?? null;
    if (destination !== null && f.action !== 'DELETE') {
      for (const d of direct)
        edges.push({ from: d, to: destination, kind: 'shipped', eventPk: pk, eventTime: t });
    }
    for (const epc of direct) {
      const before = holdings.get(epc);
      if (before !== undefined && before.eventTime > t) continue;
      holdings.set(epc, {
        epc,
        bizLocation: f.bizLocation,
        readPoint: f.readPoint,
        owner: destination ?? before?.owner ?? null,
        disposition: f.disposition,
        bizStep: f.bizStep,
        eventPk: pk,
        eventTime: t,
      });
    }
  }
  return { edges, parents, holdings: [...holdings.values()] };
}

/** The stages of a product's life the timeline groups events by (溯源环节). */
export const TRACE_STAGES = Object.freeze([
  'raw_material',
  'production',
  'processing',
  'warehousing',
  'logistics',
  'channel',
  'store',
  'terminal',
  'recall',
  'other',
] as const);

/** A stage of the timeline. */
export type TraceStage = (typeof TRACE_STAGES)[number];

const stageByBizStep: Readonly<Record<string, TraceStage>> = Object.freeze({
  commissioning: 'production',
  transforming: 'production',
  creating_class_instance: 'production',
  assembling: 'production',
  inspecting: 'production',
  encoding: 'production',
  packing: 'processing',
  unpacking: 'processing',
  disassembling: 'processing',
  repackaging: 'processing',
  sampling: 'processing',
  storing: 'warehousing',
  stocking: 'warehousing',
  picking: 'warehousing',
  cycle_counting: 'warehousing',
  staging_outbound: 'warehousing',
  holding: 'warehousing',
  shipping: 'logistics',
  departing: 'logistics',
  arriving: 'logistics',
  loading: 'logistics',
  unloading: 'logistics',
  transporting: 'logistics',
  receiving: 'channel',
  accepting: 'channel',
  inspecting_receiving: 'channel',
  retail_selling: 'store',
  consigning: 'channel',
  installing: 'terminal',
  removing: 'terminal',
  repairing: 'terminal',
  entering_exiting: 'terminal',
  recalling: 'recall',
  destroying: 'recall',
  decommissioning: 'recall',
  killing: 'recall',
  dispensing: 'terminal',
});

const recallDispositions = new Set(['recalled', 'destroyed', 'disposed']);

/**
 * The stage of an event (the table is in docs/architecture.md, "Trace"): by bizStep, except that
 * receiving or accepting only class-level quantities (raw-material lots, no serialised items) is
 * `raw_material`, a `recalled`/`destroyed` disposition is always `recall`, and a retail sale
 * with the disposition `retail_sold` to a consumer is `store`; anything else is `other`.
 */
export function traceStage(facts: Pick<EventFacts, 'bizStep' | 'disposition' | 'epcs' | 'type'>): TraceStage {
  if (facts.disposition !== null && recallDispositions.has(facts.disposition)) return 'recall';
  const step = facts.bizStep;
  if (step === null) return facts.type === 'TransformationEvent' ? 'production' : 'other';
  if (step === 'receiving' || step === 'accepting') {
    const onlyClasses = facts.epcs.length > 0 && facts.epcs.every((e) => e.role.endsWith('quantity'));
    return onlyClasses ? 'raw_material' : 'channel';
  }
  return stageByBizStep[step] ?? 'other';
}
