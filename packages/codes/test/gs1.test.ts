import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gs1CheckDigit, isValidGtin, parseGtin, toGtin14 } from '@tracemark/codes';

// Published examples: EAN-13 4006381333931, UPC-A 036000291452, EAN-8 96385074, and the GTIN-14
// of GS1's Digital Link examples.
const VALID = ['96385074', '036000291452', '4006381333931', '09506000134352'];

describe('GS1 keys', () => {
  test('gs1CheckDigit computes the mod-10 check digit of published GTINs', () => {
    for (const gtin of VALID) assert.equal(gs1CheckDigit(gtin.slice(0, -1)), Number(gtin.at(-1)), gtin);
    assert.throws(() => gs1CheckDigit(''), RangeError);
    assert.throws(() => gs1CheckDigit('12-3'), RangeError);
  });

  test('isValidGtin accepts GTIN-8/12/13/14 with a correct check digit only', () => {
    for (const gtin of VALID) assert.equal(isValidGtin(gtin), true, gtin);
    assert.equal(isValidGtin('4006381333932'), false);
    assert.equal(isValidGtin('40063813339'), false); // 11 digits
    assert.equal(isValidGtin('0000040063813339310'), false);
    assert.equal(isValidGtin(' 4006381333931'), false);
  });

  test('toGtin14 pads a valid GTIN with zeros and refuses an invalid one', () => {
    assert.equal(toGtin14('96385074'), '00000096385074');
    assert.equal(toGtin14('4006381333931'), '04006381333931');
    assert.equal(toGtin14('09506000134352'), '09506000134352');
    assert.ok(isValidGtin(toGtin14('036000291452')));
    assert.throws(() => toGtin14('4006381333932'), RangeError);
  });

  test('parseGtin says what is wrong', () => {
    const reason = (s: string) => {
      const parsed = parseGtin(s);
      return parsed.type === 'error' ? parsed.reason : parsed.gtin14;
    };
    assert.equal(reason('4006381333931'), '04006381333931');
    assert.equal(reason('400638133393A'), 'not-digits');
    assert.equal(reason(''), 'not-digits');
    assert.equal(reason('123456789'), 'wrong-length');
    assert.equal(reason('4006381333932'), 'bad-check-digit');
  });
});
