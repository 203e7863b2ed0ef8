// Consumer scan benchmark: the JSON verify endpoint (`GET /api/v1/verify/{code}`) and the scan page
// (`GET /c/{code}`) of the compiled Tracemark server, loaded by wrk from a separate process, on a
// database holding one job of 10 million issued and activated 17-digit codes of which 1 million were
// queried before (their `code_queries` and `scans` rows written in bulk). The baseline, measured in
// the same run with the same load script, is a bare Fastify server answering `{"ok":true}` from one
// GET route (logger off), loaded in slices alternating with the route's own (--rounds of each, so a
// shared machine's drift weighs on both alike); a variant with a logger at the Tracemark server's
// level is measured once for reference. Goals (issue 4): on SQLite at least
// 0.35× the baseline with p99 under 10 ms; on PostgreSQL (synchronous_commit=on) at least 0.2×.
// With the p99 goal it prints the least throughput at which the goal can be met at all with the
// run's connections (the mean latency is connections ÷ answers a second), against the bare route.
// Run on demand:
//   npm run bench:scan [-- --db=sqlite|postgres|both --codes=10000000 --queried=1000000
//                          --duration=20 --rounds=4 --connections=64 --sample=2000000 --profile --no-build
//                          --server-flags="--max-semi-space-size=32" --keep]
// --profile: afterwards, one more run per route with the server under `node --cpu-prof`; the
// profiles go to bench/out/ and their top self-time functions are printed. --no-build: serve the
// existing build instead of running `npm run build` first. --keep: leave the fixture's database
// and print where it is. --server-flags="…": extra node flags
// for the Tracemark server process only.
//
// wrk and the servers share the machine's cores: the baseline pays the same load generator, so the
// ratio is the figure to compare between machines, not req/s. The CPU time each server process (and,
// on PostgreSQL, the database's backends) spent per answer is printed too: on a shared machine it
// moves much less than req/s, so it is the figure to compare before and after a change.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { migrateToLatest, openDatabase, type Db, type DialectName } from '@tracemark/db';
import { buildApp, FileStore, loadConfig, systemContext } from '@tracemark/server';
import { createTestDatabase, type TestDatabase } from '@tracemark/testing';
import { approvedEnterprise, operatorClient, type Harness } from '../packages/server/test/support/harness.js';

const args = process.argv.slice(2);
/** `--name=value` or `--name value`. */
function option(name: string, fallback: string): string {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const arg = args[at]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (args[at + 1] ?? fallback);
}
const which = option('db', 'both');
const CODES = Number(option('codes', '10000000'));
const QUERIED = Number(option('queried', '1000000'));
const DURATION_S = Number(option('duration', '20'));
const CONNECTIONS = Number(option('connections', '64'));
const SAMPLE = Number(option('sample', '2000000'));
/** Slices each route's run is cut into, alternating with as many of the baseline. */
const ROUNDS = Number(option('rounds', '4'));
const profile = args.includes('--profile');
/** Keep the fixture's database afterwards and print where it is (to serve it by hand). */
const keep = args.includes('--keep');
/** Extra node flags for the Tracemark server only (e.g. a V8 heap setting to try), space-separated. */
const serverFlags = option('server-flags', '')
  .split(' ')
  .filter((a) => a !== '');
const WARMUP_S = 3;
const LOG_LEVEL = 'warn';
const GOALS: Record<DialectName, { ratio: number; p99Ms?: number }> = {
  sqlite: { ratio: 0.35, p99Ms: 10 },
  postgres: { ratio: 0.2 },
};
const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47';

const root = join(import.meta.dirname, '..');
const luaScript = join(import.meta.dirname, 'support', 'codes.lua');
const bareServer = join(import.meta.dirname, 'support', 'bare-server.mjs');
const cli = join(root, 'packages', 'cli', 'bin', 'tracemark.js');
const outDir = join(root, 'bench', 'out');

const dialects: DialectName[] = which === 'both' ? ['sqlite', 'postgres'] : [which as DialectName];
if (
  !['sqlite', 'postgres', 'both'].includes(which) ||
  ![CODES, QUERIED, DURATION_S, CONNECTIONS, SAMPLE, ROUNDS].every((n) => Number.isInteger(n) && n > 0) ||
  QUERIED > CODES
) {
  console.error(
    'usage: npm run bench:scan -- [--db=sqlite|postgres|both] [--codes=N] [--queried=N ≤ codes] ...',
  );
  process.exit(2);
}
if (spawnSync('wrk', ['--version']).error !== undefined) {
  console.error('bench/scan needs wrk: apt-get install -y wrk');
  process.exit(1);
}

// A deterministic generator (mulberry32, 32-bit integer arithmetic), so runs request the same codes.
let seed = 20261127;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};

const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const ms = (n: number): string => (n < 1 ? n.toFixed(2) : n.toFixed(1));

// ---- fixture: issued, activated and partly queried codes, set up through the app ----

interface Fixture {
  readonly t: TestDatabase;
  readonly codesFile: string;
  /** Sampled codes whose serial is among the already-queried ones. */
  readonly sampledQueried: number;
  readonly setupSeconds: number;
}

/** An approved enterprise with a product, a batch, a 17-digit space and one activated job of CODES. */
async function issue(
  h: Harness,
): Promise<{ tenantId: string; spaceId: string; productId: string; batchId: string }> {
  const operator = await operatorClient(h);
  const { admin, enterpriseId } = await approvedEnterprise(h, operator, {
    username: 'bench',
    orgBody: 'MA1BEN00',
  });
  const call = async <T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> => {
    const r = await admin.call(method, url, body);
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return JSON.parse(r.body) as T;
  };
  const product = await call<{ id: string }>('POST', '/api/v1/products', {
    name: '五常大米 5kg',
    brand: '稻香',
  });
  const batch = await call<{ id: string }>('POST', '/api/v1/batches', {
    productId: product.id,
    lot: 'WC-2026-11',
    productionDate: '2026-11-01',
  });
  const space = await call<{ id: string }>('POST', '/api/v1/code-spaces', { name: '大米码段', length: 17 });
  const job = await call<{ id: string }>('POST', '/api/v1/code-jobs', {
    spaceId: space.id,
    count: CODES,
    productId: product.id,
  });
  await call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: job.id, from: 1, to: CODES });
  return { tenantId: enterpriseId, spaceId: space.id, productId: product.id, batchId: batch.id };
}

/**
 * The history of QUERIED codes (serials 0…QUERIED−1, once each, over the last 30 days): their
 * `code_queries` rows and as many `scans` rows, written by SQL alone. Scan ids are UUIDv7-shaped
 * and time-ordered like `newId`'s (millisecond time, then the serial instead of random bits); the
 * code column holds a 17-digit stand-in (it is not indexed).
 */
/** The scan id of serial `n` queried at `at` (UUIDv7-shaped), on each engine. */
const sqliteScanId = sql`printf('%08x-%04x-7%03x-%04x-%012x', at >> 16, at & 65535, n & 4095, 32768 | ((n >> 12) & 16383), n)`;
const postgresScanId = sql`(lpad(to_hex(at >> 16), 8, '0') || '-' || lpad(to_hex(at & 65535), 4, '0') || '-7' ||
  lpad(to_hex(n & 4095), 3, '0') || '-' || to_hex(32768 | ((n >> 12) & 16383)) || '-' || lpad(to_hex(n), 12, '0'))`;

async function prefill(
  db: Db,
  ids: { tenantId: string; spaceId: string; productId: string; batchId: string },
) {
  const { tenantId, spaceId, productId, batchId } = ids;
  const step = Math.max(1, Math.floor((30 * 86_400_000) / QUERIED));
  const t0 = Date.now() - 30 * 86_400_000;
  const last = QUERIED - 1;
  if (db.dialect === 'sqlite') {
    const series = sql`WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${last})`;
    await sql`${series}, g(n, at) AS (SELECT n, ${t0} + n * ${step} FROM s)
      INSERT INTO code_queries (tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region,
                                last_scan_id)
      SELECT ${tenantId}, ${spaceId}, n, at, '310000', 1, at, '310000', ${sqliteScanId} FROM g`.execute(
      db.kysely,
    );
    await sql`${series}, g(n, at) AS (SELECT n, ${t0} + n * ${step} FROM s)
      INSERT INTO scans (tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings,
                         region_code, region_source, latitude, longitude, channel, client, pin_verified)
      SELECT ${tenantId}, ${sqliteScanId},
             ${spaceId}, n, printf('%017d', n), ${productId}, ${batchId}, at, 'genuine_first', '', '310000', 'ip',
             NULL, NULL, CASE n % 2 WHEN 0 THEN 'page' ELSE 'api' END, 'wechat', 0
      FROM g`.execute(db.kysely);
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db.kysely);
  } else {
    const series = sql`(SELECT n, ${t0}::bigint + n * ${step}::bigint AS at FROM generate_series(0::bigint, ${last}::bigint) AS n) g`;
    await sql`INSERT INTO code_queries (tenant_id, space_id, serial, first_at, first_region, count, last_at, last_region,
                                        last_scan_id)
      SELECT ${tenantId}::text, ${spaceId}::text, n, at, '310000', 1, at, '310000', ${postgresScanId} FROM ${series}`.execute(
      db.kysely,
    );
    await sql`INSERT INTO scans (tenant_id, id, space_id, serial, code, product_id, batch_id, at, verdict, warnings,
                                 region_code, region_source, latitude, longitude, channel, client, pin_verified)
      SELECT ${tenantId}::text, ${postgresScanId},
             ${spaceId}::text, n, lpad(n::text, 17, '0'), ${productId}::text, ${batchId}::text, at, 'genuine_first', '',
             '310000', 'ip', NULL, NULL, CASE n % 2 WHEN 0 THEN 'page' ELSE 'api' END, 'wechat', 0
      FROM ${series}`.execute(db.kysely);
    await sql`ANALYZE`.execute(db.kysely);
  }
}

async function setUp(dialect: DialectName): Promise<Fixture> {
  const started = performance.now();
  const t = await createTestDatabase(dialect);
  try {
    const config = loadConfig({
      DATA_DIR: t.dataDir,
      DATABASE_URL: t.url,
      LOG_LEVEL: 'silent',
      LOGIN_RATE_LIMIT: '1000',
    });
    const db = openDatabase(config.database);
    try {
      await migrateToLatest(db);
      const app = await buildApp({ config, db, logger: pino({ level: 'silent' }) });
      let ids;
      try {
        ids = await issue({ app, db, config, t, close: () => Promise.resolve() });
      } finally {
        await app.close();
      }
      await prefill(db, ids);
      // The codes to request: SAMPLE random serials of the job, encoded by the space's codec.
      const space = await db.kysely
        .selectFrom('code_spaces')
        .selectAll()
        .where('id', '=', ids.spaceId)
        .executeTakeFirstOrThrow();
      const log = pino({ level: 'silent' });
      const { codec } = systemContext({ db, config, files: new FileStore(config.dataDir), log }).engines.for(
        space,
      );
      const lines: string[] = [];
      let sampledQueried = 0;
      for (let i = 0; i < SAMPLE; i++) {
        const serial = Math.floor(random() * CODES);
        if (serial < QUERIED) sampledQueried++;
        lines.push(codec.encode(serial));
      }
      const codesFile = join(t.dataDir, 'codes.txt');
      writeFileSync(codesFile, `${lines.join('\n')}\n`);
      return { t, codesFile, sampledQueried, setupSeconds: (performance.now() - started) / 1000 };
    } finally {
      await db.close();
    }
  } catch (error) {
    await t.dispose();
    throw error;
  }
}

// ---- servers, each its own process ----

interface Server {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `node <argv>` and waits until `readyPath` answers 200. Log lines (JSON) go to stderr. */
async function startServer(
  name: string,
  argv: string[],
  env: Record<string, string>,
  readyPath: string,
): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n'))
      if (line.startsWith('{')) process.stderr.write(`[${name}] ${line}\n`);
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it answered`);
    const ready = await fetch(`http://127.0.0.1:${port}${readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`${name} did not answer ${readyPath} within 60 s`);
    }
    await sleep(100);
  }
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const startTracemark = (f: Fixture, nodeFlags: string[] = []): Promise<Server> =>
  startServer(
    'tracemark',
    [...serverFlags, ...nodeFlags, cli, 'serve'],
    {
      DATA_DIR: f.t.dataDir,
      DATABASE_URL: f.t.url,
      LOG_LEVEL,
      SCAN_INVALID_PER_ADDRESS: '100000',
      SCAN_INVALID_PER_NETWORK: '1000000',
    },
    '/healthz',
  );
const startBare = (logLevel: string | undefined): Promise<Server> =>
  startServer('bare', [bareServer], logLevel === undefined ? {} : { LOG_LEVEL: logLevel }, '/ok/1');

// ---- load ----

interface Load {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  /** Bytes read per answer, headers included. */
  readonly bytes: number;
  /** Non-2xx answers and socket errors, as wrk reports them; empty when none. */
  readonly problems: string;
  /** CPU time per answer of the server process (all threads), and of PostgreSQL's backends, in µs. */
  readonly serverUs: number;
  /** Of it, the main thread's (the event loop: the server's throughput limit). */
  readonly mainUs: number;
  readonly dbUs: number;
}

/** Next line of the codes file to request: runs continue where the previous one stopped. */
let cursor = 0;

const toMs = (value: string, unit: string): number =>
  Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit] ?? Number.NaN);

/** The bare route's path prefix: it answers any code the same. */
const BARE_PREFIX = '/ok/';

/**
 * One wrk run: -t1, CONNECTIONS connections, each request the next code after `prefix`. The
 * Tracemark routes go on through the sample where the last run stopped; the bare route's
 * requests leave that place alone (until session 15 they moved it too, so that at some 75 k bare
 * requests a second the sample wrapped around between Tracemark's slices and 45–60 % of their
 * queries were repeats instead of about 10 %).
 */
async function load(port: number, prefix: string, codesFile: string, seconds: number): Promise<Load> {
  const child = spawn(
    'wrk',
    [
      '-t1',
      `-c${CONNECTIONS}`,
      `-d${seconds}s`,
      '--latency',
      '--timeout',
      '5s',
      '-H',
      `User-Agent: ${PHONE}`,
      '-s',
      luaScript,
      `http://127.0.0.1:${port}/`,
      '--',
      prefix,
      codesFile,
      String(cursor),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const requests = /(\d+) requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB) read/.exec(out);
  if (code !== 0 || rps === null || requests === null)
    throw new Error(`wrk failed (${String(code)}):\n${out}`);
  const pct: Record<string, number> = {};
  for (const m of out.matchAll(/^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$/gm)) pct[m[1]!] = toMs(m[2]!, m[3]!);
  const problems = [/Non-2xx or 3xx responses: \d+/.exec(out)?.[0], /Socket errors: .+/.exec(out)?.[0]]
    .filter((p) => p !== undefined)
    .join('; ');
  if (prefix !== BARE_PREFIX) cursor += Number(requests[1]);
  return {
    requests: Number(requests[1]),
    rps: Number(rps[1]),
    p50: pct['50'] ?? Number.NaN,
    p90: pct['90'] ?? Number.NaN,
    p99: pct['99'] ?? Number.NaN,
    bytes:
      (Number(requests[2]) * ({ B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[requests[3]!] ?? Number.NaN)) /
      Number(requests[1]),
    problems,
    serverUs: Number.NaN,
    mainUs: Number.NaN,
    dbUs: Number.NaN,
  };
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU seconds (user + system, all threads) the processes used so far; 0 for one that is gone.
 * `mainThread`: only each process's main thread.
 */
function cpuSeconds(pids: readonly number[], mainThread = false): number {
  let seconds = 0;
  for (const s of cpuByProcess(pids, mainThread).values()) seconds += s;
  return seconds;
}

/** CPU seconds so far of each process still there. */
function cpuByProcess(pids: readonly number[], mainThread = false): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / clockTicks); // utime, stime
    } catch {
      // exited
    }
  }
  return seconds;
}

/** CPU seconds used between two readings by the processes present at both (a backend may come or go). */
function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, s] of after) seconds += s - (before.get(pid) ?? s);
  return seconds;
}

/** The PostgreSQL backends serving the fixture's database now (none on SQLite: it is in-process). */
async function backends(f: Fixture): Promise<number[]> {
  if (f.t.dialect !== 'postgres') return [];
  const client = new pg.Client({ connectionString: f.t.url });
  await client.connect();
  try {
    const r = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return r.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

/**
 * Warms a route up, then measures it, with the CPU time the server (and PostgreSQL's backends)
 * spent per answer. Returns the measured run and how many requests both runs made.
 */
async function measure(server: Server, prefix: string, f: Fixture): Promise<{ load: Load; sent: number }> {
  const warm = await load(server.port, prefix, f.codesFile, WARMUP_S);
  const db = await backends(f);
  const [server0, main0, db0] = [cpuSeconds([server.pid]), cpuSeconds([server.pid], true), cpuSeconds(db)];
  const measured = await load(server.port, prefix, f.codesFile, DURATION_S);
  const [server1, main1, db1] = [cpuSeconds([server.pid]), cpuSeconds([server.pid], true), cpuSeconds(db)];
  const answers = measured.requests;
  return {
    load: {
      ...measured,
      serverUs: ((server1 - server0) / answers) * 1e6,
      mainUs: ((main1 - main0) / answers) * 1e6,
      dbUs: ((db1 - db0) / answers) * 1e6,
    },
    sent: warm.requests + measured.requests,
  };
}

/**
 * A route against the baseline, interleaved: after a warm-up of each, ROUNDS slices of
 * DURATION_S / ROUNDS seconds each, alternating (bare, route, route, bare, …), so that the drift of
 * a shared machine's speed (seen here: the bare route at 23 k and at 39 k req/s minutes apart)
 * weighs on both alike. Each side's figures are over its slices: answers a second over their
 * time, latency percentiles weighted by the slices' answers, CPU over all their answers.
 */
async function measureInterleaved(
  server: Server,
  bare: Server,
  prefix: string,
  f: Fixture,
): Promise<{ route: Load; bare: Load; sent: number }> {
  const slice = DURATION_S / ROUNDS;
  const warm = await load(server.port, prefix, f.codesFile, WARMUP_S);
  await load(bare.port, BARE_PREFIX, f.codesFile, WARMUP_S);
  const routeSlices: Load[] = [];
  const bareSlices: Load[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sides = round % 2 === 0 ? (['bare', 'route'] as const) : (['route', 'bare'] as const);
    for (const side of sides) {
      const target = side === 'bare' ? bare : server;
      const db = side === 'bare' ? [] : await backends(f);
      const [all0, main0, db0] = [cpuSeconds([target.pid]), cpuSeconds([target.pid], true), cpuByProcess(db)];
      const measured = await load(target.port, side === 'bare' ? BARE_PREFIX : prefix, f.codesFile, slice);
      const [all1, main1, db1] = [cpuSeconds([target.pid]), cpuSeconds([target.pid], true), cpuByProcess(db)];
      (side === 'bare' ? bareSlices : routeSlices).push({
        ...measured,
        serverUs: all1 - all0,
        mainUs: main1 - main0,
        dbUs: cpuBetween(db0, db1),
      });
    }
  }
  return {
    route: combined(routeSlices),
    bare: combined(bareSlices),
    sent: warm.requests + routeSlices.reduce((n, l) => n + l.requests, 0),
  };
}

/** Slices of one side as one load; their serverUs/mainUs/dbUs hold CPU seconds, made µs per answer. */
function combined(slices: readonly Load[]): Load {
  const requests = slices.reduce((n, l) => n + l.requests, 0);
  const weighted = (pick: (l: Load) => number): number =>
    slices.reduce((sum, l) => sum + pick(l) * l.requests, 0) / requests;
  const perAnswer = (pick: (l: Load) => number): number =>
    (slices.reduce((sum, l) => sum + pick(l), 0) / requests) * 1e6;
  return {
    requests,
    rps: slices.reduce((sum, l) => sum + l.rps, 0) / slices.length,
    p50: weighted((l) => l.p50),
    p90: weighted((l) => l.p90),
    p99: weighted((l) => l.p99),
    bytes: weighted((l) => l.bytes),
    problems: slices
      .map((l) => l.problems)
      .filter((p) => p !== '')
      .join('; '),
    serverUs: perAnswer((l) => l.serverUs),
    mainUs: perAnswer((l) => l.mainUs),
    dbUs: perAnswer((l) => l.dbUs),
  };
}

async function measureBare(f: Fixture, logLevel: string | undefined): Promise<Load> {
  const server = await startBare(logLevel);
  try {
    return (await measure(server, BARE_PREFIX, f)).load;
  } finally {
    await server.stop();
  }
}

// ---- CPU profile summary ----

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly positionTicks?: ReadonlyArray<{ readonly line: number; readonly ticks: number }>;
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a script is: a package of node_modules, a Tracemark package, Node itself, or native code. */
function placeOf(url: string, name: string): { area: string; file: string } {
  const path = url.replace(/^file:\/\//, '');
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (dep !== null) return { area: dep[1]!, file: `${dep[1]!}/${dep[2]!}` };
  const own = /packages\/([^/]+)\/(.*)$/.exec(path);
  if (own !== null) return { area: `@tracemark/${own[1]!}`, file: `${own[1]!}/${own[2]!}` };
  if (path.startsWith('node:')) return { area: 'Node.js (JavaScript of node:*)', file: path };
  if (path !== '') return { area: path, file: path };
  // No script: the VM's own entries, or a native function (socket writes, SQLite, crypto…).
  return { area: name.startsWith('(') ? name : 'native functions (bindings)', file: '' };
}

/**
 * Self time per function and per area over the samples taken from `fromMs` after the profile
 * started (so start-up and warm-up are left out), as table lines; shares of the busy time.
 */
function hotSpots(file: string, fromMs: number, top = 20): string[] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busy = 0;
  let elapsed = 0;
  let window = 0;
  for (const [i, id] of p.samples.entries()) {
    elapsed += p.timeDeltas[i] ?? 0;
    const frame = frames.get(id);
    const us = p.timeDeltas[i + 1] ?? 0;
    if (elapsed < fromMs * 1000 || frame === undefined) continue;
    window += us;
    if (frame.functionName === '(idle)') continue;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const place = placeOf(frame.url, name);
    const key = place.file === '' ? name : `${name} — ${place.file}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    byArea.set(place.area, (byArea.get(place.area) ?? 0) + us);
    busy += us;
  }
  // Lines of Tracemark's own code, from the per-line sample counts V8 keeps (whole profile).
  const byLine = new Map<string, number>();
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const samples = p.samples.filter((id) => !idle.has(id)).length;
  for (const n of p.nodes) {
    const place = placeOf(n.callFrame.url, n.callFrame.functionName);
    if (!place.area.startsWith('@tracemark/')) continue;
    const source = readFileSync(new URL(n.callFrame.url), 'utf8').split('\n');
    for (const t of n.positionTicks ?? []) {
      const text = (source[t.line - 1] ?? '').trim().slice(0, 80).replaceAll('|', '\\|');
      const key = `${place.file}:${t.line} \`${text}\``;
      byLine.set(key, (byLine.get(key) ?? 0) + t.ticks);
    }
  }
  const share = (us: number): string => `${((us / busy) * 100).toFixed(1)} %`;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return [
    `main thread busy ${(busy / 1e6).toFixed(1)} s of ${(window / 1e6).toFixed(1)} s profiled under load ` +
      '(shares below are of the busy time)',
    '',
    '| self time | function — file:line (compiled) |',
    '| ---: | --- |',
    ...sorted(byFunction)
      .slice(0, top)
      .map(([k, us]) => `| ${share(us)} | ${k} |`),
    '',
    '| self time | where |',
    '| ---: | --- |',
    ...sorted(byArea)
      .slice(0, 12)
      .map(([k, us]) => `| ${share(us)} | ${k} |`),
    '',
    '| samples (whole profile) | hottest lines of Tracemark code, self time (compiled JavaScript) |',
    '| ---: | --- |',
    ...sorted(byLine)
      .slice(0, 12)
      .map(([k, ticks]) => `| ${((ticks / samples) * 100).toFixed(1)} % | ${k} |`),
  ];
}

/**
 * Loads a route (warm-up, then DURATION_S) on a server started with --cpu-prof; saves the profile
 * to bench/out/ and returns its hot spots over the measured part.
 */
async function profileRoute(
  f: Fixture,
  dialect: DialectName,
  route: string,
  prefix: string,
): Promise<string[]> {
  const dir = mkdtempSync(join(f.t.dataDir, 'prof-'));
  const spawned = performance.now();
  const server = await startTracemark(f, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let from;
  let measured;
  try {
    await load(server.port, prefix, f.codesFile, WARMUP_S);
    from = performance.now() - spawned;
    measured = await load(server.port, prefix, f.codesFile, DURATION_S);
  } finally {
    await server.stop();
  }
  const made = readdirSync(dir).find((n) => n.endsWith('.cpuprofile'));
  if (made === undefined) throw new Error('the server wrote no CPU profile');
  mkdirSync(outDir, { recursive: true });
  const saved = join(outDir, `scan-${dialect}-${route}.cpuprofile`);
  copyFileSync(join(dir, made), saved);
  return [
    `### CPU profile of the server, ${route} (${saved.slice(root.length + 1)})`,
    '',
    `${fmt(measured.rps)} req/s, p99 ${ms(measured.p99)} ms under the profiler; ` +
      hotSpots(saved, from).join('\n'),
  ];
}

// ---- one database ----

interface Row {
  readonly route: string;
  readonly load: Load;
  /** The bare route's load the row is compared with (measured in the slices between its own). */
  readonly baseline: Load;
  readonly goal?: boolean;
}

async function counts(f: Fixture, since: number) {
  const db = openDatabase(f.t.target);
  try {
    const rows = await db.kysely
      .selectFrom('scans')
      .select(['channel', 'verdict', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('at', '>=', since)
      .groupBy(['channel', 'verdict'])
      .orderBy('channel')
      .orderBy('verdict')
      .execute();
    const queried = await db.kysely
      .selectFrom('code_queries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    const settings =
      db.dialect === 'postgres'
        ? `synchronous_commit=${(await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db.kysely)).rows[0]?.synchronous_commit ?? '?'}`
        : `WAL, synchronous=${process.env['SQLITE_SYNCHRONOUS'] ?? 'normal'}`;
    return {
      written: rows.map((r) => ({ channel: r.channel, verdict: r.verdict, n: Number(r.n) })),
      queried: Number(queried.n),
      settings,
    };
  } finally {
    await db.close();
  }
}

async function benchDialect(dialect: DialectName): Promise<boolean> {
  console.log(`\n## ${dialect}`);
  process.stderr.write(`setting up ${dialect}: ${fmt(CODES)} codes, ${fmt(QUERIED)} queried before…\n`);
  const f = await setUp(dialect);
  try {
    console.log(
      `set up in ${f.setupSeconds.toFixed(0)} s; requesting ${fmt(SAMPLE)} sampled codes ` +
        `(${((f.sampledQueried / SAMPLE) * 100).toFixed(1)} % of them queried before), in order, wrapping around; ` +
        `load average ${loadavg()[0]!.toFixed(2)}`,
    );
    // The logger's cost, for reference: a bare server with a logger at the Tracemark server's level.
    const logged = await measureBare(f, LOG_LEVEL);

    const started = Date.now();
    const bare = await startBare(undefined);
    const server = await startTracemark(f);
    let json;
    let page;
    let sent = 1;
    try {
      // One query first, to prove the sampled codes are genuine (and the server ready).
      const first = readFileSync(f.codesFile, 'utf8').split('\n')[0]!;
      const answer = (await (
        await fetch(`http://127.0.0.1:${server.port}/api/v1/verify/${first}`, {
          headers: { 'user-agent': PHONE },
        })
      ).json()) as { verdict?: string };
      if (!String(answer.verdict).startsWith('genuine'))
        throw new Error(`a sampled code was ${String(answer.verdict)}`);
      cursor = 1; // the Tracemark runs go through the sample from its start, each where the last stopped
      json = await measureInterleaved(server, bare, '/api/v1/verify/', f);
      page = await measureInterleaved(server, bare, '/c/', f);
      sent += json.sent + page.sent;
    } finally {
      await server.stop();
      await bare.stop();
    }

    const goal = GOALS[dialect];
    const rows: Row[] = [
      {
        route: 'bare Fastify, logger off, in slices between the JSON ones',
        load: json.bare,
        baseline: json.bare,
      },
      { route: 'GET /api/v1/verify/{code} (JSON)', load: json.route, baseline: json.bare, goal: true },
      {
        route: 'bare Fastify, logger off, in slices between the page ones',
        load: page.bare,
        baseline: page.bare,
      },
      { route: 'GET /c/{code} (page)', load: page.route, baseline: page.bare, goal: true },
      {
        route: `bare Fastify, logger at ${LOG_LEVEL} (one run before, against the better baseline)`,
        load: logged,
        baseline: json.bare.rps > page.bare.rps ? json.bare : page.bare,
      },
    ];
    const goalText = `≥ ${goal.ratio}×${goal.p99Ms === undefined ? '' : `, p99 < ${goal.p99Ms} ms`}`;
    let allMet = true;
    console.log(
      [
        '',
        `| route | req/s | p50 ms | p90 ms | p99 ms | bytes/answer | CPU µs/answer (server${dialect === 'postgres' ? ' + PostgreSQL' : ''}) | of it, event loop | of baseline | goal | result |`,
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
        ...rows.map((r) => {
          const ratio = r.load.rps / r.baseline.rps;
          const met =
            r.load.problems === '' &&
            ratio >= goal.ratio &&
            (goal.p99Ms === undefined || r.load.p99 < goal.p99Ms);
          if (r.goal === true) allMet &&= met;
          return (
            `| ${r.route} | ${fmt(r.load.rps)} | ${ms(r.load.p50)} | ${ms(r.load.p90)} | ${ms(r.load.p99)} | ` +
            `${fmt(r.load.bytes)} | ${fmt(r.load.serverUs)}${dialect === 'postgres' && r.goal ? ` + ${fmt(r.load.dbUs)}` : ''} | ` +
            `${fmt(r.load.mainUs)} | ` +
            `${ratio.toFixed(2)}× | ${r.goal ? goalText : ''} | ${r.goal ? (met ? 'pass' : 'FAIL') : ''} |`
          );
        }),
      ].join('\n'),
    );
    for (const r of rows) if (r.load.problems !== '') console.log(`${r.route}: ${r.load.problems}`);
    if (goal.p99Ms !== undefined) {
      // With every connection waiting for an answer, the mean latency is connections ÷ answers a
      // second (Little's law) whatever the server does, and p99 is at least the mean: the least
      // throughput at which the p99 goal can be met, for the reader to set against the bare route.
      const least = (CONNECTIONS / goal.p99Ms) * 1000;
      const bareRps = Math.max(json.bare.rps, page.bare.rps);
      console.log(
        `\np99 under ${goal.p99Ms} ms with ${CONNECTIONS} connections needs more than ${fmt(least)} answers a second ` +
          `(p99 ≥ mean = ${CONNECTIONS} ÷ answers a second): ${(least / bareRps).toFixed(2)}× the bare route here, ` +
          `whose own p99 was ${ms(json.bare.p99)} and ${ms(page.bare.p99)} ms (mean ${ms((CONNECTIONS / json.bare.rps) * 1000)} ` +
          `and ${ms((CONNECTIONS / page.bare.rps) * 1000)} ms).`,
      );
    }

    const after = await counts(f, started);
    const written = after.written.reduce((sum, r) => sum + r.n, 0);
    console.log(
      `\n${after.settings}. scans rows written by the Tracemark runs: ${fmt(written)} ` +
        `(answers wrk counted, warm-ups and the first check included: ${fmt(sent)}; ` +
        `requests cut off at a run's end may be written without being counted) — ` +
        after.written.map((r) => `${r.channel} ${r.verdict} ${fmt(r.n)}`).join(', ') +
        `. Codes with a query summary: ${fmt(after.queried)} (${fmt(QUERIED)} before).`,
    );
    if (written < sent) {
      console.log('NOT every answered query was written: fewer scans rows than answers.');
      allMet = false;
    }

    if (profile) {
      for (const [route, prefix] of [
        ['json', '/api/v1/verify/'],
        ['page', '/c/'],
      ] as const) {
        console.log(`\n${(await profileRoute(f, dialect, route, prefix)).join('\n')}`);
      }
    }
    return allMet;
  } finally {
    if (keep) console.log(`\nfixture kept (--keep): DATA_DIR=${f.t.dataDir} DATABASE_URL=${f.t.url}`);
    else await f.t.dispose();
  }
}

// ---- main ----

if (args.includes('--no-build')) {
  process.stderr.write('using the existing build (--no-build)\n');
} else {
  process.stderr.write('building (npm run build)…\n');
  if (spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    console.error('the build failed (--no-build runs the existing build)');
    process.exit(1);
  }
}
console.log(`# bench/scan — ${new Date().toISOString()}`);
console.log(
  `${fmt(CODES)} issued and activated codes (one job, 17 digits), ${fmt(QUERIED)} queried before; ` +
    `wrk -t1 -c${CONNECTIONS}, ${DURATION_S} s per route in ${ROUNDS} slices alternating with as many of the ` +
    `bare route, after a ${WARMUP_S} s warm-up of each; servers and wrk share ` +
    `${cpus().length} cores; Node ${process.versions.node}; load average ${loadavg()[0]!.toFixed(2)} at start`,
);
let met = true;
for (const dialect of dialects) met = (await benchDialect(dialect)) && met;
console.log(`\ngoals ${met ? 'met' : 'NOT met'} (load average ${loadavg()[0]!.toFixed(2)} at the end)`);
