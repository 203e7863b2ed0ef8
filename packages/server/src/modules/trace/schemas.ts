import { Type, type Static } from 'typebox';
import { Timestamp } from '../../lib/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** What to trace from (exactly one), which way, how deep. */
export const TraceQuery = Type.Object(
  {
    code: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'One of your trace codes.' }),
    ),
    epc: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Any identifier in events: EPC URN, GS1 Digital Link, short link of a code.',
      }),
    ),
    batchId: Type.Optional(Type.String({ format: 'uuid', description: 'One of your batches.' })),
    lot: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description:
          'A lot number (your batches and received raw-material lots with it) or a lot identifier (LGTIN URN or Digital Link).',
      }),
    ),
    direction: Type.Optional(
      Type.Union([Type.Literal('backward'), Type.Literal('forward'), Type.Literal('both')], {
        description: 'backward (溯源: where it came from), forward (追踪: where it went), or both (default).',
      }),
    ),
    depth: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Levels to walk; unlimited by default.' }),
    ),
    timelineLimit: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2000,
        description: 'Most timeline events (latest kept); default 200.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TraceQuery = Static<typeof TraceQuery>;

/** A stage of the journey (溯源环节). */
export const Stage = Type.Union(
  [
    Type.Literal('raw_material'),
    Type.Literal('production'),
    Type.Literal('processing'),
    Type.Literal('warehousing'),
    Type.Literal('logistics'),
    Type.Literal('channel'),
    Type.Literal('store'),
    Type.Literal('terminal'),
    Type.Literal('recall'),
    Type.Literal('other'),
  ],
  { description: 'Stage of the chain (docs/architecture.md, "Trace").' },
);

/** A node of the genealogy graph. */
export const TraceNode = Type.Object({
  id: Type.String({ description: 'The canonical identifier (a code range: first..last code).' }),
  kind: Type.Union([
    Type.Literal('item'),
    Type.Literal('case'),
    Type.Literal('pallet'),
    Type.Literal('lot'),
    Type.Literal('batch'),
    Type.Literal('code_range'),
    Type.Literal('party'),
    Type.Literal('location'),
    Type.Literal('other'),
  ]),
  level: Type.Integer({ description: '0 for the start; negative backward, positive forward.' }),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  parent: Type.Optional(Nullable(Type.String({ description: 'Current container; null once unpacked.' }))),
  holding: Type.Optional(
    Type.Object({
      bizLocation: Nullable(Type.String()),
      readPoint: Nullable(Type.String()),
      owner: Nullable(Type.String()),
      disposition: Nullable(Type.String()),
      bizStep: Nullable(Type.String()),
      eventTime: Timestamp,
    }),
  ),
});

/** An edge of the genealogy graph. */
export const TraceLink = Type.Object({
  from: Type.String(),
  to: Type.String(),
  kind: Type.Union([
    Type.Literal('contains'),
    Type.Literal('transformed-into'),
    Type.Literal('shipped-to'),
    Type.Literal('commissioned'),
  ]),
  eventId: Nullable(
    Type.String({ description: 'The event behind the edge; null for links through activations.' }),
  ),
  eventTime: Timestamp,
});

/** One event of the timeline. */
export const TimelineEvent = Type.Object({
  eventId: Type.String(),
  type: Type.String(),
  action: Nullable(Type.String()),
  bizStep: Nullable(Type.String()),
  disposition: Nullable(Type.String()),
  eventTime: Timestamp,
  readPoint: Nullable(Type.String()),
  bizLocation: Nullable(Type.String()),
  stage: Stage,
});

/** A trace: the genealogy graph and the timeline by stage. */
export const TraceResponse = Type.Object({
  roots: Type.Array(Type.String()),
  nodes: Type.Array(TraceNode),
  links: Type.Array(TraceLink),
  timeline: Type.Array(Type.Object({ stage: Stage, events: Type.Array(TimelineEvent) })),
  truncated: Type.Boolean({ description: 'The graph or the timeline was cut at its limit.' }),
});
