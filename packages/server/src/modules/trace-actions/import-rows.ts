import type { ActionName } from './schemas.js';
import { ACTIONS } from './schemas.js';

/**
 * The import's flat row format: one row per action, column `action` plus the action's fields.
 * A row becomes the same JSON body the action's endpoint takes, so both paths share one set of
 * rules; errors point back to the column.
 */

/** Every column of the import template, in order. `value.<key>` columns carry stage values. */
export const IMPORT_COLUMNS = Object.freeze([
  'action',
  'event_time',
  'codes',
  'job_id',
  'from',
  'to',
  'batch_id',
  'lot_id',
  'quantity',
  'unit',
  'location',
  'party',
  'party_location',
  'from_party',
  'from_location',
  'biz_transaction_type',
  'biz_transaction',
  'supplier',
  'supplier_name',
  'material',
  'material_gtin',
  'lot',
  'received_date',
  'inspection_file_id',
  'inputs',
  'output_quantity',
  'output_unit',
  'result',
  'inspector',
  'report_file_id',
  'note',
  'reason',
  'template_id',
] as const);

/** A row as read: column name → cell text (trimmed; empty cells absent). */
export type ImportRow = Readonly<Record<string, string>>;

/** A row that cannot become an action body. */
export class RowProblem extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

const num = (v: string | undefined): number | string | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  return v !== '' && Number.isFinite(n) ? n : v;
};

function put(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

/** The action named by a row. */
export function actionOf(row: ImportRow): ActionName {
  const a = (row['action'] ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (!(ACTIONS as readonly string[]).includes(a))
    throw new RowProblem('action', `action must be one of ${ACTIONS.join(', ')}`);
  return a as ActionName;
}

function targetsOf(row: ImportRow, body: Record<string, unknown>, withQuantities: boolean): void {
  const codes = row['codes'];
  if (codes !== undefined) body['codes'] = codes.split(/[\s,;|]+/).filter((c) => c !== '');
  if (row['job_id'] !== undefined || row['from'] !== undefined || row['to'] !== undefined)
    body['ranges'] = [{ jobId: row['job_id'] ?? '', from: num(row['from']), to: num(row['to']) }];
  const q = withQuantities ? { quantity: num(row['quantity']), unit: row['unit'] } : {};
  const clean = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (row['batch_id'] !== undefined) body['batches'] = [clean({ batchId: row['batch_id'], ...q })];
  if (row['lot_id'] !== undefined) body['lots'] = [clean({ lotId: row['lot_id'], ...q })];
}

function bizTransactions(row: ImportRow, body: Record<string, unknown>): void {
  const id = row['biz_transaction'];
  if (id !== undefined) body['bizTransactions'] = [{ type: row['biz_transaction_type'] ?? 'desadv', id }];
}

/**
 * The JSON body of the row's action. Unknown or misplaced cells are ignored only when empty:
 * a filled cell the action does not use is an error, so a typo never goes unnoticed.
 */
export function bodyOf(action: ActionName, row: ImportRow): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const used = new Set<string>(['action', 'event_time']);
  const use = (...columns: string[]) => columns.forEach((c) => used.add(c));
  put(body, 'eventTime', row['event_time']);
  switch (action) {
    case 'receive-materials':
      use(
        'supplier',
        'supplier_name',
        'location',
        'received_date',
        'biz_transaction',
        'biz_transaction_type',
      );
      use('material', 'material_gtin', 'lot', 'quantity', 'unit', 'inspection_file_id');
      put(body, 'supplier', row['supplier']);
      put(body, 'supplierName', row['supplier_name']);
      put(body, 'location', row['location']);
      put(body, 'receivedDate', row['received_date']);
      bizTransactions(row, body);
      body['lots'] = [
        Object.fromEntries(
          Object.entries({
            material: row['material'],
            materialGtin: row['material_gtin'],
            lot: row['lot'],
            quantity: num(row['quantity']),
            unit: row['unit'],
            inspectionFileId: row['inspection_file_id'],
          }).filter(([, v]) => v !== undefined),
        ),
      ];
      break;
    case 'produce': {
      use(
        'batch_id',
        'inputs',
        'output_quantity',
        'output_unit',
        'codes',
        'job_id',
        'from',
        'to',
        'location',
      );
      put(body, 'batchId', row['batch_id']);
      body['inputs'] = (row['inputs'] ?? '')
        .split(/[;|\n]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => {
          // lot=quantity [unit], the lot by its id or its lot number
          const m = /^([^=]+?)\s*=\s*([^\s]+)(?:\s+([A-Z0-9]{2,3}))?$/.exec(s);
          if (m === null) throw new RowProblem('inputs', `"${s}" is not lot=quantity [unit]`);
          const ref = (m[1] ?? '').trim();
          return {
            ...(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)
              ? { lotId: ref }
              : { lot: ref }),
            quantity: num(m[2]),
            ...(m[3] === undefined ? {} : { unit: m[3] }),
          };
        });
      put(body, 'outputQuantity', num(row['output_quantity']));
      put(body, 'outputUnit', row['output_unit']);
      targetsOf(row, body, false);
      delete body['batches'];
      delete body['lots'];
      put(body, 'location', row['location']);
      break;
    }
    case 'warehouse-in':
    case 'warehouse-out':
      use('location');
      put(body, 'warehouse', row['location']);
      break;
    case 'ship':
      use(
        'party',
        'party_location',
        'from_party',
        'from_location',
        'biz_transaction',
        'biz_transaction_type',
      );
      put(body, 'to', row['party']);
      put(body, 'toLocation', row['party_location']);
      put(body, 'from', row['from_party']);
      put(body, 'fromLocation', row['from_location']);
      bizTransactions(row, body);
      break;
    case 'receive':
      use('location', 'party', 'from_party', 'biz_transaction', 'biz_transaction_type');
      put(body, 'at', row['location']);
      put(body, 'receiver', row['party']);
      put(body, 'from', row['from_party']);
      bizTransactions(row, body);
      break;
    case 'retail-sale':
      use('location');
      put(body, 'store', row['location']);
      break;
    case 'inspection':
      use('result', 'inspector', 'report_file_id', 'note', 'location');
      put(body, 'result', row['result']);
      put(body, 'inspector', row['inspector']);
      put(body, 'reportFileId', row['report_file_id']);
      put(body, 'note', row['note']);
      put(body, 'location', row['location']);
      break;
    case 'recall':
    case 'destroy':
      use('reason', 'location');
      put(body, 'reason', row['reason']);
      put(body, 'location', row['location']);
      break;
    case 'record-stage': {
      use('template_id', 'location');
      put(body, 'templateId', row['template_id']);
      put(body, 'location', row['location']);
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(row)) {
        if (!k.startsWith('value.')) continue;
        used.add(k);
        values[k.slice('value.'.length)] = v;
      }
      body['values'] = values;
      break;
    }
  }
  if (action !== 'receive-materials' && action !== 'produce') {
    use('codes', 'job_id', 'from', 'to', 'batch_id', 'lot_id', 'quantity', 'unit');
    targetsOf(row, body, true);
  }
  for (const column of Object.keys(row))
    if (!used.has(column)) throw new RowProblem(column, `${action} does not use the column ${column}`);
  return body;
}

// The column of each body field, to point errors back at the file.
const columnOfField: Readonly<Record<string, string>> = {
  eventTime: 'event_time',
  codes: 'codes',
  ranges: 'job_id',
  jobId: 'job_id',
  batches: 'batch_id',
  batchId: 'batch_id',
  lots: 'lot_id',
  lotId: 'lot_id',
  quantity: 'quantity',
  unit: 'unit',
  warehouse: 'location',
  store: 'location',
  at: 'location',
  location: 'location',
  to: 'party',
  receiver: 'party',
  toLocation: 'party_location',
  from: 'from_party',
  fromLocation: 'from_location',
  bizTransactions: 'biz_transaction',
  supplier: 'supplier',
  supplierName: 'supplier_name',
  receivedDate: 'received_date',
  material: 'material',
  materialGtin: 'material_gtin',
  lot: 'lot',
  inspectionFileId: 'inspection_file_id',
  inputs: 'inputs',
  outputQuantity: 'output_quantity',
  outputUnit: 'output_unit',
  result: 'result',
  inspector: 'inspector',
  reportFileId: 'report_file_id',
  reportfileid: 'report_file_id',
  note: 'note',
  reason: 'reason',
  templateId: 'template_id',
};

/**
 * The column of an error's field (`lots[0].materialGtin`, `/lots/0/quantity`, `values.fertiliser`),
 * given the action (receive-materials' `lots` are its own columns, not `lot_id`).
 */
export function columnOf(action: ActionName, field: string): string {
  const f = field.replace(/^body/, '');
  const v = /(?:^|[./])values[./]([a-z][a-z0-9_]*)/.exec(f);
  if (v !== null) return `value.${v[1] ?? ''}`;
  const parts = f.split(/[./[\]]+/).filter((p) => p !== '' && !/^\d+$/.test(p));
  if (action === 'receive-materials' && parts[0] === 'lots') {
    const last = parts[parts.length - 1];
    return last === 'lots' || last === undefined ? 'material' : (columnOfField[last] ?? last);
  }
  if (action === 'produce' && parts[0] === 'inputs') return 'inputs';
  const last = parts[parts.length - 1] ?? '';
  if (parts[0] === 'ranges') return last === 'from' || last === 'to' ? last : 'job_id';
  if (parts[0] === 'bizTransactions') return last === 'type' ? 'biz_transaction_type' : 'biz_transaction';
  // The most specific part that is a column: batches/0/quantity is the quantity column.
  for (const p of [...parts].reverse()) {
    const c = columnOfField[p];
    if (c !== undefined) return c;
  }
  return parts[0] ?? 'action';
}

/** The downloadable template: the header and one example row per action. */
export function importTemplateCsv(): string {
  const examples: Array<Record<string, string>> = [
    {
      action: 'receive-materials',
      supplier: '6901234000017',
      supplier_name: '某某农场',
      material: '大豆',
      lot: 'DD-2026-001',
      quantity: '500',
      unit: 'KGM',
      received_date: '2026-03-01',
      location: '一号仓库',
    },
    {
      action: 'produce',
      batch_id: '<batch id>',
      inputs: 'DD-2026-001=120 KGM;<raw lot id>=30 KGM',
      output_quantity: '1000',
    },
    { action: 'warehouse-in', codes: '<code> <code>', location: '成品仓' },
    { action: 'warehouse-out', batch_id: '<batch id>', quantity: '200', location: '成品仓' },
    {
      action: 'ship',
      job_id: '<code job id>',
      from: '1',
      to: '100',
      party: '华东经销商',
      party_location: '华东经销商上海仓',
      biz_transaction_type: 'desadv',
      biz_transaction: 'FH-2026-0001',
    },
    { action: 'receive', codes: '<case code>', location: '华东经销商上海仓', party: '华东经销商' },
    { action: 'retail-sale', codes: '<code>', location: '浦东门店' },
    {
      action: 'inspection',
      batch_id: '<batch id>',
      result: 'pass',
      inspector: '王五',
      report_file_id: '<file id>',
    },
    { action: 'recall', batch_id: '<batch id>', reason: '标签错误' },
    { action: 'destroy', codes: '<code>', reason: '过期' },
    {
      action: 'record-stage',
      template_id: '<template id>',
      batch_id: '<batch id>',
      'value.<field key>': '<value>',
    },
  ];
  const header = [...IMPORT_COLUMNS, 'value.<field key>'];
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [header.join(','), ...examples.map((e) => header.map((h) => cell(e[h] ?? '')).join(','))];
  // A BOM, so Excel opens the Chinese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
