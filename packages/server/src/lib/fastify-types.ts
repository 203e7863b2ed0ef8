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
import type { CodeEngines } from '../modules/codes/code-engine.js';
import type { ExportRunner } from '../modules/codes/exports.js';

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
    /** Writes queued code exports in the background (started by `startServer`). */
    exportRunner: ExportRunner;
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
