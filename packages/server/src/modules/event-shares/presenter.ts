import type { EventShareRow } from '@tracemark/db';

/** A share with the names of the enterprises it names (null when unknown). */
export function presentShare(row: EventShareRow, names: ReadonlyMap<string, string>) {
  return {
    id: row.id,
    ownerEnterpriseId: row.tenant_id,
    ownerName: names.get(row.tenant_id) ?? null,
    grantee: {
      type: row.grantee_type,
      id: row.grantee_id,
      name: row.grantee_type === 'enterprise' ? (names.get(row.grantee_id) ?? null) : null,
    },
    bizSteps: row.biz_steps === null ? null : (JSON.parse(row.biz_steps) as string[]),
    from: row.event_time_from,
    to: row.event_time_to,
    note: row.note,
    createdAt: row.created_at,
    createdBy: row.created_by,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}
