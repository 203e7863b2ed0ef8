import type { ApiKeyRow } from '@tracemark/db';

/** An API key on the wire, without its secret. */
export function presentApiKey(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdAt: k.created_at,
    createdBy: k.created_by,
    lastUsedAt: k.last_used_at,
    revokedAt: k.revoked_at,
  };
}
