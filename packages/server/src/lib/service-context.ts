import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from './context.js';

/** The service context of a request: process dependencies plus the caller. */
export function contextOf(request: FastifyRequest): ServiceContext {
  const app = request.server;
  return {
    db: app.db,
    config: app.config,
    files: app.files,
    vault: app.vault,
    engines: app.codeEngines,
    changes: app.changes,
    log: request.log,
    actor: request.actor,
    requestId: request.id,
    ip: request.ip,
  };
}
