import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@tracemark/db';
import type { Config } from '../config.js';
import type { FileStore } from './file-store.js';
import type { KeyVault } from './key-vault.js';
import type { ChangeNotices } from './changes.js';
import type { GeoLocator } from './geo/index.js';
import type { Verifier } from '../modules/scan/verifier.js';
import type { CodeEngines } from '../modules/codes/code-engine.js';
import type { ExportRunner } from '../modules/codes/exports.js';
import type { CaptureRunner } from '../modules/epcis/capture-runner.js';
import type { SubscriptionRunner } from '../modules/epcis/subscriptions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The open database. */
    db: Db;
    /** The validated settings. */
    config: Config;
    /** Uploaded files. */
    files: FileStore;
    /** Master keys that open code-space keys. */
    vault: KeyVault;
    /** Ready code-space codecs. */
    codeEngines: CodeEngines;
    /** In-process change notices for caches. */
    changes: ChangeNotices;
    /** Offline IP and position → region lookups. */
    geo: GeoLocator;
    /** Consumer verification (the scan hot path). */
    verifier: Verifier;
    /** Writes queued code exports in the background (started by `startServer`). */
    exportRunner: ExportRunner;
    /** Stores accepted EPCIS capture jobs in the background (started by `startServer`). */
    captureRunner: CaptureRunner;
    /** Delivers EPCIS subscription outboxes to their webhooks (started by `startServer`). */
    subscriptionRunner: SubscriptionRunner;
    /** True once shutdown has begun; `/readyz` then answers 503. */
    shuttingDown: boolean;
  }
}

/** A Fastify instance whose route types come from TypeBox schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
