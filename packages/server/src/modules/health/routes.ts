import { sql } from 'kysely';
import { Type } from 'typebox';
import { pendingMigrations } from '@tracemark/db';
import type { App } from '../../lib/fastify-types.js';
import { sendError } from '../../lib/error-handler.js';

const Health = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({ status: Type.Literal('ready'), database: Type.String() });

/** Liveness and readiness probes for load balancers and orchestrators. */
export function healthRoutes(app: App): void {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Health } } },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database reachable and migrated, not shutting down',
        response: { 200: Ready },
      },
    },
    async (request, reply) => {
      if (app.shuttingDown) return sendError(reply, 'TRACE_UNAVAILABLE', 'Shutting down.');
      let pending: string[];
      try {
        await sql`select 1`.execute(app.db.kysely);
        pending = await pendingMigrations(app.db);
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return sendError(reply, 'TRACE_UNAVAILABLE', 'The database is not reachable.');
      }
      if (pending.length > 0)
        return sendError(reply, 'TRACE_UNAVAILABLE', `Migrations pending: ${pending.join(', ')}.`);
      return { status: 'ready' as const, database: app.db.dialect };
    },
  );
}
