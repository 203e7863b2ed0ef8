import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse';
import { AppError, type ErrorDetail } from '../../errors.js';
import { inTransaction, reader, requireTenant, type ServiceContext } from '../../lib/context.js';
import { storePlans, type Plan } from './events.js';
import { actionOf, bodyOf, columnOf, RowProblem, type ImportRow } from './import-rows.js';
import { actionBodies, type ActionName } from './schemas.js';
import { planEnv, planners } from './service.js';

/** Most rows one import may hold. */
export const MAX_IMPORT_ROWS = 50_000;
/** Largest import file. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** One bad row: where and why, with the catalogue code. */
export interface RowError {
  readonly row: number;
  readonly column: string;
  readonly code: string;
  readonly message: string;
}

/** What an import did. */
export interface ImportReport {
  readonly mode: 'all-or-nothing' | 'valid-rows';
  readonly rows: number;
  readonly storedRows: number;
  readonly failedRows: number;
  readonly eventIds: string[];
  readonly errors: RowError[];
}

let validators: Map<ActionName, ValidateFunction> | undefined;

/** The action bodies' JSON Schemas compiled once, to check rows as strictly as the endpoints do. */
function validatorOf(action: ActionName): ValidateFunction {
  if (validators === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    validators = new Map(
      (Object.keys(actionBodies) as ActionName[]).map((a) => [a, ajv.compile(actionBodies[a])] as const),
    );
  }
  const v = validators.get(action);
  if (v === undefined) throw new Error(`no validator for ${action}`);
  return v;
}

/** Cell text of an XLSX cell value (rich text, formulas, hyperlinks, dates and numbers). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    return '';
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

/** The rows of a CSV stream: arrays of cell text, the header first. */
async function* csvRows(stream: Readable): AsyncGenerator<string[]> {
  // pipe() does not pass on the source's errors (a file over the size limit): forward them.
  const forward = (error: Error) => parser.destroy(error);
  stream.once('error', forward);
  const parser = stream.pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 1_000_000,
    }),
  );
  for await (const record of parser) yield record as string[];
}

/**
 * The rows of the first worksheet of an XLSX stream, read as they arrive. ExcelJS is loaded on the
 * first XLSX import: loading it takes ~0.3 s, which every start of the server paid before.
 */
async function* xlsxRows(stream: Readable): AsyncGenerator<string[]> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  for await (const sheet of workbook) {
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? (row.values as unknown[]).slice(1) : [];
      yield values.map((v) => cellText(v).trim());
    }
    break;
  }
}

/**
 * Reads an import upload (one file part, CSV or XLSX by name or content) row by row, never the
 * whole file at once, and turns each row into an action: validated like the endpoint's body and
 * planned (codes, batches, lots and templates resolved) as it is read. Over
 * {@link MAX_IMPORT_ROWS} rows the import stops with TRACE_ACTION_IMPORT_TOO_MANY_ROWS.
 * All-or-nothing by default: any bad row and nothing is stored (TRACE_ACTION_IMPORT_REJECTED
 * with a detail per bad row); `valid-rows` stores the good rows and reports the others.
 */
export async function importActions(
  ctx: ServiceContext,
  request: FastifyRequest,
  mode: 'all-or-nothing' | 'valid-rows',
): Promise<ImportReport> {
  const tenantId = requireTenant(ctx);
  if (!request.isMultipart())
    throw new AppError('TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.');
  const env = planEnv(ctx, reader(ctx));
  const plans: Plan[] = [];
  const errors: RowError[] = [];
  let rows = 0;
  let failed = 0;
  let sawFile = false;
  for await (const part of request.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } })) {
    if (part.type !== 'file') continue;
    if (sawFile) throw new AppError('TRACE_HTTP_VALIDATION', 'Send one file per import.');
    sawFile = true;
    const name = part.filename.toLowerCase();
    const isXlsx =
      name.endsWith('.xlsx') ||
      part.mimetype === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const source = isXlsx ? xlsxRows(part.file) : csvRows(part.file);
    let header: string[] | undefined;
    try {
      for await (const cells of source) {
        if (header === undefined) {
          header = cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
          if (!header.includes('action'))
            throw new AppError(
              'TRACE_ACTION_IMPORT_FORMAT',
              'The first row must name the columns, action among them.',
            );
          continue;
        }
        if (cells.every((c) => c === '')) continue;
        rows += 1;
        if (rows > MAX_IMPORT_ROWS)
          throw new AppError(
            'TRACE_ACTION_IMPORT_TOO_MANY_ROWS',
            `The import has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it.`,
          );
        const row: Record<string, string> = {};
        header.forEach((h, i) => {
          const v = cells[i];
          if (h !== '' && v !== undefined && v !== '') row[h] = v;
        });
        const outcome = await planRow(env, row);
        if ('plan' in outcome) plans.push(outcome.plan);
        else {
          failed += 1;
          errors.push(...outcome.errors.map((e) => ({ ...e, row: rows })));
        }
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      if ((error as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') throw error;
      throw new AppError(
        'TRACE_ACTION_IMPORT_FORMAT',
        `The file could not be read as ${isXlsx ? 'XLSX' : 'CSV'}: ${(error as Error).message}`.slice(0, 300),
      );
    }
    if ((part.file as Readable & { truncated?: boolean }).truncated === true)
      throw new AppError(
        'TRACE_FILE_TOO_LARGE',
        `An import file holds at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`,
      );
    if (header === undefined) throw new AppError('TRACE_ACTION_IMPORT_FORMAT', 'The file is empty.');
  }
  if (!sawFile) throw new AppError('TRACE_FILE_MISSING');
  if (errors.length > 0 && mode === 'all-or-nothing') {
    const details: ErrorDetail[] = errors.map((e) => ({
      field: `row ${e.row}: ${e.column}`,
      message: e.message,
      row: e.row,
      column: e.column,
      code: e.code,
    }));
    throw new AppError(
      'TRACE_ACTION_IMPORT_REJECTED',
      `${failed} of ${rows} rows are invalid; nothing was stored.`,
      details,
    );
  }
  const eventIds =
    plans.length === 0
      ? []
      : await inTransaction(ctx, async (repos, audit) => {
          const ids = await storePlans(
            repos,
            tenantId,
            env.publicUrl,
            env.options,
            plans,
            Date.now(),
            env.actorId,
          );
          await audit({
            tenantId,
            action: 'trace_action.import',
            targetType: 'epcis_event',
            targetId: null,
            details: { mode, rows, stored: plans.length, failed, events: ids.length },
          });
          return ids;
        });
  return { mode, rows, storedRows: plans.length, failedRows: failed, eventIds, errors };
}

/** One row: its action's plan, or what is wrong with it (every schema problem, or the first rule broken). */
async function planRow(
  env: ReturnType<typeof planEnv>,
  row: ImportRow,
): Promise<{ plan: Plan } | { errors: Array<Omit<RowError, 'row'>> }> {
  let action: ActionName;
  let body: Record<string, unknown>;
  try {
    action = actionOf(row);
    body = bodyOf(action, row);
  } catch (error) {
    if (error instanceof RowProblem)
      return { errors: [{ column: error.column, code: 'TRACE_ACTION_INVALID', message: error.message }] };
    throw error;
  }
  const validate = validatorOf(action);
  if (!validate(body)) {
    const seen = new Set<string>();
    const errors: Array<Omit<RowError, 'row'>> = [];
    for (const e of validate.errors ?? []) {
      const missing =
        e.keyword === 'required'
          ? `/${String((e.params as { missingProperty?: string }).missingProperty)}`
          : '';
      const column = columnOf(action, `${e.instancePath}${missing}`);
      if (seen.has(column)) continue;
      seen.add(column);
      errors.push({
        column,
        code: 'TRACE_HTTP_VALIDATION',
        message: `${column} ${e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid')}`,
      });
    }
    return { errors };
  }
  try {
    const plan = await (planners[action] as (e: typeof env, i: unknown) => Promise<Plan>)(env, body);
    return { plan };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.details ?? [];
    const errors =
      details.length === 0
        ? [{ column: 'action', code: error.code, message: error.message }]
        : details.map((d) => ({ column: columnOf(action, d.field), code: error.code, message: d.message }));
    return { errors };
  }
}
