import type { AuditRow, Page } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { reader, requireActor, type ServiceContext } from '../../lib/context.js';

/** Reads the audit log: an enterprise admin sees their enterprise's, an operator everything. */
export function listAudit(
  ctx: ServiceContext,
  query: {
    page: number;
    pageSize: number;
    action?: string;
    actorId?: string;
    actor?: string;
    targetId?: string;
    enterpriseId?: string;
    from?: number;
    to?: number;
  },
): Promise<Page<AuditRow>> {
  const actor = requireActor(ctx);
  let tenantId = query.enterpriseId;
  if (actor.role !== 'platform_operator') {
    if (actor.tenantId === null) throw new AppError('TRACE_AUTH_FORBIDDEN');
    tenantId = actor.tenantId;
  }
  return reader(ctx).audit.list(
    {
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(query.action !== undefined ? { action: query.action } : {}),
      ...(query.actorId !== undefined ? { actorId: query.actorId } : {}),
      ...(query.actor !== undefined ? { actorName: query.actor } : {}),
      ...(query.targetId !== undefined ? { targetId: query.targetId } : {}),
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
    },
    query,
  );
}
