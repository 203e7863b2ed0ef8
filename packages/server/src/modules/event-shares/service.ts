import { isRegionCode, normaliseCbv } from '@tracemark/core';
import { newId, type EventShareRow, type Repositories } from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';

/** What an enterprise shares, and with whom (adr/0007). */
export interface ShareInput {
  readonly grantee:
    | { readonly type: 'enterprise'; readonly enterpriseId: string }
    | { readonly type: 'regulator'; readonly jurisdiction: string };
  readonly bizSteps?: readonly string[];
  readonly from?: number;
  readonly to?: number;
  readonly note?: string;
}

function invalid(field: string, message: string): AppError {
  return new AppError('TRACE_SHARE_INVALID', message, [{ field, message }]);
}

/**
 * Lets another enterprise, or the regulators of one jurisdiction, read the caller's
 * enterprise's events: all, or those of some bizSteps, with eventTime in [from, to) where given.
 * The grantee reads them through the EPCIS query (`/epcis/events` and its sub-resources) beside
 * its own; nothing else of the owner becomes visible.
 */
export async function createShare(ctx: ServiceContext, input: ShareInput): Promise<EventShareRow> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  const g = input.grantee;
  if (g.type === 'enterprise' && g.enterpriseId === tenantId) {
    throw invalid('grantee.enterpriseId', 'An enterprise sees its own events already.');
  }
  if (g.type === 'regulator' && !isRegionCode(g.jurisdiction)) {
    throw invalid('grantee.jurisdiction', 'Not a GB/T 2260 region code.');
  }
  if (input.from !== undefined && input.to !== undefined && input.from >= input.to) {
    throw invalid('to', 'to must come after from.');
  }
  const bizSteps = input.bizSteps?.map((s) => normaliseCbv('BizStep', s));
  const id = newId();
  return inTransaction(ctx, async (repos, audit) => {
    if (g.type === 'enterprise') {
      const e = await repos.enterprises.findById(g.enterpriseId);
      if (e === undefined || e.status !== 'approved') throw new AppError('TRACE_SHARE_GRANTEE_NOT_FOUND');
    }
    await repos.events.insertShare({
      tenant_id: tenantId,
      id,
      grantee_type: g.type,
      grantee_id: g.type === 'enterprise' ? g.enterpriseId : g.jurisdiction,
      biz_steps: bizSteps === undefined ? null : JSON.stringify([...new Set(bizSteps)]),
      event_time_from: input.from ?? null,
      event_time_to: input.to ?? null,
      note: input.note ?? null,
      created_by: actor.id,
      created_at: Date.now(),
      revoked_by: null,
      revoked_at: null,
    });
    await audit({
      tenantId,
      action: 'event_share.created',
      targetType: 'event_share',
      targetId: id,
      details: {
        grantee: g,
        ...(bizSteps === undefined ? {} : { bizSteps }),
        ...(input.from === undefined ? {} : { from: input.from }),
        ...(input.to === undefined ? {} : { to: input.to }),
      },
    });
    const row = await repos.events.findShare(tenantId, id);
    if (row === undefined) throw new AppError('TRACE_SHARE_NOT_FOUND');
    return row;
  });
}

/**
 * The shares the caller's enterprise gave (revoked ones too), or those in force for the caller
 * (its enterprise, or a regulator's jurisdiction).
 */
export async function listShares(
  ctx: ServiceContext,
  direction: 'given' | 'received',
): Promise<EventShareRow[]> {
  const actor = requireActor(ctx);
  const repo = reader(ctx).events;
  if (direction === 'given') return repo.listSharesGiven(requireTenant(ctx), 1000);
  if (actor.tenantId === null && actor.role === 'regulator' && actor.jurisdiction !== null) {
    return repo.listSharesReceived('regulator', actor.jurisdiction, 1000);
  }
  return repo.listSharesReceived('enterprise', requireTenant(ctx), 1000);
}

/** Ends a share at once: the grantee's next query no longer sees those events. */
export async function revokeShare(ctx: ServiceContext, id: string): Promise<EventShareRow> {
  const tenantId = requireTenant(ctx);
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    if (!(await repos.events.revokeShare(tenantId, id, actor.id, Date.now()))) {
      throw new AppError('TRACE_SHARE_NOT_FOUND');
    }
    await audit({ tenantId, action: 'event_share.revoked', targetType: 'event_share', targetId: id });
    const row = await repos.events.findShare(tenantId, id);
    if (row === undefined) throw new AppError('TRACE_SHARE_NOT_FOUND');
    return row;
  });
}

/** The names of the enterprises the shares name, for the presenter. */
export async function enterpriseNames(
  repos: Pick<Repositories, 'enterprises'>,
  rows: readonly EventShareRow[],
): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const r of rows) {
    ids.add(r.tenant_id);
    if (r.grantee_type === 'enterprise') ids.add(r.grantee_id);
  }
  const names = new Map<string, string>();
  for (const id of ids) {
    const e = await repos.enterprises.findById(id);
    if (e !== undefined) names.set(id, e.name);
  }
  return names;
}
