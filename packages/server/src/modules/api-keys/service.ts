import type { Role } from '@tracemark/core';
import { newId, type ApiKeyRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';
import { randomToken, sha256Hex } from '../../lib/tokens.js';

/** Lists the caller's enterprise's keys. */
export function listApiKeys(ctx: ServiceContext): Promise<ApiKeyRow[]> {
  return reader(ctx).apiKeys.list(requireTenant(ctx));
}

/**
 * Creates a key for the caller's enterprise. The key is `tmk_` + 43 random characters (256
 * bits); only its SHA-256 is stored — a fast hash is right for a secret this long.
 */
export async function createApiKey(
  ctx: ServiceContext,
  input: { name: string; role?: Extract<Role, 'enterprise_operator' | 'distributor_user'> },
): Promise<{ row: ApiKeyRow; key: string }> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  const key = `tmk_${randomToken(32)}`;
  const id = newId();
  return inTransaction(ctx, async (repos, audit) => {
    await repos.apiKeys.insert({
      tenant_id: tenantId,
      id,
      name: input.name,
      prefix: key.slice(0, 10),
      secret_hash: sha256Hex(key),
      role: input.role ?? 'enterprise_operator',
      created_by: actor.name,
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
      revoked_by: null,
    });
    await audit({
      tenantId,
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: id,
      details: { name: input.name },
    });
    const row = await repos.apiKeys.find(tenantId, id);
    if (row === undefined) throw new AppError('TRACE_APIKEY_NOT_FOUND');
    return { row, key };
  });
}

/** Revokes one of the caller's enterprise's keys; it stops working at once. */
export async function revokeApiKey(ctx: ServiceContext, keyId: string): Promise<ApiKeyRow> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const key = await repos.apiKeys.find(tenantId, keyId);
    if (key === undefined) throw new AppError('TRACE_APIKEY_NOT_FOUND');
    if (key.revoked_at === null) {
      await repos.apiKeys.revoke(tenantId, keyId, actor.name, Date.now());
      await audit({
        tenantId,
        action: 'api_key.revoked',
        targetType: 'api_key',
        targetId: keyId,
        details: { name: key.name },
      });
    }
    const row = await repos.apiKeys.find(tenantId, keyId);
    if (row === undefined) throw new AppError('TRACE_APIKEY_NOT_FOUND');
    return row;
  });
}
