import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalIdentifier, contextPrefixes, eventFacts, eventHashId } from '@tracemark/core';
import { SAMPLE_CONTEXT, sampleEvents, sampleIdentifiers } from './epcis-event-samples.js';

// Stored events are found again by their hash (idempotent capture), so the hash of an event must
// never change. The values below were computed by the implementation of 2026-11-27 (commit
// 3d83ae2, the generic tree-building pre-hash and regex-parsed identifiers) before capture was
// made faster; any optimisation must reproduce them exactly.

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const digest = (lines: readonly string[]) => {
  const h = createHash('sha256');
  for (const l of lines) h.update(`${l}\n`);
  return h.digest('hex');
};

const objectEvent = {
  type: 'ObjectEvent',
  eventID: 'urn:uuid:r0x-0',
  eventTime: '2026-03-01T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  epcList: ['urn:epc:id:sgtin:0614141.107346.r0x0', 'urn:epc:id:sgtin:0614141.107346.r0x0b'],
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
  bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' },
};
const aggregationEvent = {
  type: 'AggregationEvent',
  eventID: 'urn:uuid:r0x-1',
  eventTime: '2026-03-01T08:00:00.000+08:00',
  eventTimeZoneOffset: '+08:00',
  parentID: 'urn:epc:id:sscc:0614141.0000000001',
  childEPCs: Array.from({ length: 10 }, (_, k) => `urn:epc:id:sgtin:0614141.107346.r0x1c${k}`),
  action: 'ADD',
  bizStep: 'packing',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
};

/** Identifiers at the edges of the URN and Digital Link rules. */
export const TRICKY_IDENTIFIERS = [
  'urn:epc:id:sgtin:0614141.107346.2017',
  'urn:epc:id:sgtin:0614141.107346.',
  'urn:epc:id:sgtin:0614141.107346',
  'urn:epc:id:sgtin:0614141.107346.a.b.c',
  'urn:epc:id:sgtin:0614141.107346.a\nb',
  'urn:epc:id:sgtin:0614141.107346.a\u2028b',
  'urn:epc:id:sgtin:0614141.107346.%',
  'urn:epc:id:sgtin:0614141.107346.%2',
  'urn:epc:id:sgtin:0614141.107346.%41%2F',
  "urn:epc:id:sgtin:0614141.107346.!'()*~-_",
  'urn:epc:id:sgtin:0614141.107346.é',
  'urn:epc:id:sgtin:0614141.107346.a b',
  'urn:epc:id:sgtin:061414.1107346.1',
  'urn:epc:id:sgtin:06141411073461..1',
  'urn:epc:id:sgtin:0614141.10734x.1',
  'urn:epc:id:sgtin:.0614141107346.1',
  'urn:epc:id:SGTIN:0614141.107346.1',
  'urn:epc:ID:sgtin:0614141.107346.1',
  'urn:epc:idpat:sgtin:0614141.107346.*',
  'urn:epc:id:sgtin',
  'urn:epc:id:sgtin:',
  'urn:epc:id::x',
  'urn:epc:idx:sgtin:1.2.3',
  'urn:epc:class:lgtin:4012345.011111.LOT1',
  'urn:epc:class:lgtin:4012345.011111.',
  'urn:epc:class:lgtin:4012345.011111.a%2Fb.c',
  'urn:epc:class:sgtin:4012345.011111.1',
  'urn:epc:id:sscc:0614141.1234567890',
  'urn:epc:id:sscc:0614141.123456789',
  'urn:epc:id:sscc:0614141.1234567890.1',
  'urn:epc:id:sgln:0614141.07346.0',
  'urn:epc:id:sgln:0614141.07346.',
  'urn:epc:id:sgln:0614141.07346.12.3',
  'urn:epc:id:sgln:0614141.07346',
  'urn:epc:id:pgln:0614141.00001',
  'urn:epc:id:grai:0614141.12345.400',
  'urn:epc:id:giai:0614141.A1',
  'urn:epc:id:gdti:0614141.12345.400',
  'urn:epc:id:gid:95100000.12345.400',
  'urn:epc:id:sgtin:0614141.107346.2017:x',
  'urn:epc:id:sgtin:0614141:107346.2017',
  ' urn:epc:id:sgtin:0614141.107346.2017 ',
  'urn:epc:id:sgtin:0614141.107346.2017\n',
  'https://id.gs1.org/01/10614141073464/21/2017',
  'https://example.com/01/9506000134352/21/%41',
  'https://t.example.cn/c/123451000000000136',
  'https://t.example.cn/c/12345',
  '123451000000000136',
  'urn:example:x',
  'geo:1,2',
];

describe('EPCIS event hash: values pinned before the capture path was optimised', () => {
  it('gives the hashes of the benchmark events', () => {
    assert.equal(
      eventHashId(objectEvent, sha256),
      'ni:///sha-256;c2c7c81e2620357a5d7a9256ee36d8beea42cce81d344821d82c4170637f7f2b?ver=CBV2.0',
    );
    assert.equal(
      eventHashId(aggregationEvent, sha256),
      'ni:///sha-256;85647e3d4c413605618b87b8033408a4467ca90ef58f30f8d0f947b3c3b2322d?ver=CBV2.0',
    );
  });

  it('gives the hashes of varied events (all types, extensions, sensors, declarations)', () => {
    const events = sampleEvents(2000);
    const prefixes = contextPrefixes(SAMPLE_CONTEXT);
    const hashes = events.map((e) => eventHashId(e, sha256, prefixes));
    const expected: Record<number, string> = {
      0: '2ee717c0ad5f9dafaa15bd1c670b0697e8ce6343da6cc50fcf0f376dabb23de9',
      1: '4085ef501800c232ab3a40852b6496615e8fe2f7b3dfa2f2aa92f2292966f661',
      2: '18d9b55e92d4c3ca015ba9665c5a952c754b132533a68d4a4b78b347314d0cfc',
      3: '293d48db59cc2dfb5d3f9af0eab1a112639f9cc058027088363bf901ff6fb27d',
      4: '19076381c0e9365be52d05f57969e9a3d655d0b99fcdb89a0ed1015d94fc3bde',
      7: 'c319d88bb6b35046b8867ce95b0d4d0f3f06511ba1dfa25fb1721ce598a00bf6',
      42: '4eb122cd39c7de395de92152e1b11f321805761df0bbf2bdd04b31d21286b0c6',
      123: '9ac40ede79420121f8340c6e66f001a93bbd63bc6833244f38f7911ca6a72460',
    };
    for (const [i, hex] of Object.entries(expected))
      assert.equal(hashes[Number(i)], `ni:///sha-256;${hex}?ver=CBV2.0`, `sample ${i}`);
    assert.equal(digest(hashes), 'c0d775c0b48cd0ced360c442b252adf20bda60c25807602895b12cee3bef14cd');
    assert.equal(
      digest(events.map((e) => eventHashId(e, sha256))),
      'eb7469e19ce9e6f44f9a829133ec13de8c8029adbf503d7bd3e6f6bee62b8f17',
    );
  });

  it('gives the facts of varied events, problems included', () => {
    const options = { platformBase: 'https://t.example.cn' };
    const facts = sampleEvents(2000).map((e) => JSON.stringify(eventFacts(e, options)));
    assert.equal(digest(facts), '41a15cb1a9ea03d91f692d07b4291741314a8271bc4d7613a1399e754a73a5e4');
  });

  it('keeps each identifier once per role, in order, in long lists too', () => {
    const serials = Array.from({ length: 90 }, (_, i) => `urn:epc:id:sgtin:0614141.107346.${i % 37}`);
    const event = {
      type: 'TransformationEvent',
      eventTime: '2026-03-01T00:00:00Z',
      eventTimeZoneOffset: '+00:00',
      inputEPCList: serials,
      outputEPCList: [...serials].reverse(),
      inputQuantityList: serials.map((s) => ({ epcClass: s.replace('id:sgtin', 'class:lgtin') })),
    };
    const r = eventFacts(event);
    assert.ok(r.ok);
    const expected: Array<{ epc: string; role: string }> = [];
    const seen = new Set<string>();
    for (const [list, role] of [
      [event.inputEPCList, 'input'],
      [event.outputEPCList, 'output'],
      [event.inputQuantityList.map((q) => q.epcClass), 'input_quantity'],
    ] as const) {
      for (const raw of list) {
        const c = canonicalIdentifier(raw);
        assert.ok(c.ok);
        if (seen.has(`${role} ${c.uri}`)) continue;
        seen.add(`${role} ${c.uri}`);
        expected.push({ epc: c.uri, role });
      }
    }
    assert.equal(expected.length, 3 * 37);
    assert.deepEqual(r.facts.epcs, expected);
  });

  it('gives the canonical identifiers of edge cases', () => {
    const lines = TRICKY_IDENTIFIERS.map((x) =>
      JSON.stringify([
        x,
        canonicalIdentifier(x),
        canonicalIdentifier(x, { platformBase: 'https://t.example.cn/' }),
      ]),
    );
    assert.equal(digest(lines), '52b64a10484d07b9ce4e38526c42e56a7779318aade6a8d2c117046f73ed0af4');
    const generated = sampleIdentifiers(20000).map((x) =>
      JSON.stringify([
        x,
        canonicalIdentifier(x),
        canonicalIdentifier(x, { platformBase: 'https://t.example.cn' }),
      ]),
    );
    assert.equal(digest(generated), '15249b82e06f5638978bfe11917b35851d13f6a7221e980cc9a1fbaaeec72e38');
  });
});
