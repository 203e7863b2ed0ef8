import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDigitalLink, buildShortLink, parseDigitalLinkPath } from '@tracemark/codes';

const BASE = 'https://t.example.cn';

describe('QR payloads: short links and GS1 Digital Link', () => {
  test('buildShortLink appends /c/{code} to the public base URL', () => {
    assert.equal(buildShortLink(BASE, '123451234567890'), 'https://t.example.cn/c/123451234567890');
    assert.equal(buildShortLink('https://example.cn/trace/', '1'), 'https://example.cn/trace/c/1');
    assert.throws(() => buildShortLink(BASE, '12 3'), RangeError);
    assert.throws(() => buildShortLink('ftp://example.cn', '1'), RangeError);
    assert.throws(() => buildShortLink('not a url', '1'), RangeError);
  });

  test('buildDigitalLink writes /01/{gtin14}/21/{serial}, GTIN padded to 14 digits', () => {
    assert.equal(
      buildDigitalLink(BASE, { gtin: '9506000134352', serial: '12345678901234567' }),
      'https://t.example.cn/01/09506000134352/21/12345678901234567',
    );
    assert.equal(
      buildDigitalLink(`${BASE}/`, { gtin: '09506000134352', lot: 'L2026-11', serial: '1' }),
      'https://t.example.cn/01/09506000134352/10/L2026-11/21/1',
    );
  });

  test('buildDigitalLink percent-encodes everything outside the unreserved set, as GS1 does', () => {
    assert.equal(
      buildDigitalLink(BASE, { gtin: '09506000134352', lot: "A/B!'()*%&+", serial: ',:;<=>?_.-"' }),
      'https://t.example.cn/01/09506000134352/10/A%2FB%21%27%28%29%2A%25%26%2B/21/%2C%3A%3B%3C%3D%3E%3F_.-%22',
    );
  });

  test('buildDigitalLink refuses a bad GTIN and values GS1 does not allow', () => {
    assert.throws(() => buildDigitalLink(BASE, { gtin: '09506000134353' }), RangeError);
    // AI (21) holds at most 20 characters: a 21-digit trace code needs the short link.
    assert.throws(
      () => buildDigitalLink(BASE, { gtin: '09506000134352', serial: '1'.repeat(21) }),
      RangeError,
    );
    assert.doesNotThrow(() => buildDigitalLink(BASE, { gtin: '09506000134352', serial: '1'.repeat(20) }));
    assert.throws(() => buildDigitalLink(BASE, { gtin: '09506000134352', lot: '批次1' }), RangeError);
    assert.throws(() => buildDigitalLink(BASE, { gtin: '09506000134352', lot: 'a~b' }), RangeError);
    assert.throws(() => buildDigitalLink(BASE, { gtin: '09506000134352', serial: '' }), RangeError);
  });

  test('parseDigitalLinkPath reads GTIN, lot and serial, decoding values', () => {
    assert.deepEqual(parseDigitalLinkPath('/01/09506000134352/10/ABC%2F1/21/12345678901234567?17=261231'), {
      type: 'digital-link',
      stem: '',
      gtin14: '09506000134352',
      lot: 'ABC/1',
      serial: '12345678901234567',
    });
    assert.deepEqual(parseDigitalLinkPath('/resolver/01/9506000134352/21/1%2B1/'), {
      type: 'digital-link',
      stem: '/resolver',
      gtin14: '09506000134352',
      serial: '1+1',
    });
    // A value that reads '01' is not taken for the primary key.
    const link = parseDigitalLinkPath('/01/09506000134352/10/01');
    assert.ok(link.type === 'digital-link' && link.lot === '01');
  });

  test('a built link parses back to the same keys', () => {
    const keys = { gtin: '09506000134352', variant: 'V1', lot: "x/y'z", serial: '123456789012345' };
    const url = new URL(buildDigitalLink(BASE, keys));
    const parsed = parseDigitalLinkPath(url.pathname);
    assert.deepEqual(parsed, {
      type: 'digital-link',
      stem: '',
      gtin14: keys.gtin,
      variant: 'V1',
      lot: keys.lot,
      serial: keys.serial,
    });
  });

  test('parseDigitalLinkPath says why a path is not a Digital Link', () => {
    const reason = (path: string) => {
      const parsed = parseDigitalLinkPath(path);
      return parsed.type === 'error' ? parsed.reason : 'ok';
    };
    assert.equal(reason('/c/123451234567890'), 'no-gtin');
    assert.equal(reason('/01/09506000134353/21/1'), 'bad-gtin');
    const badGtin = parseDigitalLinkPath('/01/0950600013/21/1');
    assert.ok(badGtin.type === 'error' && badGtin.gtinReason === 'wrong-length');
    assert.equal(reason('/01/09506000134352/21/1/10/A'), 'bad-qualifier');
    assert.equal(reason('/01/09506000134352/17/261231'), 'bad-qualifier');
    assert.equal(reason('/01/09506000134352/21/%E0%A4%A'), 'bad-value');
    assert.equal(reason(`/01/09506000134352/21/${'9'.repeat(21)}`), 'bad-value');
    assert.equal(reason('/01/09506000134352/21/'), 'no-gtin');
  });
});
