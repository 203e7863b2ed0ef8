import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EPCIS_EVENT_TYPES } from '@tracemark/core';
import type { DiscoveryColumn } from '@tracemark/db';
import { AppError } from '../../errors.js';
import type { App } from '../../lib/fastify-types.js';
import { contextOf } from '../../lib/service-context.js';
import { epcisContextText } from './json-schema.js';
import {
  CBV_VERSION,
  EPCIS_CONTEXT_URL,
  EPCIS_VERSION,
  extensionNamespace,
  presentEvents,
  presentJob,
  presentQuery,
  presentSubscription,
  queryDocument,
} from './presenter.js';
import {
  CaptureJob,
  CaptureParams,
  CapturedEvent,
  Collection,
  CreateQueryBody,
  EventParams,
  EventsQuery,
  JsonLd,
  NamedQuery,
  PagingQuery,
  problemResponses,
  QueryParams,
  resourceParams,
  SubscribeBody,
  Subscription,
  SubscriptionParams,
} from './schemas.js';
import {
  acceptCapture,
  CAPTURE_LIMIT,
  captureEvent,
  createQuery,
  deleteQuery,
  discover,
  getCaptureJob,
  getEvent,
  getQuery,
  getSubscription,
  listCaptureJobs,
  listQueries,
  listSubscriptions,
  ownersOfShared,
  queryEvents,
  requireResource,
  subscribe,
  unsubscribe,
  type EventPage,
  type EventResource,
} from './service.js';
import type { QueryParams as RawQuery } from './query.js';

const CAPTURE_BODY_LIMIT = 64 * 1024 * 1024;

/**
 * The EPCIS 2.0 REST binding under `/epcis` (GS1 openapi.json): capture (asynchronous jobs),
 * single events, queries with paging, named queries, streaming subscriptions to webhooks, the
 * top-level discovery resources and the JSON-LD context. Every response carries the
 * GS1-EPCIS-Version and GS1-CBV-Version headers; errors are RFC 7807 problems.
 */
export function epcisRoutes(app: App): void {
  void app.register((plain, _options, done) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    // JSON-LD is JSON: accept application/ld+json bodies as JSON.
    scope.addContentTypeParser(
      'application/ld+json',
      { parseAs: 'string', bodyLimit: CAPTURE_BODY_LIMIT },
      scope.getDefaultJsonParser('error', 'ignore'),
    );
    scope.addHook('onRequest', (request, _reply, next) => {
      const v = request.headers['gs1-epcis-version'];
      const c = request.headers['gs1-cbv-version'];
      const unsupported =
        (typeof v === 'string' && !v.startsWith('2.')) || (typeof c === 'string' && !c.startsWith('2.'));
      next(unsupported ? new AppError('TRACE_EPCIS_VERSION') : undefined);
    });
    scope.addHook('onSend', (_request, reply, payload, next) => {
      reply.header('GS1-EPCIS-Version', EPCIS_VERSION);
      reply.header('GS1-CBV-Version', CBV_VERSION);
      reply.header('GS1-EPCIS-Capture-Limit', String(CAPTURE_LIMIT));
      reply.header('GS1-EPCIS-Capture-File-Size-Limit', String(CAPTURE_BODY_LIMIT));
      reply.header('GS1-Capture-Error-Behaviour', 'rollback, proceed');
      next(null, payload);
    });

    const read = { permission: 'events.read' } as const;
    const capture = { permission: 'events.capture' } as const;
    const tags = ['epcis'];

    scope.get(
      '/epcis/context/epcis-context.jsonld',
      {
        config: { access: { public: true } },
        schema: { tags, summary: `The EPCIS 2.0 JSON-LD context (${EPCIS_CONTEXT_URL}), served locally` },
      },
      (_request, reply) => reply.type('application/ld+json').send(epcisContextText()),
    );

    scope.get(
      '/epcis',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Top-level resources of the EPCIS interface',
          response: { 200: Collection, ...problemResponses },
        },
      },
      () =>
        Promise.resolve({
          '@context': EPCIS_CONTEXT_URL,
          type: 'Collection' as const,
          member: [
            'capture',
            'events',
            'eventTypes',
            'epcs',
            'bizSteps',
            'bizLocations',
            'readPoints',
            'dispositions',
            'queries',
          ],
        }),
    );

    scope.post(
      '/epcis/capture',
      {
        config: { access: capture },
        bodyLimit: CAPTURE_BODY_LIMIT,
        schema: {
          tags,
          summary: `Capture an EPCISDocument (up to ${CAPTURE_LIMIT} events), asynchronously; all or nothing unless GS1-Capture-Error-Behaviour: proceed`,
          body: JsonLd,
          headers: Type.Object({
            'gs1-capture-error-behaviour': Type.Optional(
              Type.Union([Type.Literal('rollback'), Type.Literal('proceed')]),
            ),
          }),
          response: { 202: CaptureJob, ...problemResponses },
        },
      },
      async (request, reply) => {
        const behaviour =
          request.headers['gs1-capture-error-behaviour'] === 'proceed' ? 'proceed' : 'rollback';
        const job = await acceptCapture(contextOf(request), request.body, behaviour);
        request.server.captureRunner.wake();
        return reply.code(202).header('location', `/epcis/capture/${job.id}`).send(presentJob(job));
      },
    );

    scope.get(
      '/epcis/capture',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Your latest capture jobs',
          querystring: PagingQuery,
          response: { 200: Type.Array(CaptureJob), ...problemResponses },
        },
      },
      async (request) =>
        (await listCaptureJobs(contextOf(request), request.query.perPage ?? 100)).map(presentJob),
    );

    scope.get(
      '/epcis/capture/:captureId',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'A capture job',
          params: CaptureParams,
          response: { 200: CaptureJob, ...problemResponses },
        },
      },
      async (request) => presentJob(await getCaptureJob(contextOf(request), request.params.captureId)),
    );

    scope.post(
      '/epcis/events',
      {
        config: { access: capture },
        schema: {
          tags,
          summary: 'Capture one event synchronously (201; 200 when the same event is already stored)',
          body: JsonLd,
          response: { 200: CapturedEvent, 201: CapturedEvent, ...problemResponses },
        },
      },
      async (request, reply) => {
        const r = await captureEvent(contextOf(request), request.body);
        if (r.stored) request.server.subscriptionRunner.wake();
        return reply
          .code(r.stored ? 201 : 200)
          .header('location', `/epcis/events/${encodeURIComponent(r.eventId)}`)
          .send({ eventID: r.eventId, stored: r.stored });
      },
    );

    scope.get(
      '/epcis/events',
      {
        config: { access: read },
        schema: {
          tags,
          summary:
            'Query events (EPCIS 2.0 query parameters, pipe-delimited lists; Link header to the next page)',
          querystring: EventsQuery,
          response: { 200: JsonLd, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { perPage, nextPageToken, ...params } = request.query;
        const page = await queryEvents(contextOf(request), params, {
          ...(perPage !== undefined ? { perPage } : {}),
          ...(nextPageToken !== undefined ? { nextPageToken } : {}),
        });
        return sendPage(request, reply, page, perPage);
      },
    );

    scope.get(
      '/epcis/events/:eventId',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'One event by its eventID',
          params: EventParams,
          response: { 200: JsonLd, ...problemResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const row = await getEvent(ctx, request.params.eventId);
        const [event] = presentEvents(
          [row],
          await ownersOfShared(ctx, [row]),
          extensionNamespace(ctx.config.publicUrl),
          true,
        );
        return event;
      },
    );

    scope.get(
      '/epcis/eventTypes',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Event types this repository serves',
          response: { 200: Collection, ...problemResponses },
        },
      },
      () =>
        Promise.resolve({
          '@context': EPCIS_CONTEXT_URL,
          type: 'Collection' as const,
          member: [...EPCIS_EVENT_TYPES],
        }),
    );

    const discovery: ReadonlyArray<readonly [string, DiscoveryColumn | 'epc', string]> = [
      ['epcs', 'epc', 'Identifiers in your events (canonical form)'],
      ['bizSteps', 'biz_step', 'Business steps in your events'],
      ['bizLocations', 'biz_location', 'Business locations in your events'],
      ['readPoints', 'read_point', 'Read points in your events'],
      ['dispositions', 'disposition', 'Dispositions in your events'],
    ];
    for (const [path, column, summary] of discovery) {
      scope.get(
        `/epcis/${path}`,
        {
          config: { access: read },
          schema: {
            tags,
            summary,
            querystring: PagingQuery,
            response: { 200: Collection, ...problemResponses },
          },
        },
        async (request, reply) => {
          const page = await discover(contextOf(request), column, request.query);
          if (page.nextPageToken !== undefined) {
            reply.header(
              'link',
              `<${nextLink(request, page.nextPageToken, request.query.perPage)}>; rel="next"`,
            );
          }
          return { '@context': EPCIS_CONTEXT_URL, type: 'Collection' as const, member: page.members };
        },
      );
    }

    // Per-resource sub-resources: /epcis/{resource}/{value} lists `events`, and
    // /epcis/{resource}/{value}/events is the events query with that criterion added.
    const subResources: ReadonlyArray<readonly [EventResource, string, string]> = [
      ['eventTypes', 'eventType', 'an event type'],
      ['epcs', 'epc', 'an identifier (EPC URN or GS1 Digital Link, URL-encoded; any role, classes too)'],
      ['bizSteps', 'bizStep', 'a business step'],
      ['bizLocations', 'bizLocation', 'a business location'],
      ['readPoints', 'readPoint', 'a read point'],
      ['dispositions', 'disposition', 'a disposition'],
    ];
    for (const [resource, param, what] of subResources) {
      const params = resourceParams[resource];
      const valueOf = (request: FastifyRequest) => (request.params as Record<string, string>)[param] ?? '';
      scope.get(
        `/epcis/${resource}/:${param}`,
        {
          config: { access: read },
          schema: {
            tags,
            summary: `Sub-resources of ${what} (404 when none of the events you can see has it)`,
            params,
            response: { 200: Collection, ...problemResponses },
          },
        },
        async (request) => {
          await requireResource(contextOf(request), resource, valueOf(request));
          return { '@context': EPCIS_CONTEXT_URL, type: 'Collection' as const, member: ['events'] };
        },
      );
      scope.get(
        `/epcis/${resource}/:${param}/events`,
        {
          config: { access: read },
          schema: {
            tags,
            summary: `Events of ${what}: /epcis/events with that criterion added (same parameters, paging and headers)`,
            params,
            querystring: EventsQuery,
            response: { 200: JsonLd, ...problemResponses },
          },
        },
        async (request, reply) => {
          const { perPage, nextPageToken, ...rest } = request.query;
          const page = await queryEvents(contextOf(request), rest, {
            ...(perPage !== undefined ? { perPage } : {}),
            ...(nextPageToken !== undefined ? { nextPageToken } : {}),
            resource: { kind: resource, value: valueOf(request) },
          });
          return sendPage(request, reply, page, perPage);
        },
      );
    }

    scope.post(
      '/epcis/queries',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Save a named query',
          body: CreateQueryBody,
          response: { 201: NamedQuery, ...problemResponses },
        },
      },
      async (request, reply) => {
        const row = await createQuery(contextOf(request), request.body.name, request.body.query as RawQuery);
        return reply
          .code(201)
          .header('location', `/epcis/queries/${encodeURIComponent(row.name)}`)
          .send(presentQuery(row));
      },
    );

    scope.get(
      '/epcis/queries',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Your named queries',
          response: { 200: Type.Array(NamedQuery), ...problemResponses },
        },
      },
      async (request) => (await listQueries(contextOf(request))).map(presentQuery),
    );

    scope.get(
      '/epcis/queries/:queryName',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'A named query',
          params: QueryParams,
          response: { 200: NamedQuery, ...problemResponses },
        },
      },
      async (request) => presentQuery(await getQuery(contextOf(request), request.params.queryName)),
    );

    scope.delete(
      '/epcis/queries/:queryName',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Delete a named query and its subscriptions',
          params: QueryParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await deleteQuery(contextOf(request), request.params.queryName);
        return reply.code(204).send(null);
      },
    );

    scope.get(
      '/epcis/queries/:queryName/events',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Run a named query (paged like /epcis/events)',
          params: QueryParams,
          querystring: PagingQuery,
          response: { 200: JsonLd, ...problemResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const name = request.params.queryName;
        const query = await getQuery(ctx, name);
        const page = await queryEvents(ctx, JSON.parse(query.query) as RawQuery, {
          ...request.query,
          queryName: name,
        });
        return sendPage(request, reply, page, request.query.perPage, name);
      },
    );

    scope.post(
      '/epcis/queries/:queryName/subscriptions',
      {
        config: { access: read },
        schema: {
          tags,
          summary:
            'Subscribe a webhook to a named query (stream: true); deliveries are signed in GS1-Signature',
          params: QueryParams,
          body: SubscribeBody,
          response: { 201: Subscription, ...problemResponses },
        },
      },
      async (request, reply) => {
        const { row, secret } = await subscribe(contextOf(request), request.params.queryName, request.body);
        request.server.subscriptionRunner.wake();
        return reply
          .code(201)
          .header('location', `/epcis/queries/${encodeURIComponent(row.query_name)}/subscriptions/${row.id}`)
          .send({ ...presentSubscription(row), ...(secret !== undefined ? { signatureToken: secret } : {}) });
      },
    );

    scope.get(
      '/epcis/queries/:queryName/subscriptions',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Subscriptions of a named query',
          params: QueryParams,
          response: { 200: Type.Array(Subscription), ...problemResponses },
        },
      },
      async (request) =>
        (await listSubscriptions(contextOf(request), request.params.queryName)).map(presentSubscription),
    );

    scope.get(
      '/epcis/queries/:queryName/subscriptions/:subscriptionId',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'A subscription',
          params: SubscriptionParams,
          response: { 200: Subscription, ...problemResponses },
        },
      },
      async (request) =>
        presentSubscription(
          await getSubscription(contextOf(request), request.params.queryName, request.params.subscriptionId),
        ),
    );

    scope.delete(
      '/epcis/queries/:queryName/subscriptions/:subscriptionId',
      {
        config: { access: read },
        schema: {
          tags,
          summary: 'Unsubscribe',
          params: SubscriptionParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await unsubscribe(contextOf(request), request.params.queryName, request.params.subscriptionId);
        return reply.code(204).send(null);
      },
    );
    done();
  });
}

/** The URL of the next page: the same path with perPage and the token only. */
function nextLink(request: FastifyRequest, token: string, perPage: number | undefined): string {
  const path = request.url.split('?')[0] ?? request.url;
  const q = new URLSearchParams();
  if (perPage !== undefined) q.set('perPage', String(perPage));
  q.set('nextPageToken', token);
  return `${path}?${q.toString()}`;
}

async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  page: EventPage,
  perPage: number | undefined,
  queryName?: string,
) {
  if (page.nextPageToken !== undefined) {
    reply.header('link', `<${nextLink(request, page.nextPageToken, perPage)}>; rel="next"`);
  }
  const ctx = contextOf(request);
  const owners = await ownersOfShared(ctx, page.rows);
  const namespace = extensionNamespace(ctx.config.publicUrl);
  return queryDocument(presentEvents(page.rows, owners, namespace), {
    ...(queryName === undefined ? {} : { queryName }),
    ...(owners.size === 0 ? {} : { namespace }),
  });
}
