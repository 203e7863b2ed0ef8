// Runs the server in a child process for tests that must kill it (durability). Settings come
// from the environment like `tracemark serve`; prints `LISTENING <address>` once it listens.
import { loadConfig, startServer } from '@tracemark/server';

const server = await startServer(loadConfig(process.env));
process.stdout.write(`LISTENING ${server.address}\n`);
