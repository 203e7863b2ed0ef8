import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentAlert } from './presenter.js';
import { AlertParams, ListAlertsQuery, PlatformAlert } from './schemas.js';
import { acknowledgeAlert, listAlerts } from './service.js';

/** The platform operator's alerts (enumeration attempts on trace codes and the like). */
export function platformAlertRoutes(app: App): void {
  const access = { permission: 'platform.alerts' } as const;
  const tags = ['platform alerts'];

  app.get(
    '/api/v1/platform-alerts',
    {
      config: { access },
      schema: {
        tags,
        summary: 'List platform alerts, most recent first',
        querystring: ListAlertsQuery,
        response: { 200: PageOf(PlatformAlert), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listAlerts(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentAlert) };
    },
  );

  app.post(
    '/api/v1/platform-alerts/:alertId/acknowledge',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Acknowledge an open alert (409 if already acknowledged)',
        params: AlertParams,
        response: { 200: PlatformAlert, ...errorResponses },
      },
    },
    async (request) => presentAlert(await acknowledgeAlert(contextOf(request), request.params.alertId)),
  );
}
