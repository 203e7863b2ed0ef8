import type { FastifyBaseLogger } from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** pino's levels and their values (`silent` is Infinity). */
const VALUES: Readonly<Record<string, number | undefined>> = pino.levels.values;

/**
 * A request's logger that makes its pino child (the request id bound) only when the request logs
 * a line at an enabled level. Fastify makes a child logger for every request, and pino serializes
 * its bindings at once; at `warn`, a consumer scan logs nothing, so that was work for nothing on
 * every request (~1.5 % of the event loop on bench/scan's page route). Lines and children are the
 * same as the eager child's: the first line makes it, and later lines and `child()` use it.
 */
export class RequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  /** The least level value the child writes (-Infinity for a level pino does not know: it decides). */
  readonly #least: number;
  #logger: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
    // The level it is made with (Fastify passes the route's), else the parent's.
    const level = options.level ?? parent.level;
    this.#least = VALUES[level] ?? Number.NEGATIVE_INFINITY;
  }

  get level(): string {
    return this.#logger?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#child().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {
    // Nothing is logged at `silent`.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#child().child(bindings, options);
  }

  #child(): FastifyBaseLogger {
    this.#logger ??= this.#parent.child(this.#bindings, this.#options);
    return this.#logger;
  }

  #log(level: Level, args: unknown[]): void {
    if (this.#logger === undefined && (VALUES[level] ?? 0) < this.#least) return;
    const target = this.#child();
    target[level](...(args as Parameters<typeof target.info>));
  }
}

/** Fastify's `childLoggerFactory`: each request's logger made lazily. */
export function requestLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new RequestLogger(logger, bindings, options);
}
