import { Type } from 'typebox';
import { Id, IsoDate, PageQuery, Timestamp } from '../../lib/schemas.js';
import { Username } from '../users/schemas.js';
import { EnterpriseBrief, LoginResult } from '../auth/schemas.js';

const Status = Type.Union(
  [
    Type.Literal('draft'),
    Type.Literal('pending_review'),
    Type.Literal('approved'),
    Type.Literal('rejected'),
    Type.Literal('suspended'),
  ],
  {
    description:
      'draft → pending_review → approved | rejected (edit and submit again); approved ↔ suspended.',
  },
);

const Phone = Type.String({ pattern: '^[0-9+() -]{5,30}$' });

/** An enterprise as the API shows it. */
export const Enterprise = Type.Object({
  id: Id,
  name: Type.String(),
  uscc: Type.String({ description: '统一社会信用代码 (unified social credit code).' }),
  legalRepresentative: Type.String(),
  address: Type.String(),
  regionCode: Type.String({ description: 'GB/T 2260 code of the registered address.' }),
  regionPath: Type.Array(Type.String(), { description: 'Province, city, county names.' }),
  contactName: Type.String(),
  contactPhone: Type.String(),
  contactEmail: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  reviewReason: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: Type.Union([Timestamp, Type.Null()]),
  submittedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const enterpriseFields = {
  name: Type.String({ minLength: 2, maxLength: 100 }),
  uscc: Type.String({
    minLength: 18,
    maxLength: 18,
    description: '18-character unified social credit code (GB 32100).',
  }),
  legalRepresentative: Type.String({ minLength: 1, maxLength: 50 }),
  address: Type.String({ minLength: 2, maxLength: 200 }),
  regionCode: Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 region code (6 digits).' }),
  contactName: Type.String({ minLength: 1, maxLength: 50 }),
  contactPhone: Phone,
  contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
};

/** Registering an enterprise with its first administrator. */
export const RegisterBody = Type.Object(
  {
    enterprise: Type.Object(enterpriseFields, { additionalProperties: false }),
    admin: Type.Object(
      {
        username: Username,
        displayName: Type.String({ minLength: 1, maxLength: 100 }),
        password: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
        phone: Type.Optional(Phone),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** What registration returns: the enterprise and a logged-in session for its administrator. */
export const RegisterResult = Type.Object({ ...LoginResult.properties, enterprise: Enterprise });

/** Editing an enterprise's profile. */
export const UpdateEnterpriseBody = Type.Object(
  {
    name: Type.Optional(enterpriseFields.name),
    uscc: Type.Optional(enterpriseFields.uscc),
    legalRepresentative: Type.Optional(enterpriseFields.legalRepresentative),
    address: Type.Optional(enterpriseFields.address),
    regionCode: Type.Optional(enterpriseFields.regionCode),
    contactName: Type.Optional(enterpriseFields.contactName),
    contactPhone: Type.Optional(Phone),
    contactEmail: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Listing enterprises. */
export const ListEnterprisesQuery = Type.Object(
  { ...PageQuery.properties, status: Type.Optional(Status) },
  { additionalProperties: false },
);

/** The enterprise id in a path. */
export const EnterpriseParams = Type.Object({ enterpriseId: Id });

/** A reviewer's reason. */
export const ReasonBody = Type.Object(
  { reason: Type.String({ minLength: 2, maxLength: 500 }) },
  { additionalProperties: false },
);

const DocumentKind = Type.Union(
  [
    Type.Literal('business_licence'),
    Type.Literal('trademark'),
    Type.Literal('production_licence'),
    Type.Literal('quality_inspection'),
    Type.Literal('product_specification'),
    Type.Literal('foreign_equivalent'),
    Type.Literal('other'),
  ],
  {
    description:
      'business_licence 营业执照; trademark 商标注册证或授权书; production_licence 生产/卫生许可证; quality_inspection 质检合格证明、执行标准、检测报告; product_specification 产品说明; foreign_equivalent 境外产品的对应文件; other 其他证书.',
  },
);

/** A qualification document. */
export const Document = Type.Object({
  id: Id,
  enterpriseId: Id,
  kind: DocumentKind,
  title: Type.String(),
  number: Type.String(),
  expiresOn: Type.Union([IsoDate, Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('verified'), Type.Literal('rejected')]),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
  file: Type.Object({
    id: Id,
    mediaType: Type.String(),
    size: Type.Integer(),
    name: Type.String(),
    sha256: Type.String(),
  }),
  createdAt: Timestamp,
});

/** Fields sent with a document file (multipart/form-data; the file part is named `file`). */
export const DocumentUploadFields = Type.Object(
  {
    kind: DocumentKind,
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    number: Type.String({ minLength: 1, maxLength: 100, description: 'Certificate or licence number.' }),
    expiresOn: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

/** The document id in a path. */
export const DocumentParams = Type.Object({ enterpriseId: Id, documentId: Id });

/** A reviewer's decision on one document. */
export const DocumentReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('verified'), Type.Literal('rejected')]),
    reason: Type.Optional(Type.String({ minLength: 2, maxLength: 500 })),
  },
  { additionalProperties: false },
);

/** A document near or past its expiry, with its enterprise. */
export const ExpiringDocument = Type.Object({
  ...Document.properties,
  enterprise: EnterpriseBrief,
  daysLeft: Type.Integer({ description: 'Days until expiry; negative when already lapsed.' }),
});

/** How far ahead to look for lapsing documents. */
export const ExpiringQuery = Type.Object(
  { withinDays: Type.Integer({ minimum: 0, maximum: 365, default: 30 }) },
  { additionalProperties: false },
);
