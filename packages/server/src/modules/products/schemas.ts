import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';

/** A product as the API shows it. */
export const Product = Type.Object({
  id: Id,
  name: Type.String(),
  brand: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  specification: Type.Union([Type.String(), Type.Null()]),
  gtin: Type.Union([Type.String({ description: 'GTIN-14.' }), Type.Null()]),
  executedStandard: Type.Union([Type.String(), Type.Null()]),
  shelfLifeDays: Type.Union([Type.Integer(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  shopUrl: Type.Union([Type.String(), Type.Null()]),
  imageFileIds: Type.Array(Id),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const optionalText = (max: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

const productFields = {
  brand: optionalText(100),
  category: optionalText(100),
  specification: optionalText(200),
  gtin: Type.Optional(
    Type.Union([
      Type.String({
        pattern: '^\\d{8}$|^\\d{12,14}$',
        description: 'GTIN-8, -12, -13 or -14; stored as GTIN-14.',
      }),
      Type.Null(),
    ]),
  ),
  executedStandard: optionalText(100),
  shelfLifeDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()])),
  description: optionalText(5000),
  shopUrl: Type.Optional(
    Type.Union([Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }), Type.Null()]),
  ),
};

/** Creating a product. */
export const CreateProductBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), ...productFields },
  { additionalProperties: false },
);

/** Editing a product. */
export const UpdateProductBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...productFields },
  { additionalProperties: false, minProperties: 1 },
);

/** Listing products. */
export const ListProductsQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
    sort: Type.Optional(
      Type.Union([Type.Literal('created_at'), Type.Literal('name'), Type.Literal('updated_at')]),
    ),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);

/** The product id in a path. */
export const ProductParams = Type.Object({ productId: Id });

/** A product image in a path. */
export const ProductImageParams = Type.Object({ productId: Id, fileId: Id });

/** A file id in a path. */
export const FileParams = Type.Object({ fileId: Id });

/** Fields sent with an image upload: none besides the file. */
export const NoFields = Type.Object({}, { additionalProperties: false });

/** File metadata. */
export const FileInfo = Type.Object({
  id: Id,
  mediaType: Type.String(),
  size: Type.Integer(),
  name: Type.String(),
  sha256: Type.String(),
});
