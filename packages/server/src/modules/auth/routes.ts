import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { csrfCookie, sessionCookie } from '../../lib/access-hook.js';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses, Ok } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { ChangePasswordBody, LoginBody, LoginResult, Me } from './schemas.js';
import { changePassword, login, logout, me, type LoginOutcome } from './service.js';

/** Puts a new session into the browser's cookies. */
export function setSessionCookies(reply: FastifyReply, config: Config, outcome: LoginOutcome): void {
  const base = {
    path: '/',
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
    maxAge: config.sessionTtlHours * 3600,
  };
  reply.setCookie(sessionCookie, outcome.sessionToken, { ...base, httpOnly: true });
  reply.setCookie(csrfCookie, outcome.csrfToken, { ...base, httpOnly: false });
}

/** Login, logout, who-am-I and password change. */
export function authRoutes(app: App): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: {
        access: { public: true },
        rateLimit: {
          max: app.config.loginRateLimitPerMinute,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (req) => {
            const body = req.body as { username?: unknown } | undefined;
            const user = typeof body?.username === 'string' ? body.username.toLowerCase().slice(0, 64) : '';
            return `login:${req.ip}:${user}`;
          },
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets the session cookie',
        body: LoginBody,
        response: { 200: LoginResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const outcome = await login(contextOf(request), request.body, request.headers['user-agent'] ?? null);
      setSessionCookies(reply, app.config, outcome);
      return { ...outcome.me, csrfToken: outcome.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: { permission: 'account.self' } },
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request, reply) => {
      await logout(contextOf(request));
      reply.clearCookie(sessionCookie, { path: '/' });
      reply.clearCookie(csrfCookie, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { access: { permission: 'account.self' } },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user, their enterprise and permissions',
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => me(contextOf(request)),
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { access: { permission: 'account.self' } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (ends your other sessions)',
        body: ChangePasswordBody,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      await changePassword(contextOf(request), request.body);
      return { ok: true as const };
    },
  );
}
