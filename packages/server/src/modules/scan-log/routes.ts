import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentCodeQueries, presentScan, presentSummary } from './presenter.js';
import { CodeParams, CodeQueries, ListScansQuery, ScanEntry, ScanSummary } from './schemas.js';
import { codeQueries, listScans, scanSummary } from './service.js';

/** The enterprise's log of consumer queries, its dashboard figures and one code's history. */
export function scanLogRoutes(app: App): void {
  const read = { permission: 'scans.read' } as const;
  const tags = ['consumer queries'];

  app.get(
    '/api/v1/scans',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List consumer queries of your codes, newest first',
        description:
          'Filters: from (inclusive) and to (exclusive) in epoch ms, verdict, productId, batchId, and code (one ' +
          'of your trace codes). Without a time window the total counts every query ever made; give one for speed.',
        querystring: ListScansQuery,
        response: { 200: PageOf(ScanEntry), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listScans(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentScan) };
    },
  );

  app.get(
    '/api/v1/scans/summary',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'Dashboard: queries today, last 7 and 30 days, top products, provinces, latest flagged queries, codes',
        description:
          'Days are calendar days in China (UTC+8); "the last 7 days" are 7 such days, today included. ' +
          'One request for the whole dashboard: every figure is a walk of a tenant-first key range.',
        response: { 200: ScanSummary, ...errorResponses },
      },
    },
    async (request) => presentSummary(await scanSummary(contextOf(request))),
  );

  app.get(
    '/api/v1/codes/:code/queries',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'The query history of one of your codes: first query (locked), count, latest 50 queries',
        params: CodeParams,
        response: { 200: CodeQueries, ...errorResponses },
      },
    },
    async (request) => presentCodeQueries(await codeQueries(contextOf(request), request.params.code)),
  );
}
