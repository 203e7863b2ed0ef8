import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { readUpload } from '../../lib/uploads.js';
import { requireTenant } from '../../lib/context.js';
import { presentProductScanSettings, presentScanSettings } from './presenter.js';
import {
  NoFields,
  ProductParams,
  ProductScanSettings,
  PreviewBody,
  PutScanSettingsBody,
  ScanSettings,
  ScanSettingsOverride,
  UploadedImage,
} from './schemas.js';
import {
  deleteProductScanSettings,
  getProductScanSettings,
  getScanSettings,
  putProductScanSettings,
  putScanSettings,
  uploadScanImage,
} from './service.js';
import { renderScanPreview } from './preview.js';

/** What the enterprise's scan pages show: its settings, per-product overrides, the page image. */
export function scanSettingsRoutes(app: App): void {
  const read = { permission: 'scans.read' } as const;
  const configure = { permission: 'scans.configure' } as const;
  const tags = ['scan settings'];

  app.get(
    '/api/v1/scan-settings',
    {
      config: { access: read },
      schema: {
        tags,
        summary: "The enterprise's scan-page settings in force (defaults filled in)",
        response: { 200: ScanSettings, ...errorResponses },
      },
    },
    async (request) => presentScanSettings(await getScanSettings(contextOf(request))),
  );

  app.put(
    '/api/v1/scan-settings',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: "Replace the enterprise's scan-page settings (a field not sent takes its default)",
        description:
          'Defaults: queryLimit 10, no warning or prompt text, no image, antiCounterfeitPopup true, no links. ' +
          'Scan pages show the change at once (other server processes within 5 seconds).',
        body: PutScanSettingsBody,
        response: { 200: ScanSettings, ...errorResponses },
      },
    },
    async (request) => presentScanSettings(await putScanSettings(contextOf(request), request.body)),
  );

  app.post(
    '/api/v1/scan-settings/image',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: 'Upload a scan-page image (multipart/form-data, the JPEG or PNG as "file")',
        description:
          "The answer's fileId goes into imageFileId of the settings. The image is public once used.",
        consumes: ['multipart/form-data'],
        response: {
          201: UploadedImage,
          ...errorResponses,
          413: errorResponses['4xx'],
          415: errorResponses['4xx'],
        },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const upload = await readUpload(request, requireTenant(ctx), NoFields);
      return reply.code(201).send(await uploadScanImage(ctx, upload));
    },
  );

  app.post(
    '/api/v1/scan-settings/preview',
    {
      config: { access: read },
      schema: {
        tags,
        summary:
          'Preview the consumer scan page with draft settings (text/html; nothing is saved or counted)',
        description:
          'The real scan page for one of your products (or your newest), with the drafts merged as saving them would, a ' +
          'code of your own and a made-up query record for the verdict asked. It carries a "preview" ribbon, its links ' +
          'lead nowhere and it runs no script: show it in a sandboxed frame. No code is written and no query stored.',
        body: PreviewBody,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const { html, nonce } = await renderScanPreview(
        contextOf(request),
        app.verifier.presentation,
        request.body,
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-security-policy',
          `default-src 'none'; img-src 'self' data:; style-src 'nonce-${nonce}'; base-uri 'none'; ` +
            "form-action 'none'; frame-ancestors 'self'; sandbox",
        )
        .send(Buffer.from(html));
    },
  );

  app.get(
    '/api/v1/products/:productId/scan-settings',
    {
      config: { access: read },
      schema: {
        tags,
        summary: "A product's scan-settings override and the settings in force for it",
        params: ProductParams,
        response: { 200: ProductScanSettings, ...errorResponses },
      },
    },
    async (request) =>
      presentProductScanSettings(await getProductScanSettings(contextOf(request), request.params.productId)),
  );

  app.put(
    '/api/v1/products/:productId/scan-settings',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: "Replace a product's override of the scan-page settings (null or missing fields inherit)",
        description:
          'queryLimit "none" lifts the limit for this product; a text of "" shows none; links [] shows none.',
        params: ProductParams,
        body: ScanSettingsOverride,
        response: { 200: ProductScanSettings, ...errorResponses },
      },
    },
    async (request) =>
      presentProductScanSettings(
        await putProductScanSettings(contextOf(request), request.params.productId, request.body),
      ),
  );

  app.delete(
    '/api/v1/products/:productId/scan-settings',
    {
      config: { access: configure },
      schema: {
        tags,
        summary: "Remove a product's override: it follows the enterprise's settings again",
        params: ProductParams,
        response: { 204: Type.Null({ description: 'Removed (or there was none).' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteProductScanSettings(contextOf(request), request.params.productId);
      return reply.code(204).send(null);
    },
  );
}
