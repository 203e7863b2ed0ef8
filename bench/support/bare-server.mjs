// The baseline of bench/scan: a bare Fastify server (the version Tracemark uses) with one GET route
// answering a small JSON. The route takes the code as a parameter, so the load script and the
// requests are the same as for the verify endpoint. Settings: PORT, HOST, and LOG_LEVEL (logger off
// when unset; set it to the Tracemark server's level for the variant with a per-request logger).
import Fastify from 'fastify';

const level = process.env.LOG_LEVEL;
const app = Fastify(level === undefined || level === '' ? { logger: false } : { logger: { level } });
app.get('/ok/:code', async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT ?? 8081), host: process.env.HOST ?? '127.0.0.1' });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    app.close().then(() => process.exit(0));
  });
}
