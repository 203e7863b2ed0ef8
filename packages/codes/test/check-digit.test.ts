import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dammCheckDigit, dammInterim, gs1CheckDigit, isDammValid } from '@tracemark/codes';
import { randomNumerals, seededRandom } from './support/random.js';

/** Random codes of `length` digits whose last digit is their Damm check digit. */
function sampleCodes(length: number, count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const body = randomNumerals(random, length - 1);
    return body + String(dammCheckDigit(body));
  });
}

describe('Damm check digit', () => {
  test('matches the published example: 572 gets 4', () => {
    assert.equal(dammCheckDigit('572'), 4);
    assert.equal(isDammValid('5724'), true);
    assert.equal(isDammValid('5723'), false);
  });

  test('rejects what is not a digit string', () => {
    assert.throws(() => dammCheckDigit(''), RangeError);
    assert.throws(() => dammCheckDigit('12a'), RangeError);
    assert.equal(isDammValid(''), false);
    assert.equal(isDammValid('５７２４'), false);
    assert.equal(dammInterim('1 2'), -1);
  });

  test('the table is a totally anti-symmetric quasigroup, which proves both claims for any length', () => {
    for (let interim = 0; interim < 10; interim++) {
      // Quasigroup: from any interim digit, different digits lead to different interims, so a
      // changed digit changes every later interim and the final one is no longer 0.
      const next = new Set(Array.from({ length: 10 }, (_, d) => dammInterim(String(d), interim)));
      assert.equal(next.size, 10);
      // Weak total anti-symmetry: xy and yx lead to different interims whenever x != y.
      for (let x = 0; x < 10; x++) {
        for (let y = 0; y < 10; y++) {
          if (x !== y) assert.notEqual(dammInterim(`${x}${y}`, interim), dammInterim(`${y}${x}`, interim));
        }
      }
    }
  });

  for (const length of [15, 17, 21]) {
    test(`catches every single-digit error and adjacent transposition in 3,000 random ${length}-digit codes`, () => {
      let checked = 0;
      for (const code of sampleCodes(length, 3000, length)) {
        assert.ok(isDammValid(code));
        for (let at = 0; at < length; at++) {
          // Every other digit at every position, the check digit included.
          for (let wrong = 0; wrong <= 9; wrong++) {
            if (String(wrong) === code[at]) continue;
            const mutated = code.slice(0, at) + String(wrong) + code.slice(at + 1);
            assert.equal(isDammValid(mutated), false, `${code} -> ${mutated}`);
            checked++;
          }
          if (at + 1 < length && code[at] !== code[at + 1]) {
            const swapped = code.slice(0, at) + code[at + 1]! + code[at]! + code.slice(at + 2);
            assert.equal(isDammValid(swapped), false, `${code} -> ${swapped}`);
            checked++;
          }
        }
      }
      // 3,000 codes x (9 substitutions per digit + up to one transposition per pair).
      assert.ok(checked > 3000 * length * 9);
    });
  }

  test('why not GS1 mod 10: it misses adjacent transpositions that Damm catches', () => {
    // Swapping neighbours a and b under weights 3 and 1 moves the sum by 2(a - b): a multiple of
    // 10, so unseen, whenever the digits are five apart (0/5, 1/6, ...).
    const body = '123450';
    const swapped = '123405';
    assert.equal(gs1CheckDigit(body), gs1CheckDigit(swapped));
    assert.notEqual(dammCheckDigit(body), dammCheckDigit(swapped));
  });
});
