// EPCIS capture benchmark: documents of 1,000 events (ObjectEvents of 2 EPCs and AggregationEvents
// of 1 parent and 10 children, with read point and location) through the capture path — GS1 JSON
// Schema validation, normalisation and the CBV event hash, duplicate check, multi-row inserts of
// events and identifiers in one transaction — on SQLite and PostgreSQL. The baseline, measured in
// the same run on the same database, is the bare multi-row INSERT of the same rows in one
// transaction. Goal (issue 5): ≥ 20,000 events/s on SQLite. Run on demand:
//   npm run bench:epcis [-- --docs N] [--engine sqlite|postgres] [--no-baseline]
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { newId, openDatabase, migrateToLatest, repositories, type Db } from '@tracemark/db';
import { createTestDatabase, type TestDatabase } from '@tracemark/testing';
import { loadConfig } from '../packages/server/src/config.js';
import { prepareEvents } from '../packages/server/src/modules/epcis/capture.js';
import { schemaProblems } from '../packages/server/src/modules/epcis/json-schema.js';
import { storeWithRetry } from '../packages/server/src/modules/epcis/service.js';

const args = process.argv.slice(2);
const docs = Number(args[args.indexOf('--docs') + 1] ?? 0) || 5;
const PER_DOC = 1000;
// --no-baseline: capture only (for profiles of the capture path alone).
const withBaseline = !args.includes('--no-baseline');
const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

function document(run: string): Record<string, unknown> {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < PER_DOC; i++) {
    const serial = `${run}${i}`;
    events.push(
      i % 2 === 0
        ? {
            type: 'ObjectEvent',
            eventID: `urn:uuid:${run}-${i}`,
            eventTime: '2026-03-01T08:00:00.000+08:00',
            eventTimeZoneOffset: '+08:00',
            epcList: [
              `urn:epc:id:sgtin:0614141.107346.${serial}`,
              `urn:epc:id:sgtin:0614141.107346.${serial}b`,
            ],
            action: 'OBSERVE',
            bizStep: 'shipping',
            disposition: 'in_transit',
            readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
            bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
          }
        : {
            type: 'AggregationEvent',
            eventID: `urn:uuid:${run}-${i}`,
            eventTime: '2026-03-01T08:00:00.000+08:00',
            eventTimeZoneOffset: '+08:00',
            parentID: `urn:epc:id:sscc:0614141.${String(i).padStart(10, '0')}`,
            childEPCs: Array.from({ length: 10 }, (_, k) => `urn:epc:id:sgtin:0614141.107346.${serial}c${k}`),
            action: 'ADD',
            bizStep: 'packing',
            readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
          },
    );
  }
  return {
    '@context': [CTX],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T00:00:00Z',
    epcisBody: { eventList: events },
  };
}

async function tenant(db: Db): Promise<string> {
  const id = newId();
  const now = Date.now();
  // The enterprise row the events' foreign key needs, written directly.
  const cols =
    (await db.kysely.introspection.getTables()).find((t) => t.name === 'enterprises')?.columns ?? [];
  const row: Record<string, unknown> = {};
  for (const c of cols) {
    if (c.isNullable) continue;
    row[c.name] = c.name === 'id' ? id : c.dataType.includes('int') ? now : `${c.name}-${id}`;
  }
  await db.kysely
    .insertInto('enterprises')
    .values(row as never)
    .execute();
  return id;
}

// CPU time, not wall-clock: the machine is shared, so wall-clock rates vary with other work.
// process.cpuUsage() is exact but counts every thread (V8's GC helpers, the SQLite checkpointer,
// which runs whenever a commit left WAL pages, i.e. during the next document's steps). The main
// thread's own time is the process's less the other threads' (Linux: /proc/self/task/<tid>/schedstat,
// exact for threads not running right now; the running thread's own entry is only as fine as the
// scheduler tick).
const cpuUs = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const threadIds = (): string[] => {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return []; // not Linux: thread figures unavailable
  }
};
const threadsUs = (tids: Iterable<string>): number => {
  let sum = 0;
  for (const tid of tids) {
    try {
      sum += Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
    } catch {
      // the thread ended
    }
  }
  return sum;
};
const otherThreadsUs = (): number => {
  const tids = threadIds().filter((t) => Number(t) !== process.pid);
  return tids.length === 0 ? Number.NaN : threadsUs(tids);
};
/** CPU µs so far: the process's and the main thread's. */
const cpuNow = (): { all: number; main: number } => {
  const all = cpuUs();
  return { all, main: all - otherThreadsUs() };
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function run(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const t: TestDatabase = await createTestDatabase(dialect);
  const threadsBefore = new Set(threadIds());
  const db = openDatabase(t.target);
  // The thread opening the database started: SQLite's checkpointer.
  const checkpointer = threadIds().filter((tid) => !threadsBefore.has(tid));
  try {
    await migrateToLatest(db);
    const config = loadConfig({
      DATA_DIR: t.dataDir,
      DATABASE_URL: t.url,
      PUBLIC_URL: 'https://t.example.cn',
    });
    const deps = { db, config };
    const tenantId = await tenant(db);
    const baseTenant = await tenant(db);
    schemaProblems(document('warm')); // compile the schema outside the timings
    const full: number[] = [];
    const validate: number[] = [];
    const prepare: number[] = [];
    const store: number[] = [];
    const base: number[] = [];
    // CPU µs per step on the main thread, and of the whole document on all threads.
    const cpu = {
      validate: [] as number[],
      prepare: [] as number[],
      store: [] as number[],
      whole: [] as number[],
      wholeAll: [] as number[],
    };
    const checkpointerAtStart = threadsUs(checkpointer);
    for (let d = 0; d < docs; d++) {
      const doc = document(`r${d}x`);
      const body = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
      const c0 = cpuNow();
      const t0 = performance.now();
      const problems = schemaProblems(body);
      const t1 = performance.now();
      const c1 = cpuNow();
      const events = (body['epcisBody'] as { eventList: unknown[] }).eventList;
      const { prepared } = prepareEvents(events, body['@context'], { platformBase: config.publicUrl });
      const t2 = performance.now();
      const c2 = cpuNow();
      const outcome = await storeWithRetry(deps, tenantId, newId(), prepared);
      const t3 = performance.now();
      const c3 = cpuNow();
      cpu.validate.push(c1.main - c0.main);
      cpu.prepare.push(c2.main - c1.main);
      cpu.store.push(c3.main - c2.main);
      cpu.whole.push(c3.main - c0.main);
      cpu.wholeAll.push(c3.all - c0.all);
      if (problems.length > 0 || outcome.captured !== PER_DOC)
        throw new Error('bench document not captured whole');
      validate.push(t1 - t0);
      prepare.push(t2 - t1);
      store.push(t3 - t2);
      full.push(t3 - t0);
      if (!withBaseline) continue;
      // Baseline: the same rows, bare multi-row INSERTs in one transaction.
      const now = Date.now();
      const rows = prepared.map((p) => ({
        tenant_id: baseTenant,
        id: newId(now),
        event_id: p.eventId,
        type: p.facts.type,
        event_time: p.facts.eventTimeMs,
        record_time: now,
        event_time_zone_offset: p.facts.eventTimeZoneOffset,
        action: p.facts.action,
        biz_step: p.facts.bizStep,
        disposition: p.facts.disposition,
        read_point: p.facts.readPoint,
        biz_location: p.facts.bizLocation,
        hash: p.hash,
        capture_id: 'bench',
        body: p.body,
        error_declaration: null,
        error_declared_at: null,
        error_reason: null,
      }));
      const epcs = prepared.flatMap((p, k) =>
        p.facts.epcs.map((e) => ({
          tenant_id: baseTenant,
          epc: e.epc,
          role: e.role,
          event_pk: rows[k]?.id ?? '',
        })),
      );
      const b0 = performance.now();
      await db.kysely.transaction().execute((trx) => repositories(trx).events.insertEvents(rows, epcs));
      base.push(performance.now() - b0);
    }
    const checkpointerUs = threadsUs(checkpointer) - checkpointerAtStart;
    const rate = (ms: number) => Math.round((PER_DOC / ms) * 1000);
    const n = (await sql<{ n: number }>`select count(*) as n from event_epcs`.execute(db.kysely)).rows[0]?.n;
    console.log(
      `${dialect.padEnd(8)} capture ${rate(median(full)).toLocaleString('en')} events/s ` +
        `(validate ${median(validate).toFixed(1)} ms, normalise+hash ${median(prepare).toFixed(1)} ms, store ${median(store).toFixed(1)} ms per 1,000) · ` +
        `baseline bare INSERT ${rate(median(base)).toLocaleString('en')} events/s · ratio ${(median(base) / median(full)).toFixed(2)} ` +
        `· ${docs} documents, ${String(n)} identifier rows`,
    );
    const us = (xs: number[]) => (median(xs) / PER_DOC).toFixed(1);
    console.log(
      `${dialect.padEnd(8)} CPU µs/event (median; main thread): validate ${us(cpu.validate)}, ` +
        `normalise+hash ${us(cpu.prepare)}, store ${us(cpu.store)}, whole ${us(cpu.whole)} · ` +
        `whole on all threads ${us(cpu.wholeAll)} · checkpointer thread ` +
        `${checkpointer.length === 0 ? 'none' : (checkpointerUs / (docs * PER_DOC)).toFixed(1)} (mean` +
        `${withBaseline ? ', baseline writes included' : ''})`,
    );
  } finally {
    await db.close();
    await t.dispose();
  }
}

console.log(
  `EPCIS capture, documents of ${PER_DOC} events (median of ${docs}); ${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(2)}`,
);
const only = args[args.indexOf('--engine') + 1];
if (only !== 'postgres') await run('sqlite');
if (only !== 'sqlite') await run('postgres');
