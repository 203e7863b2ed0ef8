import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';
import { VERDICTS } from '../scan/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A verdict of a recorded query. */
export const ScanVerdict = Type.Union([...VERDICTS], {
  description: 'The verdict the consumer saw (see GET /api/v1/verify/{code}).',
});

/** A GB/T 2260 region with its names from the province down. */
export const RegionRef = Type.Object({
  regionCode: Type.String({ description: 'GB/T 2260 code.' }),
  names: Type.Array(Type.String(), {
    description: 'Names from the province down; [] for a code no longer listed.',
  }),
});

/** One recorded consumer query. */
export const ScanEntry = Type.Object({
  id: Id,
  code: Type.String(),
  productId: Nullable(Id),
  batchId: Nullable(Id),
  at: Timestamp,
  verdict: ScanVerdict,
  warnings: Type.Array(Type.String(), { description: 'Warning reasons: query_limit, distant_regions.' }),
  region: Nullable(
    Type.Object({
      ...RegionRef.properties,
      source: Type.Union([Type.Literal('ip'), Type.Literal('position')]),
    }),
  ),
  position: Nullable(
    Type.Object(
      { latitude: Type.Number(), longitude: Type.Number() },
      { description: "The consumer's consented position, rounded to 0.01° (about 1 km)." },
    ),
  ),
  channel: Type.Union([Type.Literal('page'), Type.Literal('api')]),
  client: Type.Union([
    Type.Literal('wechat'),
    Type.Literal('alipay'),
    Type.Literal('browser'),
    Type.Literal('app'),
    Type.Literal('other'),
  ]),
  pinVerified: Type.Boolean(),
});

const code = Type.String({ pattern: '^[0-9]{15,21}$', description: 'A trace code of yours (digits).' });

/** Filters for the query log. */
export const ListScansQuery = Type.Object(
  {
    page: PageQuery.properties.page,
    pageSize: PageQuery.properties.pageSize,
    from: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2 ** 48 - 1,
        description: 'Queries at or after this time (epoch ms).',
      }),
    ),
    to: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: 'Queries before this time (epoch ms).' }),
    ),
    verdict: Type.Optional(ScanVerdict),
    productId: Type.Optional(Id),
    batchId: Type.Optional(Id),
    code: Type.Optional(code),
  },
  { additionalProperties: false },
);

const Counts = Type.Object({
  total: Type.Integer(),
  warnings: Type.Integer({ description: 'Queries answered with a warning.' }),
  suspicious: Type.Integer({ description: 'Queries of codes not activated or voided, or with a wrong PIN.' }),
});

/** The enterprise dashboard's figures. */
export const ScanSummary = Type.Object({
  today: Counts,
  last7Days: Counts,
  byDay: Type.Array(
    Type.Object({
      date: Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: 'Calendar day in China (UTC+8), YYYY-MM-DD.',
      }),
      total: Type.Integer(),
      warnings: Type.Integer(),
      suspicious: Type.Integer(),
    }),
    { description: 'The last 30 days, oldest first, today last; days without queries included.' },
  ),
  topProducts: Type.Array(
    Type.Object({ productId: Id, name: Nullable(Type.String()), count: Type.Integer() }),
    { description: 'The 10 most queried products of the last 7 days.' },
  ),
  byRegion: Type.Array(Type.Object({ ...RegionRef.properties, count: Type.Integer() }), {
    description: 'Queries of the last 30 days per province (top 20); queries of unknown region left out.',
  }),
  recentFlagged: Type.Array(ScanEntry, {
    description:
      'The latest 8 queries of the last 30 days answered with a warning or found suspicious, newest first.',
  }),
  figures: Type.Object({
    products: Type.Integer({ description: 'Products in the catalogue, archived included.' }),
    codesIssued: Type.Integer({ description: 'Trace codes generated.' }),
    codesActivated: Type.Integer({ description: 'Trace codes activated for a batch.' }),
    openReports: Type.Integer({ description: 'Counterfeit reports not yet closed (new or investigating).' }),
  }),
});

/** A code in a path. */
export const CodeParams = Type.Object({ code });

/** A code's query history. */
export const CodeQueries = Type.Object({
  code: Type.String(),
  firstQueryAt: Nullable(Timestamp),
  firstRegion: Nullable(RegionRef),
  count: Type.Integer(),
  lastQueryAt: Nullable(Timestamp),
  lastRegion: Nullable(RegionRef),
  scans: Type.Array(ScanEntry, { description: 'The latest 50 queries, newest first.' }),
});
