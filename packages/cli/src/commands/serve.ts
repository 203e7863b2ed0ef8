import { shutdownOnSignals, startServer } from '@tracemark/server';
import { settingsOrReport, type Io } from '../settings.js';

/** `tracemark serve`: migrate and serve until SIGTERM/SIGINT. Resolves with the exit code. */
export async function serve(env: Readonly<Record<string, string | undefined>>, io: Io): Promise<number> {
  const config = settingsOrReport(env, io);
  if (config === undefined) return 2;
  const server = await startServer(config);
  const where = config.database.type === 'sqlite' ? `SQLite ${config.database.file}` : 'PostgreSQL';
  io.out(
    `\nTracemark is ready at ${server.address}\n` +
      `  API docs:  ${server.address}/docs\n` +
      `  database:  ${where}\n` +
      `  data dir:  ${config.dataDir}\n` +
      `First time? Run "npx tracemark demo" in another terminal for demo accounts.\n\n`,
  );
  return shutdownOnSignals(server, config.shutdownTimeoutMs);
}
