import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { reader } from '../../lib/context.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentShare } from './presenter.js';
import { CreateShareBody, EventShare, ShareListQuery, ShareParams } from './schemas.js';
import { createShare, enterpriseNames, listShares, revokeShare } from './service.js';

/**
 * Event sharing (adr/0007): an enterprise lets a trading partner or the regulators of a
 * jurisdiction read some of its EPCIS events; they see them in `/epcis/events` beside their own.
 */
export function eventShareRoutes(app: App): void {
  const manage = { permission: 'enterprise.edit' } as const;
  const tags = ['event-shares'];

  app.post(
    '/api/v1/event-shares',
    {
      config: { access: manage },
      schema: {
        tags,
        summary:
          "Share your enterprise's events (all, or some bizSteps, in a time window) with an enterprise or regulators",
        body: CreateShareBody,
        response: { 201: EventShare, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const row = await createShare(ctx, request.body);
      return reply.code(201).send(presentShare(row, await enterpriseNames(reader(ctx), [row])));
    },
  );

  app.get(
    '/api/v1/event-shares',
    {
      config: { access: { permission: 'events.read' } },
      schema: {
        tags,
        summary: 'The shares your enterprise gave (direction=given) or those in force for you (received)',
        querystring: ShareListQuery,
        response: { 200: Type.Object({ items: Type.Array(EventShare) }), ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const rows = await listShares(ctx, request.query.direction ?? 'given');
      const names = await enterpriseNames(reader(ctx), rows);
      return { items: rows.map((r) => presentShare(r, names)) };
    },
  );

  app.delete(
    '/api/v1/event-shares/:shareId',
    {
      config: { access: manage },
      schema: {
        tags,
        summary: 'Revoke a share (the row stays, marked revoked)',
        params: ShareParams,
        response: { 200: EventShare, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const row = await revokeShare(ctx, request.params.shareId);
      return presentShare(row, await enterpriseNames(reader(ctx), [row]));
    },
  );
}
