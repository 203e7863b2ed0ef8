import { normalizeCode, parseCode } from '@tracemark/codes';
import type { CodeQueryRow, EnterpriseFigures, Page, ScanCounts, ScanFilter, ScanRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireTenant, type ServiceContext } from '../../lib/context.js';

/** China Standard Time, the calendar of the dashboard (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** How many of the latest flagged queries the dashboard lists. */
export const RECENT_FLAGGED_LIMIT = 8;

/** How many of a code's latest queries its history shows. */
export const CODE_HISTORY_LIMIT = 50;

/** One of the caller's codes, resolved to where its queries are kept. */
export interface OwnCode {
  readonly code: string;
  readonly spaceId: string;
  readonly serial: number;
}

/**
 * Resolves a code typed by the caller to its space and serial: well-formed, of one of the
 * caller's code spaces, issued. Another enterprise's code is "not found", like one never issued.
 */
export async function resolveOwnCode(ctx: ServiceContext, raw: string): Promise<OwnCode> {
  const tenantId = requireTenant(ctx);
  const code = normalizeCode(raw);
  const parsed = parseCode(code);
  if (parsed.type === 'error') throw new AppError('TRACE_CODE_INVALID');
  const repos = reader(ctx);
  const space = await repos.codes.findSpaceByPrefix(parsed.layout.length, parsed.prefix);
  // The message never repeats the code: a list filter must not echo another enterprise's code.
  if (space?.tenant_id !== tenantId) throw new AppError('TRACE_CODE_NOT_FOUND');
  const decoded = ctx.engines.for(space).codec.decode(code);
  if (decoded.type === 'error') throw new AppError('TRACE_CODE_INVALID');
  if ((await repos.codes.findJobOfSerial(tenantId, space.id, decoded.serial)) === undefined)
    throw new AppError('TRACE_CODE_NOT_FOUND');
  return { code, spaceId: space.id, serial: decoded.serial };
}

/** Filters of the query log as the API takes them. */
export interface ScanLogQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly verdict?: ScanFilter['verdict'] | undefined;
  readonly productId?: string | undefined;
  readonly batchId?: string | undefined;
  readonly code?: string | undefined;
}

/** The caller's enterprise's consumer queries, newest first. */
export async function listScans(ctx: ServiceContext, query: ScanLogQuery): Promise<Page<ScanRow>> {
  const tenantId = requireTenant(ctx);
  const code = query.code === undefined ? undefined : await resolveOwnCode(ctx, query.code);
  const filter: ScanFilter = {
    ...(query.from !== undefined ? { from: query.from } : {}),
    ...(query.to !== undefined ? { to: query.to } : {}),
    ...(query.verdict !== undefined ? { verdict: query.verdict } : {}),
    ...(query.productId !== undefined ? { productId: query.productId } : {}),
    ...(query.batchId !== undefined ? { batchId: query.batchId } : {}),
    ...(code !== undefined ? { spaceId: code.spaceId, serial: code.serial } : {}),
  };
  return reader(ctx).scans.listScans(tenantId, filter, query);
}

/** The dashboard's figures; dates are calendar days in China. */
export interface ScanSummary {
  readonly today: ScanCounts;
  readonly last7Days: ScanCounts;
  readonly byDay: ReadonlyArray<{ date: string; total: number; warnings: number; suspicious: number }>;
  readonly topProducts: ReadonlyArray<{ productId: string; name: string | null; count: number }>;
  readonly byProvince: ReadonlyArray<{ regionCode: string; count: number }>;
  /** The latest queries of the last 30 days answered with a warning or found suspicious. */
  readonly recentFlagged: readonly ScanRow[];
  /** The enterprise's catalogue, codes and open counterfeit reports (as regulators see them). */
  readonly figures: Pick<EnterpriseFigures, 'products' | 'codesIssued' | 'codesActivated' | 'openReports'>;
}

/**
 * The enterprise dashboard: today's and the last 7 days' counts, 30 days by day, the 10 most
 * queried products of the last 7 days, the 20 provinces with most queries in the last 30, the
 * latest flagged queries, and the counts of products, codes and open reports.
 * "The last n days" are n calendar days in China, today included. Every scan figure is one walk
 * of the `scans` primary-key range of its window (UUIDv7 ids are time-ordered), no time index;
 * the other counts are the supervisors' per-tenant figures, over tenant-first keys.
 */
export async function scanSummary(ctx: ServiceContext, now: number = Date.now()): Promise<ScanSummary> {
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx).scans;
  const todayStart = Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
  const end = todayStart + DAY_MS;
  const weekStart = todayStart - 6 * DAY_MS;
  const monthStart = todayStart - 29 * DAY_MS;
  const [today, last7Days, days, top, provinces, recentFlagged, figures] = await Promise.all([
    repos.countScans(tenantId, todayStart, end),
    repos.countScans(tenantId, weekStart, end),
    repos.countScansByDay(tenantId, monthStart, end, CHINA_OFFSET_MS),
    repos.topScannedProducts(tenantId, weekStart, end, 10),
    repos.countScansByProvince(tenantId, monthStart, end, 20),
    repos.recentFlaggedScans(tenantId, monthStart, end, RECENT_FLAGGED_LIMIT),
    reader(ctx).supervision.figures([tenantId], end),
  ]);
  const perDay = new Map(days.map((d) => [d.day, d]));
  const firstDay = Math.round((monthStart + CHINA_OFFSET_MS) / DAY_MS);
  const byDay = Array.from({ length: 30 }, (_, i) => {
    const d = perDay.get(firstDay + i);
    return {
      date: new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
      total: d?.total ?? 0,
      warnings: d?.warnings ?? 0,
      suspicious: d?.suspicious ?? 0,
    };
  });
  const mine = figures.get(tenantId);
  const products = reader(ctx).products;
  const topProducts = await Promise.all(
    top.map(async (t) => ({
      productId: t.productId,
      name: (await products.find(tenantId, t.productId))?.name ?? null,
      count: t.count,
    })),
  );
  return {
    today,
    last7Days,
    byDay,
    topProducts,
    byProvince: provinces.map((p) => ({ regionCode: `${p.province}0000`, count: p.count })),
    recentFlagged,
    figures: {
      products: mine?.products ?? 0,
      codesIssued: mine?.codesIssued ?? 0,
      codesActivated: mine?.codesActivated ?? 0,
      openReports: mine?.openReports ?? 0,
    },
  };
}

/** A code's query summary (zero counts when never queried) and its latest queries. */
export interface CodeQueriesView {
  readonly code: string;
  readonly summary: CodeQueryRow | undefined;
  readonly scans: readonly ScanRow[];
}

/** The query history of one of the caller's codes. */
export async function codeQueries(ctx: ServiceContext, rawCode: string): Promise<CodeQueriesView> {
  const tenantId = requireTenant(ctx);
  const own = await resolveOwnCode(ctx, rawCode);
  const repos = reader(ctx).scans;
  const [summary, scans] = await Promise.all([
    repos.codeSummary(tenantId, own.spaceId, own.serial),
    repos.recentScansOfCode(tenantId, own.spaceId, own.serial, CODE_HISTORY_LIMIT),
  ]);
  return { code: own.code, summary, scans };
}
