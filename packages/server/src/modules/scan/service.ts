import type { ReadStream } from 'node:fs';
import type { Verdict } from '@tracemark/core';
import { isUuid, newId, type FileRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { coarsenPosition, type GeoLocator } from '../../lib/geo/index.js';
import { inTransaction, reader, type ServiceContext } from '../../lib/context.js';
import type { StoredFile } from '../../lib/file-store.js';
import { uploadedFileRow, withStoredFile } from '../../lib/uploads.js';
import { lookupCode, type CodeLookup } from '../codes/lookup.js';
import { placeOf } from './verifier.js';
import type { PlaceView } from './view-model.js';

/** How long after a query the consumer may still attach a position to it. */
export const POSITION_WINDOW_MS = 15 * 60_000;

/** An issued code of an enterprise: what a counterfeit report is filed against. */
export type ReportTarget = Extract<CodeLookup, { enterpriseId: string }> & {
  readonly status: 'issued' | 'active' | 'voided';
};

/** The enterprise a code belongs to, for a report; refuses codes that are not ours. */
export async function reportTarget(ctx: ServiceContext, code: string): Promise<ReportTarget> {
  const found = await lookupCode(ctx, code);
  if (found.status === 'invalid' || found.status === 'unknown_space' || found.status === 'not_issued')
    throw new AppError('TRACE_SCAN_NOT_OURS');
  return { ...found, status: found.status };
}

/** A consumer's counterfeit report, validated by the route's schema. */
export interface ReportInput {
  readonly where: string;
  readonly price?: string | undefined;
  readonly note?: string | undefined;
  readonly contact?: string | undefined;
}

/**
 * Files a counterfeit report for a code of ours, with an optional photo (already stored under
 * the enterprise; removed again if the report cannot be written). The enterprise sees it in its
 * list of reports; the consumer's address is reduced to its region.
 */
export async function fileReport(
  ctx: ServiceContext,
  geo: GeoLocator,
  target: ReportTarget,
  input: ReportInput,
  photo: { readonly file: StoredFile; readonly originalName: string } | undefined,
): Promise<{ id: string }> {
  const where = input.where.trim();
  if (where === '') throw new AppError('TRACE_SCAN_REPORT_INVALID');
  const price =
    input.price === undefined || input.price === '' ? null : Math.round(Number(input.price) * 100);
  if (price !== null && !Number.isFinite(price)) throw new AppError('TRACE_SCAN_REPORT_INVALID');
  const tenantId = target.enterpriseId;
  const now = Date.now();
  const id = newId(now);
  const verdict = await verdictSeen(ctx, target);
  const write = () =>
    inTransaction(ctx, async (repos) => {
      if (photo !== undefined)
        await repos.files.insert(uploadedFileRow(tenantId, photo, 'report_photo', 'consumer', now));
      await repos.scans.insertReport({
        tenant_id: tenantId,
        id,
        code: target.code,
        space_id: target.spaceId,
        serial: target.serial,
        product_id: target.productId,
        batch_id: target.batchId,
        verdict,
        where_bought: where,
        price_cents: price,
        note: emptyToNull(input.note),
        contact: emptyToNull(input.contact),
        photo_file_id: photo?.file.id ?? null,
        region_code: ctx.ip === null ? null : (geo.regionOfIp(ctx.ip).regionCode ?? null),
        status: 'new',
        handler_note: null,
        handled_by: null,
        handled_at: null,
        created_at: now,
      });
    });
  if (photo === undefined) await write();
  else await withStoredFile(ctx, tenantId, photo.file.id, write);
  return { id };
}

/**
 * The verdict the reporter saw: that of the code's latest query (the page they report from), else
 * what its state says.
 */
async function verdictSeen(ctx: ServiceContext, target: ReportTarget): Promise<Verdict> {
  if (target.status === 'voided') return 'voided';
  if (target.status === 'issued') return 'not_activated';
  const repos = reader(ctx).scans;
  const summary = await repos.codeSummary(target.enterpriseId, target.spaceId, target.serial);
  const latest =
    summary?.last_scan_id == null
      ? undefined
      : await repos.findScan(target.enterpriseId, summary.last_scan_id);
  return latest?.verdict ?? 'genuine_repeat';
}

/**
 * Attaches the consumer's consented browser position to a query made in the last
 * {@link POSITION_WINDOW_MS}: the region it falls in replaces the IP region, and the position
 * is kept coarsened to about 1 km. Once per query.
 */
export async function setPosition(
  ctx: ServiceContext,
  geo: GeoLocator,
  scanId: string,
  position: { latitude: number; longitude: number },
): Promise<PlaceView | null> {
  const scan = await reader(ctx).scans.findScanById(scanId);
  if (scan === undefined || Date.now() - scan.at > POSITION_WINDOW_MS)
    throw new AppError('TRACE_SCAN_NOT_FOUND');
  if (scan.region_source === 'position') throw new AppError('TRACE_SCAN_POSITION_SET');
  const regionCode = geo.regionOfPosition(position.latitude, position.longitude, 'wgs84') ?? null;
  const coarse = coarsenPosition(position.latitude, position.longitude);
  await reader(ctx).scans.setScanPosition(scan.tenant_id, scan.id, {
    regionCode,
    latitude: coarse.lat,
    longitude: coarse.lng,
  });
  return placeOf(regionCode, 'position');
}

/**
 * A file anyone may see because scan pages show it: a product image or a batch's inspection
 * report. Qualification documents and report photos are never public.
 */
export async function openPublicMedia(
  ctx: ServiceContext,
  fileId: string,
): Promise<{ row: FileRow; stream: ReadStream }> {
  if (!isUuid(fileId)) throw new AppError('TRACE_SCAN_MEDIA_NOT_FOUND');
  const row = await ctx.db.kysely
    .selectFrom('files')
    .selectAll()
    .where('id', '=', fileId)
    .where('purpose', 'in', ['product_image', 'inspection_report'])
    .executeTakeFirst();
  const stream = row === undefined ? undefined : await ctx.files.open(row.tenant_id, row.id);
  if (row === undefined || stream === undefined) throw new AppError('TRACE_SCAN_MEDIA_NOT_FOUND');
  return { row, stream };
}

function emptyToNull(value: string | undefined): string | null {
  const v = value?.trim();
  return v === undefined || v === '' ? null : v;
}
