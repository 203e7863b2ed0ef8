import { isIsoDate, isStandardCbv, normaliseCbv, type JsonObject } from '@tracemark/core';
import {
  newId,
  type Page,
  type RawMaterialLotRow,
  type StageField,
  type StageTemplateRow,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';
import { identifierOptions } from '../epcis/service.js';
import { eventTimeOf, newEvent, storePlans, type Plan } from './events.js';
import {
  batchClass,
  bizTransactionUri,
  enterpriseParty,
  gtin14,
  invalid,
  partyOrSite,
  rawLotClass,
  type NamedRef,
} from './identifiers.js';
import type { ActionInput, ActionName } from './schemas.js';
import {
  at,
  emptyCache,
  gtinOf,
  ownBatch,
  quantityElement,
  resolveTargets,
  type PlanEnv,
} from './targets.js';

/** A fresh planning environment for the caller, reading through `repos`. */
export function planEnv(ctx: ServiceContext, repos: PlanEnv['repos'], now = Date.now()): PlanEnv {
  return {
    ctx,
    repos,
    tenantId: requireTenant(ctx),
    actorId: requireActor(ctx).id,
    publicUrl: ctx.config.publicUrl,
    options: identifierOptions(ctx),
    now,
    pendingLots: new Map(),
    plannedUse: new Map(),
    gtins: new Map(),
    cache: emptyCache(),
  };
}

const party = (env: PlanEnv, value: string, field: string): NamedRef =>
  partyOrSite(
    'party',
    value,
    { publicUrl: env.publicUrl, enterpriseId: env.tenantId, options: env.options },
    field,
  );
const site = (env: PlanEnv, value: string, field: string): NamedRef =>
  partyOrSite(
    'site',
    value,
    { publicUrl: env.publicUrl, enterpriseId: env.tenantId, options: env.options },
    field,
  );

function bizTransactionList(env: PlanEnv, list: ReadonlyArray<{ type: string; id: string }> | undefined) {
  return list === undefined || list.length === 0
    ? {}
    : {
        bizTransactionList: list.map((b) => ({
          type: b.type,
          bizTransaction: bizTransactionUri(env.publicUrl, env.tenantId, b.id),
        })),
      };
}

const located = (uri: string | undefined) =>
  uri === undefined ? {} : { readPoint: { id: uri }, bizLocation: { id: uri } };

/** An ObjectEvent about resolved targets. */
function objectEvent(
  env: PlanEnv,
  eventTime: string | undefined,
  what: { epcList: string[]; quantityList: JsonObject[] },
  fields: JsonObject,
): JsonObject {
  return {
    ...newEvent(env.publicUrl, 'ObjectEvent', eventTimeOf(eventTime, env.now)),
    epcList: what.epcList,
    ...(what.quantityList.length > 0 ? { quantityList: what.quantityList } : {}),
    ...fields,
  };
}

/** The China calendar date of a time. */
function chinaDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

type Planner<A extends ActionName> = (env: PlanEnv, input: ActionInput[A]) => Promise<Plan>;

/**
 * receive-materials: one ObjectEvent per lot (bizStep receiving, source = the supplier). A lot
 * with the supplier's GTIN is an LGTIN the supplier made (OBSERVE); one without is named by the
 * platform here (ADD).
 */
const receiveMaterials: Planner<'receive-materials'> = async (env, input) => {
  const supplier = party(env, input.supplier, 'supplier');
  const supplierName = input.supplierName?.trim() ?? supplier.name ?? input.supplier.trim();
  const location = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const time = eventTimeOf(input.eventTime, env.now);
  const received = input.receivedDate ?? chinaDate(Date.parse(time.eventTime));
  if (!isIsoDate(received)) throw invalid('receivedDate', `${received} is not a date.`);
  const events: JsonObject[] = [];
  const lots: Plan['lots'] = [];
  for (const [i, l] of input.lots.entries()) {
    const id = newId(env.now);
    const gtin =
      l.materialGtin === undefined || l.materialGtin === ''
        ? null
        : gtin14(l.materialGtin, `lots[${i}].materialGtin`);
    if (l.inspectionFileId !== undefined) {
      const f = await env.repos.files.find(env.tenantId, l.inspectionFileId);
      if (f === undefined)
        throw new AppError('TRACE_FILE_NOT_FOUND', undefined, [
          { field: `lots[${i}].inspectionFileId`, message: 'no such file' },
        ]);
    }
    const epcClass = rawLotClass(env.publicUrl, { id, lot: l.lot.trim() }, gtin);
    const event = {
      ...newEvent(env.publicUrl, 'ObjectEvent', time),
      epcList: [],
      quantityList: [quantityElement(epcClass, l.quantity, l.unit)],
      action: gtin === null ? 'ADD' : 'OBSERVE',
      bizStep: 'receiving',
      disposition: 'in_progress',
      ...located(location),
      ...bizTransactionList(env, input.bizTransactions),
      sourceList: [{ type: 'owning_party', source: supplier.uri }],
      destinationList: [
        { type: 'owning_party', destination: enterpriseParty(env.publicUrl, env.tenantId) },
        ...(location === undefined ? [] : [{ type: 'location', destination: location }]),
      ],
      'tm:rawMaterial': {
        'tm:supplierName': supplierName,
        'tm:material': l.material.trim(),
        'tm:lot': l.lot.trim(),
        ...(l.inspectionFileId === undefined ? {} : { 'tm:inspectionFileId': l.inspectionFileId }),
      },
    } as JsonObject;
    events.push(event);
    lots.push({
      tenant_id: env.tenantId,
      id,
      supplier_name: supplierName,
      supplier_party: supplier.uri,
      material_name: l.material.trim(),
      material_gtin: gtin,
      lot: l.lot.trim(),
      quantity: l.quantity,
      unit: l.unit,
      received_date: received,
      inspection_file_id: l.inspectionFileId ?? null,
      used_quantity: 0,
      epc_class: epcClass,
      event_id: String(event['eventID']),
      created_by: env.actorId,
      created_at: env.now,
    });
  }
  for (const l of lots)
    env.pendingLots.set(l.lot, [...(env.pendingLots.get(l.lot) ?? []), l as RawMaterialLotRow]);
  return { events, lots };
};

/**
 * A raw-material lot used by `produce`: by id, or by lot number when exactly one lot has it
 * (among those stored and those received earlier in the same import).
 */
async function inputLot(
  env: PlanEnv,
  i: { lotId?: string; lot?: string },
): Promise<Pick<RawMaterialLotRow, 'id' | 'lot' | 'epc_class' | 'unit' | 'quantity' | 'used_quantity'>> {
  if (i.lotId !== undefined) {
    const lot = await env.repos.traceActions.findLot(env.tenantId, i.lotId);
    if (lot === undefined) throw new AppError('TRACE_ACTION_LOT_NOT_FOUND');
    return lot;
  }
  if (i.lot === undefined) throw invalid('inputs', 'Name each input lot by lotId or lot.');
  const number = i.lot.trim();
  const found = [
    ...(env.pendingLots.get(number) ?? []),
    ...(await env.repos.traceActions.findLotsByNumber(env.tenantId, number, 2)),
  ];
  const first = found[0];
  if (first === undefined) throw new AppError('TRACE_ACTION_LOT_NOT_FOUND', `No raw-material lot ${number}.`);
  if (found.length > 1)
    throw invalid(
      'inputs',
      `Several raw-material lots have the number ${number}; name the one used by lotId.`,
    );
  return first;
}

/**
 * produce: a TransformationEvent from raw-material lots (inputQuantityList) to the batch
 * (outputQuantityList, class level) and its codes when named (outputEPCList). bizStep
 * commissioning when instance codes come out, creating_class_instance for the batch alone.
 */
const produce: Planner<'produce'> = async (env, input) => {
  const batch = await at('batchId', () => ownBatch(env, input.batchId));
  if (batch.status === 'archived')
    throw new AppError('TRACE_BATCH_ARCHIVED', undefined, [{ field: 'batchId', message: 'archived' }]);
  const inputs: JsonObject[] = [];
  const uses: Array<{ lotId: string; quantity: number }> = [];
  await at('inputs', async () => {
    for (const i of input.inputs) {
      const lot = await inputLot(env, i);
      inputs.push(quantityElement(lot.epc_class, i.quantity, i.unit ?? lot.unit));
      // Mass balance in the lot's own unit (other units are recorded as given, not converted).
      if (i.unit !== undefined && i.unit !== lot.unit) continue;
      const before =
        lot.used_quantity +
        (env.plannedUse.get(lot.id) ?? 0) +
        uses.filter((u) => u.lotId === lot.id).reduce((n, u) => n + u.quantity, 0);
      if (before + i.quantity > lot.quantity * (1 + 1e-9))
        throw new AppError(
          'TRACE_ACTION_LOT_EXHAUSTED',
          `Lot ${lot.lot} has ${lot.quantity - before} ${lot.unit} left; ${i.quantity} asked.`,
        );
      uses.push({ lotId: lot.id, quantity: i.quantity });
    }
  });
  const outputs = await resolveTargets(
    env,
    {
      ...(input.codes !== undefined ? { codes: input.codes } : {}),
      ...(input.ranges !== undefined ? { ranges: input.ranges } : {}),
    },
    { required: false, codeBatch: batch.id },
  );
  const gtin = await gtinOf(env, batch.product_id);
  const quantity = input.outputQuantity ?? batch.quantity ?? undefined;
  const location = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const event = {
    ...newEvent(env.publicUrl, 'TransformationEvent', eventTimeOf(input.eventTime, env.now)),
    inputQuantityList: inputs,
    ...(outputs.epcList.length > 0 ? { outputEPCList: outputs.epcList } : {}),
    outputQuantityList: [quantityElement(batchClass(env.publicUrl, batch, gtin), quantity, input.outputUnit)],
    bizStep: outputs.epcList.length > 0 ? 'commissioning' : 'creating_class_instance',
    disposition: 'active',
    ...located(location),
    ilmd: {
      'cbvmda:lotNumber': batch.lot,
      ...(batch.expiry_date === null ? {} : { 'cbvmda:itemExpirationDate': batch.expiry_date }),
      'tm:productionDate': batch.production_date,
    },
  } as JsonObject;
  // Only a plan that is complete counts against later rows of the same import.
  for (const u of uses) env.plannedUse.set(u.lotId, (env.plannedUse.get(u.lotId) ?? 0) + u.quantity);
  return { events: [event], lots: [], uses };
};

const warehouse =
  (direction: 'in' | 'out') =>
  async (env: PlanEnv, input: ActionInput['warehouse-in' | 'warehouse-out']): Promise<Plan> => {
    const where = site(env, input.warehouse, 'warehouse').uri;
    const what = await resolveTargets(env, input);
    return {
      events: [
        objectEvent(env, input.eventTime, what, {
          action: 'OBSERVE',
          bizStep: direction === 'in' ? 'storing' : 'picking',
          disposition: direction === 'in' ? 'sellable_not_accessible' : 'in_progress',
          ...located(where),
        }),
      ],
      lots: [],
    };
  };

/** ship: bizStep shipping, in_transit, from the enterprise (or `from`) to a party and place. */
const ship: Planner<'ship'> = async (env, input) => {
  const to = party(env, input.to, 'to').uri;
  const toLocation =
    input.toLocation === undefined ? undefined : site(env, input.toLocation, 'toLocation').uri;
  const from =
    input.from === undefined
      ? enterpriseParty(env.publicUrl, env.tenantId)
      : party(env, input.from, 'from').uri;
  const fromLocation =
    input.fromLocation === undefined ? undefined : site(env, input.fromLocation, 'fromLocation').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        ...(fromLocation === undefined ? {} : { readPoint: { id: fromLocation } }),
        ...bizTransactionList(env, input.bizTransactions),
        sourceList: [
          { type: 'owning_party', source: from },
          ...(fromLocation === undefined ? [] : [{ type: 'location', source: fromLocation }]),
        ],
        destinationList: [
          { type: 'owning_party', destination: to },
          ...(toLocation === undefined ? [] : [{ type: 'location', destination: toLocation }]),
        ],
      }),
    ],
    lots: [],
  };
};

/** receive: bizStep receiving, in_progress, at a distributor's or store's place. */
const receive: Planner<'receive'> = async (env, input) => {
  const where = site(env, input.at, 'at').uri;
  const receiver = input.receiver === undefined ? undefined : party(env, input.receiver, 'receiver').uri;
  const from =
    input.from === undefined
      ? enterpriseParty(env.publicUrl, env.tenantId)
      : party(env, input.from, 'from').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: 'in_progress',
        ...located(where),
        ...bizTransactionList(env, input.bizTransactions),
        sourceList: [{ type: 'owning_party', source: from }],
        destinationList: [
          ...(receiver === undefined ? [] : [{ type: 'owning_party', destination: receiver }]),
          { type: 'location', destination: where },
        ],
      }),
    ],
    lots: [],
  };
};

const retailSale: Planner<'retail-sale'> = async (env, input) => {
  const where = site(env, input.store, 'store').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: 'retail_selling',
        disposition: 'retail_sold',
        ...located(where),
      }),
    ],
    lots: [],
  };
};

/** inspection: bizStep inspecting, conformant or non_conformant, the result in `tm:inspection`. */
const inspection: Planner<'inspection'> = async (env, input) => {
  if (input.reportFileId !== undefined) {
    const f = await env.repos.files.find(env.tenantId, input.reportFileId);
    if (f === undefined)
      throw new AppError('TRACE_FILE_NOT_FOUND', undefined, [
        { field: 'reportFileId', message: 'no such file' },
      ]);
  }
  const where = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const what = await resolveTargets(env, input);
  const time = eventTimeOf(input.eventTime, env.now);
  const measurements = input.measurements ?? [];
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: 'inspecting',
        disposition: input.result === 'pass' ? 'conformant' : 'non_conformant',
        ...located(where),
        ...(measurements.length === 0
          ? {}
          : {
              sensorElementList: [
                {
                  sensorMetadata: { time: time.eventTime },
                  sensorReport: measurements.map((m) => ({
                    type: m.type,
                    value: m.value,
                    ...(m.unit === undefined ? {} : { uom: m.unit }),
                  })),
                },
              ],
            }),
        'tm:inspection': {
          'tm:result': input.result,
          'tm:inspector': input.inspector,
          ...(input.reportFileId === undefined ? {} : { 'tm:reportFileId': input.reportFileId }),
          ...(input.note === undefined ? {} : { 'tm:note': input.note }),
        },
      }),
    ],
    lots: [],
  };
};

const recall: Planner<'recall'> = async (env, input) => {
  const where = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition: 'recalled',
        ...located(where),
        'tm:recall': { 'tm:reason': input.reason },
      }),
    ],
    lots: [],
  };
};

const destroy: Planner<'destroy'> = async (env, input) => {
  const where = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'DELETE',
        bizStep: 'destroying',
        disposition: 'destroyed',
        ...located(where),
        ...(input.reason === undefined ? {} : { 'tm:destruction': { 'tm:reason': input.reason } }),
      }),
    ],
    lots: [],
    voids: what.codeRefs,
  };
};

/** record-stage: an ObjectEvent of the template's bizStep with the checked values under `tm:stage`. */
const recordStage: Planner<'record-stage'> = async (env, input) => {
  const template = await at('templateId', () => loadTemplate(env, input.templateId));
  if (template.status === 'archived')
    throw new AppError('TRACE_ACTION_TEMPLATE_ARCHIVED', undefined, [
      { field: 'templateId', message: 'archived' },
    ]);
  const values = await stageValues(env, fieldsOf(template), input.values);
  const where = input.location === undefined ? undefined : site(env, input.location, 'location').uri;
  const what = await resolveTargets(env, input);
  return {
    events: [
      objectEvent(env, input.eventTime, what, {
        action: 'OBSERVE',
        bizStep: template.biz_step,
        ...located(where),
        'tm:stage': {
          'tm:templateId': template.id,
          'tm:name': template.name,
          'tm:values': Object.fromEntries(Object.entries(values).map(([k, v]) => [`tm:${k}`, v])),
        },
      }),
    ],
    lots: [],
  };
};

/** Every action's planner. */
export const planners: { readonly [A in ActionName]: Planner<A> } = {
  'receive-materials': receiveMaterials,
  produce,
  'warehouse-in': warehouse('in'),
  'warehouse-out': warehouse('out'),
  ship,
  receive,
  'retail-sale': retailSale,
  inspection,
  recall,
  destroy,
  'record-stage': recordStage,
};

/** What an action stored. */
export interface ActionOutcome {
  readonly eventIds: string[];
  readonly lots: RawMaterialLotRow[];
}

/**
 * Runs a business action: resolves the enterprise's own codes, batches, lots and template,
 * builds the standard EPCIS 2.0 event(s), and stores them with any new raw-material lots in one
 * transaction, audited. Nothing is stored when anything is wrong.
 */
export async function runAction<A extends ActionName>(
  ctx: ServiceContext,
  action: A,
  input: ActionInput[A],
): Promise<ActionOutcome> {
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const env = planEnv(ctx, repos);
    const plan = await (planners[action] as Planner<A>)(env, input);
    const eventIds = await storePlans(
      repos,
      tenantId,
      env.publicUrl,
      env.options,
      [plan],
      env.now,
      env.actorId,
    );
    await audit({
      tenantId,
      action: `trace_action.${action}`,
      targetType: 'epcis_event',
      targetId: eventIds[0] ?? null,
      details: { events: eventIds.length, ...(plan.lots.length > 0 ? { lots: plan.lots.length } : {}) },
    });
    const lots: RawMaterialLotRow[] = [];
    for (const l of plan.lots) {
      const row = await repos.traceActions.findLot(tenantId, l.id);
      if (row !== undefined) lots.push(row);
    }
    return { eventIds, lots };
  });
}

/** The enterprise's raw-material lots, latest received first. */
export async function listLots(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string },
): Promise<Page<RawMaterialLotRow>> {
  return reader(ctx).traceActions.listLots(
    requireTenant(ctx),
    query.q === undefined ? {} : { search: query.q },
    query,
  );
}

// Stage templates.

async function loadTemplate(env: Pick<PlanEnv, 'repos' | 'tenantId'>, id: string): Promise<StageTemplateRow> {
  const t = await env.repos.traceActions.findTemplate(env.tenantId, id);
  if (t === undefined) throw new AppError('TRACE_ACTION_TEMPLATE_NOT_FOUND');
  return t;
}

/** A template's fields. */
export function fieldsOf(t: StageTemplateRow): StageField[] {
  return JSON.parse(t.fields) as StageField[];
}

/** The template input after checks: unique keys, options only (and always) on selects, a valid bizStep. */
function checkTemplate(
  fields: readonly StageField[],
  bizStep: string,
): { fields: StageField[]; bizStep: string } {
  const problems: Array<{ field: string; message: string }> = [];
  const keys = new Set<string>();
  fields.forEach((f, i) => {
    if (keys.has(f.key)) problems.push({ field: `fields[${i}].key`, message: `${f.key} is used twice` });
    keys.add(f.key);
    if (f.type === 'select' && (f.options === undefined || f.options.length === 0))
      problems.push({ field: `fields[${i}].options`, message: 'a select field needs options' });
    if (f.type !== 'select' && f.options !== undefined)
      problems.push({ field: `fields[${i}].options`, message: 'only select fields have options' });
  });
  const step = bizStep.trim();
  const standard = isStandardCbv('BizStep', step);
  if (!standard && !/^(https?:\/\/|urn:)\S+$/i.test(step))
    problems.push({ field: 'bizStep', message: `${step} is neither a CBV 2.0 business step nor a URI` });
  if (problems.length > 0) throw new AppError('TRACE_ACTION_TEMPLATE_INVALID', undefined, problems);
  return {
    fields: fields.map((f) => ({ ...f, required: f.required })),
    bizStep: standard ? normaliseCbv('BizStep', step) : step,
  };
}

/**
 * Checks values against a template's fields: required ones present, numbers numeric, dates real
 * dates, selects one of the options, files one of the enterprise's files; unknown keys refused.
 * Values typed as text (a CSV cell) are converted. Returns the values to record.
 */
export async function stageValues(
  env: Pick<PlanEnv, 'repos' | 'tenantId'>,
  fields: readonly StageField[],
  values: Readonly<Record<string, string | number>>,
): Promise<Record<string, string | number>> {
  const problems: Array<{ field: string; message: string }> = [];
  const out: Record<string, string | number> = {};
  const known = new Set(fields.map((f) => f.key));
  for (const k of Object.keys(values))
    if (!known.has(k)) problems.push({ field: `values.${k}`, message: 'is not a field of the template' });
  for (const f of fields) {
    const raw = values[f.key];
    const text = raw === undefined ? '' : String(raw).trim();
    const field = `values.${f.key}`;
    if (text === '') {
      if (f.required) problems.push({ field, message: `${f.label} is required` });
      continue;
    }
    switch (f.type) {
      case 'number': {
        const n = typeof raw === 'number' ? raw : Number(text);
        if (!Number.isFinite(n)) problems.push({ field, message: `${f.label} must be a number` });
        else out[f.key] = n;
        break;
      }
      case 'date':
        if (!isIsoDate(text)) problems.push({ field, message: `${f.label} must be a date (YYYY-MM-DD)` });
        else out[f.key] = text;
        break;
      case 'select':
        if (!(f.options ?? []).includes(text))
          problems.push({ field, message: `${f.label} must be one of ${(f.options ?? []).join(', ')}` });
        else out[f.key] = text;
        break;
      case 'file':
        if (!/^[0-9a-f-]{36}$/i.test(text) || (await env.repos.files.find(env.tenantId, text)) === undefined)
          problems.push({ field, message: `${f.label}: no such file among yours` });
        else out[f.key] = text;
        break;
      default:
        if (text.length > 2000)
          problems.push({ field, message: `${f.label} is longer than 2000 characters` });
        else out[f.key] = text;
    }
  }
  if (problems.length > 0) throw new AppError('TRACE_ACTION_STAGE_VALUES', undefined, problems);
  return out;
}

/** Creates a stage template. */
export async function createTemplate(
  ctx: ServiceContext,
  input: { name: string; description?: string | null; bizStep: string; fields: StageField[] },
): Promise<StageTemplateRow> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  const checked = checkTemplate(input.fields, input.bizStep);
  const id = newId();
  const now = Date.now();
  return inTransaction(ctx, async (repos, audit) => {
    await repos.traceActions.insertTemplate({
      tenant_id: tenantId,
      id,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      biz_step: checked.bizStep,
      fields: JSON.stringify(checked.fields),
      status: 'active',
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
    await audit({
      tenantId,
      action: 'stage_template.created',
      targetType: 'stage_template',
      targetId: id,
      details: { name: input.name },
    });
    return loadTemplate({ repos, tenantId }, id);
  });
}

/** A stage template of the caller's enterprise. */
export async function getTemplate(ctx: ServiceContext, id: string): Promise<StageTemplateRow> {
  return loadTemplate({ repos: reader(ctx), tenantId: requireTenant(ctx) }, id);
}

/** The enterprise's stage templates. */
export async function listTemplates(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string; status?: 'active' | 'archived' },
): Promise<Page<StageTemplateRow>> {
  return reader(ctx).traceActions.listTemplates(
    requireTenant(ctx),
    {
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.q !== undefined ? { search: query.q } : {}),
    },
    query,
  );
}

/** Edits a stage template; events already recorded keep the values they were recorded with. */
export async function updateTemplate(
  ctx: ServiceContext,
  id: string,
  patch: { name?: string; description?: string | null; bizStep?: string; fields?: StageField[] },
): Promise<StageTemplateRow> {
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const current = await loadTemplate({ repos, tenantId }, id);
    if (current.status === 'archived') throw new AppError('TRACE_ACTION_TEMPLATE_ARCHIVED');
    const checked = checkTemplate(patch.fields ?? fieldsOf(current), patch.bizStep ?? current.biz_step);
    await repos.traceActions.updateTemplate(tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.description !== undefined ? { description: patch.description?.trim() || null } : {}),
      biz_step: checked.bizStep,
      fields: JSON.stringify(checked.fields),
      updated_at: Date.now(),
    });
    await audit({ tenantId, action: 'stage_template.updated', targetType: 'stage_template', targetId: id });
    return loadTemplate({ repos, tenantId }, id);
  });
}

/** Archives a stage template (DELETE): recorded events still name it; no new ones can. */
export async function archiveTemplate(ctx: ServiceContext, id: string): Promise<void> {
  const tenantId = requireTenant(ctx);
  await inTransaction(ctx, async (repos, audit) => {
    await loadTemplate({ repos, tenantId }, id);
    await repos.traceActions.updateTemplate(tenantId, id, { status: 'archived', updated_at: Date.now() });
    await audit({ tenantId, action: 'stage_template.archived', targetType: 'stage_template', targetId: id });
  });
}

/** A raw-material lot of the caller's enterprise. */
export async function getLot(ctx: ServiceContext, lotId: string): Promise<RawMaterialLotRow> {
  const row = await reader(ctx).traceActions.findLot(requireTenant(ctx), lotId);
  if (row === undefined) throw new AppError('TRACE_ACTION_LOT_NOT_FOUND');
  return row;
}
