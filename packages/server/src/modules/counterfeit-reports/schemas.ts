import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';
import { RegionRef, ScanVerdict } from '../scan-log/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Status = Type.Union([
  Type.Literal('new'),
  Type.Literal('investigating'),
  Type.Literal('confirmed'),
  Type.Literal('dismissed'),
]);

/** A consumer's report of a suspected fake, with the enterprise's handling. */
export const CounterfeitReport = Type.Object({
  id: Id,
  code: Type.String(),
  productId: Nullable(Id),
  batchId: Nullable(Id),
  verdict: ScanVerdict,
  whereBought: Type.String(),
  priceCents: Nullable(Type.Integer({ description: 'The price paid, in fen (0.01 yuan).' })),
  note: Nullable(Type.String()),
  contact: Nullable(Type.String({ description: "The consumer's contact, when given; handle with care." })),
  photoUrl: Nullable(
    Type.String({ description: 'Path of the photo (for this API, with your credentials).' }),
  ),
  region: Nullable(RegionRef),
  status: Status,
  handlerNote: Nullable(Type.String()),
  handledBy: Nullable(Type.String({ description: 'Id of the user or API key that handled it last.' })),
  handledAt: Nullable(Timestamp),
  createdAt: Timestamp,
});

/** Filters for the list of reports. */
export const ListReportsQuery = Type.Object(
  {
    page: PageQuery.properties.page,
    pageSize: PageQuery.properties.pageSize,
    status: Type.Optional(Status),
    productId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** Handling a report. */
export const HandleReportBody = Type.Object(
  {
    status: Type.Union([Type.Literal('investigating'), Type.Literal('confirmed'), Type.Literal('dismissed')]),
    handlerNote: Type.Optional(
      Nullable(
        Type.String({ maxLength: 1000, description: 'Internal note; missing keeps the current one.' }),
      ),
    ),
  },
  { additionalProperties: false },
);

/** A report id in a path. */
export const ReportParams = Type.Object({ reportId: Id });
