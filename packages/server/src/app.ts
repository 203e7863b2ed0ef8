import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@tracemark/db';
import type { Config } from './config.js';
import { installAccessControl } from './lib/access-hook.js';
import { ChangeNotices } from './lib/changes.js';
import { loadGeoLocator } from './lib/geo/index.js';
import { scanRoutes } from './modules/scan/routes.js';
import { supervisionRoutes } from './modules/supervision/routes.js';
import { Verifier } from './modules/scan/verifier.js';
import { JOURNEY_STEPS, journeyOf, PAGE_STEPS } from './modules/scan/journey.js';
import { traceTimelineForBatch, traceTimelineForCode } from './modules/trace/service.js';
import { systemContext } from './lib/context.js';
import { installErrorHandling } from './lib/error-handler.js';
import { requestLoggerFactory } from './lib/request-logger.js';
import type { App } from './lib/fastify-types.js';
import { FileStore } from './lib/file-store.js';
import { loadKeyVault } from './lib/key-vault.js';
import { CodeEngines } from './modules/codes/code-engine.js';
import { ExportRunner } from './modules/codes/exports.js';
import { CaptureRunner } from './modules/epcis/capture-runner.js';
import { epcisRoutes } from './modules/epcis/routes.js';
import { traceRoutes } from './modules/trace/routes.js';
import { SubscriptionRunner } from './modules/epcis/subscriptions.js';
import { installValidation } from './lib/validation.js';
import { apiKeyRoutes } from './modules/api-keys/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { authRoutes } from './modules/auth/routes.js';
import { batchRoutes } from './modules/batches/routes.js';
import { codeRoutes } from './modules/codes/routes.js';
import { consoleRoutes } from './modules/console/routes.js';
import { counterfeitReportRoutes } from './modules/counterfeit-reports/routes.js';
import { platformAlertRoutes } from './modules/platform-alerts/routes.js';
import { scanLogRoutes } from './modules/scan-log/routes.js';
import { scanSettingsRoutes } from './modules/scan-settings/routes.js';
import { traceActionRoutes } from './modules/trace-actions/routes.js';
import { enterpriseRoutes } from './modules/enterprises/routes.js';
import { eventShareRoutes } from './modules/event-shares/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { productRoutes } from './modules/products/routes.js';
import { userRoutes } from './modules/users/routes.js';
import { webhookRoutes } from './modules/webhooks/routes.js';

/** What {@link buildApp} needs: settings, an open (migrated) database, optionally a logger. */
export interface BuildAppOptions {
  readonly config: Config;
  readonly db: Db;
  /** A pino logger; by default one is made at `config.logLevel`. */
  readonly logger?: FastifyBaseLogger;
}

/**
 * Builds the whole HTTP application without listening: tests drive it with `inject()`, `main`
 * listens. The caller owns the database and closes it after `app.close()`.
 */
export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, db } = options;
  const app = Fastify({
    ...(options.logger !== undefined
      ? { loggerInstance: options.logger }
      : {
          logger: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
          },
        }),
    // Each request's child logger is made when it first logs (most requests log nothing).
    childLoggerFactory: requestLoggerFactory,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('db', db);
  app.decorate('config', config);
  app.decorate('files', new FileStore(config.dataDir));
  const vault = loadKeyVault(config, app.log);
  app.decorate('vault', vault);
  const codeEngines = new CodeEngines(vault);
  app.decorate('codeEngines', codeEngines);
  const changes = new ChangeNotices();
  app.decorate('changes', changes);
  const geo = loadGeoLocator();
  app.decorate('geo', geo);
  // The scan page shows each batch's journey from the trace tables (cached per batch).
  const traceContext = systemContext({
    db,
    config,
    files: app.files,
    log: app.log,
    vault,
    engines: codeEngines,
    changes,
  });
  const verifier = new Verifier({
    db,
    config,
    engines: codeEngines,
    geo,
    changes,
    log: app.log,
    trace: {
      batch: async (tenantId, batchId) => {
        const journey = journeyOf(await traceTimelineForBatch(traceContext, tenantId, batchId), PAGE_STEPS);
        return journey.steps.length === 0 ? null : journey;
      },
      code: async (tenantId, spaceId, serial) =>
        journeyOf(await traceTimelineForCode(traceContext, tenantId, spaceId, serial), JOURNEY_STEPS),
    },
  });
  app.decorate('verifier', verifier);
  // Queries waiting for their group commit are written before the database closes.
  app.addHook('onClose', () => verifier.drain());
  const exportRunner = new ExportRunner({ db, config, engines: codeEngines, log: app.log });
  app.decorate('exportRunner', exportRunner);
  app.addHook('onClose', () => exportRunner.stop());
  const subscriptionRunner = new SubscriptionRunner({ db, log: app.log, config });
  app.decorate('subscriptionRunner', subscriptionRunner);
  const captureRunner = new CaptureRunner({
    db,
    config,
    log: app.log,
    onCaptured: () => subscriptionRunner.wake(),
  });
  app.decorate('captureRunner', captureRunner);
  app.addHook('onClose', async () => {
    await captureRunner.stop();
    await subscriptionRunner.stop();
  });
  app.decorate('shuttingDown', false);
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // While shutting down, tell keep-alive clients to go, so their sockets do not hold the close.
    if (app.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

  installValidation(app);
  installErrorHandling(app);
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 20, fieldSize: 10_000, parts: 30 },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tracemark API',
        description:
          'Product traceability and anti-counterfeiting platform (产品追溯防伪平台). People log in for a session cookie ' +
          '(send X-CSRF-Token on changes); machines send `Authorization: Bearer <API key>`. Every error has the ' +
          'ErrorResponse body with a code from docs/errors.md.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tm_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installAccessControl(app, config);

  healthRoutes(app);
  authRoutes(app);
  userRoutes(app);
  apiKeyRoutes(app);
  auditRoutes(app);
  webhookRoutes(app);
  enterpriseRoutes(app);
  eventShareRoutes(app);
  productRoutes(app);
  batchRoutes(app);
  codeRoutes(app);
  scanSettingsRoutes(app);
  scanLogRoutes(app);
  counterfeitReportRoutes(app);
  platformAlertRoutes(app);
  scanRoutes(app);
  supervisionRoutes(app);
  epcisRoutes(app);
  traceRoutes(app);
  traceActionRoutes(app);
  consoleRoutes(app);

  await app.ready();
  return app;
}
