import { createReadStream, type ReadStream } from 'node:fs';
import { PollingRunner } from '../../lib/polling-runner.js';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { newId, repositories, type CodeExportRow, type Db } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';
import type { Config } from '../../config.js';
import type { CodeEngines } from './code-engine.js';
import { writeExport, type ExportFile, type ExportProgress, type ExportSpec } from './export-writer.js';
import { scanUrl } from './presenter.js';
import { loadJob } from './service.js';

/** What a client asks for; the file stem is chosen by the server. */
export type ExportRequest = Omit<ExportSpec, 'fileStem'>;

/** Where an export's files live: `DATA_DIR/exports/<tenant>/<export id>/`. */
export function exportDir(config: Config, tenantId: string, exportId: string): string {
  return join(config.dataDir, 'exports', tenantId, exportId);
}

/** Queues an export of a job's codes; a background runner writes it (see {@link ExportRunner}). */
export async function requestExport(
  ctx: ServiceContext,
  jobId: string,
  request: ExportRequest,
): Promise<CodeExportRow> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const job = await loadJob(ctx, jobId, repos);
    if (request.includePin && job.with_pin !== 1)
      throw new AppError('TRACE_HTTP_VALIDATION', 'This job has no PINs.');
    const id = newId();
    const now = Date.now();
    const spec: ExportSpec = { ...request, fileStem: `codes-${job.id.slice(0, 8)}-${id.slice(-6)}` };
    await repos.codes.insertExport({
      tenant_id: job.tenant_id,
      id,
      job_id: job.id,
      spec: JSON.stringify(spec),
      status: 'queued',
      codes_written: 0,
      files: '[]',
      error: null,
      claimed_by: null,
      heartbeat_at: null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    });
    await audit({
      tenantId: job.tenant_id,
      action: 'code_export.requested',
      targetType: 'code_job',
      targetId: job.id,
      details: { exportId: id, ...request },
    });
    const row = await repos.codes.findExport(job.tenant_id, id);
    if (row === undefined) throw new AppError('TRACE_CODE_EXPORT_NOT_FOUND');
    return row;
  });
}

/** A job's exports. */
export async function listExports(
  ctx: ServiceContext,
  jobId: string,
): Promise<{ rows: CodeExportRow[]; total: number }> {
  const job = await loadJob(ctx, jobId);
  return { rows: await reader(ctx).codes.listExports(job.tenant_id, job.id), total: job.count };
}

/** One export with the size of its job. */
export async function getExport(
  ctx: ServiceContext,
  exportId: string,
): Promise<{ row: CodeExportRow; total: number }> {
  const actor = requireActor(ctx);
  const row =
    actor.tenantId === null ? undefined : await reader(ctx).codes.findExport(actor.tenantId, exportId);
  if (row === undefined) throw new AppError('TRACE_CODE_EXPORT_NOT_FOUND');
  const job = await loadJob(ctx, row.job_id);
  return { row, total: job.count };
}

/** Opens a finished export file for download. */
export async function openExportFile(
  ctx: ServiceContext,
  exportId: string,
  name: string,
): Promise<{ stream: ReadStream; file: ExportFile }> {
  const { row } = await getExport(ctx, exportId);
  if (row.status !== 'done') throw new AppError('TRACE_CODE_EXPORT_NOT_READY');
  const file = (JSON.parse(row.files) as ExportFile[]).find((f) => f.name === name);
  if (file === undefined) throw new AppError('TRACE_CODE_EXPORT_NOT_FOUND');
  const path = join(exportDir(ctx.config, row.tenant_id, row.id), file.name);
  try {
    await stat(path);
  } catch {
    throw new AppError('TRACE_CODE_EXPORT_NOT_FOUND');
  }
  return { stream: createReadStream(path), file };
}

/** What the runner needs from the process. */
export interface ExportRunnerDeps {
  readonly db: Db;
  readonly config: Config;
  readonly engines: CodeEngines;
  readonly log: FastifyBaseLogger;
}

/**
 * Writes queued exports in the background, one at a time per process. Progress (finished
 * parts, codes written) is saved at least once a second with a heartbeat; an export whose
 * process died (heartbeat older than `staleAfterMs`) is claimed again by any process and
 * resumes after its last finished part. On shutdown the export in progress is put back in the
 * queue, keeping its finished parts.
 */
export class ExportRunner extends PollingRunner {
  constructor(
    private readonly deps: ExportRunnerDeps,
    private readonly options: { pollMs?: number; staleAfterMs?: number } = {},
  ) {
    super(deps.log, 'exports', options.pollMs ?? 2000);
  }

  /** Claims and writes one export; false when there was nothing to do. */
  async runOnce(): Promise<boolean> {
    const repos = repositories(this.deps.db.kysely);
    const now = Date.now();
    const row = await repos.codes.claimExport(this.worker, now, now - (this.options.staleAfterMs ?? 30_000));
    if (row === undefined) return false;
    const log = this.deps.log.child({ exportId: row.id });
    const save = (patch: Parameters<typeof repos.codes.updateExport>[3]) =>
      repos.codes.updateExport(row.tenant_id, row.id, this.worker, patch);
    try {
      const job = await repos.codes.findJob(row.tenant_id, row.job_id);
      const space = job === undefined ? undefined : await repos.codes.findSpace(row.tenant_id, job.space_id);
      if (job === undefined || space === undefined) throw new Error('the job or its code space is gone');
      const product =
        job.product_id === null ? undefined : await repos.products.find(row.tenant_id, job.product_id);
      const gtin = product?.gtin ?? null;
      const engine = this.deps.engines.for(space);
      const publicUrl = this.deps.config.publicUrl;
      const spec = JSON.parse(row.spec) as ExportSpec;
      const resume: ExportProgress = {
        codesWritten: row.codes_written,
        filesDone: JSON.parse(row.files) as ExportFile[],
      };
      const sample = engine.codec.encode(job.first_serial);
      const pattern = scanUrl(publicUrl, sample, gtin).replace(sample, '{code}');
      log.info({ jobId: job.id, count: job.count, resumeAt: resume.codesWritten }, 'export started');
      const files = await writeExport(
        {
          firstSerial: job.first_serial,
          count: job.count,
          encode: (first, n) => engine.codec.encodeBatch(first, n),
          encodeInto: (first, n, target, offset, stride) =>
            engine.codec.encodeBatchInto(first, n, target, offset, stride),
          ...(job.with_pin === 1
            ? { pins: (first: number, n: number) => engine.pins.pinBatch(first, n) }
            : {}),
          url: (code) => scanUrl(publicUrl, code, gtin),
          urlPattern: pattern,
        },
        spec,
        exportDir(this.deps.config, row.tenant_id, row.id),
        {
          ...(resume.filesDone.length > 0 ? { resume } : {}),
          signal: this.signal,
          onProgress: async (p) => {
            const t = Date.now();
            await save({
              codes_written: p.codesWritten,
              files: JSON.stringify(p.filesDone),
              heartbeat_at: t,
              updated_at: t,
            });
          },
        },
      );
      const t = Date.now();
      await save({
        status: 'done',
        codes_written: job.count,
        files: JSON.stringify(files),
        heartbeat_at: t,
        updated_at: t,
      });
      log.info({ files: files.length }, 'export finished');
    } catch (error) {
      const t = Date.now();
      if (this.signal.aborted) {
        await save({ status: 'queued', heartbeat_at: null, updated_at: t });
        log.info('export interrupted by shutdown; it resumes at the next start');
      } else {
        await save({
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          updated_at: t,
        });
        log.error({ err: error }, 'export failed');
      }
    }
    return true;
  }
}
