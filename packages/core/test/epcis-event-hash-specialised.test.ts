import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  STANDARD_PREFIXES,
  contextPrefixes,
  eventPreHash,
  genericEventPreHash,
  type ContextPrefixes,
} from '@tracemark/core';
import { SAMPLE_CONTEXT, sampleEvents, seededRandom } from './epcis-event-samples.js';

// The specialised pre-hash must give exactly the generic (reference) pre-hash string, for usual
// events and for every odd shape the schema lets through (it hands those to the reference).

const odd: readonly unknown[] = [
  null,
  '',
  ' ',
  0,
  1.5,
  -0,
  1e21,
  true,
  false,
  [],
  [null],
  [''],
  ['a', null, 'b'],
  [1, 2],
  [['urn:epc:id:sgtin:0614141.107346.1']],
  {},
  { id: null },
  { id: '' },
  { id: ' urn:epc:id:sgln:0614141.07346.0 ' },
  { id: 'urn:epc:id:sgln:0614141.07346.0', 'ex:extra': 'x' },
  { id: 5 },
  { id: ['a'] },
  { bizTransaction: null, type: 'po' },
  { bizTransaction: 'urn:x', type: null },
  { bizTransaction: 'urn:x', type: 3 },
  { source: '', type: '' },
  { destination: 'urn:epc:id:sgln:0614141.00001.0' },
  { type: 'owning_party' },
  { epcClass: 'urn:epc:class:lgtin:4012345.011111.LOT1', quantity: null, uom: '' },
  { epcClass: '', quantity: '', uom: '' },
  { epcClass: 'urn:epc:class:lgtin:4012345.011111.LOT1', quantity: '10.50', 'ex:q': 1 },
  { epcClass: { id: 'x' } },
  [{ epcClass: 'urn:epc:class:lgtin:4012345.011111.LOT1', quantity: 2 }, null, { uom: 'KGM' }],
  [{ bizTransaction: 'http://t.example/1', type: 'po' }, { bizTransaction: 'http://t.example/0' }],
  [{ source: 'urn:epc:id:pgln:0614141.00001', type: 'cbv:SDT-owning_party' }, 'x'],
  'urn:epc:id:sgtin:0614141.107346.1',
  'urn:epcglobal:cbv:bizstep:shipping',
  'urn:epcglobal:cbv:disp:in_transit',
  'ex:curie',
  'gs1:BizStep-packing',
  '+08:00',
  '-00:30',
  '+8:00',
  '08:00',
  'Z',
  '2026-03-01T08:00:00+08:00',
  '007',
  '.5',
  '1e3',
  'http://example.com/x',
  'httpfoo',
  ' OBSERVE ',
  'a:b:c',
];

const standardKeys = [
  'eventTime',
  'eventTimeZoneOffset',
  'epcList',
  'parentID',
  'inputEPCList',
  'childEPCs',
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputEPCList',
  'outputQuantityList',
  'action',
  'transformationID',
  'bizStep',
  'disposition',
  'persistentDisposition',
  'readPoint',
  'bizLocation',
  'bizTransactionList',
  'sourceList',
  'destinationList',
  'sensorElementList',
];

const subKeys = [
  'epcClass',
  'quantity',
  'uom',
  'id',
  'type',
  'bizTransaction',
  'source',
  'destination',
  'ex:x',
  'foo',
  'set',
];

function mutated(events: readonly Record<string, unknown>[], seed: number): Record<string, unknown>[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  return events.map((e) => {
    const m = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const key = pick(standardKeys);
      const value = structuredClone(pick(odd));
      // Inside a list, or as the whole field.
      const current = m[key];
      if (Array.isArray(current) && current.length > 0 && rnd() < 0.5) {
        const copy = [...(current as unknown[])];
        copy[Math.floor(rnd() * copy.length)] = value;
        m[key] = copy;
      } else m[key] = value;
    }
    // A field inside an element (quantity element, business transaction, party, location).
    if (rnd() < 0.6) {
      const key = pick(standardKeys);
      const current = m[key];
      const holder = Array.isArray(current)
        ? (current as unknown[])[Math.floor(rnd() * current.length)]
        : current;
      if (typeof holder === 'object' && holder !== null && !Array.isArray(holder))
        (holder as Record<string, unknown>)[pick(subKeys)] = structuredClone(pick(odd));
    }
    return JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
  });
}

function assertSame(events: readonly Record<string, unknown>[], prefixes: ContextPrefixes): void {
  for (const [i, e] of events.entries()) {
    const reference = genericEventPreHash(e, prefixes);
    const specialised = eventPreHash(e, prefixes);
    if (specialised !== reference)
      assert.fail(
        `event ${i}: ${JSON.stringify(e)}\n  specialised ${specialised}\n  reference   ${reference}`,
      );
  }
}

describe('EPCIS event hash: the specialised pre-hash against the generic reference', () => {
  const docPrefixes = contextPrefixes(SAMPLE_CONTEXT);

  it('agrees on varied events of all five types (extensions, sensors, declarations, ILMD)', () => {
    for (const seed of [1, 2, 3, 20261127]) {
      const events = sampleEvents(3000, seed);
      assertSame(events, docPrefixes);
      assertSame(events, STANDARD_PREFIXES);
    }
  });

  it('agrees on odd shapes of every standard field', () => {
    for (const seed of [11, 12, 13, 14]) {
      const events = mutated(sampleEvents(3000, seed), seed);
      assertSame(events, docPrefixes);
      assertSame(events, STANDARD_PREFIXES);
    }
  });

  it('agrees on the same time and CBV values under different prefixes (nothing cached across them)', () => {
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-03-01T08:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      bizStep: 'ex:grading',
      disposition: 'active',
      bizTransactionList: [{ bizTransaction: 'ex:po1', type: 'ex:contract' }],
      epcList: ['ex:thing'],
    };
    for (const prefixes of [
      STANDARD_PREFIXES,
      docPrefixes,
      contextPrefixes([{ ex: 'https://other.example/' }]),
    ])
      for (let i = 0; i < 2; i++)
        assert.equal(eventPreHash(event, prefixes), genericEventPreHash(event, prefixes));
  });
});
