import { Type, type Static } from 'typebox';
import { CBV_BIZ_TRANSACTION_TYPES } from '@tracemark/core';
import { Id, IsoDate, PageQuery, Timestamp } from '../../lib/schemas.js';

/** The business actions, each one path under /api/v1/trace-actions/. */
export const ACTIONS = Object.freeze([
  'receive-materials',
  'produce',
  'warehouse-in',
  'warehouse-out',
  'ship',
  'receive',
  'retail-sale',
  'inspection',
  'recall',
  'destroy',
  'record-stage',
] as const);

/** A business action's name. */
export type ActionName = (typeof ACTIONS)[number];

const Ref = (description: string) => Type.String({ minLength: 1, maxLength: 300, description });
const PartyRef = Ref(
  'A party: a 13-digit GLN (written as its PGLN), a URI, or a name (the enterprise’s own partner).',
);
const SiteRef = Ref(
  'A place: a 13-digit GLN (written as its SGLN), a URI, or the name of one of the enterprise’s own sites.',
);

/** A UN/CEFACT Rec. 20 unit code, as EPCIS quantities carry (KGM, LTR, H87 …). */
export const Unit = Type.String({
  pattern: '^[A-Z0-9]{2,3}$',
  description: 'UN/CEFACT Rec. 20 unit code: KGM kilogram, GRM gram, LTR litre, H87 piece …',
});
const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });

const EventTime = Type.String({
  maxLength: 40,
  description: 'When it happened, ISO 8601 with an offset (e.g. 2026-03-01T08:00:00+08:00); default now.',
});

const CodeRange = Type.Object(
  {
    jobId: Id,
    from: Type.Integer({ minimum: 1, description: 'First position in the job (1-based, as printed).' }),
    to: Type.Integer({ minimum: 1, description: 'Last position in the job.' }),
  },
  { additionalProperties: false },
);

/** What an action is about: instance codes (item, case, pallet), code ranges, batches, raw lots. */
const targets = {
  codes: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
      maxItems: 10_000,
      description: 'Trace codes: items, or cases and pallets (their contents go with them).',
    }),
  ),
  ranges: Type.Optional(Type.Array(CodeRange, { maxItems: 100 })),
  batches: Type.Optional(
    Type.Array(
      Type.Object(
        { batchId: Id, quantity: Type.Optional(Quantity), unit: Type.Optional(Unit) },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'Batches as a whole (class level: GTIN + lot).' },
    ),
  ),
  lots: Type.Optional(
    Type.Array(
      Type.Object(
        { lotId: Id, quantity: Type.Optional(Quantity), unit: Type.Optional(Unit) },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: 'Raw-material lots (class level).' },
    ),
  ),
};

/** The targets part of an action body. */
export type Targets = {
  codes?: string[];
  ranges?: Array<{ jobId: string; from: number; to: number }>;
  batches?: Array<{ batchId: string; quantity?: number; unit?: string }>;
  lots?: Array<{ lotId: string; quantity?: number; unit?: string }>;
};

const BizTransaction = Type.Object(
  {
    type: Type.Union(
      CBV_BIZ_TRANSACTION_TYPES.map((t) => Type.Literal(t)),
      { description: 'CBV type: desadv (发货单/despatch advice), po, inv, bol, prodorder …' },
    ),
    id: Type.String({ minLength: 1, maxLength: 200, description: 'The document number, or its URI.' }),
  },
  { additionalProperties: false },
);
const bizTransactions = Type.Optional(Type.Array(BizTransaction, { maxItems: 20 }));
const eventTime = Type.Optional(EventTime);

/** receive-materials: raw-material lots from a supplier. */
export const ReceiveMaterialsBody = Type.Object(
  {
    supplier: PartyRef,
    supplierName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    location: Type.Optional(SiteRef),
    receivedDate: Type.Optional(IsoDate),
    bizTransactions,
    eventTime,
    lots: Type.Array(
      Type.Object(
        {
          material: Type.String({ minLength: 1, maxLength: 200, description: 'Material name (原料名称).' }),
          materialGtin: Type.Optional(Type.String({ maxLength: 14 })),
          lot: Type.String({ minLength: 1, maxLength: 64 }),
          quantity: Quantity,
          unit: Unit,
          inspectionFileId: Type.Optional(Id),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

/** produce: a batch made from raw-material lots. */
export const ProduceBody = Type.Object(
  {
    batchId: Id,
    inputs: Type.Array(
      Type.Object(
        {
          lotId: Type.Optional(Id),
          lot: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 64,
              description: 'Instead of lotId: the lot number, when one raw-material lot has it.',
            }),
          ),
          quantity: Quantity,
          unit: Type.Optional(Unit),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100, description: 'Raw-material lots used, by lotId or lot number.' },
    ),
    outputQuantity: Type.Optional(Quantity),
    outputUnit: Type.Optional(Unit),
    codes: targets.codes,
    ranges: targets.ranges,
    location: Type.Optional(SiteRef),
    eventTime,
  },
  { additionalProperties: false },
);

/** warehouse-in and warehouse-out. */
export const WarehouseBody = Type.Object(
  { ...targets, warehouse: SiteRef, eventTime },
  { additionalProperties: false },
);

/** ship: to a distributor or store. */
export const ShipBody = Type.Object(
  {
    ...targets,
    to: PartyRef,
    toLocation: Type.Optional(SiteRef),
    from: Type.Optional(PartyRef),
    fromLocation: Type.Optional(SiteRef),
    bizTransactions,
    eventTime,
  },
  { additionalProperties: false },
);

/** receive: at a distributor or store. */
export const ReceiveBody = Type.Object(
  {
    ...targets,
    at: SiteRef,
    receiver: Type.Optional(PartyRef),
    from: Type.Optional(PartyRef),
    bizTransactions,
    eventTime,
  },
  { additionalProperties: false },
);

/** retail-sale. */
export const RetailSaleBody = Type.Object(
  { ...targets, store: SiteRef, eventTime },
  { additionalProperties: false },
);

/** inspection: a result with its inspector, report and measurements. */
export const InspectionBody = Type.Object(
  {
    ...targets,
    result: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    inspector: Type.String({ minLength: 1, maxLength: 100 }),
    reportFileId: Type.Optional(Id),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    measurements: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: Type.String({
              pattern: '^gs1:[A-Za-z]+$',
              description: 'GS1 measurement type, e.g. gs1:Temperature, gs1:RelativeHumidity.',
            }),
            value: Type.Number(),
            unit: Type.Optional(Unit),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
    location: Type.Optional(SiteRef),
    eventTime,
  },
  { additionalProperties: false },
);

/** recall: put on hold as recalled. */
export const RecallBody = Type.Object(
  {
    ...targets,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    location: Type.Optional(SiteRef),
    eventTime,
  },
  { additionalProperties: false },
);

/** destroy. */
export const DestroyBody = Type.Object(
  {
    ...targets,
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    location: Type.Optional(SiteRef),
    eventTime,
  },
  { additionalProperties: false },
);

/** record-stage: the values of a stage template for some targets. */
export const RecordStageBody = Type.Object(
  {
    ...targets,
    templateId: Id,
    values: Type.Record(
      Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
      Type.Union([Type.String({ maxLength: 2000 }), Type.Number()]),
    ),
    location: Type.Optional(SiteRef),
    eventTime,
  },
  { additionalProperties: false },
);

/** The body schema of each action. */
export const actionBodies = {
  'receive-materials': ReceiveMaterialsBody,
  produce: ProduceBody,
  'warehouse-in': WarehouseBody,
  'warehouse-out': WarehouseBody,
  ship: ShipBody,
  receive: ReceiveBody,
  'retail-sale': RetailSaleBody,
  inspection: InspectionBody,
  recall: RecallBody,
  destroy: DestroyBody,
  'record-stage': RecordStageBody,
} as const;

/** The input of each action. */
export type ActionInput = {
  [A in ActionName]: Static<(typeof actionBodies)[A]>;
};

/** A raw-material lot as the API shows it. */
export const RawMaterialLot = Type.Object({
  id: Id,
  supplierName: Type.String(),
  supplierParty: Type.String(),
  material: Type.String(),
  materialGtin: Type.Union([Type.String(), Type.Null()]),
  lot: Type.String(),
  quantity: Type.Number(),
  usedQuantity: Type.Number({ description: 'How much production has used (in unit).' }),
  unit: Type.String(),
  receivedDate: IsoDate,
  inspectionFileId: Type.Union([Id, Type.Null()]),
  epcClass: Type.String({ description: 'The lot’s class identifier in events.' }),
  eventId: Type.String({ description: 'The receiving event.' }),
  createdAt: Timestamp,
});

/** What an action answers: the eventIDs it stored (GET /epcis/events/{eventID}). */
export const ActionResult = Type.Object({
  action: Type.String(),
  eventIds: Type.Array(Type.String()),
  lots: Type.Optional(Type.Array(RawMaterialLot)),
});

/** Listing raw-material lots. */
export const ListLotsQuery = Type.Object({ ...PageQuery.properties }, { additionalProperties: false });

/** A stage template field. */
export const StageField = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Stable key, e.g. fertiliser.' }),
    label: Type.String({ minLength: 1, maxLength: 100, description: 'What the form shows, e.g. 肥料.' }),
    type: Type.Union([
      Type.Literal('text'),
      Type.Literal('number'),
      Type.Literal('date'),
      Type.Literal('select'),
      Type.Literal('file'),
    ]),
    required: Type.Boolean({ default: false }),
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    ),
    unit: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

const templateFields = {
  name: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. 种植, 饲养, 检测.' }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  bizStep: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'CBV 2.0 business step (e.g. inspecting, other) or a URI of your own.',
  }),
  fields: Type.Array(StageField, { maxItems: 50 }),
};

/** Creating a stage template. */
export const CreateTemplateBody = Type.Object(templateFields, { additionalProperties: false });

/** Editing a stage template. */
export const UpdateTemplateBody = Type.Object(
  {
    name: Type.Optional(templateFields.name),
    description: templateFields.description,
    bizStep: Type.Optional(templateFields.bizStep),
    fields: Type.Optional(templateFields.fields),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** A stage template as the API shows it. */
export const StageTemplate = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  bizStep: Type.String(),
  fields: Type.Array(StageField),
  status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** Listing stage templates. */
export const ListTemplatesQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('archived')])),
  },
  { additionalProperties: false },
);

/** The template id in a path. */
export const TemplateParams = Type.Object({ templateId: Id });

/** The import's options (query string). */
export const ImportQuery = Type.Object(
  {
    mode: Type.Union([Type.Literal('all-or-nothing'), Type.Literal('valid-rows')], {
      default: 'all-or-nothing',
      description: 'all-or-nothing (default): any bad row stores nothing; valid-rows: store the good rows.',
    }),
  },
  { additionalProperties: false },
);

/** One bad row of an import. */
export const RowError = Type.Object({
  row: Type.Integer({ description: '1 = the first row after the header.' }),
  column: Type.String(),
  code: Type.String({ description: 'Catalogue code (docs/errors.md).' }),
  message: Type.String(),
});

/** What an import stored and which rows it refused. */
export const ImportReport = Type.Object({
  mode: Type.String(),
  rows: Type.Integer(),
  storedRows: Type.Integer(),
  failedRows: Type.Integer(),
  eventIds: Type.Array(Type.String()),
  errors: Type.Array(RowError),
});
