import type { ReadStream } from 'node:fs';
import type { CounterfeitReportRow, FileRow, Page, ReportStatus, Repositories } from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';

/** Loads a report of the caller's enterprise, or 404. */
export async function loadReport(
  ctx: ServiceContext,
  reportId: string,
  repos: Repositories = reader(ctx),
): Promise<CounterfeitReportRow> {
  const report = await repos.scans.findReport(requireTenant(ctx), reportId);
  if (report === undefined) throw new AppError('TRACE_REPORT_NOT_FOUND');
  return report;
}

/** The caller's enterprise's reports, newest first. */
export async function listReports(
  ctx: ServiceContext,
  query: {
    page: number;
    pageSize: number;
    status?: ReportStatus | undefined;
    productId?: string | undefined;
  },
): Promise<Page<CounterfeitReportRow>> {
  return reader(ctx).scans.listReports(
    requireTenant(ctx),
    {
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.productId !== undefined ? { productId: query.productId } : {}),
    },
    query,
  );
}

/**
 * Records the enterprise's handling of a report: its status (any but `new`; a closed report may
 * be reopened) and an internal note (kept when not sent, cleared by null).
 */
export async function handleReport(
  ctx: ServiceContext,
  reportId: string,
  input: { status: Exclude<ReportStatus, 'new'>; handlerNote?: string | null | undefined },
): Promise<CounterfeitReportRow> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const report = await loadReport(ctx, reportId, repos);
    const note =
      input.handlerNote === undefined
        ? report.handler_note
        : input.handlerNote === null || input.handlerNote.trim() === ''
          ? null
          : input.handlerNote.trim();
    await repos.scans.updateReport(report.tenant_id, report.id, {
      status: input.status,
      handler_note: note,
      handled_by: actor.id,
      handled_at: Date.now(),
    });
    await audit({
      tenantId: report.tenant_id,
      action: 'counterfeit_report.handled',
      targetType: 'counterfeit_report',
      targetId: report.id,
      details: { from: report.status, to: input.status, handlerNote: note },
    });
    return loadReport(ctx, report.id, repos);
  });
}

/** Opens the photo a consumer sent with a report. */
export async function openReportPhoto(
  ctx: ServiceContext,
  reportId: string,
): Promise<{ stream: ReadStream; file: FileRow }> {
  const report = await loadReport(ctx, reportId);
  if (report.photo_file_id === null) throw new AppError('TRACE_REPORT_PHOTO_NOT_FOUND');
  const file = await reader(ctx).files.find(report.tenant_id, report.photo_file_id);
  const stream = file === undefined ? undefined : await ctx.files.open(report.tenant_id, file.id);
  if (file === undefined || stream === undefined) throw new AppError('TRACE_REPORT_PHOTO_NOT_FOUND');
  return { stream, file };
}
