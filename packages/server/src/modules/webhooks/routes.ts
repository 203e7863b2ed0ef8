import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentWebhook } from './presenter.js';
import { Webhook } from './schemas.js';
import { listWebhooks } from './service.js';

/** Read-only overview of the enterprise's webhooks (EPCIS subscriptions) and their deliveries. */
export function webhookRoutes(app: App): void {
  app.get(
    '/api/v1/webhooks',
    {
      config: { access: { permission: 'events.read' } },
      schema: {
        tags: ['webhooks'],
        summary: "Your enterprise's webhooks (EPCIS subscriptions) with their delivery state",
        response: { 200: Type.Object({ items: Type.Array(Webhook) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await listWebhooks(contextOf(request))).map(presentWebhook) }),
  );
}
