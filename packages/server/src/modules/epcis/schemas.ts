import { Type } from 'typebox';
import { supportedQueryParameters } from './query.js';

/** RFC 7807 problem of the EPCIS binding, with our catalogue code as an extension member. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'GS1 exception, e.g. epcisException:ValidationException.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Catalogue code, TRACE_<AREA>_<WHAT> (docs/errors.md).' }),
    requestId: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 7807 problem (application/problem+json).' },
);

/** Error responses of every EPCIS route. */
export const problemResponses = { '4xx': Problem } as const;

/** Any JSON-LD document or event: validated against GS1's JSON Schema by the handler. */
export const JsonLd = Type.Object(
  {},
  { additionalProperties: true, description: 'JSON-LD, see the EPCIS 2.0 JSON Schema.' },
);

/** Paging of the binding: perPage and the opaque nextPageToken of the Link header. */
export const PagingQuery = Type.Object({
  perPage: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'Events per page (default 100).' }),
  ),
  nextPageToken: Type.Optional(Type.String({ maxLength: 8000 })),
});

/** The event query parameters (EPCIS 2.0 §8.2.7.1), lists pipe-delimited; unknown ones are refused. */
export const EventsQuery = Type.Object(
  {
    ...PagingQuery.properties,
    ...Object.fromEntries(
      supportedQueryParameters.map((p) => [
        p,
        Type.Optional(Type.Unknown({ description: `EPCIS query parameter ${p}` })),
      ]),
    ),
  },
  { additionalProperties: true },
);

export const CaptureParams = Type.Object({ captureId: Type.String({ maxLength: 64 }) });
export const EventParams = Type.Object({ eventId: Type.String({ minLength: 1, maxLength: 500 }) });
export const QueryParams = Type.Object({ queryName: Type.String({ minLength: 1, maxLength: 100 }) });
/** A sub-resource value in the path (`/epcis/bizSteps/{bizStep}` …), URL-encoded when it is a URI. */
export const resourceParams = {
  eventTypes: Type.Object({ eventType: Type.String({ minLength: 1, maxLength: 100 }) }),
  epcs: Type.Object({ epc: Type.String({ minLength: 1, maxLength: 2000 }) }),
  bizSteps: Type.Object({ bizStep: Type.String({ minLength: 1, maxLength: 2000 }) }),
  bizLocations: Type.Object({ bizLocation: Type.String({ minLength: 1, maxLength: 2000 }) }),
  readPoints: Type.Object({ readPoint: Type.String({ minLength: 1, maxLength: 2000 }) }),
  dispositions: Type.Object({ disposition: Type.String({ minLength: 1, maxLength: 2000 }) }),
} as const;

export const SubscriptionParams = Type.Object({
  queryName: Type.String({ minLength: 1, maxLength: 100 }),
  subscriptionId: Type.String({ maxLength: 64 }),
});

/** The capture job of the binding. */
export const CaptureJob = Type.Object({
  captureID: Type.String(),
  createdAt: Type.String(),
  finishedAt: Type.Optional(Type.String()),
  running: Type.Boolean(),
  success: Type.Boolean(),
  captureErrorBehaviour: Type.String(),
  eventCount: Type.Integer(),
  capturedEvents: Type.Integer(),
  duplicateEvents: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      eventIndex: Type.Optional(Type.Integer()),
      eventID: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      message: Type.String(),
    }),
  ),
});

export const CreateQueryBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.~-]+$' }),
    query: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const NamedQuery = Type.Object({
  name: Type.String(),
  query: Type.Object({}, { additionalProperties: true }),
  createdAt: Type.String(),
});

/** One field of a QuerySchedule: numbers and [low-high] ranges, comma-separated. */
const ScheduleField = Type.Optional(
  Type.Union([Type.String({ maxLength: 200 }), Type.Integer({ minimum: 0, maximum: 59 })]),
);

/** The binding's QuerySchedule (UTC). */
export const QuerySchedule = Type.Object(
  {
    second: ScheduleField,
    minute: ScheduleField,
    hour: ScheduleField,
    dayOfMonth: ScheduleField,
    month: ScheduleField,
    dayOfWeek: ScheduleField,
  },
  {
    additionalProperties: false,
    description:
      'When a scheduled subscription runs, in UTC: each field numbers and [low-high] ranges, comma-separated (dayOfWeek 1 = Monday). Fields finer than the finest given default to their least value: { hour: "1", minute: "5" } is 01:05:00 daily.',
  },
);

export const SubscribeBody = Type.Object(
  {
    dest: Type.String({ minLength: 1, maxLength: 2000 }),
    signatureToken: Type.Optional(Type.String({ minLength: 16, maxLength: 500 })),
    stream: Type.Optional(Type.Boolean()),
    schedule: Type.Optional(QuerySchedule),
    reportIfEmpty: Type.Optional(Type.Boolean()),
    initialRecordTime: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const Subscription = Type.Object({
  subscriptionID: Type.String(),
  queryName: Type.String(),
  dest: Type.String(),
  stream: Type.Boolean(),
  reportIfEmpty: Type.Boolean(),
  createdAt: Type.String(),
  lastNotifiedAt: Type.Optional(Type.String()),
  initialRecordTime: Type.Optional(Type.String()),
  schedule: Type.Optional(Type.Record(Type.String(), Type.String())),
  nextRunAt: Type.Optional(Type.String({ description: 'When a scheduled subscription runs next (UTC).' })),
  signatureToken: Type.Optional(
    Type.String({ description: 'Only in the answer to the subscription, when the server made the secret.' }),
  ),
});

/** A JSON-LD collection of URIs or names (discovery resources). */
export const Collection = Type.Object({
  '@context': Type.Unknown(),
  type: Type.Literal('Collection'),
  member: Type.Array(Type.String()),
});

/** What POST /epcis/events answers: the event's eventID (the hash when it had none). */
export const CapturedEvent = Type.Object({ eventID: Type.String(), stored: Type.Boolean() });
