import type { App } from '../../lib/fastify-types.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentTrace } from './presenter.js';
import { TraceQuery, TraceResponse } from './schemas.js';
import { trace } from './service.js';

/** Forward and backward trace over the enterprise's events and codes. */
export function traceRoutes(app: App): void {
  app.get(
    '/api/v1/trace',
    {
      config: { access: { permission: 'events.read' } },
      schema: {
        tags: ['trace'],
        summary: 'Trace a code, identifier, batch or lot backward (溯源) and/or forward (追踪)',
        description:
          'Give exactly one of code, epc, batchId or lot. Returns the genealogy graph (items, cases, pallets, ' +
          'batches, lots, code ranges, parties; links: contains, transformed-into, shipped-to, commissioned) ' +
          'and a timeline of the events of its nodes grouped by stage. Events declared erroneous are left out. ' +
          'Cycle-safe; depth is unlimited unless given; at most 5,000 nodes.',
        querystring: TraceQuery,
        response: { 200: TraceResponse, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return presentTrace(
        await trace(
          contextOf(request),
          {
            ...(q.code !== undefined ? { code: q.code } : {}),
            ...(q.epc !== undefined ? { epc: q.epc } : {}),
            ...(q.batchId !== undefined ? { batchId: q.batchId } : {}),
            ...(q.lot !== undefined ? { lot: q.lot } : {}),
          },
          {
            ...(q.direction !== undefined ? { direction: q.direction } : {}),
            ...(q.depth !== undefined ? { depth: q.depth } : {}),
            ...(q.timelineLimit !== undefined ? { timelineLimit: q.timelineLimit } : {}),
          },
        ),
      );
    },
  );
}
