import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';

const Length = Type.Union([Type.Literal(15), Type.Literal(17), Type.Literal(21)], {
  description: 'Digits per code.',
});
const Level = Type.Union(
  [Type.Literal('item'), Type.Literal('box'), Type.Literal('case'), Type.Literal('pallet')],
  {
    description: 'Packing level: item → box → case → pallet (母子码).',
  },
);
/** A trace code as typed or scanned: digits, spaces and dashes allowed. */
export const CodeText = Type.String({
  minLength: 15,
  maxLength: 40,
  pattern: '^[0-9 -]+$',
  description: '15, 17 or 21 digits.',
});

/** A code space. */
export const CodeSpace = Type.Object({
  id: Id,
  name: Type.String(),
  length: Length,
  prefix: Type.String({ description: 'The first digits of every code of the space.' }),
  capacity: Type.Integer(),
  issued: Type.Integer({ description: 'Codes issued by jobs so far.' }),
  activated: Type.Integer({ description: 'Codes activated for batches.' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  createdAt: Timestamp,
});

/** Creating a code space. */
export const CreateSpaceBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), length: Length },
  { additionalProperties: false },
);

/** A generation job. */
export const CodeJob = Type.Object({
  id: Id,
  spaceId: Id,
  productId: Type.Union([Id, Type.Null()]),
  packingLevel: Level,
  count: Type.Integer(),
  firstSerial: Type.Integer(),
  withPin: Type.Boolean(),
  note: Type.Union([Type.String(), Type.Null()]),
  activated: Type.Integer(),
  createdAt: Timestamp,
});

/** Issuing codes. */
export const CreateJobBody = Type.Object(
  {
    spaceId: Id,
    productId: Type.Optional(Id),
    count: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
    packingLevel: Type.Optional(Level),
    withPin: Type.Optional(Type.Boolean({ description: 'A hidden PIN per code for scratch-off labels.' })),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** Listing jobs. */
export const ListJobsQuery = Type.Object(
  {
    page: PageQuery.properties.page,
    pageSize: PageQuery.properties.pageSize,
    spaceId: Type.Optional(Id),
    productId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

/** A slice of a job's codes. */
export const JobCodesQuery = Type.Object(
  {
    offset: Type.Integer({ minimum: 0, default: 0, description: '0-based position of the first code.' }),
    count: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  },
  { additionalProperties: false },
);

/** Codes of a job. */
export const JobCodes = Type.Object({
  items: Type.Array(
    Type.Object({
      position: Type.Integer(),
      code: Type.String(),
      url: Type.String(),
      pin: Type.Optional(Type.String()),
    }),
  ),
});

/** Activating codes for a batch: a whole job, a range of positions, or scanned codes. */
export const ActivateBody = Type.Object(
  {
    batchId: Id,
    jobId: Type.Optional(Id),
    from: Type.Optional(
      Type.Integer({ minimum: 1, description: '1-based first position in the job (with jobId and to).' }),
    ),
    to: Type.Optional(Type.Integer({ minimum: 1 })),
    codes: Type.Optional(Type.Array(CodeText, { minItems: 1, maxItems: 10_000 })),
  },
  { additionalProperties: false },
);

/** The outcome of an activation. */
export const ActivationResult = Type.Object({ activated: Type.Integer(), ranges: Type.Integer() });

/** Activating one code on the line. */
export const ActivateOneBody = Type.Object({ code: CodeText, batchId: Id }, { additionalProperties: false });

/** Packing children into a parent. */
export const PackBody = Type.Object(
  { parent: CodeText, children: Type.Array(CodeText, { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);

/** Unpacking some or all children. */
export const UnpackBody = Type.Object(
  { parent: CodeText, children: Type.Optional(Type.Array(CodeText, { minItems: 1, maxItems: 10_000 })) },
  { additionalProperties: false },
);

/** Replacing a damaged label. */
export const ReplaceBody = Type.Object({ old: CodeText, new: CodeText }, { additionalProperties: false });

/** One code as its owner sees it. */
export const CodeInfo = Type.Object({
  code: Type.String(),
  url: Type.String(),
  status: Type.Union([Type.Literal('issued'), Type.Literal('active'), Type.Literal('voided')]),
  spaceId: Id,
  serial: Type.Integer(),
  jobId: Id,
  position: Type.Integer({ description: '1-based position in its job.' }),
  packingLevel: Level,
  productId: Type.Union([Id, Type.Null()]),
  batchId: Type.Union([Id, Type.Null()]),
  activatedAt: Type.Union([Timestamp, Type.Null()]),
  parent: Type.Union([Type.String(), Type.Null()]),
  children: Type.Array(Type.String()),
  childCount: Type.Integer(),
  replacedBy: Type.Union([Type.String(), Type.Null()]),
});

/** The code in a path. */
export const CodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{15,21}$' }) });
/** The space id in a path. */
export const SpaceParams = Type.Object({ spaceId: Id });
/** The job id in a path. */
export const JobParams = Type.Object({ jobId: Id });

/** Asking for an export file of a job's codes. */
export const ExportBody = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('txt')], {
      description: 'csv for label software, txt for line-side coders.',
    }),
    compression: Type.Optional(
      Type.Union([Type.Literal('none'), Type.Literal('gzip'), Type.Literal('zip')], { default: 'zip' }),
    ),
    codesPerFile: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Split size; default 1,000,000.' }),
    ),
    includeUrl: Type.Optional(Type.Boolean({ description: 'Add the QR URL column (default true).' })),
    includePin: Type.Optional(Type.Boolean({ description: 'Add the hidden PIN (jobs with PINs only).' })),
  },
  { additionalProperties: false },
);

/** An export and its progress. */
export const CodeExport = Type.Object({
  id: Id,
  jobId: Id,
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  format: Type.String(),
  compression: Type.String(),
  codesPerFile: Type.Integer(),
  includeUrl: Type.Boolean(),
  includePin: Type.Boolean(),
  codesWritten: Type.Integer(),
  total: Type.Integer(),
  progress: Type.Number({ description: 'From 0 to 1.' }),
  files: Type.Array(
    Type.Object({
      name: Type.String(),
      codes: Type.Integer(),
      bytes: Type.Integer(),
      sha256: Type.String(),
      url: Type.String(),
    }),
  ),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** The export id in a path. */
export const ExportParams = Type.Object({ exportId: Id });
/** An export file in a path. */
export const ExportFileParams = Type.Object({
  exportId: Id,
  name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,120}$' }),
});

/** How to print a job's labels. */
export const LabelsQuery = Type.Object(
  {
    layout: Type.Optional(
      Type.Union([Type.Literal('classic'), Type.Literal('framed'), Type.Literal('sidebar')], {
        default: 'classic',
      }),
    ),
    colour: Type.Optional(
      Type.Union([Type.Literal('red'), Type.Literal('orange'), Type.Literal('green'), Type.Literal('blue')], {
        description: 'red #D41819, orange #FFCC00, green #316464, blue #468CC8.',
      }),
    ),
    width: Type.Optional(
      Type.Number({
        minimum: 10,
        maximum: 180,
        description: 'Label width in mm (2:3 with height); default 20.',
      }),
    ),
    height: Type.Optional(
      Type.Number({ minimum: 10, maximum: 180, description: 'Label height in mm; default 30.' }),
    ),
    sheet: Type.Optional(
      Type.Union([Type.Literal('a4'), Type.Literal('roll')], {
        description: 'A4 sheets or one label per page (roll printers).',
      }),
    ),
    offset: Type.Optional(Type.Integer({ minimum: 0, description: '0-based position of the first label.' })),
    count: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20_000, description: 'Labels in this PDF; default up to 1,000.' }),
    ),
    disposition: Type.Optional(
      Type.Union([Type.Literal('attachment'), Type.Literal('inline')], {
        description:
          'inline to show the PDF in the page (the console previews a few labels so); default attachment (a download).',
      }),
    ),
  },
  { additionalProperties: false },
);
