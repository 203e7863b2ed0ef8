import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { canonicalIdentifier } from '@tracemark/core';
import { dialects } from '@tracemark/testing';
import { approvedEnterprise, harness, operatorClient, type Client, type Harness } from './support/harness.js';

const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const PUBLIC_URL = 'https://t.example.cn';

type Ev = Record<string, unknown>;
interface TraceBody {
  roots: string[];
  nodes: Array<{
    id: string;
    kind: string;
    level: number;
    parent?: string | null;
    holding?: Record<string, unknown>;
    details?: Record<string, unknown>;
  }>;
  links: Array<{ from: string; to: string; kind: string; eventId: string | null }>;
  timeline: Array<{ stage: string; events: Array<{ eventId: string; bizStep: string | null }> }>;
  truncated: boolean;
}

const sgtin = (serial: string) => `urn:epc:id:sgtin:0614141.107346.${serial}`;
const dlItem = (serial: string) => `https://id.gs1.org/01/10614141073464/21/${serial}`;
const sscc = (n: number) => `urn:epc:id:sscc:0614141.${String(n).padStart(10, '0')}`;
const lgtin = (lot: string) => `urn:epc:class:lgtin:4012345.012345.${lot}`;
const dlLot = (lot: string) => `https://id.gs1.org/01/04012345123456/10/${lot}`;
const pgln = 'urn:epc:id:pgln:0614141.00002';
/** The canonical form trace answers with. */
const dl = (urn: string): string => {
  const c = canonicalIdentifier(urn);
  if (!c.ok) throw new Error(c.message);
  return c.uri;
};

let seq = 0;
const time = (day: number) => `2026-03-${String(day).padStart(2, '0')}T08:00:00.000+08:00`;
const id = (tag: string) => `urn:uuid:trace-${tag}-${++seq}`;

function aggregation(
  tag: string,
  action: 'ADD' | 'DELETE',
  parent: string,
  children: string[],
  day: number,
): Ev {
  return {
    type: 'AggregationEvent',
    eventID: id(tag),
    eventTime: time(day),
    eventTimeZoneOffset: '+08:00',
    parentID: parent,
    ...(children.length > 0 ? { childEPCs: children } : {}),
    action,
    bizStep: action === 'ADD' ? 'packing' : 'unpacking',
    readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
  };
}

function transformation(
  tag: string,
  inputs: { epcs?: string[]; classes?: string[] },
  outputs: { epcs?: string[]; classes?: string[] },
  day: number,
): Ev {
  return {
    type: 'TransformationEvent',
    eventID: id(tag),
    eventTime: time(day),
    eventTimeZoneOffset: '+08:00',
    ...(inputs.epcs ? { inputEPCList: inputs.epcs } : {}),
    ...(inputs.classes
      ? { inputQuantityList: inputs.classes.map((c) => ({ epcClass: c, quantity: 10, uom: 'KGM' })) }
      : {}),
    ...(outputs.epcs ? { outputEPCList: outputs.epcs } : {}),
    ...(outputs.classes
      ? { outputQuantityList: outputs.classes.map((c) => ({ epcClass: c, quantity: 100 })) }
      : {}),
  };
}

function shipping(tag: string, epcs: string[], to: string, day: number): Ev {
  return {
    type: 'ObjectEvent',
    eventID: id(tag),
    eventTime: time(day),
    eventTimeZoneOffset: '+08:00',
    epcList: epcs,
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
    destinationList: [{ type: 'owning_party', destination: to }],
  };
}

function receivingLot(tag: string, lot: string, day: number): Ev {
  return {
    type: 'ObjectEvent',
    eventID: id(tag),
    eventTime: time(day),
    eventTimeZoneOffset: '+08:00',
    quantityList: [{ epcClass: lot, quantity: 500, uom: 'KGM' }],
    action: 'OBSERVE',
    bizStep: 'receiving',
  };
}

for (const dialect of dialects) {
  describe(`trace on ${dialect}`, () => {
    let h: Harness;
    let acme: { admin: Client; enterpriseId: string };
    let other: { admin: Client; enterpriseId: string };

    const ok = async <T>(res: Promise<LightMyRequestResponse>, status = 200): Promise<T> => {
      const r = await res;
      assert.equal(r.statusCode, status, r.body);
      return JSON.parse(r.body) as T;
    };
    const capture = async (events: Ev[], c: Client = acme.admin, status = 201) => {
      for (const e of events) await ok(c.call('POST', '/epcis/events', { '@context': [CTX], ...e }), status);
    };
    const traceOf = (query: string, c: Client = acme.admin) =>
      ok<TraceBody>(c.call('GET', `/api/v1/trace?${query}`));
    const epcQuery = (epc: string, direction: string, extra = '') =>
      `epc=${encodeURIComponent(epc)}&direction=${direction}${extra}`;
    const ids = (t: TraceBody) => new Set(t.nodes.map((n) => n.id));
    const rowsOf = async (table: 'trace_parent' | 'trace_edges' | 'trace_holdings', tenantId: string) =>
      h.db.kysely.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).execute();

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL });
      const operator = await operatorClient(h);
      acme = await approvedEnterprise(h, operator, { username: 'trace-admin', orgBody: 'MA1TRAC0' });
      other = await approvedEnterprise(h, operator, { username: 'trace-other', orgBody: 'MA1TRAC1' });
    });
    after(() => h.close());

    test('packing, unpacking, transforming and shipping keep the derived tables current', async () => {
      await capture([
        aggregation('d', 'ADD', sscc(1), [sgtin('d1'), sgtin('d2')], 2),
        aggregation('d', 'DELETE', sscc(1), [sgtin('d2')], 3),
        transformation('d', { classes: [lgtin('DLOT')] }, { epcs: [sgtin('d1')] }, 1),
        shipping('d', [sscc(1)], pgln, 4),
      ]);
      const parents = await rowsOf('trace_parent', acme.enterpriseId);
      const parentOf = (child: string) => parents.find((p) => p.child === child)?.parent;
      assert.equal(parentOf(dlItem('d1')), dl(sscc(1)));
      assert.equal(parentOf(dlItem('d2')), null, 'unpacked child has no parent');
      const edges = await rowsOf('trace_edges', acme.enterpriseId);
      assert.ok(
        edges.some((e) => e.kind === 'contains' && e.to_epc === dlItem('d2')),
        'containment history kept',
      );
      assert.ok(
        edges.some(
          (e) => e.kind === 'transformed' && e.from_epc === dlLot('DLOT') && e.to_epc === dlItem('d1'),
        ),
      );
      assert.ok(
        edges.some((e) => e.kind === 'shipped' && e.to_epc === 'https://id.gs1.org/417/0614141000029'),
      );
      const holding = (await rowsOf('trace_holdings', acme.enterpriseId)).find((x) => x.epc === dl(sscc(1)));
      assert.ok(holding !== undefined);
      assert.equal(holding.biz_step, 'shipping');
      assert.equal(holding.owner, 'https://id.gs1.org/417/0614141000029');
      assert.equal(holding.biz_location, 'https://id.gs1.org/414/0614141073467');
    });

    test('an older ADD captured after a later DELETE does not put the child back', async () => {
      await capture([aggregation('o', 'DELETE', sscc(2), [sgtin('o1')], 5)]);
      await capture([aggregation('o', 'ADD', sscc(2), [sgtin('o1')], 4)]);
      const row = (await rowsOf('trace_parent', acme.enterpriseId)).find((p) => p.child === dlItem('o1'));
      assert.equal(row?.parent ?? null, null);
    });

    test('backward trace of an item reaches its case, pallet, batch and raw-material lots at any depth', async () => {
      await capture([
        receivingLot('b', lgtin('RAW1'), 1),
        transformation('b', { classes: [lgtin('RAW1'), lgtin('RAW2')] }, { classes: [lgtin('BATCH1')] }, 2),
        transformation('b', { classes: [lgtin('BATCH1')] }, { epcs: [sgtin('b1'), sgtin('b2')] }, 3),
        aggregation('b', 'ADD', sscc(10), [sgtin('b1'), sgtin('b2')], 4),
        aggregation('b', 'ADD', sscc(11), [sscc(10)], 5),
        shipping('b', [sscc(11)], pgln, 6),
      ]);
      const t = await traceOf(epcQuery(sgtin('b1'), 'backward'));
      const got = ids(t);
      for (const want of [dlItem('b1'), dlLot('BATCH1'), dlLot('RAW1'), dlLot('RAW2')])
        assert.ok(got.has(want), want);
      assert.equal(t.nodes.find((n) => n.id === dl(sscc(10)))?.level, -1, 'its case');
      assert.equal(t.nodes.find((n) => n.id === dl(sscc(11)))?.kind, 'pallet', 'the pallet the case is on');
      assert.equal(t.nodes.find((n) => n.id === dlLot('RAW1'))?.level, -2);
      assert.ok(!got.has(dlItem('b2')), 'a sibling is not in the backward trace');
      const stages = t.timeline.map((g) => g.stage);
      for (const s of ['raw_material', 'production', 'processing', 'logistics'])
        assert.ok(stages.includes(s), s);
      assert.ok(t.links.every((l) => l.kind !== 'contains' || l.eventId !== null));
      // depth limits the walk
      const shallow = await traceOf(epcQuery(sgtin('b1'), 'backward', '&depth=1'));
      assert.ok(!ids(shallow).has(dlLot('RAW1')));
      assert.ok(ids(shallow).has(dlLot('BATCH1')));
    });

    test('forward trace of a raw lot reaches batches, items, the pallet they are on and where it was shipped', async () => {
      const t = await traceOf(epcQuery(lgtin('RAW1'), 'forward'));
      const got = ids(t);
      for (const want of [
        dlLot('BATCH1'),
        dlItem('b1'),
        dlItem('b2'),
        'https://id.gs1.org/417/0614141000029',
      ])
        assert.ok(got.has(want), want);
      assert.ok(t.links.some((l) => l.kind === 'shipped-to'));
      // A pallet implies its cases and items.
      const fromPallet = await traceOf(epcQuery(sscc(11), 'forward'));
      assert.ok(ids(fromPallet).has(dlItem('b1')) && ids(fromPallet).has(dlItem('b2')));
      assert.equal(fromPallet.nodes.find((n) => n.level === 0)?.kind, 'pallet');
      // Forward through historical containment: d2 left sscc(1) but was in it.
      assert.ok(ids(await traceOf(epcQuery(sscc(1), 'forward'))).has(dlItem('d2')));
    });

    test('a cycle in the events does not make the walk loop', async () => {
      await capture([
        transformation('c', { epcs: [sgtin('c1')] }, { epcs: [sgtin('c2')] }, 1),
        transformation('c', { epcs: [sgtin('c2')] }, { epcs: [sgtin('c1')] }, 2),
      ]);
      const t = await traceOf(epcQuery(sgtin('c1'), 'both'));
      assert.deepEqual([...ids(t)].sort(), [dlItem('c1'), dlItem('c2')].sort());
    });

    test('an event declared erroneous is left out, and what it derived is undone', async () => {
      const wrong = aggregation('e', 'ADD', sscc(20), [sgtin('e1')], 2);
      await capture([aggregation('e', 'ADD', sscc(21), [sgtin('e1')], 1), wrong]);
      let row = (await rowsOf('trace_parent', acme.enterpriseId)).find((p) => p.child === dlItem('e1'));
      assert.equal(row?.parent, dl(sscc(20)));
      await capture(
        [
          {
            ...wrong,
            errorDeclaration: { declarationTime: '2026-03-09T00:00:00Z', reason: 'incorrect_data' },
          },
        ],
        acme.admin,
        200,
      );
      row = (await rowsOf('trace_parent', acme.enterpriseId)).find((p) => p.child === dlItem('e1'));
      assert.equal(row?.parent, dl(sscc(21)), 'the parent comes from the remaining event');
      const t = await traceOf(epcQuery(sgtin('e1'), 'backward'));
      assert.ok(!ids(t).has(dl(sscc(20))), 'the wrong container is not reached');
      assert.ok(ids(t).has(dl(sscc(21))));
      assert.ok(!t.timeline.some((g) => g.events.some((e) => e.eventId === wrong['eventID'])));
      // Captured already declared: derives nothing.
      await capture([
        {
          ...aggregation('e', 'ADD', sscc(22), [sgtin('e2')], 3),
          errorDeclaration: { declarationTime: '2026-03-09T00:00:00Z' },
        },
      ]);
      assert.equal(
        (await rowsOf('trace_parent', acme.enterpriseId)).find((p) => p.child === dlItem('e2')),
        undefined,
      );
    });

    test('another enterprise traces none of these events', async () => {
      const t = await traceOf(epcQuery(sgtin('b1'), 'both'), other.admin);
      assert.deepEqual(t.links, []);
      assert.deepEqual(t.timeline, []);
      assert.equal(t.nodes.length, 1);
      assert.equal((await rowsOf('trace_parent', other.enterpriseId)).length, 0);
    });

    test('a trace needs exactly one starting point', async () => {
      const r = await acme.admin.call('GET', '/api/v1/trace?direction=both');
      assert.equal(r.statusCode, 400);
      const two = await acme.admin.call('GET', `/api/v1/trace?lot=X&epc=${encodeURIComponent(sgtin('b1'))}`);
      assert.equal(two.statusCode, 400);
    });

    test('activation and packing through the codes API write events that trace finds', async () => {
      const c = acme.admin;
      const product = await ok<{ id: string }>(
        c.call('POST', '/api/v1/products', { name: '追溯测试米' }),
        201,
      );
      const batch = await ok<{ id: string }>(
        c.call('POST', '/api/v1/batches', {
          productId: product.id,
          lot: 'TR-LOT-1',
          productionDate: '2026-03-01',
        }),
        201,
      );
      const space = await ok<{ id: string }>(
        c.call('POST', '/api/v1/code-spaces', { name: '追溯', length: 17 }),
        201,
      );
      const items = await ok<{ id: string }>(
        c.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 4, productId: product.id }),
        201,
      );
      const cases = await ok<{ id: string }>(
        c.call('POST', '/api/v1/code-jobs', {
          spaceId: space.id,
          count: 1,
          productId: product.id,
          packingLevel: 'case',
        }),
        201,
      );
      const codes = async (jobId: string) =>
        (
          await ok<{ items: Array<{ code: string }> }>(
            c.call('GET', `/api/v1/code-jobs/${jobId}/codes?offset=0&count=10`),
          )
        ).items.map((i) => i.code);
      const itemCodes = await codes(items.id);
      const [caseCode = ''] = await codes(cases.id);
      await ok(c.call('POST', '/api/v1/code-activations', { batchId: batch.id, jobId: items.id }));
      await ok(c.call('POST', '/api/v1/line/pack', { parent: caseCode, children: itemCodes.slice(0, 3) }));
      await ok(c.call('POST', '/api/v1/line/unpack', { parent: caseCode, children: [itemCodes[2]] }));

      const back = await traceOf(`code=${itemCodes[0]}&direction=backward`);
      const caseId = `${PUBLIC_URL}/c/${caseCode}`;
      const batchId = `${PUBLIC_URL}/id/batch/${batch.id}`;
      assert.ok(ids(back).has(caseId), 'the case it was packed in');
      assert.ok(ids(back).has(batchId), 'its batch, through the activation');
      assert.equal(back.nodes.find((n) => n.id === `${PUBLIC_URL}/c/${itemCodes[0]}`)?.parent, caseId);
      const steps = back.timeline.flatMap((g) => g.events.map((e) => e.bizStep));
      assert.ok(steps.includes('commissioning') && steps.includes('packing'), steps.join());

      const unpacked = await traceOf(`code=${itemCodes[2]}&direction=backward`);
      assert.equal(unpacked.nodes.find((n) => n.level === 0)?.parent, null);

      const forward = await traceOf(`batchId=${batch.id}&direction=forward`);
      assert.ok(forward.nodes.some((n) => n.kind === 'code_range' && n.details?.['count'] === 4));
      assert.ok(ids(forward).has(caseId), 'the case codes of the batch are in');
      const byLot = await traceOf('lot=TR-LOT-1&direction=forward');
      assert.deepEqual(byLot.roots, [batchId]);
      // Not the other enterprise's code.
      const theirs = await other.admin.call('GET', `/api/v1/trace?code=${itemCodes[0]}`);
      assert.equal(theirs.statusCode, 404);
    });
  });
}
