import { Type } from 'typebox';
import { Id, Timestamp } from '../../lib/schemas.js';
import { Stage } from '../trace/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A trace code in a path: digits, maybe with the spaces or dashes people type. */
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 200 }) });

/** The Digital Link form `/01/{gtin14}/21/{code}`. */
export const DigitalLinkParams = Type.Object({
  gtin: Type.String({ maxLength: 200 }),
  code: Type.String({ maxLength: 200 }),
});

/** Language switch of the consumer pages. */
export const PageQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 10 })),
  code: Type.Optional(Type.String({ maxLength: 200 })),
});

/** The optional PIN of a verify call. */
export const VerifyQuery = Type.Object(
  {
    pin: Type.Optional(
      Type.String({
        maxLength: 32,
        description:
          'The hidden PIN under a scratch-off coating, when the label has one. Prefer POST to keep it out of logs.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Body of `POST /api/v1/verify`. */
export const VerifyBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 200, description: 'The trace code, as printed.' }),
    pin: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

/** Every verdict, one list for the verify answer and the logs (scan-log, reports). */
export const VERDICTS = [
  Type.Literal('genuine_first'),
  Type.Literal('genuine_repeat'),
  Type.Literal('warning'),
  Type.Literal('pin_required'),
  Type.Literal('pin_wrong'),
  Type.Literal('not_activated'),
  Type.Literal('invalid'),
  Type.Literal('voided'),
  Type.Literal('recalled'),
] as const;

const Verdict = Type.Union([...VERDICTS], {
  description:
    'genuine_first: genuine, first query (its time is now locked); genuine_repeat: queried before; warning: query ' +
    'limit passed or abnormal pattern; pin_required: the label has a hidden PIN, send it; pin_wrong; not_activated: ' +
    'issued but never activated (suspicious); invalid: not a code of this platform; voided: taken out of use; ' +
    'recalled: genuine but recalled by the enterprise (see `recall`): stop using it.',
});

const TraceStep = Type.Object({
  stage: Stage,
  bizStep: Nullable(Type.String({ description: 'CBV business step (bare word for standard ones).' })),
  disposition: Nullable(Type.String()),
  at: Timestamp,
  place: Nullable(Type.String({ description: 'A readable place: a site or partner name, or a GLN.' })),
});

/** The trace of a code or batch as consumers see it. */
export const ConsumerTrace = Type.Object({
  steps: Type.Array(TraceStep, { description: 'In time order.' }),
  more: Type.Integer({ description: 'Steps not listed.' }),
});

const Place = Type.Object({
  regionCode: Type.String({ description: 'GB/T 2260 code.' }),
  names: Type.Array(Type.String(), { description: 'Region names from the province down.' }),
  source: Type.Union([Type.Literal('ip'), Type.Literal('position')]),
});

/** What the verify endpoint answers: the same facts the scan page shows. */
export const Verification = Type.Object({
  code: Type.String(),
  verdict: Verdict,
  warnings: Type.Array(Type.Union([Type.Literal('query_limit'), Type.Literal('distant_regions')])),
  counted: Type.Boolean({ description: 'Whether this request counted as a consumer query.' }),
  scanId: Nullable(Type.String({ description: 'Id of the recorded query; send a position to it.' })),
  firstQueryAt: Nullable(Timestamp),
  queryCount: Type.Integer(),
  hasPin: Type.Boolean(),
  pinVerified: Type.Boolean(),
  promptText: Nullable(Type.String()),
  warningText: Nullable(Type.String()),
  queryLimit: Nullable(Type.Integer()),
  antiCounterfeitPopup: Type.Boolean(),
  product: Nullable(
    Type.Object({
      name: Type.String(),
      brand: Nullable(Type.String()),
      specification: Nullable(Type.String()),
      category: Nullable(Type.String()),
      gtin: Nullable(Type.String()),
      executedStandard: Nullable(Type.String()),
      shelfLifeDays: Nullable(Type.Integer()),
      description: Nullable(Type.String()),
      imageUrl: Nullable(Type.String()),
    }),
  ),
  batch: Nullable(
    Type.Object({
      lot: Type.String(),
      productionDate: Type.String(),
      expiryDate: Nullable(Type.String()),
      inspectionReportUrl: Nullable(Type.String()),
    }),
  ),
  enterprise: Nullable(
    Type.Object({
      name: Type.String(),
      uscc: Type.String(),
      address: Type.String(),
      regionNames: Type.Array(Type.String()),
      qualifications: Type.Array(
        Type.Object({
          kind: Type.String(),
          title: Type.String(),
          number: Type.String(),
          expiresOn: Nullable(Type.String()),
        }),
      ),
    }),
  ),
  links: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('shop'), Type.Literal('news'), Type.Literal('promotion')]),
      url: Type.String(),
      label: Nullable(Type.String()),
    }),
  ),
  place: Nullable(Place),
  reportable: Type.Boolean(),
  recall: Nullable(
    Type.Object(
      {
        at: Timestamp,
        reason: Nullable(Type.String()),
        scope: Type.Union([Type.Literal('code'), Type.Literal('container'), Type.Literal('batch')], {
          description: 'What was recalled: this code, a case or pallet it is packed in, or its batch.',
        }),
      },
      { description: 'The recall the code is under (verdict recalled).' },
    ),
  ),
  trace: Nullable(ConsumerTrace),
});

/** A code's journey (GET /api/v1/verify/{code}/trace). */
export const CodeJourney = Type.Object({ code: Type.String(), ...ConsumerTrace.properties });

/** The consented browser position of a query. */
export const PositionBody = Type.Object(
  {
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    accuracy: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Metres.' })),
  },
  { additionalProperties: false },
);

export const ScanParams = Type.Object({ scanId: Id });

/** Where the position put the query. */
export const PositionAnswer = Type.Object({ place: Nullable(Place) });

/** Fields of a counterfeit report (multipart, with an optional `photo` file). */
export const ReportFields = Type.Object(
  {
    where: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Where it was bought (shop, platform, address).',
    }),
    price: Type.Optional(
      Type.String({
        maxLength: 12,
        pattern: '^(\\d{1,8}(\\.\\d{1,2})?)?$',
        description: 'Price paid, in yuan.',
      }),
    ),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    contact: Type.Optional(
      Type.String({ maxLength: 100, description: 'Phone or e-mail, if the buyer wants an answer.' }),
    ),
  },
  { additionalProperties: false },
);

export const ReportCreated = Type.Object({ id: Id });

export const MediaParams = Type.Object({ fileId: Type.String({ maxLength: 64 }) });
