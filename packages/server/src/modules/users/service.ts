import { assignableRoles, isRegionCode, type Role } from '@tracemark/core';
import { newId, type Page, type UserRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';
import { assertStrongPassword, hashPassword } from '../../lib/passwords.js';

/** The people an actor manages: their enterprise's, or (operators) the platform's. */
function scopeTenant(ctx: ServiceContext): string | null {
  const actor = requireActor(ctx);
  if (actor.role === 'platform_operator') return null;
  if (actor.tenantId === null) throw new AppError('TRACE_AUTH_FORBIDDEN');
  return actor.tenantId;
}

async function loadInScope(ctx: ServiceContext, userId: string): Promise<UserRow> {
  const tenant = scopeTenant(ctx);
  const user = await reader(ctx).users.findById(userId);
  if (user === undefined || user.tenant_id !== tenant) throw new AppError('TRACE_USER_NOT_FOUND');
  return user;
}

function checkRole(ctx: ServiceContext, role: Role, jurisdiction: string | undefined): string | null {
  const actor = requireActor(ctx);
  if (!assignableRoles(actor.role).includes(role)) throw new AppError('TRACE_USER_ROLE_NOT_ALLOWED');
  if (role === 'regulator') {
    if (jurisdiction === undefined || !isRegionCode(jurisdiction))
      throw new AppError('TRACE_USER_JURISDICTION_INVALID');
    return jurisdiction;
  }
  return null;
}

/** Lists the users the caller manages. */
export async function listUsers(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string; role?: Role },
): Promise<Page<UserRow>> {
  const tenantId = scopeTenant(ctx);
  return reader(ctx).users.list(
    {
      tenantId,
      ...(query.role !== undefined ? { roles: [query.role] } : {}),
      ...(query.q !== undefined ? { search: query.q } : {}),
    },
    query,
  );
}

/** Reads one user the caller manages. */
export function getUser(ctx: ServiceContext, userId: string): Promise<UserRow> {
  return loadInScope(ctx, userId);
}

/** Creates a user in the caller's enterprise (or, for operators, a platform account or regulator). */
export async function createUser(
  ctx: ServiceContext,
  input: {
    username: string;
    displayName: string;
    password: string;
    role: Role;
    email?: string;
    phone?: string;
    jurisdiction?: string;
  },
): Promise<UserRow> {
  const tenantId = scopeTenant(ctx);
  const jurisdiction = checkRole(ctx, input.role, input.jurisdiction);
  assertStrongPassword(input.password);
  const username = input.username.toLowerCase();
  if ((await reader(ctx).users.findByUsername(username)) !== undefined)
    throw new AppError('TRACE_USER_USERNAME_TAKEN');
  const passwordHash = await hashPassword(input.password);
  const now = Date.now();
  const id = newId();
  return inTransaction(ctx, async (repos, audit) => {
    await repos.users.insert({
      id,
      username,
      display_name: input.displayName,
      email: input.email ?? null,
      phone: input.phone ?? null,
      password_hash: passwordHash,
      role: input.role,
      tenant_id: tenantId,
      jurisdiction,
      status: 'active',
      must_change_password: 1,
      created_at: now,
      updated_at: now,
      last_login_at: null,
    });
    await audit({
      tenantId,
      action: 'user.created',
      targetType: 'user',
      targetId: id,
      details: { username, role: input.role, jurisdiction },
    });
    const row = await repos.users.findById(id);
    if (row === undefined) throw new AppError('TRACE_USER_NOT_FOUND');
    return row;
  });
}

/**
 * Creates a platform operator or regulator without a logged-in caller: how the first operator
 * of a fresh installation is made (`tracemark user create`). Audited as "system".
 */
export async function createPlatformAccount(
  ctx: ServiceContext,
  input: {
    username: string;
    displayName: string;
    password: string;
    role: 'platform_operator' | 'regulator';
    jurisdiction?: string;
  },
): Promise<UserRow> {
  return createUser({ ...ctx, actor: systemOperator }, input);
}

// Stands in for the caller when the command line acts on the platform's behalf.
const systemOperator = {
  type: 'user',
  id: 'system',
  name: 'system',
  role: 'platform_operator',
  tenantId: null,
  jurisdiction: null,
  sessionIdHash: '',
} as const;

/** Edits a user the caller manages: name, contact, role, status, jurisdiction, password reset. */
export async function updateUser(
  ctx: ServiceContext,
  userId: string,
  patch: {
    displayName?: string;
    role?: Role;
    status?: 'active' | 'disabled';
    email?: string | null;
    phone?: string | null;
    jurisdiction?: string;
    password?: string;
  },
): Promise<UserRow> {
  const actor = requireActor(ctx);
  const user = await loadInScope(ctx, userId);
  // Your own password changes only through /auth/password, which asks for the current one.
  if (
    user.id === actor.id &&
    (patch.role !== undefined || patch.status === 'disabled' || patch.password !== undefined)
  ) {
    throw new AppError('TRACE_USER_SELF_CHANGE');
  }
  const role = patch.role ?? user.role;
  if (patch.role !== undefined || patch.jurisdiction !== undefined) {
    checkRole(ctx, role, patch.jurisdiction ?? user.jurisdiction ?? undefined);
  } else if (!assignableRoles(actor.role).includes(user.role)) {
    throw new AppError('TRACE_USER_ROLE_NOT_ALLOWED');
  }
  if (patch.password !== undefined) assertStrongPassword(patch.password);
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  return inTransaction(ctx, async (repos, audit) => {
    await repos.users.update(userId, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      jurisdiction: role === 'regulator' ? (patch.jurisdiction ?? user.jurisdiction) : null,
      ...(passwordHash !== undefined ? { password_hash: passwordHash, must_change_password: 1 } : {}),
      updated_at: Date.now(),
    });
    // A disabled account or a reset password ends every open session of that person.
    if (patch.status === 'disabled' || passwordHash !== undefined) await repos.sessions.deleteForUser(userId);
    const { password: _password, ...visible } = patch;
    await audit({
      tenantId: user.tenant_id,
      action: 'user.updated',
      targetType: 'user',
      targetId: userId,
      details: { ...visible, ...(passwordHash !== undefined ? { passwordReset: true } : {}) },
    });
    const row = await repos.users.findById(userId);
    if (row === undefined) throw new AppError('TRACE_USER_NOT_FOUND');
    return row;
  });
}
