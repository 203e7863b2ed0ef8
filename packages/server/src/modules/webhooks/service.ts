import type { WebhookStatusRow } from '@tracemark/db';
import { reader, requireTenant, type ServiceContext } from '../../lib/context.js';

/**
 * The caller's enterprise's EPCIS subscriptions with their delivery state. Creating and ending
 * them is the EPCIS binding's (/epcis/queries/{name}/subscriptions); this is the read the
 * console needs to show every webhook and whether it is keeping up, in one call.
 */
export function listWebhooks(ctx: ServiceContext): Promise<WebhookStatusRow[]> {
  return reader(ctx).webhooks.list(requireTenant(ctx));
}
