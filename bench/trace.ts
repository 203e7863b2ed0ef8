// Trace benchmark (issue 5): the synthetic chain — 2,000 raw-material lots → 20,000 batches (10 per
// lot, one TransformationEvent each) → 1 million items (50 per batch, one TransformationEvent per
// batch from its class to its items) packed 10 to a case and 25 cases to a pallet, shipped and
// received through 3 distributor levels, with item-level events on the way (commissioning,
// inspecting, storing, arriving at each level, stocking, retail selling): about 8.4 million events
// at --scale=1. Captured in EPCIS documents of 1,000 events through the capture path (normalise,
// hash, duplicate check, events + identifiers + trace's derived tables in one transaction), then
// traced: backward from items, both ways from batches, forward from raw lots (each reaching 500
// items, 50 cases, 2–3 pallets and the distributors). Baseline, in the same run on the same data: a
// primary-key lookup on `trace_parent` through Kysely (what one step of a trace costs at least).
// Goals on SQLite: capture ≥ 20,000 events/s, item trace p99 < 20 ms, raw-lot forward trace
// (~500 items) < 100 ms. Run on demand:
//   npm run bench:trace [-- --scale=0.1 --engine=sqlite|postgres|both --samples=200]
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import pino from 'pino';
import { migrateToLatest, newId, openDatabase, type Db, type DialectName } from '@tracemark/db';
import { createTestDatabase } from '@tracemark/testing';
import { loadConfig, type Config } from '../packages/server/src/config.js';
import type { ServiceContext } from '../packages/server/src/lib/context.js';
import { systemContext } from '../packages/server/src/lib/context.js';
import { FileStore } from '../packages/server/src/lib/file-store.js';
import { prepareEvents } from '../packages/server/src/modules/epcis/capture.js';
import { storeWithRetry } from '../packages/server/src/modules/epcis/service.js';
import { trace } from '../packages/server/src/modules/trace/service.js';

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const scale = Number(arg('scale', '0.01'));
const engine = arg('engine', 'both');
const samples = Number(arg('samples', '200'));

const RAW_LOTS = Math.max(1, Math.round(2000 * scale));
const BATCHES_PER_LOT = 10;
const ITEMS_PER_BATCH = 50;
const ITEMS_PER_CASE = 10;
const CASES_PER_PALLET = 25;
const LEVELS = 3;
const PER_DOC = 1000;
const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

const item = (b: number, i: number) => `urn:epc:id:sgtin:0614141.107346.B${b}I${i}`;
const batchClass = (b: number) => `urn:epc:class:lgtin:0614141.107346.BATCH${b}`;
const rawClass = (l: number) => `urn:epc:class:lgtin:4012345.012345.RAW${l}`;
const sscc = (n: number) => `urn:epc:id:sscc:0614141.${String(n).padStart(10, '0')}`;
const party = (level: number) => `urn:epc:id:pgln:0614141.0000${level}`;
const site = (level: number) => `urn:epc:id:sgln:0614141.0000${level}.0`;

let clock = Date.parse('2026-01-01T00:00:00Z');
function ev(type: string, fields: Record<string, unknown>): Record<string, unknown> {
  clock += 1000;
  return {
    type,
    eventID: `urn:uuid:${newId()}`,
    eventTime: new Date(clock).toISOString(),
    eventTimeZoneOffset: '+00:00',
    ...fields,
  };
}
const observe = (epcs: string[], bizStep: string, extra: Record<string, unknown> = {}) =>
  ev('ObjectEvent', { epcList: epcs, action: 'OBSERVE', bizStep, ...extra });

/** The chain's events, in documents' worth, in order. */
function* chain(): Generator<Record<string, unknown>> {
  let caseNo = 0;
  let palletNo = 1_000_000;
  let palletCases: string[] = [];
  let palletItems: string[][] = [];
  const shipPallet = function* (pallet: string, items: string[][]): Generator<Record<string, unknown>> {
    for (let level = 1; level <= LEVELS; level++) {
      yield observe([pallet], 'shipping', {
        disposition: 'in_transit',
        destinationList: [{ type: 'owning_party', destination: party(level) }],
      });
      yield observe([pallet], 'receiving', { disposition: 'in_progress', bizLocation: { id: site(level) } });
      for (const c of items)
        for (const i of c) yield observe([i], 'arriving', { bizLocation: { id: site(level) } });
    }
  };
  for (let l = 0; l < RAW_LOTS; l++) {
    yield ev('ObjectEvent', {
      quantityList: [{ epcClass: rawClass(l), quantity: 1000, uom: 'KGM' }],
      action: 'OBSERVE',
      bizStep: 'receiving',
    });
    for (let k = 0; k < BATCHES_PER_LOT; k++) {
      const b = l * BATCHES_PER_LOT + k;
      yield ev('TransformationEvent', {
        inputQuantityList: [{ epcClass: rawClass(l), quantity: 100, uom: 'KGM' }],
        outputQuantityList: [{ epcClass: batchClass(b), quantity: ITEMS_PER_BATCH }],
      });
      const items = Array.from({ length: ITEMS_PER_BATCH }, (_, i) => item(b, i));
      yield ev('TransformationEvent', {
        inputQuantityList: [{ epcClass: batchClass(b), quantity: ITEMS_PER_BATCH }],
        outputEPCList: items,
      });
      for (const i of items)
        yield ev('ObjectEvent', { epcList: [i], action: 'ADD', bizStep: 'commissioning' });
      for (const i of items) yield observe([i], 'inspecting');
      for (let c = 0; c < items.length; c += ITEMS_PER_CASE) {
        const kids = items.slice(c, c + ITEMS_PER_CASE);
        const caseId = sscc(++caseNo);
        yield ev('AggregationEvent', {
          parentID: caseId,
          childEPCs: kids,
          action: 'ADD',
          bizStep: 'packing',
        });
        for (const i of kids) yield observe([i], 'storing');
        palletCases.push(caseId);
        palletItems.push(kids);
        if (palletCases.length === CASES_PER_PALLET) {
          const pallet = sscc(++palletNo);
          yield ev('AggregationEvent', {
            parentID: pallet,
            childEPCs: palletCases,
            action: 'ADD',
            bizStep: 'packing',
          });
          yield* shipPallet(pallet, palletItems);
          for (const group of palletItems) for (const i of group) yield observe([i], 'stocking');
          for (const group of palletItems) for (const i of group) yield observe([i], 'retail_selling');
          palletCases = [];
          palletItems = [];
        }
      }
    }
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
}

async function tenant(db: Db): Promise<string> {
  const id = newId();
  const cols =
    (await db.kysely.introspection.getTables()).find((t) => t.name === 'enterprises')?.columns ?? [];
  const row: Record<string, unknown> = {};
  for (const c of cols) {
    if (c.isNullable) continue;
    row[c.name] =
      c.name === 'id'
        ? id
        : c.name === 'status'
          ? 'approved'
          : c.dataType.includes('int')
            ? Date.now()
            : `${c.name}-${id}`;
  }
  await db.kysely
    .insertInto('enterprises')
    .values(row as never)
    .execute();
  return id;
}

async function timed(n: number, run: (k: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    await run(k);
    out.push(performance.now() - t0);
  }
  return out;
}

async function bench(dialect: DialectName): Promise<void> {
  const t = await createTestDatabase(dialect);
  const db = openDatabase(t.target);
  try {
    await migrateToLatest(db);
    const config: Config = loadConfig({
      DATA_DIR: t.dataDir,
      DATABASE_URL: t.url,
      PUBLIC_URL: 'https://t.example.cn',
    });
    const tenantId = await tenant(db);
    const log = pino({ level: 'silent' });
    const base = systemContext({ db, config, files: new FileStore(config.dataDir), log });
    const ctx: ServiceContext = {
      ...base,
      actor: {
        type: 'api_key',
        id: 'bench',
        name: 'bench',
        role: 'enterprise_admin',
        tenantId,
        jurisdiction: null,
      },
    };
    const options = { platformBase: config.publicUrl };
    let events = 0;
    let busy = 0;
    const started = performance.now();
    let doc: Record<string, unknown>[] = [];
    const flush = async (): Promise<void> => {
      const t0 = performance.now();
      const { prepared, problems } = prepareEvents(doc, [CTX], options);
      if (problems.length > 0) throw new Error(problems[0]?.message);
      const r = await storeWithRetry(ctx, tenantId, newId(), prepared);
      busy += performance.now() - t0;
      events += r.captured;
      doc = [];
      if (events % 200_000 < PER_DOC)
        process.stderr.write(
          `  ${dialect}: ${events.toLocaleString('en')} events, ${Math.round(events / (busy / 1000)).toLocaleString('en')}/s\n`,
        );
    };
    for (const e of chain()) {
      doc.push(e);
      if (doc.length === PER_DOC) await flush();
    }
    if (doc.length > 0) await flush();
    const wall = (performance.now() - started) / 1000;
    // Planner statistics, as a running server keeps them (PRAGMA optimize at start and every six
    // hours on SQLite, autovacuum's ANALYZE on PostgreSQL): without them PostgreSQL plans these
    // index walks as scans of the whole tenant.
    await sql`ANALYZE`.execute(db.kysely);

    const batches = RAW_LOTS * BATCHES_PER_LOT;
    const pick = (k: number, n: number) => (k * 7919) % n;
    const pkBase = await timed(samples, (k) =>
      db.kysely
        .selectFrom('trace_parent')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where(
          'child',
          '=',
          `https://id.gs1.org/01/10614141073464/21/B${pick(k, batches)}I${k % ITEMS_PER_BATCH}`,
        )
        .executeTakeFirst(),
    );
    const itemT = await timed(samples, (k) =>
      trace(ctx, { epc: item(pick(k, batches), k % ITEMS_PER_BATCH) }, { direction: 'backward' }),
    );
    const batchT = await timed(Math.min(samples, 100), (k) =>
      trace(ctx, { epc: batchClass(pick(k, batches)) }, { direction: 'both' }),
    );
    let reached = 0;
    const lotT = await timed(Math.min(samples, 50), async (k) => {
      const r = await trace(ctx, { epc: rawClass(pick(k, RAW_LOTS)) }, { direction: 'forward' });
      reached = r.nodes.filter((n) => n.kind === 'item').length;
    });
    const f = (xs: number[]) =>
      `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p99 ${quantile(xs, 0.99).toFixed(2)} ms`;
    console.log(
      `${dialect}: ${events.toLocaleString('en')} events captured at ${Math.round(events / (busy / 1000)).toLocaleString('en')} events/s ` +
        `(wall ${wall.toFixed(0)} s incl. generating)\n` +
        `  baseline trace_parent PK lookup: ${f(pkBase)}\n` +
        `  item backward trace:            ${f(itemT)}\n` +
        `  batch trace (both ways):        ${f(batchT)}\n` +
        `  raw lot forward trace:          ${f(lotT)} (reaching ${reached} items)`,
    );
  } finally {
    await db.close();
    await t.dispose();
  }
}

console.log(
  `Trace bench at scale ${scale}: ${RAW_LOTS.toLocaleString('en')} raw lots, ${(RAW_LOTS * BATCHES_PER_LOT).toLocaleString('en')} batches, ` +
    `${(RAW_LOTS * BATCHES_PER_LOT * ITEMS_PER_BATCH).toLocaleString('en')} items; ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}`,
);
if (engine !== 'postgres') await bench('sqlite');
if (engine !== 'sqlite') await bench('postgres');
