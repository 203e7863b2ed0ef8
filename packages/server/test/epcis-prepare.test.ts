import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { contextPrefixes, eventFacts, genericEventPreHash } from '@tracemark/core';
import { prepareEvents } from '../src/modules/epcis/capture.js';
import { epcisDataDir, schemaProblems } from '../src/modules/epcis/json-schema.js';
import { SAMPLE_CONTEXT, sampleEvents, seededRandom } from '../../core/test/epcis-event-samples.js';

// What capture stores for an event (its hash, eventID, facts and JSON text) must not change: the
// hash finds the event again when it is captured twice. The digest below was computed by the
// capture path of 2026-11-27 (commit 3d83ae2) before it was made faster.

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const options = { platformBase: 'https://t.example.cn' };

describe('EPCIS capture: prepared events', () => {
  test('are what the capture path of before gave (hash, eventID, facts, stored text)', () => {
    const events = sampleEvents(2000);
    const { prepared, problems } = prepareEvents(events, SAMPLE_CONTEXT, options);
    const h = createHash('sha256');
    for (const p of prepared) h.update(`${JSON.stringify(p)}\n`);
    for (const p of problems) h.update(`${JSON.stringify(p)}\n`);
    assert.equal(prepared.length + problems.length, events.length);
    assert.equal(h.digest('hex'), '608865f43206e8f28a08091e74d6b957e1bfa1558f306388b067b0206d9ebb1e');
  });

  test('hash every event as the generic (reference) pre-hash does', () => {
    const events = sampleEvents(1000, 99);
    const prefixes = contextPrefixes(SAMPLE_CONTEXT);
    const { prepared } = prepareEvents(events, SAMPLE_CONTEXT, options);
    for (const p of prepared) {
      const event = events[p.index] ?? {};
      const reference = `ni:///sha-256;${sha256(genericEventPreHash(event, prefixes))}?ver=CBV2.0`;
      assert.equal(p.hash, reference, `event ${p.index}`);
      const facts = eventFacts(event, options);
      assert.ok(facts.ok);
      assert.deepEqual(p.facts, facts.facts);
      assert.equal(p.eventId, facts.facts.eventId ?? reference);
    }
  });
});

describe('EPCIS capture: schema validation', () => {
  test('judges URIs as ajv-formats does (the plain-URN shortcut accepts nothing more)', () => {
    const reference = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    (addFormats as unknown as (a: Ajv) => void)(reference);
    const schema = JSON.parse(
      readFileSync(new URL('EPCIS-JSON-Schema.json', epcisDataDir), 'utf8'),
    ) as object;
    const referenceValidate = reference.compile(schema);
    const rnd = seededRandom(5);
    const alphabet = [
      'urn',
      'epc',
      ':',
      'a',
      'Z',
      '0',
      '9',
      '.',
      '-',
      '_',
      '~',
      '!',
      '$',
      '&',
      "'",
      '(',
      '*',
      '+',
      ',',
      ';',
      '=',
      '@',
      '/',
      '?',
      '#',
      '%',
      '%4',
      '%41',
      ' ',
      'é',
      '[',
      ']',
      '"',
      '\\',
      '\n',
      'http',
      '//',
      'x.example',
    ];
    let accepted = 0;
    for (let i = 0; i < 6000; i++) {
      const prefixes = [
        '[a:',
        'a[:',
        '-a:',
        'a b:',
        'urn:epc:id:sgtin:',
        'urn:',
        'x-1.y+z:',
        'https://',
        'http://a.example/',
        '',
        ':',
        '1a:',
      ];
      let value = prefixes[Math.floor(rnd() * prefixes.length)] ?? '';
      const n = Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++) value += alphabet[Math.floor(rnd() * alphabet.length)] ?? '';
      const event = {
        '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
        type: 'ObjectEvent',
        eventTime: '2026-03-01T08:00:00.000+08:00',
        eventTimeZoneOffset: '+08:00',
        epcList: [value],
        action: 'OBSERVE',
        readPoint: { id: value },
      };
      const ours = schemaProblems(event).length === 0;
      assert.equal(ours, referenceValidate(event), JSON.stringify(value));
      if (ours) accepted += 1;
    }
    assert.ok(accepted > 100, `only ${accepted} of the samples were valid URIs`);
  });
});
