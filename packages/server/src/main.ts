import { mkdirSync } from 'node:fs';
import { migrateToLatest, openDatabase, optimizeDatabase, repositories, type Db } from '@tracemark/db';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import type { App } from './lib/fastify-types.js';

/** A listening server and how to stop it. */
export interface RunningServer {
  readonly app: App;
  readonly db: Db;
  /** Where it listens, e.g. http://127.0.0.1:8080. */
  readonly address: string;
  /** Stops taking requests, lets in-flight ones finish, closes the database. */
  close(): Promise<void>;
}

/**
 * Opens (creating and migrating) the database, builds the app and listens. The caller decides
 * what ends it; {@link shutdownOnSignals} wires SIGTERM/SIGINT for a process.
 */
export async function startServer(config: Config): Promise<RunningServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase(config.database);
  let app: App;
  try {
    const report = await migrateToLatest(db);
    app = await buildApp({ config, db });
    if (report.applied.length > 0) app.log.info({ applied: report.applied }, 'database migrated');
    await app.listen({ port: config.port, host: config.host });
    app.exportRunner.start();
    app.captureRunner.start();
    app.subscriptionRunner.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : config.port;
  const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Expired sessions are refused at lookup already; this only keeps the table small.
  const purge = setInterval(() => {
    repositories(db.kysely)
      .sessions.deleteExpired(Date.now())
      .then((n) => n > 0 && app.log.info({ removed: n }, 'expired sessions removed'))
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not remove expired sessions'));
  }, 3_600_000);
  purge.unref();
  // Planner statistics: at start and every six hours (SQLite; PostgreSQL's autovacuum does it).
  const optimize = () =>
    optimizeDatabase(db).catch((error: unknown) =>
      app.log.warn({ err: error }, 'could not refresh statistics'),
    );
  void optimize();
  const statistics = setInterval(() => void optimize(), 6 * 3_600_000);
  statistics.unref();
  let closing: Promise<void> | undefined;
  return {
    app,
    db,
    address: `http://${shown}:${port}`,
    close() {
      closing ??= (async () => {
        clearInterval(purge);
        clearInterval(statistics);
        app.shuttingDown = true;
        try {
          await app.close();
        } finally {
          await db.close();
        }
      })();
      return closing;
    },
  };
}

/**
 * Shuts the server down cleanly on SIGTERM or SIGINT: no new connections, in-flight requests
 * finish (up to the configured timeout), then the database closes. Resolves with the exit code
 * the process should end with.
 */
export function shutdownOnSignals(server: RunningServer, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      server.app.log.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        server.app.log.error({ timeoutMs }, 'shutdown timed out; requests still running were cut off');
        resolve(1);
      }, timeoutMs);
      timer.unref();
      server.close().then(
        () => {
          clearTimeout(timer);
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(timer);
          server.app.log.error({ err: error }, 'error while shutting down');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
