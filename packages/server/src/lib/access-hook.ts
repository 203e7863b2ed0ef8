import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onRequestHookHandler,
} from 'fastify';
import { can, type Permission } from '@tracemark/core';
import { repositories } from '@tracemark/db';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { digestsEqual, sha256Hex } from './tokens.js';

/** What a route demands of its caller, declared in the route's `config.access`. */
export type Access = { readonly public: true } | { readonly permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every `/api/` route: who may call it. Checked in one hook for all routes. */
    access?: Access;
  }
  interface FastifyRequest {
    /** Who is calling, resolved before any handler runs; undefined for anonymous callers. */
    actor: Actor | undefined;
  }
}

/** Name of the httpOnly session cookie. */
export const sessionCookie = 'tm_session';
/** Name of the readable cookie that carries the CSRF token for the console's scripts. */
export const csrfCookie = 'tm_csrf';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The CSRF hash of the session a request came with, kept from the session lookup so the CSRF
// check needs no second read.
const sessionCsrf = new WeakMap<FastifyRequest, string>();

/**
 * Installs authentication and authorisation for every route, in one place:
 * - refuses to start if an `/api/` route declares no `access`;
 * - resolves the caller from `Authorization: Bearer <api key>` or the session cookie;
 * - for cookie sessions, requires the `X-CSRF-Token` header on unsafe methods;
 * - checks the role's permission from the single grants table in `@tracemark/core`.
 * Which enterprise a resource belongs to is then checked by the service that loads it.
 */
export function installAccessControl(app: FastifyInstance, config: Config): void {
  app.decorateRequest('actor', undefined);

  app.addHook('onRoute', (route) => {
    const url = route.url;
    const access = route.config?.access;
    if ((url.startsWith('/api/') || url.startsWith('/epcis/')) && access === undefined) {
      throw new Error(`route ${String(route.method)} ${url} declares no access policy`);
    }
    if (access === undefined) return;
    // Each route gets the check of its own policy as a hook of its own: nothing is looked up
    // per request to find the policy, and public routes cost a caller with no credentials nothing.
    const check = 'public' in access ? publicCaller(config) : permitted(app, config, access.permission);
    const own = route.onRequest;
    route.onRequest = own === undefined ? [check] : [...(Array.isArray(own) ? own : [own]), check];
  });
}

/** A public route: the caller is resolved when it sent credentials (some answers differ then). */
function publicCaller(config: Config): onRequestHookHandler {
  return (request, _reply, done) => {
    // Most public requests (consumer scans) carry none: answer them without any setup.
    if (!sentCredentials(request)) {
      done();
      return;
    }
    resolveActor(request, config).then((actor) => {
      request.actor = actor;
      done();
    }, done);
  };
}

/** A route that needs a permission: the caller, its CSRF token, its enterprise and its role. */
function permitted(app: FastifyInstance, config: Config, permission: Permission): onRequestAsyncHookHandler {
  return async (request) => {
    request.actor = await resolveActor(request, config);
    const actor = request.actor;
    if (actor === undefined) throw new AppError('TRACE_AUTH_REQUIRED');
    if (actor.type === 'user' && unsafeMethods.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      const csrfHash = sessionCsrf.get(request);
      if (
        typeof header !== 'string' ||
        csrfHash === undefined ||
        !digestsEqual(sha256Hex(header), csrfHash)
      ) {
        throw new AppError('TRACE_AUTH_CSRF');
      }
    }
    // People of a suspended enterprise keep read access (to see why) but change nothing but
    // their own account.
    if (actor.tenantId !== null && unsafeMethods.has(request.method) && permission !== 'account.self') {
      const enterprise = await repositories(app.db.kysely).enterprises.findById(actor.tenantId);
      if (enterprise?.status === 'suspended') throw new AppError('TRACE_ENTERPRISE_SUSPENDED');
    }
    if (!can(actor.role, permission)) throw new AppError('TRACE_AUTH_FORBIDDEN');
  };
}

/** Whether the request carries an API key or a cookie (which may hold a session). */
function sentCredentials(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.headers.cookie !== undefined;
}

async function resolveActor(request: FastifyRequest, config: Config): Promise<Actor | undefined> {
  if (!sentCredentials(request)) return undefined;
  const authorization = request.headers.authorization;
  const repos = repositories(request.server.db.kysely);
  const now = Date.now();
  if (authorization !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (m === null) throw new AppError('TRACE_AUTH_INVALID_API_KEY');
    const key = await repos.apiKeys.findActiveBySecretHash(sha256Hex(m[1] ?? ''));
    if (key === undefined) throw new AppError('TRACE_AUTH_INVALID_API_KEY');
    const enterprise = await repos.enterprises.findById(key.tenant_id);
    if (enterprise === undefined || enterprise.status === 'suspended')
      throw new AppError('TRACE_AUTH_ACCOUNT_DISABLED');
    await repos.apiKeys.markUsed(key.tenant_id, key.id, now);
    return {
      type: 'api_key',
      id: key.id,
      name: `api-key:${key.name}`,
      role: key.role,
      tenantId: key.tenant_id,
      jurisdiction: null,
    };
  }
  const token = request.cookies[sessionCookie];
  if (token === undefined || token === '') return undefined;
  const idHash = sha256Hex(token);
  const session = await repos.sessions.findLive(idHash, now);
  if (session === undefined) return undefined;
  sessionCsrf.set(request, session.csrf_hash);
  const user = await repos.users.findById(session.user_id);
  if (user === undefined || user.status !== 'active') return undefined;
  // Slide the idle expiry at most once a minute, so reads do not write on every request.
  if (now - session.last_seen_at > 60_000) {
    await repos.sessions.touch(idHash, now, now + config.sessionTtlHours * 3_600_000);
  }
  return {
    type: 'user',
    id: user.id,
    name: user.username,
    role: user.role,
    tenantId: user.tenant_id,
    jurisdiction: user.jurisdiction,
    sessionIdHash: idHash,
  };
}
