import { regionName, regionPath, regionPrefix } from '@tracemark/core';
import type { EnterpriseFigures, EnterpriseRow, EnterpriseStatus, Page } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireActor, type ServiceContext } from '../../lib/context.js';

/** Which enterprises the caller supervises: a region prefix, everything, or nothing. */
type Scope =
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

/** A page of the enterprises in the caller's scope with their figures. */
export async function listSupervisedEnterprises(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string; status?: EnterpriseStatus; days?: number },
): Promise<Page<{ enterprise: EnterpriseRow; figures: EnterpriseFigures }>> {
  const scope = scopeOf(ctx);
  if (scope.kind === 'none') return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
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
    windowStart(query.days ?? 30),
  );
  return {
    ...page,
    items: page.items.map((enterprise) => ({ enterprise, figures: figuresOf(figures, enterprise.id) })),
  };
}

/** Totals over every enterprise in the caller's scope. */
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
  let total = 0;
  if (scope.kind !== 'none') {
    const repos = reader(ctx);
    const since = windowStart(days);
    const pageSize = 200;
    for (let page = 1; ; page++) {
      const batch = await repos.enterprises.list(
        scope.kind === 'region' ? { regionPrefix: scope.prefix } : {},
        {
          page,
          pageSize,
        },
      );
      const figures = await repos.supervision.figures(
        batch.items.map((e) => e.id),
        since,
      );
      for (const e of batch.items) {
        byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
        const f = figuresOf(figures, e.id);
        for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += f[k];
      }
      total = batch.total;
      if (page * pageSize >= batch.total) break;
    }
  }
  return {
    jurisdiction: code,
    jurisdictionNames: code === null ? [] : (regionPath(code) ?? [code]).map((c) => regionName(c) ?? c),
    days,
    enterprises: { total, byStatus },
    figures: totals,
  };
}

function figuresOf(map: ReadonlyMap<string, EnterpriseFigures>, id: string): EnterpriseFigures {
  const f = map.get(id);
  if (f === undefined) throw new Error(`no figures for ${id}`);
  return f;
}
