import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';
import { assertStrongPassword, hashPassword, verifyPassword } from '../../lib/passwords.js';
import { randomToken, sha256Hex } from '../../lib/tokens.js';
import { presentMe } from './presenter.js';

/** A fresh login: the tokens go into cookies, the rest into the body. */
export interface LoginOutcome {
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly me: ReturnType<typeof presentMe>;
}

/** Opens a session for a user id (after a password check or a registration). */
export async function openSession(
  ctx: ServiceContext,
  userId: string,
  userAgent: string | null,
): Promise<LoginOutcome> {
  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const now = Date.now();
  const result = await inTransaction(ctx, async (repos) => {
    await repos.sessions.insert({
      id_hash: sha256Hex(sessionToken),
      user_id: userId,
      csrf_hash: sha256Hex(csrfToken),
      created_at: now,
      expires_at: now + ctx.config.sessionTtlHours * 3_600_000,
      last_seen_at: now,
      ip: ctx.ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    });
    await repos.users.update(userId, { last_login_at: now });
    const user = await repos.users.findById(userId);
    if (user === undefined) throw new AppError('TRACE_USER_NOT_FOUND');
    const enterprise = user.tenant_id === null ? undefined : await repos.enterprises.findById(user.tenant_id);
    return presentMe(user, enterprise);
  });
  return { sessionToken, csrfToken, me: result };
}

/** Checks a username and password and opens a session. Same answer for unknown user and wrong password. */
export async function login(
  ctx: ServiceContext,
  input: { username: string; password: string },
  userAgent: string | null,
): Promise<LoginOutcome> {
  const user = await reader(ctx).users.findByUsername(input.username);
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (user === undefined || !ok) {
    ctx.log.info({ username: input.username.slice(0, 64) }, 'login failed');
    throw new AppError('TRACE_AUTH_INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') throw new AppError('TRACE_AUTH_ACCOUNT_DISABLED');
  const outcome = await openSession(ctx, user.id, userAgent);
  const actor = {
    type: 'user' as const,
    id: user.id,
    name: user.username,
    role: user.role,
    tenantId: user.tenant_id,
    jurisdiction: user.jurisdiction,
    sessionIdHash: sha256Hex(outcome.sessionToken),
  };
  await inTransaction({ ...ctx, actor }, (_repos, audit) =>
    audit({ tenantId: user.tenant_id, action: 'auth.login', targetType: 'user', targetId: user.id }),
  );
  return outcome;
}

/** Ends the caller's session. */
export async function logout(ctx: ServiceContext): Promise<void> {
  const actor = requireActor(ctx);
  if (actor.type !== 'user') return;
  await inTransaction(ctx, async (repos, audit) => {
    await repos.sessions.delete(actor.sessionIdHash);
    await audit({ tenantId: actor.tenantId, action: 'auth.logout', targetType: 'user', targetId: actor.id });
  });
}

/** Who is calling. */
export async function me(ctx: ServiceContext): Promise<ReturnType<typeof presentMe>> {
  const actor = requireActor(ctx);
  const repos = reader(ctx);
  if (actor.type === 'api_key') {
    throw new AppError(
      'TRACE_AUTH_FORBIDDEN',
      'An API key has no user account; use the key only for the API.',
    );
  }
  const user = await repos.users.findById(actor.id);
  if (user === undefined) throw new AppError('TRACE_AUTH_REQUIRED');
  const enterprise = user.tenant_id === null ? undefined : await repos.enterprises.findById(user.tenant_id);
  return presentMe(user, enterprise);
}

/** Changes the caller's password and ends their other sessions. */
export async function changePassword(
  ctx: ServiceContext,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const actor = requireActor(ctx);
  if (actor.type !== 'user') throw new AppError('TRACE_AUTH_FORBIDDEN');
  const user = await reader(ctx).users.findById(actor.id);
  if (user === undefined) throw new AppError('TRACE_AUTH_REQUIRED');
  if (!(await verifyPassword(user.password_hash, input.currentPassword)))
    throw new AppError('TRACE_AUTH_WRONG_PASSWORD');
  assertStrongPassword(input.newPassword);
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(ctx, async (repos, audit) => {
    await repos.users.update(actor.id, {
      password_hash: passwordHash,
      must_change_password: 0,
      updated_at: Date.now(),
    });
    await repos.sessions.deleteForUser(actor.id, actor.sessionIdHash);
    await audit({
      tenantId: actor.tenantId,
      action: 'user.password_changed',
      targetType: 'user',
      targetId: actor.id,
    });
  });
}
