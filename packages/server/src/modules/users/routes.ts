import type { App } from '../../lib/fastify-types.js';
import { errorResponses, PageOf } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { presentUser } from './presenter.js';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, User, UserParams } from './schemas.js';
import { createUser, getUser, listUsers, updateUser } from './service.js';

/** People of an enterprise, or platform accounts and regulators for operators. */
export function userRoutes(app: App): void {
  const access = { permission: 'users.manage' } as const;

  app.get(
    '/api/v1/users',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'List the users you manage',
        querystring: ListUsersQuery,
        response: { 200: PageOf(User), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listUsers(contextOf(request), request.query);
      return { ...page, items: page.items.map(presentUser) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await createUser(contextOf(request), request.body);
      return reply.code(201).send(presentUser(user));
    },
  );

  app.get(
    '/api/v1/users/:userId',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'Read a user',
        params: UserParams,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => presentUser(await getUser(contextOf(request), request.params.userId)),
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'Edit, disable or reset the password of a user',
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => presentUser(await updateUser(contextOf(request), request.params.userId, request.body)),
  );
}
