import { Type } from 'typebox';
import { Id, PageQuery } from '../../lib/schemas.js';

/** The window of consumer-query figures, in days up to today. */
const Days = Type.Integer({
  minimum: 1,
  maximum: 366,
  default: 30,
  description: 'Days of consumer queries counted.',
});

const EnterpriseStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('pending_review'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('suspended'),
]);

/** Listing the enterprises in one's scope with their figures. */
export const SupervisedEnterprisesQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(EnterpriseStatus),
    days: Type.Optional(Days),
  },
  { additionalProperties: false },
);

export const OverviewQuery = Type.Object({ days: Type.Optional(Days) }, { additionalProperties: false });

/** Figures of one enterprise, or of a whole scope. */
export const Figures = Type.Object({
  products: Type.Integer(),
  codesIssued: Type.Integer(),
  codesActivated: Type.Integer(),
  scans: Type.Integer({ description: 'Consumer queries in the window.' }),
  warnings: Type.Integer({ description: 'Queries answered with a warning (limit passed, distant regions).' }),
  suspicious: Type.Integer({ description: 'Queries of codes never activated, voided, or with a wrong PIN.' }),
  openReports: Type.Integer({ description: 'Counterfeit reports not yet closed.' }),
});

export const SupervisedEnterprise = Type.Object({
  id: Id,
  name: Type.String(),
  uscc: Type.String(),
  regionCode: Type.String(),
  regionNames: Type.Array(Type.String()),
  status: EnterpriseStatus,
  figures: Figures,
});

export const Overview = Type.Object({
  /** The jurisdiction (regulators) or null for the whole platform (operators). */
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  jurisdictionNames: Type.Array(Type.String()),
  days: Type.Integer(),
  enterprises: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Record(Type.String(), Type.Integer()),
  }),
  figures: Figures,
});
