/**
 * A query the consumer was shown is never lost: the answer goes out only after the group commit
 * that wrote it. Here the server runs as a child process, answers thousands of scans over real
 * HTTP, and is killed with SIGKILL in the middle of the load; every query that was answered must
 * then be in the database, and the per-code counts must agree with the log (docs/durability.md).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import pino from 'pino';
import { migrateToLatest, openDatabase } from '@tracemark/db';
import { buildApp, loadConfig } from '@tracemark/server';
import { createTestDatabase, dialects } from '@tracemark/testing';
import { approvedEnterprise, operatorClient, type Client } from './support/harness.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** A TCP port that is free now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Starts the server in a child process; resolves with its address once it listens. */
async function spawnServer(env: Record<string, string>): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'support', 'serve.ts')],
    { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m?.[1] !== undefined) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${String(code)}): ${out}`)));
  });
  return { child, address };
}

/** One GET over a keep-alive agent; resolves with status and body, rejects on a broken socket. */
function get(agent: Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

for (const dialect of dialects) {
  describe(`scan durability on ${dialect}`, () => {
    test('after SIGKILL in the middle of a load, every answered query is stored and counts match the log', async () => {
      const t = await createTestDatabase(dialect);
      const env = {
        DATA_DIR: t.dataDir,
        DATABASE_URL: t.url,
        LOG_LEVEL: 'silent',
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
      };
      let codes: string[] = [];
      {
        // Set up through the app: an approved enterprise with 100 activated codes.
        const config = loadConfig({ ...env, LOGIN_RATE_LIMIT: '1000' });
        const db = openDatabase(config.database);
        await migrateToLatest(db);
        const app = await buildApp({ config, db, logger: pino({ level: 'silent' }) });
        const h = { app, db, config, t, close: () => Promise.resolve() };
        const operator = await operatorClient(h);
        const e = await approvedEnterprise(h, operator, { username: 'durable', orgBody: 'MA1DUR00' });
        const admin: Client = e.admin;
        const call = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
          const r = await admin.call(method, url, body);
          assert.ok(r.statusCode < 300, r.body);
          return JSON.parse(r.body) as T;
        };
        const product = await call<{ id: string }>('POST', '/api/v1/products', { name: '耐久测试产品' });
        const batch = await call<{ id: string }>('POST', '/api/v1/batches', {
          productId: product.id,
          lot: 'D-1',
          productionDate: '2026-11-01',
        });
        const space = await call<{ id: string }>('POST', '/api/v1/code-spaces', { name: 'd', length: 15 });
        const job = await call<{ id: string }>('POST', '/api/v1/code-jobs', {
          spaceId: space.id,
          count: 100,
          productId: product.id,
        });
        await call('POST', '/api/v1/code-activations', {
          batchId: batch.id,
          jobId: job.id,
          from: 1,
          to: 100,
        });
        codes = (
          await call<{ items: Array<{ code: string }> }>('GET', `/api/v1/code-jobs/${job.id}/codes?count=100`)
        ).items.map((i) => i.code);
        await app.close();
        await db.close();
      }

      const { child, address } = await spawnServer(env);
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const answered: Array<{ code: string; scanId: string; queryCount: number }> = [];
      let killed = false;
      let sent = 0;
      const worker = async () => {
        while (!killed) {
          const code = codes[sent++ % codes.length] ?? '';
          try {
            const r = await get(agent, `${address}/api/v1/verify/${code}`);
            if (r.status === 200) {
              const v = JSON.parse(r.body) as { scanId: string; queryCount: number };
              answered.push({ code, scanId: v.scanId, queryCount: v.queryCount });
              if (answered.length === 1500) {
                killed = true;
                child.kill('SIGKILL');
              }
            }
          } catch {
            // A request cut off by the kill (or just after it) was never answered: not promised.
            if (killed) return;
          }
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
      agent.destroy();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
      assert.equal(child.signalCode, 'SIGKILL');
      assert.ok(answered.length >= 1500, `${answered.length} answered`);

      const db = openDatabase(t.target);
      try {
        const stored = new Set((await db.kysely.selectFrom('scans').select('id').execute()).map((r) => r.id));
        const lost = answered.filter((a) => !stored.has(a.scanId));
        assert.equal(lost.length, 0, `${lost.length} answered queries are missing`);
        const perCode = await db.kysely
          .selectFrom('scans')
          .select(['code', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('code')
          .execute();
        const logged = new Map(perCode.map((r) => [r.code, r.n]));
        const summaries = await db.kysely.selectFrom('code_queries').select(['serial', 'count']).execute();
        assert.equal(
          summaries.reduce((s, r) => s + r.count, 0),
          [...logged.values()].reduce((s, n) => s + n, 0),
          'the per-code counts and the log were committed together',
        );
        for (const a of answered) assert.ok((logged.get(a.code) ?? 0) >= a.queryCount, a.code);
      } finally {
        await db.close();
        await t.dispose();
      }
    });
  });
}
