import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { AppError } from '../../errors.js';
import { presentCode, presentExport, presentJob, presentSpace, scanUrl } from './presenter.js';
import { getExport, listExports, openExportFile, requestExport } from './exports.js';
import { jobLabelsPdf } from './job-labels.js';
import {
  ActivateBody,
  ActivateOneBody,
  ActivationResult,
  CodeInfo,
  CodeJob,
  CodeExport,
  CodeParams,
  ExportBody,
  ExportFileParams,
  ExportParams,
  CodeSpace,
  CreateJobBody,
  CreateSpaceBody,
  JobCodes,
  JobCodesQuery,
  JobParams,
  LabelsQuery,
  ListJobsQuery,
  PackBody,
  ReplaceBody,
  SpaceParams,
  UnpackBody,
} from './schemas.js';
import {
  activate,
  createJob,
  createSpace,
  getJob,
  getSpace,
  gtinOfJob,
  inspectCode,
  jobCodes,
  listJobs,
  listSpaces,
  loadJob,
  pack,
  replace,
  unpack,
  type ActivationTarget,
} from './service.js';

/** Code spaces, generation jobs, activation and the line-side packing API. */
export function codeRoutes(app: App): void {
  const manage = { permission: 'codes.manage' } as const;
  const issue = { permission: 'codes.issue' } as const;
  const activateAccess = { permission: 'codes.activate' } as const;
  const tags = ['codes'];

  app.get(
    '/api/v1/code-spaces',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: "Your enterprise's code spaces (码段)",
        response: { 200: Type.Object({ items: Type.Array(CodeSpace) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listSpaces(contextOf(request))).map((s) => presentSpace(s.space, s.stats)),
    }),
  );

  app.post(
    '/api/v1/code-spaces',
    {
      config: { access: manage },
      schema: {
        tags,
        summary: 'Create a code space of 15, 17 or 21 digits (approved enterprises)',
        body: CreateSpaceBody,
        response: { 201: CodeSpace, ...errorResponses },
      },
    },
    async (request, reply) => {
      const space = await createSpace(contextOf(request), request.body);
      return reply.code(201).send(presentSpace(space, { issued: 0, activated: 0 }));
    },
  );

  app.get(
    '/api/v1/code-spaces/:spaceId',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'A code space with its figures',
        params: SpaceParams,
        response: { 200: CodeSpace, ...errorResponses },
      },
    },
    async (request) => {
      const { space, stats } = await getSpace(contextOf(request), request.params.spaceId);
      return presentSpace(space, stats);
    },
  );

  app.get(
    '/api/v1/code-jobs',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'Generation jobs, newest first',
        querystring: ListJobsQuery,
        response: { 200: PageOf(CodeJob), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listJobs(contextOf(request), request.query);
      return { ...page, items: page.items.map((j) => presentJob(j.job, j.activated)) };
    },
  );

  app.post(
    '/api/v1/code-jobs',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'Issue N codes (1 to 100,000,000) of a space; they stay inactive until activated',
        body: CreateJobBody,
        response: { 201: CodeJob, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const job = await createJob(contextOf(request), {
        spaceId: b.spaceId,
        count: b.count,
        packingLevel: b.packingLevel ?? 'item',
        withPin: b.withPin ?? false,
        ...(b.productId !== undefined ? { productId: b.productId } : {}),
        ...(b.note !== undefined ? { note: b.note } : {}),
      });
      return reply.code(201).send(presentJob(job, 0));
    },
  );

  app.get(
    '/api/v1/code-jobs/:jobId',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'A generation job',
        params: JobParams,
        response: { 200: CodeJob, ...errorResponses },
      },
    },
    async (request) => {
      const { job, activated } = await getJob(contextOf(request), request.params.jobId);
      return presentJob(job, activated);
    },
  );

  app.get(
    '/api/v1/code-jobs/:jobId/codes',
    {
      config: { access: issue },
      schema: {
        tags,
        summary:
          "A slice of a job's codes with their QR URLs (and PINs) — previews and small pulls; use exports for printers",
        params: JobParams,
        querystring: JobCodesQuery,
        response: { 200: JobCodes, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const job = await loadJob(ctx, request.params.jobId);
      const gtin = await gtinOfJob(ctx, job);
      const items = await jobCodes(ctx, job.id, request.query.offset, request.query.count);
      return { items: items.map((c) => ({ ...c, url: scanUrl(app.config.publicUrl, c.code, gtin) })) };
    },
  );

  app.post(
    '/api/v1/code-activations',
    {
      config: { access: activateAccess },
      schema: {
        tags,
        summary:
          'Activate codes for a batch: a whole job (jobId), positions from..to of a job, or scanned codes',
        body: ActivateBody,
        response: { 200: ActivationResult, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      let target: ActivationTarget;
      if (b.codes !== undefined && b.jobId === undefined && b.from === undefined && b.to === undefined)
        target = { type: 'codes', codes: b.codes };
      else if (b.jobId !== undefined && b.codes === undefined && b.from === undefined && b.to === undefined)
        target = { type: 'job', jobId: b.jobId };
      else if (b.jobId !== undefined && b.codes === undefined && b.from !== undefined && b.to !== undefined)
        target = { type: 'range', jobId: b.jobId, from: b.from, to: b.to };
      else throw new AppError('TRACE_CODE_RANGE_INVALID', 'Send jobId, or jobId with from and to, or codes.');
      return activate(contextOf(request), b.batchId, target);
    },
  );

  app.post(
    '/api/v1/line/activate',
    {
      config: { access: activateAccess },
      schema: {
        tags: ['line'],
        summary: 'Activate one code for a batch as it passes the line',
        body: ActivateOneBody,
        response: { 200: ActivationResult, ...errorResponses },
      },
    },
    async (request) =>
      activate(contextOf(request), request.body.batchId, { type: 'codes', codes: [request.body.code] }),
  );

  app.post(
    '/api/v1/line/pack',
    {
      config: { access: activateAccess },
      schema: {
        tags: ['line'],
        summary: 'Pack child codes into a parent code (item → box → case → pallet)',
        body: PackBody,
        response: { 200: Type.Object({ parent: Type.String(), packed: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => pack(contextOf(request), request.body.parent, request.body.children),
  );

  app.post(
    '/api/v1/line/unpack',
    {
      config: { access: activateAccess },
      schema: {
        tags: ['line'],
        summary: 'Take the listed children (or all) out of a parent code',
        body: UnpackBody,
        response: {
          200: Type.Object({ parent: Type.String(), unpacked: Type.Integer() }),
          ...errorResponses,
        },
      },
    },
    async (request) => unpack(contextOf(request), request.body.parent, request.body.children),
  );

  app.post(
    '/api/v1/line/replace',
    {
      config: { access: activateAccess },
      schema: {
        tags: ['line'],
        summary:
          'Replace a damaged label: the new code takes over batch, parent and contents; the old one is voided',
        body: ReplaceBody,
        response: { 200: Type.Object({ old: Type.String(), new: Type.String() }), ...errorResponses },
      },
    },
    async (request) => replace(contextOf(request), request.body.old, request.body.new),
  );

  app.post(
    '/api/v1/code-jobs/:jobId/exports',
    {
      config: { access: issue },
      schema: {
        tags,
        summary:
          "Export a job's codes to files for printers and line-side coders (CSV/TXT, gzip or ZIP, split); runs in the background",
        params: JobParams,
        body: ExportBody,
        response: { 202: CodeExport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const ctx = contextOf(request);
      const row = await requestExport(ctx, request.params.jobId, {
        format: b.format,
        compression: b.compression ?? 'zip',
        codesPerFile: b.codesPerFile ?? 1_000_000,
        includeUrl: b.includeUrl ?? true,
        includePin: b.includePin ?? false,
      });
      const job = await loadJob(ctx, row.job_id);
      app.exportRunner.wake();
      return reply.code(202).send(presentExport(row, job.count));
    },
  );

  app.get(
    '/api/v1/code-jobs/:jobId/exports',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: "A job's exports",
        params: JobParams,
        response: { 200: Type.Object({ items: Type.Array(CodeExport) }), ...errorResponses },
      },
    },
    async (request) => {
      const { rows, total } = await listExports(contextOf(request), request.params.jobId);
      return { items: rows.map((r) => presentExport(r, total)) };
    },
  );

  app.get(
    '/api/v1/code-exports/:exportId',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'An export and its progress',
        params: ExportParams,
        response: { 200: CodeExport, ...errorResponses },
      },
    },
    async (request) => {
      const { row, total } = await getExport(contextOf(request), request.params.exportId);
      return presentExport(row, total);
    },
  );

  app.get(
    '/api/v1/code-exports/:exportId/files/:name',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'Download a finished export file',
        params: ExportFileParams,
        produces: ['application/zip', 'application/gzip', 'text/csv', 'text/plain'],
      },
    },
    async (request, reply) => {
      const { stream, file } = await openExportFile(
        contextOf(request),
        request.params.exportId,
        request.params.name,
      );
      const type = file.name.endsWith('.zip')
        ? 'application/zip'
        : file.name.endsWith('.gz')
          ? 'application/gzip'
          : file.name.endsWith('.csv')
            ? 'text/csv; charset=utf-8'
            : 'text/plain; charset=utf-8';
      return reply
        .type(type)
        .header('content-length', String(file.bytes))
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('x-content-sha256', file.sha256)
        .send(stream);
    },
  );

  app.get(
    '/api/v1/code-jobs/:jobId/labels.pdf',
    {
      config: { access: issue },
      schema: {
        tags,
        summary:
          "Print-ready PDF labels of a job's codes (QR, digits, mark, product name; A4 sheets or roll)",
        params: JobParams,
        querystring: LabelsQuery,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => {
      const q = request.query;
      const { stream, fileName } = await jobLabelsPdf(
        contextOf(request),
        request.params.jobId,
        {
          layout: q.layout ?? 'classic',
          colour: q.colour ?? 'red',
          widthMm: q.width ?? 20,
          heightMm: q.height ?? 30,
          sheet: q.sheet ?? 'a4',
        },
        { offset: q.offset ?? 0, count: q.count ?? 1000 },
      );
      return reply
        .type('application/pdf')
        .header('content-disposition', `${q.disposition ?? 'attachment'}; filename="${fileName}"`)
        .send(stream);
    },
  );

  app.get(
    '/api/v1/codes/:code',
    {
      config: { access: issue },
      schema: {
        tags,
        summary: 'One of your codes: status, job, batch, parent and contents',
        params: CodeParams,
        response: { 200: CodeInfo, ...errorResponses },
      },
    },
    async (request) =>
      presentCode(await inspectCode(contextOf(request), request.params.code), app.config.publicUrl),
  );
}
