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

declare module 'fastify' {
  interface FastifyInstance {
    /** The open database. */
    db: Db;
    /** The validated settings. */
    config: Config;
    /** Uploaded files. */
    files: FileStore;
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
