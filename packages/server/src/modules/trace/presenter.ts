import type { Static } from 'typebox';
import type { TraceResponse } from './schemas.js';
import type { TraceResult } from './service.js';

/** A trace on the wire: nodes, links and timeline as computed (already camelCase, no secrets). */
export function presentTrace(r: TraceResult): Static<typeof TraceResponse> {
  return {
    roots: [...r.roots],
    nodes: r.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      level: n.level,
      ...(n.details !== undefined ? { details: { ...n.details } } : {}),
      ...(n.parent !== undefined ? { parent: n.parent } : {}),
      ...(n.holding !== undefined ? { holding: { ...n.holding } } : {}),
    })),
    links: r.links.map((l) => ({ ...l })),
    timeline: r.timeline.map((g) => ({ stage: g.stage, events: g.events.map((e) => ({ ...e })) })),
    truncated: r.truncated,
  };
}
