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
    sort: Type.Optional(
      Type.Union(
        [
          Type.Literal('scans'),
          Type.Literal('warnings'),
          Type.Literal('suspicious'),
          Type.Literal('openReports'),
          Type.Literal('codesIssued'),
        ],
        {
          description:
            'Order by this figure, most first (reads the figures of the whole scope); newest first without.',
        },
      ),
    ),
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
  byRegion: Type.Array(
    Type.Object({
      regionCode: Type.String({ description: 'GB/T 2260 code.' }),
      names: Type.Array(Type.String(), { description: 'Names from the province down.' }),
      enterprises: Type.Integer(),
      scans: Type.Integer(),
      warnings: Type.Integer(),
      suspicious: Type.Integer(),
    }),
    {
      description:
        'The same figures per region one level below the scope (provinces for the platform, cities of a ' +
        'province, counties of a municipality or city), most queried first.',
    },
  ),
  topEnterprises: Type.Array(
    Type.Object({
      id: Id,
      name: Type.String(),
      scans: Type.Integer(),
      warnings: Type.Integer(),
      suspicious: Type.Integer(),
    }),
    { description: 'The 10 enterprises with most queries in the window (those with none left out).' },
  ),
});

/** Listing one supervised enterprise's products. */
export const SupervisedProductsQuery = Type.Object(
  {
    ...PageQuery.properties,
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Text to search for in name, brand or GTIN.' }),
    ),
    days: Type.Optional(Days),
  },
  { additionalProperties: false },
);

/** One product of a supervised enterprise with its figures. */
export const SupervisedProduct = Type.Object({
  id: Id,
  name: Type.String(),
  brand: Type.Union([Type.String(), Type.Null()]),
  gtin: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  specification: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  createdAt: Type.Integer({ description: 'Unix milliseconds.' }),
  figures: Type.Object({
    batches: Type.Integer(),
    codesActivated: Type.Integer(),
    scans: Type.Integer({ description: 'Consumer queries in the window.' }),
  }),
});
