import type { AuditRow } from '@tracemark/db';

/** An audit entry on the wire. */
export function presentAudit(a: AuditRow) {
  return {
    id: a.id,
    enterpriseId: a.tenant_id,
    at: a.at,
    actorType: a.actor_type,
    actorId: a.actor_id,
    actorName: a.actor_name,
    action: a.action,
    targetType: a.target_type,
    targetId: a.target_id,
    details: JSON.parse(a.details) as Record<string, unknown>,
    requestId: a.request_id,
  };
}
