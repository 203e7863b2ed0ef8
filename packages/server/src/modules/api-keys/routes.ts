import { Type } from 'typebox';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentApiKey } from './presenter.js';
import { ApiKey, ApiKeyParams, CreateApiKeyBody, CreatedApiKey } from './schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from './service.js';

/** API keys of the caller's enterprise. */
export function apiKeyRoutes(app: App): void {
  const access = { permission: 'apikeys.manage' } as const;

  app.get(
    '/api/v1/api-keys',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: "List your enterprise's API keys",
        response: { 200: Type.Object({ items: Type.Array(ApiKey) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await listApiKeys(contextOf(request))).map(presentApiKey) }),
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (the key is shown once)',
        body: CreateApiKeyBody,
        response: { 201: CreatedApiKey, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { row, key } = await createApiKey(contextOf(request), request.body);
      return reply.code(201).send({ ...presentApiKey(row), key });
    },
  );

  app.delete(
    '/api/v1/api-keys/:keyId',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: ApiKeyParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    async (request) => presentApiKey(await revokeApiKey(contextOf(request), request.params.keyId)),
  );
}
