import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { readUpload } from '../../lib/uploads.js';
import { NoFields } from '../products/schemas.js';
import { presentBatch } from './presenter.js';
import { Batch, BatchParams, CreateBatchBody, ListBatchesQuery, UpdateBatchBody } from './schemas.js';
import {
  createBatch,
  getBatch,
  listBatches,
  loadBatch,
  setBatchArchived,
  setInspectionReport,
  updateBatch,
  type BatchView,
} from './service.js';

const present = (v: BatchView) => presentBatch(v.batch, v.report);

/** Production batches (批次) of the caller's enterprise. */
export function batchRoutes(app: App): void {
  const read = { permission: 'product.read' } as const;
  const write = { permission: 'product.write' } as const;
  const tags = ['batches'];

  app.get(
    '/api/v1/batches',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List batches (filter by product, search lot)',
        querystring: ListBatchesQuery,
        response: { 200: PageOf(Batch), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listBatches(contextOf(request), request.query);
      return { ...page, items: page.items.map(present) };
    },
  );

  app.post(
    '/api/v1/batches',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Create a batch',
        body: CreateBatchBody,
        response: { 201: Batch, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(present(await createBatch(contextOf(request), request.body))),
  );

  app.get(
    '/api/v1/batches/:batchId',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Read a batch',
        params: BatchParams,
        response: { 200: Batch, ...errorResponses },
      },
    },
    async (request) => present(await getBatch(contextOf(request), request.params.batchId)),
  );

  app.patch(
    '/api/v1/batches/:batchId',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Edit a batch',
        params: BatchParams,
        body: UpdateBatchBody,
        response: { 200: Batch, ...errorResponses },
      },
    },
    async (request) => present(await updateBatch(contextOf(request), request.params.batchId, request.body)),
  );

  app.post(
    '/api/v1/batches/:batchId/archive',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Archive a batch',
        params: BatchParams,
        response: { 200: Batch, ...errorResponses },
      },
    },
    async (request) => present(await setBatchArchived(contextOf(request), request.params.batchId, true)),
  );

  app.post(
    '/api/v1/batches/:batchId/restore',
    {
      config: { access: write },
      schema: {
        tags,
        summary: 'Restore an archived batch',
        params: BatchParams,
        response: { 200: Batch, ...errorResponses },
      },
    },
    async (request) => present(await setBatchArchived(contextOf(request), request.params.batchId, false)),
  );

  app.put(
    '/api/v1/batches/:batchId/inspection-report',
    {
      config: { access: write },
      schema: {
        tags,
        summary:
          'Upload or replace the batch\'s inspection report (multipart/form-data, PDF/JPEG/PNG as "file")',
        consumes: ['multipart/form-data'],
        params: BatchParams,
        response: { 200: Batch, ...errorResponses, 413: errorResponses['4xx'], 415: errorResponses['4xx'] },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const batch = await loadBatch(ctx, request.params.batchId);
      const upload = await readUpload(request, batch.tenant_id, NoFields);
      return present(await setInspectionReport(ctx, batch.id, upload));
    },
  );
}
