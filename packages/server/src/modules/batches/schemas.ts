import { Type } from 'typebox';
import { Id, IsoDate, PageQuery, Timestamp } from '../../lib/schemas.js';

/** A batch as the API shows it. */
export const Batch = Type.Object({
  id: Id,
  productId: Id,
  productName: Type.Optional(Type.String()),
  lot: Type.String(),
  productionDate: IsoDate,
  expiryDate: Type.Union([IsoDate, Type.Null()]),
  line: Type.Union([Type.String(), Type.Null()]),
  quantity: Type.Union([Type.Integer(), Type.Null()]),
  inspectionReport: Type.Union([
    Type.Object({
      id: Id,
      mediaType: Type.String(),
      size: Type.Integer(),
      name: Type.String(),
      sha256: Type.String(),
    }),
    Type.Null(),
  ]),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const batchFields = {
  productionDate: IsoDate,
  expiryDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  line: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  quantity: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 }), Type.Null()]),
  ),
};

/** Creating a batch. When the product has a shelf life and no expiry is given, it is computed. */
export const CreateBatchBody = Type.Object(
  {
    productId: Id,
    lot: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[^\\s].*[^\\s]$|^[^\\s]$',
      description: 'Lot number (批号), unique per product.',
    }),
    ...batchFields,
  },
  { additionalProperties: false },
);

/** Editing a batch. */
export const UpdateBatchBody = Type.Object(
  {
    lot: Type.Optional(CreateBatchBody.properties.lot),
    productionDate: Type.Optional(IsoDate),
    expiryDate: batchFields.expiryDate,
    line: batchFields.line,
    quantity: batchFields.quantity,
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Listing batches. */
export const ListBatchesQuery = Type.Object(
  {
    ...PageQuery.properties,
    productId: Type.Optional(Id),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
  },
  { additionalProperties: false },
);

/** The batch id in a path. */
export const BatchParams = Type.Object({ batchId: Id });
