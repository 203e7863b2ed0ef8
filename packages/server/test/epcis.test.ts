import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { eventHashId } from '@tracemark/core';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  Client,
  harness,
  json,
  operatorClient,
  type Harness,
} from './support/harness.js';

const CTX = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

type Ev = Record<string, unknown>;

/** One event of each type, with an extension, sensor data and ILMD; the last without eventID. */
function sampleEvents(tag: string): Ev[] {
  return [
    {
      type: 'ObjectEvent',
      eventID: `urn:uuid:${tag}-0001`,
      eventTime: '2026-03-01T08:00:00.000+08:00',
      eventTimeZoneOffset: '+08:00',
      epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018'],
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
      bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
      ilmd: { 'ex:harvestDate': '2026-02-27' },
      'ex:line': { 'ex:number': 3, 'ex:shift': 'night' },
      sensorElementList: [
        {
          sensorMetadata: { time: '2026-03-01T07:59:00+08:00', deviceID: 'urn:uuid:sensor-1' },
          sensorReport: [{ type: 'gs1:Temperature', value: 4.5, uom: 'CEL' }],
        },
      ],
    },
    {
      type: 'AggregationEvent',
      eventID: `urn:uuid:${tag}-0002`,
      eventTime: '2026-03-02T08:00:00Z',
      eventTimeZoneOffset: '+00:00',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      childEPCs: ['https://t.example.cn/01/10614141073464/21/2017'],
      childQuantityList: [
        { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 10, uom: 'KGM' },
      ],
      action: 'ADD',
      bizStep: 'packing',
      readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
    },
    {
      type: 'TransactionEvent',
      eventID: `urn:uuid:${tag}-0003`,
      eventTime: '2026-03-03T08:00:00Z',
      eventTimeZoneOffset: '+00:00',
      bizTransactionList: [{ type: 'po', bizTransaction: 'urn:epcglobal:cbv:bt:0614141073467:PO-1' }],
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      epcList: ['urn:epc:id:sgtin:0614141.107346.2018'],
      action: 'ADD',
      bizStep: 'shipping',
      disposition: 'in_transit',
      sourceList: [{ type: 'owning_party', source: 'urn:epc:id:pgln:0614141.00002' }],
    },
    {
      type: 'TransformationEvent',
      eventID: `urn:uuid:${tag}-0004`,
      eventTime: '2026-03-04T08:00:00Z',
      eventTimeZoneOffset: '+00:00',
      inputEPCList: ['urn:epc:id:sgtin:0614141.107346.2017'],
      inputQuantityList: [
        { epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2.5, uom: 'KGM' },
      ],
      outputEPCList: ['urn:epc:id:sgtin:0614141.107346.3001'],
      outputQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.OUT1', quantity: 1 }],
      transformationID: 'urn:uuid:transformation-1',
      bizStep: 'https://example.com/steps/blending',
    },
    {
      type: 'AssociationEvent',
      eventTime: '2026-03-05T08:00:00Z',
      eventTimeZoneOffset: '+00:00',
      parentID: 'urn:epc:id:grai:0614141.12345.400',
      childEPCs: ['urn:epc:id:giai:0614141.12345400'],
      action: 'ADD',
      bizStep: 'assembling',
      bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
    },
  ];
}

function documentOf(events: Ev[]): Ev {
  return {
    '@context': [CTX, { ex: 'https://ns.example.com/epcis/' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-06T00:00:00Z',
    epcisBody: { eventList: events },
  };
}

interface QueryDoc {
  epcisBody: {
    queryResults: { queryName: string; subscriptionID?: string; resultsBody: { eventList: Ev[] } };
  };
}
const eventsIn = (res: LightMyRequestResponse) =>
  json<QueryDoc>(res).epcisBody.queryResults.resultsBody.eventList;
const idsIn = (res: LightMyRequestResponse) => eventsIn(res).map((e) => String(e['eventID']));

for (const dialect of dialects) {
  describe(`EPCIS event store on ${dialect}`, () => {
    let h: Harness;
    let key: Client;
    let other: Client;
    let tenantId: string;

    async function capture(doc: Ev, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
      const res = await key.call('POST', '/epcis/capture', doc, headers);
      assert.equal(res.statusCode, 202, res.body);
      const location = String(res.headers['location']);
      assert.match(location, /^\/epcis\/capture\/[0-9a-f-]{36}$/);
      assert.equal(res.headers['gs1-epcis-version'], '2.0.0');
      await h.app.captureRunner.drain();
      const job = await key.call('GET', location);
      assert.equal(job.statusCode, 200);
      return json(job);
    }

    const countEvents = async (): Promise<number> => {
      const r = await sql<{
        n: number | string;
      }>`select count(*) as n from epcis_events where tenant_id = ${tenantId}`.execute(h.db.kysely);
      return Number(r.rows[0]?.n ?? 0);
    };

    before(async () => {
      // The webhook receiver of these tests listens on 127.0.0.1.
      h = await harness(dialect, { PUBLIC_URL: 'https://t.example.cn', EPCIS_WEBHOOK_ALLOW_PRIVATE: 'true' });
      const operator = await operatorClient(h);
      const a = await approvedEnterprise(h, operator, { username: 'ev-admin', orgBody: 'MA1EQNT0' });
      tenantId = a.enterpriseId;
      const created = json<{ key: string }>(await a.admin.call('POST', '/api/v1/api-keys', { name: 'ERP' }));
      key = new Client(h.app);
      key.bearer = created.key;
      const b = await approvedEnterprise(h, operator, {
        username: 'ev-other',
        orgBody: 'MA1EQNT1',
        region: '440106',
      });
      const bk = json<{ key: string }>(await b.admin.call('POST', '/api/v1/api-keys', { name: 'ERP' }));
      other = new Client(h.app);
      other.bearer = bk.key;
    });
    after(() => h.close());

    test('a captured document comes back event by event exactly as captured, plus recordTime and eventID', async () => {
      const events = sampleEvents('rt');
      const job = await capture(documentOf(events));
      assert.equal(job['running'], false);
      assert.equal(job['success'], true);
      assert.equal(job['capturedEvents'], 5);
      for (const e of events) {
        const id =
          typeof e['eventID'] === 'string'
            ? e['eventID']
            : eventHashId(e, sha256, { ex: 'https://ns.example.com/epcis/', gs1: 'https://gs1.org/voc/' });
        const res = await key.call('GET', `/epcis/events/${encodeURIComponent(id)}`);
        assert.equal(res.statusCode, 200, `${id}: ${res.body}`);
        const got = json<Ev>(res);
        const { recordTime, eventID, '@context': context, ...rest } = got;
        const { eventID: _given, ...original } = e;
        assert.deepEqual(rest, original);
        assert.equal(eventID, id);
        assert.deepEqual(context, [CTX, { ex: 'https://ns.example.com/epcis/' }]);
        assert.match(String(recordTime), /^\d{4}-\d\d-\d\dT/);
      }
    });

    test('capturing the same events again stores nothing twice, with or without eventIDs', async () => {
      const before = await countEvents();
      const job = await capture(documentOf(sampleEvents('rt')));
      assert.equal(job['capturedEvents'], 0);
      assert.equal(job['duplicateEvents'], 5);
      const one = sampleEvents('rt')[4] ?? {};
      const res = await key.call('POST', '/epcis/events', { '@context': [CTX], ...one });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(json(res)['stored'], false);
      assert.equal(await countEvents(), before);
      // A new single event is 201 with its Location.
      const fresh = { '@context': [CTX], ...sampleEvents('single')[0] };
      const created = await key.call('POST', '/epcis/events', fresh);
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(
        created.headers['location'],
        `/epcis/events/${encodeURIComponent('urn:uuid:single-0001')}`,
      );
      assert.equal(await countEvents(), before + 1);
    });

    test('an invalid document is refused with the standard problem and nothing is stored', async () => {
      const before = await countEvents();
      const jobsBefore = json<unknown[]>(await key.call('GET', '/epcis/capture')).length;
      const broken = sampleEvents('bad');
      delete broken[1]?.['eventTimeZoneOffset'];
      const res = await key.call('POST', '/epcis/capture', documentOf(broken));
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      const problem = json(res);
      assert.equal(problem['type'], 'epcisException:ValidationException');
      assert.equal(problem['status'], 400);
      assert.equal(problem['code'], 'TRACE_EPCIS_VALIDATION');
      // A malformed EPC fails the whole document too (all or nothing by default)…
      const malformed = sampleEvents('bad2');
      (malformed[0] as Ev)['epcList'] = ['urn:epc:id:sgtin:0614141.10734.1'];
      assert.equal((await key.call('POST', '/epcis/capture', documentOf(malformed))).statusCode, 400);
      assert.equal(await countEvents(), before);
      assert.equal(json<unknown[]>(await key.call('GET', '/epcis/capture')).length, jobsBefore);
      // …unless the client asks to proceed: the rest is stored and the job reports the bad one
      // (the association event, which has no eventID, has the same hash as one stored before).
      const job = await capture(documentOf(malformed), { 'GS1-Capture-Error-Behaviour': 'proceed' });
      assert.equal(job['success'], false);
      assert.equal(job['capturedEvents'], 3);
      assert.equal(job['duplicateEvents'], 1);
      assert.equal((job['errors'] as Array<{ eventIndex: number }>)[0]?.eventIndex, 0);
      assert.equal(await countEvents(), before + 3);
    });

    test('each query parameter selects the right events', async () => {
      const q = async (query: string) => {
        const res = await key.call('GET', `/epcis/events?${query}`);
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        return idsIn(res).filter((id) => id.includes('rt-') || id.startsWith('ni:'));
      };
      const rt = (n: number) => `urn:uuid:rt-000${n}`;
      assert.deepEqual(await q('eventType=AggregationEvent|TransactionEvent'), [rt(2), rt(3)]);
      assert.deepEqual(await q('EQ_bizStep=urn:epcglobal:cbv:bizstep:packing'), [rt(2)]);
      assert.deepEqual(await q('EQ_bizStep=https%3A%2F%2Fexample.com%2Fsteps%2Fblending'), [rt(4)]);
      assert.deepEqual(await q('EQ_disposition=in_transit'), [rt(3)]);
      assert.deepEqual(await q('EQ_action=ADD&eventType=ObjectEvent&EQ_eventID=urn:uuid:rt-0001'), [rt(1)]);
      assert.deepEqual(await q('GE_eventTime=2026-03-02T08:00:00Z&LT_eventTime=2026-03-04T08:00:00Z'), [
        rt(2),
        rt(3),
      ]);
      assert.deepEqual(await q('EQ_readPoint=https%3A%2F%2Fid.gs1.org%2F414%2F0614141073467%2F254%2F1234'), [
        rt(1),
        rt(2),
      ]);
      const atLocation = await q('EQ_bizLocation=urn:epc:id:sgln:0614141.07346.0');
      assert.equal(atLocation.length, 2);
      assert.equal(atLocation[0], rt(1));
      // EPCs in any syntax; MATCH_epc covers epcList and childEPCs.
      assert.deepEqual(await q('MATCH_epc=urn:epc:id:sgtin:0614141.107346.2017'), [rt(1), rt(2)]);
      assert.deepEqual(await q('MATCH_epc=urn:epc:idpat:sgtin:0614141.107346.*&eventType=TransactionEvent'), [
        rt(3),
      ]);
      assert.deepEqual(await q('MATCH_parentID=https%3A%2F%2Fid.gs1.org%2F00%2F106141412345678908'), [
        rt(2),
        rt(3),
      ]);
      assert.deepEqual(await q('MATCH_inputEPC=urn:epc:id:sgtin:0614141.107346.2017'), [rt(4)]);
      assert.deepEqual(await q('MATCH_outputEPC=urn:epc:id:sgtin:0614141.107346.3001'), [rt(4)]);
      assert.deepEqual(await q('MATCH_anyEPC=urn:epc:id:sgtin:0614141.107346.2017'), [rt(1), rt(2), rt(4)]);
      assert.deepEqual(await q('MATCH_epcClass=urn:epc:class:lgtin:4012345.012345.998877'), [rt(2)]);
      assert.deepEqual(await q('MATCH_anyEPCClass=urn:epc:class:lgtin:4012345.012345.998877'), [
        rt(2),
        rt(4),
      ]);
      assert.deepEqual(await q('MATCH_anyEPCClass=urn:epc:idpat:sgtin:4012345.012345.*'), [rt(2), rt(4)]);
      const four = 'EQ_eventID=urn:uuid:rt-0001|urn:uuid:rt-0002|urn:uuid:rt-0003|urn:uuid:rt-0004';
      assert.deepEqual(await q(`orderBy=eventTime&orderDirection=DESC&eventCountLimit=2&${four}`), [
        rt(4),
        rt(3),
      ]);
      assert.deepEqual(await q(`orderBy=eventTime&orderDirection=ASC&${four}`), [rt(1), rt(2), rt(3), rt(4)]);
      const bad = await key.call('GET', '/epcis/events?EQ_color=red');
      assert.equal(bad.statusCode, 400);
      assert.equal(json(bad)['type'], 'epcisException:QueryParameterException');
      assert.equal((await key.call('GET', '/epcis/events?eventCountLimit=2')).statusCode, 400);
      assert.equal((await key.call('GET', '/epcis/events?GE_eventTime=yesterday')).statusCode, 400);
      assert.equal((await key.call('GET', '/epcis/events?maxEventCount=1')).statusCode, 413);
    });

    test('perPage pages through every event once, following the Link header', async () => {
      const all = idsIn(await key.call('GET', '/epcis/events?perPage=1000'));
      const seen: string[] = [];
      let url: string | undefined = '/epcis/events?perPage=3';
      while (url !== undefined) {
        const res = await key.call('GET', url);
        assert.equal(res.statusCode, 200, res.body);
        seen.push(...idsIn(res));
        const link = res.headers['link'];
        url = typeof link === 'string' ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      }
      assert.deepEqual(seen, all);
      assert.equal(new Set(seen).size, seen.length);
      assert.equal((await key.call('GET', '/epcis/events?nextPageToken=garbage')).statusCode, 400);
    });

    test('an error declaration marks the event; queries return it with its declaration', async () => {
      const original = sampleEvents('rt')[2] ?? {};
      const declaration = {
        ...original,
        errorDeclaration: {
          declarationTime: '2026-03-10T00:00:00Z',
          reason: 'incorrect_data',
          correctiveEventIDs: ['urn:uuid:rt-0003-fixed'],
        },
      };
      const before = await countEvents();
      const job = await capture(documentOf([declaration]));
      assert.equal(job['success'], true);
      assert.equal(await countEvents(), before);
      const got = json<Ev>(await key.call('GET', `/epcis/events/${encodeURIComponent('urn:uuid:rt-0003')}`));
      assert.deepEqual(got['errorDeclaration'], declaration.errorDeclaration);
      assert.deepEqual(idsIn(await key.call('GET', '/epcis/events?EXISTS_errorDeclaration=true')), [
        'urn:uuid:rt-0003',
      ]);
    });

    test('discovery resources list what the events hold; another enterprise sees none of it', async () => {
      const steps = json<{ member: string[] }>(await key.call('GET', '/epcis/bizSteps')).member;
      assert.ok(
        steps.includes('packing') && steps.includes('https://example.com/steps/blending'),
        steps.join(),
      );
      const epcs = json<{ member: string[] }>(await key.call('GET', '/epcis/epcs?perPage=1000')).member;
      assert.ok(epcs.includes('https://id.gs1.org/01/10614141073464/21/2017'));
      assert.ok(json<{ member: string[] }>(await key.call('GET', '/epcis/readPoints')).member.length > 0);
      assert.deepEqual(json<{ member: string[] }>(await other.call('GET', '/epcis/epcs')).member, []);
      assert.deepEqual(idsIn(await other.call('GET', '/epcis/events')), []);
      assert.equal(
        (await other.call('GET', `/epcis/events/${encodeURIComponent('urn:uuid:rt-0001')}`)).statusCode,
        404,
      );
      const ctx = await new Client(h.app).call('GET', '/epcis/context/epcis-context.jsonld');
      assert.equal(ctx.statusCode, 200);
      assert.ok(json(ctx)['@context'] !== undefined);
    });

    test('per-resource sub-resources are the events query with that criterion added, paged alike', async () => {
      const ids = async (url: string) => {
        const res = await key.call('GET', url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
        assert.equal(res.headers['gs1-epcis-version'], '2.0.0');
        return idsIn(res).filter((id) => id.includes('rt-') || id.startsWith('ni:'));
      };
      const rt = (n: number) => `urn:uuid:rt-000${n}`;
      const enc = encodeURIComponent;
      assert.deepEqual(await ids('/epcis/eventTypes/AggregationEvent/events'), [rt(2)]);
      assert.deepEqual(await ids('/epcis/eventTypes/ObjectEvent/events?EQ_bizStep=commissioning'), [rt(1)]);
      assert.deepEqual(await ids('/epcis/bizSteps/packing/events'), [rt(2)]);
      // Any CBV spelling of the step; a custom step as its (encoded) URI.
      assert.deepEqual(await ids(`/epcis/bizSteps/${enc('urn:epcglobal:cbv:bizstep:shipping')}/events`), [
        rt(3),
      ]);
      assert.deepEqual(await ids(`/epcis/bizSteps/${enc('https://example.com/steps/blending')}/events`), [
        rt(4),
      ]);
      assert.deepEqual(await ids('/epcis/dispositions/in_transit/events'), [rt(3)]);
      assert.deepEqual(await ids(`/epcis/readPoints/${enc('urn:epc:id:sgln:0614141.07346.1234')}/events`), [
        rt(1),
        rt(2),
      ]);
      assert.equal(
        (await ids(`/epcis/bizLocations/${enc('urn:epc:id:sgln:0614141.07346.0')}/events`)).length,
        2,
      );
      // An EPC in any syntax and any role: epcList, childEPCs, inputs…
      assert.deepEqual(await ids(`/epcis/epcs/${enc('urn:epc:id:sgtin:0614141.107346.2017')}/events`), [
        rt(1),
        rt(2),
        rt(4),
      ]);
      assert.deepEqual(
        await ids(
          `/epcis/epcs/${enc('https://id.gs1.org/01/10614141073464/21/2017')}/events?eventType=ObjectEvent`,
        ),
        [rt(1)],
      );
      // A class names the events that count it.
      assert.deepEqual(await ids(`/epcis/epcs/${enc('urn:epc:class:lgtin:4012345.012345.998877')}/events`), [
        rt(2),
        rt(4),
      ]);
      // Sub-resource listings, and 404 for what none of your events has.
      const listing = await key.call('GET', '/epcis/bizSteps/packing');
      assert.equal(listing.statusCode, 200, listing.body);
      assert.deepEqual(json<{ member: string[] }>(listing).member, ['events']);
      const unknownType = await key.call('GET', '/epcis/eventTypes/QuantityEvent/events');
      assert.equal(unknownType.statusCode, 404);
      assert.equal(json(unknownType)['type'], 'epcisException:NoSuchResourceException');
      assert.equal((await key.call('GET', '/epcis/bizSteps/repairing/events')).statusCode, 404);
      assert.equal(
        (await key.call('GET', `/epcis/epcs/${enc('urn:epc:id:sgtin:0614141.107346.2017')}`)).statusCode,
        200,
      );
      // Another enterprise sees none of it.
      assert.equal(
        (await other.call('GET', `/epcis/epcs/${enc('urn:epc:id:sgtin:0614141.107346.2017')}/events`))
          .statusCode,
        404,
      );
      assert.equal((await other.call('GET', '/epcis/bizSteps/packing/events')).statusCode, 404);
      // The criterion the path gives cannot be given again in the query string.
      const twice = await key.call('GET', '/epcis/bizSteps/packing/events?EQ_bizStep=shipping');
      assert.equal(twice.statusCode, 400);
      assert.equal(json(twice)['type'], 'epcisException:QueryParameterException');
      // Paging follows the Link header on the same sub-resource, and its token works nowhere else.
      const all = await ids('/epcis/eventTypes/ObjectEvent/events?perPage=1000');
      const seen: string[] = [];
      let url: string | undefined = '/epcis/eventTypes/ObjectEvent/events?perPage=1';
      let token = '';
      while (url !== undefined) {
        const res = await key.call('GET', url);
        assert.equal(res.statusCode, 200, res.body);
        seen.push(...idsIn(res).filter((id) => id.includes('rt-') || id.startsWith('ni:')));
        const link = res.headers['link'];
        url = typeof link === 'string' ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
        if (url !== undefined) {
          assert.ok(url.startsWith('/epcis/eventTypes/ObjectEvent/events?'), url);
          token = new URLSearchParams(url.split('?')[1]).get('nextPageToken') ?? '';
        }
      }
      assert.deepEqual(seen, all);
      assert.equal(
        (await key.call('GET', `/epcis/eventTypes/AggregationEvent/events?nextPageToken=${token}`))
          .statusCode,
        400,
      );
    });

    test('a subscription delivers matching new events to a webhook, signed, retrying after failures', async () => {
      const received: Array<{ body: string; signature: string }> = [];
      let failNext = 1;
      const server: Server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (failNext > 0) {
            failNext -= 1;
            res.statusCode = 503;
            res.end();
            return;
          }
          received.push({
            body: Buffer.concat(chunks).toString('utf8'),
            signature: String(req.headers['gs1-signature']),
          });
          res.statusCode = 200;
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as AddressInfo).port;
        const created = await key.call('POST', '/epcis/queries', {
          name: 'shipments',
          query: { eventType: ['ObjectEvent'], EQ_bizStep: ['shipping'] },
        });
        assert.equal(created.statusCode, 201, created.body);
        const secret = 'a-secret-of-the-subscriber-0123456789';
        const sub = await key.call('POST', '/epcis/queries/shipments/subscriptions', {
          dest: `http://127.0.0.1:${port}/hook`,
          signatureToken: secret,
          stream: true,
        });
        assert.equal(sub.statusCode, 201, sub.body);
        assert.ok(!sub.body.includes(secret));
        const runner = h.app.subscriptionRunner;
        const ship = (n: number, step: string): Ev => ({
          type: 'ObjectEvent',
          eventID: `urn:uuid:sub-${n}`,
          eventTime: '2026-04-01T00:00:00Z',
          eventTimeZoneOffset: '+00:00',
          epcList: [`urn:epc:id:sgtin:0614141.107346.9${n}`],
          action: 'OBSERVE',
          bizStep: step,
        });
        await capture(documentOf([ship(1, 'shipping'), ship(2, 'receiving'), ship(3, 'shipping')]));
        // First attempt fails (503): the events stay queued and are retried later.
        await runner.drain();
        assert.equal(received.length, 0);
        await sql`update epcis_deliveries set next_attempt_at = 0`.execute(h.db.kysely);
        await runner.drain();
        assert.equal(received.length, 1);
        const delivery = received[0] ?? { body: '', signature: '' };
        const expected = `sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`;
        assert.ok(timingSafeEqual(Buffer.from(delivery.signature), Buffer.from(expected)));
        const doc = JSON.parse(delivery.body) as QueryDoc;
        assert.equal(doc.epcisBody.queryResults.queryName, 'shipments');
        assert.deepEqual(
          doc.epcisBody.queryResults.resultsBody.eventList.map((e) => e['eventID']),
          ['urn:uuid:sub-1', 'urn:uuid:sub-3'],
        );
        // Delivered once: nothing is left to send.
        await runner.drain();
        assert.equal(received.length, 1);
        const named = await key.call('GET', '/epcis/queries/shipments/events');
        assert.deepEqual(idsIn(named), ['urn:uuid:sub-1', 'urn:uuid:sub-3']);
        // Another enterprise cannot see or end the subscription.
        const subId = json<{ subscriptionID: string }>(sub).subscriptionID;
        assert.equal(
          (await other.call('GET', `/epcis/queries/shipments/subscriptions/${subId}`)).statusCode,
          404,
        );
        assert.equal((await other.call('DELETE', '/epcis/queries/shipments')).statusCode, 404);
        assert.equal(
          (await key.call('DELETE', `/epcis/queries/shipments/subscriptions/${subId}`)).statusCode,
          204,
        );
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    });

    test('a job accepted before a restart is finished by the next runner', async () => {
      const res = await key.call('POST', '/epcis/capture', documentOf([{ ...sampleEvents('restart')[0] }]));
      assert.equal(res.statusCode, 202);
      const location = String(res.headers['location']);
      assert.equal(json(await key.call('GET', location))['running'], true);
      // A fresh runner (another process after a restart) picks the queued job up.
      const { CaptureRunner } = await import('../src/modules/epcis/capture-runner.js');
      const runner = new CaptureRunner({ db: h.db, config: h.config, log: h.app.log });
      await runner.drain();
      const job = json(await key.call('GET', location));
      assert.equal(job['running'], false);
      assert.equal(job['capturedEvents'], 1);
    });

    test('an event without an eventID that hashes like a stored one is a duplicate, even of one stored with an eventID', async () => {
      const before = await countEvents();
      const event: Ev = {
        ...(sampleEvents('hash-twin')[0] ?? {}),
        eventTime: '2026-04-01T09:30:00.000+08:00',
        epcList: ['urn:epc:id:sgtin:0614141.107346.7001'],
      };
      const stored = await key.call('POST', '/epcis/events', { '@context': [CTX], ...event });
      assert.equal(stored.statusCode, 201, stored.body);
      // The same event without its eventID: its hash (which leaves eventID out) is the one stored.
      const { eventID: _dropped, ...twin } = event;
      const again = await key.call('POST', '/epcis/events', { '@context': [CTX], ...twin });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(json(again)['stored'], false);
      // Another instant is another event.
      const later = { ...twin, eventTime: '2026-04-01T09:30:00.001+08:00' };
      const other = await key.call('POST', '/epcis/events', { '@context': [CTX], ...later });
      assert.equal(other.statusCode, 201, other.body);
      assert.equal(await countEvents(), before + 2);
    });
  });
}
