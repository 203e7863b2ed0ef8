import type { TraceEdgeKind } from '@tracemark/core';

/** `trace_edges`: the genealogy graph — containment history, transformations, shipments. */
export interface TraceEdgesTable {
  tenant_id: string;
  from_epc: string;
  kind: TraceEdgeKind;
  to_epc: string;
  /** The event that made the edge (`epcis_events.id`). */
  event_pk: string;
  event_time: number;
}

/** `trace_parent`: the current container of a child (null once unpacked). */
export interface TraceParentTable {
  tenant_id: string;
  child: string;
  parent: string | null;
  event_pk: string;
  event_time: number;
}

/** `trace_holdings`: where an identifier is and who holds it, as of its latest event. */
export interface TraceHoldingsTable {
  tenant_id: string;
  epc: string;
  biz_location: string | null;
  read_point: string | null;
  owner: string | null;
  disposition: string | null;
  biz_step: string | null;
  event_pk: string;
  event_time: number;
}
