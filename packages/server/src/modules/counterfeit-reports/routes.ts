import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentReport } from './presenter.js';
import { CounterfeitReport, HandleReportBody, ListReportsQuery, ReportParams } from './schemas.js';
import { handleReport, listReports, loadReport, openReportPhoto } from './service.js';

/** Counterfeit reports consumers filed against the enterprise's codes, and their handling. */
export function counterfeitReportRoutes(app: App): void {
  const read = { permission: 'scans.read' } as const;
  const configure = { permission: 'scans.configure' } as const;
  const tags = ['counterfeit reports'];

  app.get(
    '/api/v1/counterfeit-reports',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List counterfeit reports on your codes, newest first',
        querystring: ListReportsQuery,
        response: { 200: PageOf(CounterfeitReport), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listReports(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentReport) };
    },
  );

  app.get(
    '/api/v1/counterfeit-reports/:reportId',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Read a counterfeit report',
        params: ReportParams,
        response: { 200: CounterfeitReport, ...errorResponses },
      },
    },
    async (request) => presentReport(await loadReport(contextOf(request), request.params.reportId)),
  );

  app.patch(
    '/api/v1/counterfeit-reports/:reportId',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: 'Handle a counterfeit report: set its status and an internal note',
        params: ReportParams,
        body: HandleReportBody,
        response: { 200: CounterfeitReport, ...errorResponses },
      },
    },
    async (request) =>
      presentReport(await handleReport(contextOf(request), request.params.reportId, request.body)),
  );

  app.get(
    '/api/v1/counterfeit-reports/:reportId/photo',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Download the photo sent with a report',
        params: ReportParams,
        produces: ['image/jpeg', 'image/png', 'application/pdf'],
      },
    },
    async (request, reply) => {
      const { stream, file } = await openReportPhoto(contextOf(request), request.params.reportId);
      return (
        reply
          .type(file.media_type)
          .header('content-length', String(file.size))
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.original_name)}`)
          .header('x-content-type-options', 'nosniff')
          // A consumer's upload: never let it run anything in our origin.
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=3600')
          .send(stream)
      );
    },
  );
}
