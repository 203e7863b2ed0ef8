import { buildDigitalLink, buildShortLink } from '@tracemark/codes';
import type { CodeExportRow, CodeJobRow, CodeSpaceRow } from '@tracemark/db';
import type { ExportFile, ExportSpec } from './export-writer.js';
import type { inspectCode, SpaceStats } from './service.js';

/** A code space on the wire (never its key). */
export function presentSpace(s: CodeSpaceRow, stats: SpaceStats) {
  return {
    id: s.id,
    name: s.name,
    length: s.code_length as 15 | 17 | 21,
    prefix: s.prefix,
    capacity: s.capacity,
    issued: stats.issued,
    activated: stats.activated,
    status: s.status,
    createdAt: s.created_at,
  };
}

/** A generation job on the wire. */
export function presentJob(j: CodeJobRow, activated: number) {
  return {
    id: j.id,
    spaceId: j.space_id,
    productId: j.product_id,
    packingLevel: j.packing_level,
    count: j.count,
    firstSerial: j.first_serial,
    withPin: j.with_pin === 1,
    note: j.note,
    activated,
    createdAt: j.created_at,
  };
}

/**
 * The URL a code's QR carries: the GS1 Digital Link `PUBLIC_URL/01/{gtin14}/21/{code}` when
 * the product has a GTIN, else the short `PUBLIC_URL/c/{code}` (smaller QR on 20 × 30 mm). GS1
 * serials (AI 21) hold at most 20 characters, so 21-digit codes always use the short form.
 */
export function scanUrl(publicUrl: string, code: string, gtin: string | null = null): string {
  return gtin === null || code.length > 20
    ? buildShortLink(publicUrl, code)
    : buildDigitalLink(publicUrl, { gtin, serial: code });
}

/** One code for its owner. */
export function presentCode(info: Awaited<ReturnType<typeof inspectCode>>, publicUrl: string) {
  const f = info.facts;
  return {
    code: f.code,
    url: scanUrl(publicUrl, f.code, info.gtin),
    status: info.status,
    spaceId: f.space.id,
    serial: f.ref.serial,
    jobId: f.job.id,
    position: info.position,
    packingLevel: f.job.packing_level,
    productId: f.job.product_id,
    batchId: f.activation?.batch_id ?? null,
    activatedAt: f.activation?.activated_at ?? null,
    parent: info.parentCode,
    children: info.childCodes,
    childCount: info.childCount,
    replacedBy: info.replacedBy,
  };
}

/** An export on the wire, with download links once finished. */
export function presentExport(row: CodeExportRow, total: number) {
  const spec = JSON.parse(row.spec) as ExportSpec;
  const files = row.status === 'done' ? (JSON.parse(row.files) as ExportFile[]) : [];
  return {
    id: row.id,
    jobId: row.job_id,
    status: row.status,
    format: spec.format,
    compression: spec.compression,
    codesPerFile: spec.codesPerFile,
    includeUrl: spec.includeUrl,
    includePin: spec.includePin,
    codesWritten: row.codes_written,
    total,
    progress: total === 0 ? 1 : Math.min(1, row.codes_written / total),
    files: files.map((f) => ({
      ...f,
      url: `/api/v1/code-exports/${row.id}/files/${encodeURIComponent(f.name)}`,
    })),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
