import { findRegion, isWithinRegion, regionName, regionPath, regionPrefix } from '@tracemark/core';
import type {
  EnterpriseFigures,
  EnterpriseRow,
  EnterpriseStatus,
  Page,
  ProductFigures,
  ProductRow,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireActor, type ServiceContext } from '../../lib/context.js';

/** Which enterprises the caller supervises: a region prefix, everything, or nothing. */
export type Scope =
  | { readonly kind: 'all' }
  | { readonly kind: 'region'; readonly code: string; readonly prefix: string }
  | { readonly kind: 'none'; readonly code: string | null };

function scopeOf(ctx: ServiceContext): Scope {
  const actor = requireActor(ctx);
  if (actor.role === 'platform_operator') return { kind: 'all' };
  if (actor.role !== 'regulator') throw new AppError('TRACE_AUTH_FORBIDDEN');
  const prefix = actor.jurisdiction === null ? undefined : regionPrefix(actor.jurisdiction);
  return prefix === undefined || actor.jurisdiction === null
    ? { kind: 'none', code: actor.jurisdiction }
    : { kind: 'region', code: actor.jurisdiction, prefix };
}

/** The start of a window of `days` calendar days in China, today included. */
export function windowStart(days: number, now: number = Date.now()): number {
  const beijingMidnight = Math.floor((now + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
  return beijingMidnight - (days - 1) * 86_400_000;
}

/** A figure the list of supervised enterprises can be ordered by, most first. */
export type SupervisedSort = 'scans' | 'warnings' | 'suspicious' | 'openReports' | 'codesIssued';

/** One enterprise with its figures. */
interface Supervised {
  readonly enterprise: EnterpriseRow;
  readonly figures: EnterpriseFigures;
}

/**
 * Every enterprise of a scope (status and text filters applied) with its figures, 200 at a time:
 * one query per figure per 200 enterprises.
 */
async function everySupervised(
  ctx: ServiceContext,
  scope: Scope,
  since: number,
  filter: { status?: EnterpriseStatus | undefined; q?: string | undefined } = {},
): Promise<Supervised[]> {
  const out: Supervised[] = [];
  if (scope.kind === 'none') return out;
  const repos = reader(ctx);
  const pageSize = 200;
  for (let page = 1; ; page++) {
    const batch = await repos.enterprises.list(
      {
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.q !== undefined ? { search: filter.q } : {}),
        ...(scope.kind === 'region' ? { regionPrefix: scope.prefix } : {}),
      },
      { page, pageSize },
    );
    const figures = await repos.supervision.figures(
      batch.items.map((e) => e.id),
      since,
    );
    for (const enterprise of batch.items)
      out.push({ enterprise, figures: figuresOf(figures, enterprise.id) });
    if (page * pageSize >= batch.total) break;
  }
  return out;
}

/**
 * A page of the enterprises in the caller's scope with their figures, newest first; or, with
 * `sort`, by that figure, most first (which reads the figures of the whole scope, as the
 * overview does).
 */
export async function listSupervisedEnterprises(
  ctx: ServiceContext,
  query: {
    page: number;
    pageSize: number;
    q?: string;
    status?: EnterpriseStatus;
    days?: number;
    sort?: SupervisedSort;
  },
): Promise<Page<Supervised>> {
  const scope = scopeOf(ctx);
  if (scope.kind === 'none') return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const since = windowStart(query.days ?? 30);
  const sort = query.sort;
  if (sort !== undefined) {
    const all = await everySupervised(ctx, scope, since, query);
    // A stable sort: ties keep the newest-first order of the plain list.
    all.sort((a, b) => b.figures[sort] - a.figures[sort]);
    const start = (query.page - 1) * query.pageSize;
    return {
      items: all.slice(start, start + query.pageSize),
      total: all.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
  const repos = reader(ctx);
  const page = await repos.enterprises.list(
    {
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.q !== undefined ? { search: query.q } : {}),
      ...(scope.kind === 'region' ? { regionPrefix: scope.prefix } : {}),
    },
    query,
  );
  const figures = await repos.supervision.figures(
    page.items.map((e) => e.id),
    since,
  );
  return {
    ...page,
    items: page.items.map((enterprise) => ({ enterprise, figures: figuresOf(figures, enterprise.id) })),
  };
}

/**
 * The region one level below the scope that an enterprise's region lies in: the province for the
 * whole platform, the city for a province (the county where the city level is only a grouping,
 * as in the municipalities), the county for a city or county.
 */
export function childRegion(scope: Scope, regionCode: string): string {
  const level = scope.kind === 'region' ? scope.prefix.length : 0;
  if (level === 0) return `${regionCode.slice(0, 2)}0000`;
  if (level === 2) {
    const city = `${regionCode.slice(0, 4)}00`;
    return findRegion(city)?.grouping === false ? city : regionCode;
  }
  return regionCode;
}

/** How many enterprises the overview ranks by queries. */
const TOP_ENTERPRISES = 10;

/**
 * Totals over every enterprise in the caller's scope, the same figures per region one level
 * down (most queried first), and the most queried enterprises.
 */
export async function supervisionOverview(ctx: ServiceContext, days = 30) {
  const scope = scopeOf(ctx);
  const code = scope.kind === 'all' ? null : scope.code;
  const totals = {
    products: 0,
    codesIssued: 0,
    codesActivated: 0,
    scans: 0,
    warnings: 0,
    suspicious: 0,
    openReports: 0,
  };
  const byStatus: Record<string, number> = {};
  const regions = new Map<
    string,
    { enterprises: number; scans: number; warnings: number; suspicious: number }
  >();
  const all = await everySupervised(ctx, scope, windowStart(days));
  for (const { enterprise: e, figures: f } of all) {
    byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += f[k];
    const key = childRegion(scope, e.region_code);
    const r = regions.get(key) ?? { enterprises: 0, scans: 0, warnings: 0, suspicious: 0 };
    regions.set(key, {
      enterprises: r.enterprises + 1,
      scans: r.scans + f.scans,
      warnings: r.warnings + f.warnings,
      suspicious: r.suspicious + f.suspicious,
    });
  }
  const top = all
    .filter((s) => s.figures.scans > 0)
    .sort((a, b) => b.figures.scans - a.figures.scans)
    .slice(0, TOP_ENTERPRISES);
  return {
    jurisdiction: code,
    jurisdictionNames: code === null ? [] : (regionPath(code) ?? [code]).map((c) => regionName(c) ?? c),
    days,
    enterprises: { total: all.length, byStatus },
    figures: totals,
    byRegion: [...regions]
      .map(([regionCode, r]) => ({
        regionCode,
        names: [...(regionPath(regionCode) ?? [])],
        ...r,
      }))
      .sort(
        (a, b) =>
          b.scans - a.scans || b.enterprises - a.enterprises || a.regionCode.localeCompare(b.regionCode),
      ),
    topEnterprises: top.map(({ enterprise: e, figures: f }) => ({
      id: e.id,
      name: e.name,
      scans: f.scans,
      warnings: f.warnings,
      suspicious: f.suspicious,
    })),
  };
}

/**
 * A page of the products of one enterprise in the caller's scope (any for the operator), newest
 * first, with batches, activated codes and consumer queries in the window; an enterprise outside
 * the jurisdiction answers 404 as if it did not exist.
 */
export async function listSupervisedProducts(
  ctx: ServiceContext,
  enterpriseId: string,
  query: { page: number; pageSize: number; q?: string; days?: number },
): Promise<Page<{ product: ProductRow; figures: ProductFigures }>> {
  const scope = scopeOf(ctx);
  const repos = reader(ctx);
  const enterprise = await repos.enterprises.findById(enterpriseId);
  const visible =
    enterprise !== undefined &&
    (scope.kind === 'all' || (scope.kind === 'region' && isWithinRegion(enterprise.region_code, scope.code)));
  if (!visible) throw new AppError('TRACE_ENTERPRISE_NOT_FOUND');
  const page = await repos.products.list(
    enterprise.id,
    query.q !== undefined ? { search: query.q } : {},
    query,
  );
  const figures = await repos.supervision.productFigures(
    enterprise.id,
    page.items.map((p) => p.id),
    windowStart(query.days ?? 30),
  );
  return {
    ...page,
    items: page.items.map((product) => ({
      product,
      figures: figures.get(product.id) ?? { batches: 0, codesActivated: 0, scans: 0 },
    })),
  };
}

function figuresOf(map: ReadonlyMap<string, EnterpriseFigures>, id: string): EnterpriseFigures {
  const f = map.get(id);
  if (f === undefined) throw new Error(`no figures for ${id}`);
  return f;
}
