import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses, Id, Ok, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { importActions } from './import.js';
import { importTemplateCsv } from './import-rows.js';
import { presentLot, presentTemplate } from './presenter.js';
import {
  ACTIONS,
  actionBodies,
  ActionResult,
  CreateTemplateBody,
  ImportQuery,
  ImportReport,
  ListLotsQuery,
  ListTemplatesQuery,
  RawMaterialLot,
  StageTemplate,
  TemplateParams,
  UpdateTemplateBody,
  type ActionName,
} from './schemas.js';
import {
  archiveTemplate,
  createTemplate,
  getLot,
  getTemplate,
  listLots,
  listTemplates,
  runAction,
  updateTemplate,
} from './service.js';

const summaries: Readonly<Record<ActionName, string>> = {
  'receive-materials': 'Receive raw-material lots from a supplier (ObjectEvent, receiving)',
  produce: 'Produce a batch from raw-material lots (TransformationEvent)',
  'warehouse-in': 'Put into a warehouse (ObjectEvent, storing)',
  'warehouse-out': 'Take out of a warehouse (ObjectEvent, picking)',
  ship: 'Ship to a distributor or store (ObjectEvent, shipping, in_transit)',
  receive: 'Receive at a distributor or store (ObjectEvent, receiving, in_progress)',
  'retail-sale': 'Sell at retail (ObjectEvent, retail_selling, retail_sold)',
  inspection: 'Record an inspection result (ObjectEvent, inspecting, conformant / non_conformant)',
  recall: 'Recall codes, batches or lots (ObjectEvent, holding, recalled)',
  destroy: 'Destroy codes, batches or lots (ObjectEvent DELETE, destroying, destroyed)',
  'record-stage': 'Record a stage of one of your stage templates (ObjectEvent with tm:stage values)',
};

/**
 * Business actions (the friendly API that writes standard EPCIS 2.0 events), their CSV/XLSX
 * import, raw-material lots and stage templates (环节模板).
 */
export function traceActionRoutes(app: App): void {
  const capture = { permission: 'events.capture' } as const;
  const read = { permission: 'events.read' } as const;
  const tags = ['trace-actions'];

  for (const action of ACTIONS) {
    app.post(
      `/api/v1/trace-actions/${action}`,
      {
        config: { access: capture },
        schema: {
          tags,
          summary: summaries[action],
          body: actionBodies[action],
          response: { 201: ActionResult, ...errorResponses },
        },
      },
      async (request, reply) => {
        const outcome = await runAction(contextOf(request), action, request.body);
        // Streaming subscriptions get the new events now rather than at the next poll.
        request.server.subscriptionRunner.wake();
        return reply.code(201).send({
          action,
          eventIds: outcome.eventIds,
          ...(outcome.lots.length > 0 ? { lots: outcome.lots.map(presentLot) } : {}),
        });
      },
    );
  }

  app.post(
    '/api/v1/trace-actions/import',
    {
      config: { access: capture },
      schema: {
        tags,
        summary:
          'Import actions from a CSV or XLSX file (multipart "file"; one row per action, see import-template.csv)',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: {
          200: ImportReport,
          ...errorResponses,
          413: errorResponses['4xx'],
          415: errorResponses['4xx'],
          422: errorResponses['4xx'],
        },
      },
    },
    async (request) => {
      const report = await importActions(contextOf(request), request, request.query.mode);
      if (report.eventIds.length > 0) request.server.subscriptionRunner.wake();
      return report;
    },
  );

  app.get(
    '/api/v1/trace-actions/import-template.csv',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'The import template: every column and an example row per action (UTF-8 CSV)',
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errorResponses },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="trace-actions-import-template.csv"')
        .send(importTemplateCsv()),
  );

  app.get(
    '/api/v1/trace-actions/raw-material-lots',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'List raw-material lots received (search lot, material, supplier)',
        querystring: ListLotsQuery,
        response: { 200: PageOf(RawMaterialLot), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listLots(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentLot) };
    },
  );

  app.get(
    '/api/v1/trace-actions/raw-material-lots/:lotId',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Read a raw-material lot',
        params: Type.Object({ lotId: Id }),
        response: { 200: RawMaterialLot, ...errorResponses },
      },
    },
    async (request) => presentLot(await getLot(contextOf(request), request.params.lotId)),
  );

  const templateTags = ['stage-templates'];
  app.get(
    '/api/v1/stage-templates',
    {
      config: { access: read },
      schema: {
        tags: templateTags,
        summary: 'List stage templates (环节模板)',
        querystring: ListTemplatesQuery,
        response: { 200: PageOf(StageTemplate), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listTemplates(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentTemplate) };
    },
  );

  app.post(
    '/api/v1/stage-templates',
    {
      config: { access: capture },
      schema: {
        tags: templateTags,
        summary: 'Create a stage template with custom fields',
        body: CreateTemplateBody,
        response: { 201: StageTemplate, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(presentTemplate(await createTemplate(contextOf(request), request.body))),
  );

  app.get(
    '/api/v1/stage-templates/:templateId',
    {
      config: { access: read },
      schema: {
        tags: templateTags,
        summary: 'Read a stage template',
        params: TemplateParams,
        response: { 200: StageTemplate, ...errorResponses },
      },
    },
    async (request) => presentTemplate(await getTemplate(contextOf(request), request.params.templateId)),
  );

  app.patch(
    '/api/v1/stage-templates/:templateId',
    {
      config: { access: capture },
      schema: {
        tags: templateTags,
        summary: 'Edit a stage template (recorded events keep their values)',
        params: TemplateParams,
        body: UpdateTemplateBody,
        response: { 200: StageTemplate, ...errorResponses },
      },
    },
    async (request) =>
      presentTemplate(await updateTemplate(contextOf(request), request.params.templateId, request.body)),
  );

  app.delete(
    '/api/v1/stage-templates/:templateId',
    {
      config: { access: capture },
      schema: {
        tags: templateTags,
        summary: 'Archive a stage template (events recorded with it keep naming it)',
        params: TemplateParams,
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      await archiveTemplate(contextOf(request), request.params.templateId);
      return { ok: true as const };
    },
  );
}
