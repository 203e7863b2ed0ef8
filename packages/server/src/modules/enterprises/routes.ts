import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { readUpload } from '../../lib/uploads.js';
import { setSessionCookies } from '../auth/routes.js';
import { openSession } from '../auth/service.js';
import { presentDocument, presentEnterprise } from './presenter.js';
import {
  Document,
  DocumentParams,
  DocumentReviewBody,
  DocumentUploadFields,
  Enterprise,
  EnterpriseParams,
  ExpiringDocument,
  ExpiringQuery,
  ListEnterprisesQuery,
  ReasonBody,
  RegisterBody,
  RegisterResult,
  UpdateEnterpriseBody,
} from './schemas.js';
import {
  addDocument,
  deleteDocument,
  listDocuments,
  listEnterprises,
  listExpiringDocuments,
  loadEnterprise,
  openDocumentFile,
  registerEnterprise,
  reviewDocument,
  reviewEnterprise,
  setSuspended,
  submitEnterprise,
  updateEnterprise,
} from './service.js';

/** Enterprise onboarding: registration, profile, qualification documents, review. */
export function enterpriseRoutes(app: App): void {
  const read = { permission: 'enterprise.read' } as const;
  const edit = { permission: 'enterprise.edit' } as const;
  const review = { permission: 'enterprise.review' } as const;
  const tags = ['enterprises'];

  app.post(
    '/api/v1/registrations',
    {
      config: { access: { public: true }, rateLimit: { max: 20, timeWindow: 3_600_000 } },
      schema: {
        tags,
        summary: 'Register an enterprise with its first administrator (logs the administrator in)',
        body: RegisterBody,
        response: { 201: RegisterResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { enterprise, userId } = await registerEnterprise(ctx, request.body);
      const outcome = await openSession(ctx, userId, request.headers['user-agent'] ?? null);
      setSessionCookies(reply, app.config, outcome);
      return reply
        .code(201)
        .send({ ...outcome.me, enterprise: presentEnterprise(enterprise), csrfToken: outcome.csrfToken });
    },
  );

  app.get(
    '/api/v1/enterprises',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Enterprises you may see: your own, your jurisdiction (regulators) or all (operators)',
        querystring: ListEnterprisesQuery,
        response: { 200: PageOf(Enterprise), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listEnterprises(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentEnterprise) };
    },
  );

  app.get(
    '/api/v1/enterprises/:enterpriseId',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Read an enterprise',
        params: EnterpriseParams,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(await loadEnterprise(contextOf(request), request.params.enterpriseId, 'read')),
  );

  app.patch(
    '/api/v1/enterprises/:enterpriseId',
    {
      config: { access: edit },
      schema: {
        tags,
        summary:
          "Edit your enterprise's profile (name, credit code, legal representative only before approval)",
        params: EnterpriseParams,
        body: UpdateEnterpriseBody,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(
        await updateEnterprise(contextOf(request), request.params.enterpriseId, request.body),
      ),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/submit',
    {
      config: { access: edit },
      schema: {
        tags,
        summary: 'Submit the application for review',
        params: EnterpriseParams,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(await submitEnterprise(contextOf(request), request.params.enterpriseId)),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/approve',
    {
      config: { access: review },
      schema: {
        tags,
        summary: 'Approve a pending application (operators)',
        params: EnterpriseParams,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(
        await reviewEnterprise(contextOf(request), request.params.enterpriseId, { approve: true }),
      ),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/reject',
    {
      config: { access: review },
      schema: {
        tags,
        summary: 'Reject a pending application with a reason (operators)',
        params: EnterpriseParams,
        body: ReasonBody,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(
        await reviewEnterprise(contextOf(request), request.params.enterpriseId, {
          approve: false,
          reason: request.body.reason,
        }),
      ),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/suspend',
    {
      config: { access: review },
      schema: {
        tags,
        summary: 'Suspend an approved enterprise (operators)',
        params: EnterpriseParams,
        body: ReasonBody,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(
        await setSuspended(contextOf(request), request.params.enterpriseId, true, request.body.reason),
      ),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/reinstate',
    {
      config: { access: review },
      schema: {
        tags,
        summary: 'Reinstate a suspended enterprise (operators)',
        params: EnterpriseParams,
        response: { 200: Enterprise, ...errorResponses },
      },
    },
    async (request) =>
      presentEnterprise(await setSuspended(contextOf(request), request.params.enterpriseId, false)),
  );

  app.get(
    '/api/v1/enterprises/:enterpriseId/documents',
    {
      config: { access: read },
      schema: {
        tags,
        summary: "An enterprise's qualification documents",
        params: EnterpriseParams,
        response: { 200: Type.Object({ items: Type.Array(Document) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listDocuments(contextOf(request), request.params.enterpriseId)).map((d) =>
        presentDocument(d.doc, d.file),
      ),
    }),
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/documents',
    {
      config: { access: edit },
      schema: {
        tags,
        summary:
          'Upload a qualification document (multipart/form-data: kind, number, expiresOn, title, and the file as "file"; PDF, JPEG or PNG)',
        consumes: ['multipart/form-data'],
        params: EnterpriseParams,
        response: {
          201: Document,
          ...errorResponses,
          413: errorResponses['4xx'],
          415: errorResponses['4xx'],
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const enterprise = await loadEnterprise(ctx, request.params.enterpriseId, 'edit');
      const upload = await readUpload(request, enterprise.id, DocumentUploadFields);
      const { doc, file } = await addDocument(ctx, enterprise.id, upload);
      return reply.code(201).send(presentDocument(doc, file));
    },
  );

  app.delete(
    '/api/v1/enterprises/:enterpriseId/documents/:documentId',
    {
      config: { access: edit },
      schema: {
        tags,
        summary: 'Delete a document that is not verified',
        params: DocumentParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteDocument(contextOf(request), request.params.enterpriseId, request.params.documentId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/enterprises/:enterpriseId/documents/:documentId/review',
    {
      config: { access: review },
      schema: {
        tags,
        summary: 'Verify or reject one document (operators)',
        params: DocumentParams,
        body: DocumentReviewBody,
        response: { 200: Document, ...errorResponses },
      },
    },
    async (request) => {
      const { doc, file } = await reviewDocument(
        contextOf(request),
        request.params.enterpriseId,
        request.params.documentId,
        request.body,
      );
      return presentDocument(doc, file);
    },
  );

  app.get(
    '/api/v1/enterprises/:enterpriseId/documents/:documentId/file',
    {
      config: { access: read },
      schema: {
        tags,
        summary: "Download a document's file",
        params: DocumentParams,
        produces: ['application/pdf', 'image/jpeg', 'image/png'],
      },
    },
    async (request, reply) => {
      const { stream, file } = await openDocumentFile(
        contextOf(request),
        request.params.enterpriseId,
        request.params.documentId,
      );
      return reply
        .type(file.media_type)
        .header('content-length', String(file.size))
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.original_name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/documents/expiring',
    {
      config: { access: read },
      schema: {
        tags,
        summary: 'Documents lapsing within N days or already lapsed (your own; all for operators)',
        querystring: ExpiringQuery,
        response: { 200: Type.Object({ items: Type.Array(ExpiringDocument) }), ...errorResponses },
      },
    },
    async (request) => ({
      items: (await listExpiringDocuments(contextOf(request), request.query.withinDays)).map((d) => ({
        ...presentDocument(d.doc, d.file),
        enterprise: { id: d.doc.tenant_id, name: d.doc.enterprise_name, status: d.doc.enterprise_status },
        daysLeft: d.daysLeft,
      })),
    }),
  );
}
