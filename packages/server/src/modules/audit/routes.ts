import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentAudit } from './presenter.js';
import { AuditEntry, AuditQuery } from './schemas.js';
import { listAudit } from './service.js';

/** The audit log. */
export function auditRoutes(app: App): void {
  app.get(
    '/api/v1/audit-log',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what, when — newest first',
        querystring: AuditQuery,
        response: { 200: PageOf(AuditEntry), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listAudit(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentAudit) };
    },
  );
}
