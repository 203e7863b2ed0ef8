import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dammCheckDigit } from '@tracemark/codes';
import {
  canonicalIdentifier,
  cbvWebUri,
  eventFacts,
  identifierMatcher,
  normaliseCbv,
  toEpcUrn,
} from '@tracemark/core';

const uri = (v: string, platformBase?: string) => {
  const c = canonicalIdentifier(v, platformBase === undefined ? {} : { platformBase });
  assert.ok(c.ok, `${v}: ${c.ok ? '' : c.message}`);
  return c.uri;
};

describe('EPC URNs and GS1 Digital Link', () => {
  it('turns SGTIN URNs into Digital Link URIs and back, given the company prefix length', () => {
    // TDS 2.0 worked example: GTIN 10614141073464, company prefix 0614141 (7 digits).
    assert.equal(uri('urn:epc:id:sgtin:0614141.107346.2017'), 'https://id.gs1.org/01/10614141073464/21/2017');
    assert.equal(
      toEpcUrn('https://id.gs1.org/01/10614141073464/21/2017', 7),
      'urn:epc:id:sgtin:0614141.107346.2017',
    );
    // A 9-digit prefix; a serial with characters the URN escapes.
    const dl = uri('urn:epc:id:sgtin:950600013.0435.A%2Fb%25');
    assert.equal(dl, 'https://id.gs1.org/01/09506000134352/21/A%2Fb%25');
    assert.equal(toEpcUrn(dl, 9), 'urn:epc:id:sgtin:950600013.0435.A%2Fb%25');
  });

  it('converts SSCC, LGTIN, SGLN (with and without extension), PGLN, GRAI and GIAI', () => {
    assert.equal(uri('urn:epc:id:sscc:0614141.1234567890'), 'https://id.gs1.org/00/106141412345678908');
    assert.equal(
      toEpcUrn('https://id.gs1.org/00/106141412345678908', 7),
      'urn:epc:id:sscc:0614141.1234567890',
    );
    assert.equal(
      uri('urn:epc:class:lgtin:4012345.012345.998877'),
      'https://id.gs1.org/01/04012345123456/10/998877',
    );
    assert.equal(
      toEpcUrn('https://id.gs1.org/01/04012345123456/10/998877', 7),
      'urn:epc:class:lgtin:4012345.012345.998877',
    );
    assert.equal(uri('urn:epc:id:sgln:0614141.07346.1234'), 'https://id.gs1.org/414/0614141073467/254/1234');
    assert.equal(uri('urn:epc:id:sgln:0614141.07346.0'), 'https://id.gs1.org/414/0614141073467');
    assert.equal(toEpcUrn('https://id.gs1.org/414/0614141073467', 7), 'urn:epc:id:sgln:0614141.07346.0');
    assert.equal(uri('urn:epc:id:pgln:0614141.00002'), 'https://id.gs1.org/417/0614141000029');
    assert.equal(uri('urn:epc:id:grai:0614141.12345.400'), 'https://id.gs1.org/8003/00614141123452400');
    assert.equal(uri('urn:epc:id:giai:0614141.12345400'), 'https://id.gs1.org/8004/061414112345400');
  });

  it('constrains Digital Links to the canonical form: id.gs1.org, no query, finest key only', () => {
    assert.equal(
      uri('https://t.example.cn/resolver/01/9506000134352/22/2A/10/L1/21/S1?17=261231#x'),
      'https://id.gs1.org/01/09506000134352/21/S1',
    );
    assert.equal(
      uri('https://example.com/01/09506000134352/10/L1'),
      'https://id.gs1.org/01/09506000134352/10/L1',
    );
    assert.equal(uri('http://id.gs1.org/01/09506000134352'), 'https://id.gs1.org/01/09506000134352');
    assert.equal(
      uri('https://example.com/414/0614141073467/254/A'),
      'https://id.gs1.org/414/0614141073467/254/A',
    );
  });

  it('rejects malformed GS1 identifiers', () => {
    for (const bad of [
      'urn:epc:id:sgtin:0614141.10734.2017', // 12 digits
      'urn:epc:id:sscc:0614141.123',
      'https://id.gs1.org/01/10614141073465/21/1', // check digit
      'https://id.gs1.org/00/106141412345678909',
    ]) {
      assert.equal(canonicalIdentifier(bad).ok, false, bad);
    }
  });

  it('keeps other URIs as they are', () => {
    assert.equal(
      uri(' urn:uuid:0e7c5f3e-0000-4000-8000-000000000000 '),
      'urn:uuid:0e7c5f3e-0000-4000-8000-000000000000',
    );
    assert.equal(uri('https://example.com/things/7'), 'https://example.com/things/7');
  });
});

describe('the platform’s own trace codes', () => {
  const base = 'https://t.example.cn/';
  const body = '1234510000000001';
  const code = `${body}${dammCheckDigit(body)}`;

  it('names a code by its short scan URL, from the URL or the bare code', () => {
    assert.equal(uri(code, base), `https://t.example.cn/c/${code}`);
    assert.equal(uri(`https://T.example.cn/c/${code}?s=1`, base), `https://t.example.cn/c/${code}`);
  });

  it('refuses a short link or bare code whose check digit is wrong', () => {
    const wrong = `${body}${(dammCheckDigit(body) + 1) % 10}`;
    assert.equal(canonicalIdentifier(wrong, { platformBase: base }).ok, false);
    assert.equal(canonicalIdentifier(`https://t.example.cn/c/${wrong}`, { platformBase: base }).ok, false);
  });
});

describe('query matchers', () => {
  it('matches an SGTIN pattern by GTIN prefix and anything else exactly', () => {
    assert.deepEqual(identifierMatcher('urn:epc:idpat:sgtin:0614141.107346.*'), {
      ok: true,
      exact: 'https://id.gs1.org/01/10614141073464',
      prefix: 'https://id.gs1.org/01/10614141073464/',
    });
    assert.deepEqual(identifierMatcher('urn:epc:id:sgtin:0614141.107346.1'), {
      ok: true,
      exact: 'https://id.gs1.org/01/10614141073464/21/1',
    });
    assert.equal(identifierMatcher('urn:epc:idpat:sgtin:0614141.*.*').ok, false);
  });
});

describe('CBV vocabulary', () => {
  it('stores standard values as bare words whatever the spelling, custom ones as URIs', () => {
    assert.equal(normaliseCbv('BizStep', 'urn:epcglobal:cbv:bizstep:shipping'), 'shipping');
    assert.equal(normaliseCbv('BizStep', 'https://ref.gs1.org/cbv/BizStep-receiving'), 'receiving');
    assert.equal(normaliseCbv('Disp', 'cbv:Disp-in_transit'), 'in_transit');
    assert.equal(
      normaliseCbv('BizStep', 'https://example.com/steps/planting'),
      'https://example.com/steps/planting',
    );
    assert.equal(cbvWebUri('BTT', 'po'), 'https://ref.gs1.org/cbv/BTT-po');
  });
});

describe('event facts', () => {
  it('indexes every identifier of an aggregation with its role, canonical and once', () => {
    const r = eventFacts({
      type: 'AggregationEvent',
      eventTime: '2026-03-01T10:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      parentID: 'urn:epc:id:sscc:0614141.1234567890',
      childEPCs: ['urn:epc:id:sgtin:0614141.107346.1', 'https://id.gs1.org/01/10614141073464/21/1'],
      childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2 }],
      action: 'ADD',
      bizStep: 'urn:epcglobal:cbv:bizstep:packing',
      readPoint: { id: 'urn:epc:id:sgln:0614141.07346.0' },
    });
    assert.ok(r.ok);
    assert.equal(r.facts.eventTimeMs, Date.UTC(2026, 2, 1, 2));
    assert.equal(r.facts.bizStep, 'packing');
    assert.equal(r.facts.readPoint, 'https://id.gs1.org/414/0614141073467');
    assert.deepEqual(r.facts.epcs, [
      { epc: 'https://id.gs1.org/00/106141412345678908', role: 'parent' },
      { epc: 'https://id.gs1.org/01/10614141073464/21/1', role: 'child' },
      { epc: 'https://id.gs1.org/01/04012345123456/10/998877', role: 'child_quantity' },
    ]);
  });

  it('reads an error declaration', () => {
    const r = eventFacts({
      type: 'ObjectEvent',
      eventTime: '2026-03-01T10:00:00Z',
      eventTimeZoneOffset: '+00:00',
      action: 'OBSERVE',
      errorDeclaration: {
        declarationTime: '2026-03-02T10:00:00Z',
        reason: 'urn:epcglobal:cbv:er:incorrect_data',
        correctiveEventIDs: ['urn:uuid:1'],
      },
    });
    assert.ok(r.ok);
    assert.deepEqual(r.facts.errorDeclaration, {
      declarationTimeMs: Date.UTC(2026, 2, 2, 10),
      reason: 'incorrect_data',
      correctiveEventIds: ['urn:uuid:1'],
    });
  });
});
