import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canonicalEpcisTime,
  epcisTimeToMs,
  eventHashId,
  eventPreHash,
  contextPrefixes,
} from '@tracemark/core';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

// The single-event example of the CBV 2.0 reference implementation
// (github.com/RalphTro/epcis-event-hash-generator, tests/examples/epcisDocWithSingleEvent): its
// pre-hash string and hash are published there; the hash was re-checked with sha256sum.
const reference = {
  type: 'ObjectEvent',
  action: 'OBSERVE',
  bizStep: 'shipping',
  disposition: 'in_transit',
  epcList: ['urn:epc:id:sgtin:0614141.107346.2017', 'urn:epc:id:sgtin:0614141.107346.2018'],
  eventTime: '2022-02-16T20:33:31.116000-06:00',
  eventTimeZoneOffset: '-06:00',
  readPoint: { id: 'urn:epc:id:sgln:0614141.07346.1234' },
  bizTransactionList: [{ type: 'po', bizTransaction: 'http://transaction.acme.com/po/12345678' }],
};
const referencePreHash =
  'eventType=ObjectEventeventTime=2022-02-17T02:33:31.116ZeventTimeZoneOffset=-06:00' +
  'epcListepc=https://id.gs1.org/01/10614141073464/21/2017epc=https://id.gs1.org/01/10614141073464/21/2018' +
  'action=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit' +
  'readPointid=https://id.gs1.org/414/0614141073467/254/1234' +
  'bizTransactionListbizTransaction=http://transaction.acme.com/po/12345678type=https://ref.gs1.org/cbv/BTT-po';
const referenceHash =
  'ni:///sha-256;3e0f2437f4cb5e8a1b832b769c0eed1bf3e1421f14061132e9800ded03f10182?ver=CBV2.0';

describe('EPCIS event hash (CBV 2.0 §8.9)', () => {
  it('reproduces the reference pre-hash string and hash of the published example', () => {
    assert.equal(eventPreHash(reference), referencePreHash);
    assert.equal(eventHashId(reference, sha256), referenceHash);
  });

  it('is the same whatever the field order, list order and identifier syntax', () => {
    const reordered = {
      bizTransactionList: [
        { bizTransaction: 'http://transaction.acme.com/po/12345678', type: 'urn:epcglobal:cbv:btt:po' },
      ],
      readPoint: { id: 'https://id.gs1.org/414/0614141073467/254/1234' },
      eventTimeZoneOffset: '-06:00',
      eventTime: '2022-02-17T02:33:31.116Z',
      epcList: [
        'https://example.com/01/10614141073464/21/2018?linkType=all',
        'urn:epc:id:sgtin:0614141.107346.2017',
      ],
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      bizStep: 'urn:epcglobal:cbv:bizstep:shipping',
      action: 'OBSERVE',
      type: 'ObjectEvent',
      // Not part of the hash.
      eventID: 'urn:uuid:6f1b2d4e-0000-4000-8000-000000000001',
      recordTime: '2026-01-01T00:00:00Z',
      errorDeclaration: { declarationTime: '2026-01-02T00:00:00Z', reason: 'incorrect_data' },
    };
    assert.equal(eventHashId(reordered, sha256), referenceHash);
  });

  it('changes with any relevant change', () => {
    const base = eventHashId(reference, sha256);
    const variants = [
      { ...reference, action: 'ADD' },
      { ...reference, eventTime: '2022-02-16T20:33:31.117-06:00' },
      { ...reference, epcList: ['urn:epc:id:sgtin:0614141.107346.2017'] },
      { ...reference, disposition: 'in_progress' },
      { ...reference, bizLocation: { id: 'urn:epc:id:sgln:0614141.07346.0' } },
      { ...reference, 'example:note': 'x' },
    ];
    const hashes = new Set(variants.map((v) => eventHashId(v, sha256)));
    assert.equal(hashes.size, variants.length);
    assert.ok(!hashes.has(base));
  });

  it('names extensions by their namespace and sorts them, ILMD included', () => {
    const prefixes = contextPrefixes([{ ex: 'https://ns.example.com/epcis/' }]);
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-03-01T08:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      epcList: ['urn:epc:id:sgtin:0614141.107346.1'],
      action: 'ADD',
      'ex:zeta': '1.50',
      'ex:alpha': { 'ex:inner': 'v' },
      ilmd: { 'ex:harvest': '2026-02-27' },
    };
    const pre = eventPreHash(event, prefixes);
    assert.ok(
      pre.endsWith(
        'action=ADDilmd{https://ns.example.com/epcis/}harvest=2026-02-27' +
          '{https://ns.example.com/epcis/}alpha{https://ns.example.com/epcis/}inner=v' +
          '{https://ns.example.com/epcis/}zeta=1.5',
      ),
      pre,
    );
    assert.ok(pre.startsWith('eventType=ObjectEventeventTime=2026-03-01T00:00:00.000Z'), pre);
  });

  it('renders quantities, sensor data and transformation lists in canonical order', () => {
    const event = {
      type: 'TransformationEvent',
      eventTime: '2026-03-01T00:00:00Z',
      eventTimeZoneOffset: '+00:00',
      outputEPCList: ['urn:epc:id:sgtin:0614141.107346.9'],
      inputQuantityList: [
        { epcClass: 'urn:epc:class:lgtin:4012345.011111.LOT1', quantity: 10.0, uom: 'KGM' },
      ],
      sensorElementList: [
        {
          sensorReport: [{ value: 2.5, type: 'gs1:Temperature', uom: 'CEL' }],
          sensorMetadata: { time: '2026-03-01T08:00:00.1234+08:00' },
        },
      ],
    };
    assert.equal(
      eventPreHash(event),
      'eventType=TransformationEventeventTime=2026-03-01T00:00:00.000ZeventTimeZoneOffset=+00:00' +
        'inputQuantityListquantityElementepcClass=https://id.gs1.org/01/04012345111118/10/LOT1quantity=10uom=KGM' +
        'outputEPCListepc=https://id.gs1.org/01/10614141073464/21/9' +
        'sensorElementListsensorElementsensorMetadatatime=2026-03-01T00:00:00.123Z' +
        'sensorReporttype=https://gs1.org/voc/Temperaturevalue=2.5uom=CEL',
    );
  });
});

describe('EPCIS timestamps', () => {
  it('reads offsets and rounds fractions to the millisecond', () => {
    assert.equal(epcisTimeToMs('2022-02-16T20:33:31.116000-06:00'), Date.UTC(2022, 1, 17, 2, 33, 31, 116));
    assert.equal(epcisTimeToMs('2026-01-01T00:00:00.9996Z'), Date.UTC(2026, 0, 1, 0, 0, 1, 0));
    assert.equal(canonicalEpcisTime('2005-04-03T20:33:31+00:00'), '2005-04-03T20:33:31.000Z');
    assert.equal(epcisTimeToMs('2026-01-01T00:00:00'), undefined);
    assert.equal(epcisTimeToMs('yesterday'), undefined);
  });
});
