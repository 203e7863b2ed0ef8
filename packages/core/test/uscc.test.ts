import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  normaliseUscc,
  orgCodeCheckCharacter,
  USCC_ALPHABET,
  usccCheckCharacter,
  validateUscc,
} from '@tracemark/core';

// Real codes, each checked against at least two public sources before it went in here.
const REAL_CODES = [
  ['91350100M000100Y43', 'the worked example of GB 32100-2015'],
  ['914403001922038216', '华为技术有限公司'],
  ['91440300708461136T', '深圳市腾讯计算机系统有限公司'],
  ['91330100716105852F', '阿里巴巴（中国）网络技术有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
  ['91440300192317458F', '比亚迪股份有限公司'],
  ['91310000132260250X', '上海汽车集团股份有限公司'],
  ['91520000214434146R', '中航重机股份有限公司'],
  ['12100000425006133D', '华东师范大学 (a public institution, authority 1, type 2)'],
  // From the "found online" list of python-stdnum's tests/test_cn_uscc.doctest.
  ['91110000600037341L', 'python-stdnum doctest'],
  ['121200004013590816', 'python-stdnum doctest'],
  ['91310115MA1K3BTP2B', 'python-stdnum doctest (MA-series organisation code)'],
  ['9144030071526726XG', 'python-stdnum doctest (X as organisation check)'],
  ['91620105L015101280', 'python-stdnum doctest'],
] as const;

// A code with a valid outer check character, built here by giving a made-up organisation code
// the right position-18 character, the way naive generators of fake licences do.
function outerOnly(first16: string, orgCheck: string): string {
  const first17 = first16 + orgCheck;
  return first17 + (usccCheckCharacter(first17) ?? '?');
}

describe('unified social credit code: real codes', () => {
  for (const [code, whose] of REAL_CODES) {
    it(`accepts ${code} (${whose})`, () => {
      assert.deepEqual(validateUscc(code), { ok: true, value: code });
    });
  }

  it('computes the published check characters of the GB 32100 example', () => {
    assert.equal(usccCheckCharacter('91350100M000100Y4'), '3');
    assert.equal(orgCodeCheckCharacter('M000100Y'), '4');
  });
});

describe('unified social credit code: normalising', () => {
  it('trims white space and upper-cases letters', () => {
    assert.deepEqual(validateUscc('  91350100m000100y43\t'), { ok: true, value: '91350100M000100Y43' });
  });

  it('reads full-width characters typed with a Chinese input method', () => {
    assert.equal(normaliseUscc('　９１３５０１００Ｍ０００１００Ｙ４３　'), '91350100M000100Y43');
    assert.equal(validateUscc('９１３５０１００ｍ０００１００ｙ４３').ok, true);
  });

  it('keeps inner separators, so a grouped code fails on length', () => {
    assert.deepEqual(validateUscc('91 350100 M000100Y4 3'), { ok: false, reason: 'length' });
    assert.deepEqual(validateUscc('91350100-M000100Y43'), { ok: false, reason: 'length' });
  });
});

describe('unified social credit code: failures', () => {
  it('fails on length for anything but 18 characters', () => {
    for (const input of ['', '9', '91350100M000100Y4', '91350100M000100Y433', '   ']) {
      assert.deepEqual(validateUscc(input), { ok: false, reason: 'length' }, input);
    }
  });

  it('fails on charset for the letters the standard leaves out', () => {
    for (const letter of 'IOZSV') {
      assert.deepEqual(validateUscc(`91350100M000100${letter}43`), { ok: false, reason: 'charset' }, letter);
    }
  });

  it('fails on charset for a letter in the region part', () => {
    assert.deepEqual(validateUscc('9135010AM000100Y43'), { ok: false, reason: 'charset' });
  });

  it('fails on charset for a non-ASCII character of the right count', () => {
    assert.deepEqual(validateUscc('91350100M000100Y4中'), { ok: false, reason: 'charset' });
    assert.deepEqual(validateUscc('91350100M000100Y4😀'), { ok: false, reason: 'charset' });
  });

  it('accepts letters as authority and entity type (e.g. N for agriculture, Y for other)', () => {
    const first17 = 'N2350100M000100Y4';
    const code = first17 + (usccCheckCharacter(first17) ?? '');
    assert.equal(validateUscc(code).ok, true);
  });

  it('fails on check when the last character is wrong', () => {
    assert.deepEqual(validateUscc('91350100M000100Y44'), { ok: false, reason: 'check' });
    assert.deepEqual(validateUscc('914403001922038217'), { ok: false, reason: 'check' });
  });

  it('fails on org-check when only the outer check character was made to fit', () => {
    // Organisation code M000100Y must end in 4; give it 5 and recompute position 18.
    const forged = outerOnly('91350100M000100Y', '5');
    assert.deepEqual(validateUscc(forged), { ok: false, reason: 'org-check' });
    assert.deepEqual(validateUscc(outerOnly('91350100M000100Y', '4')), {
      ok: true,
      value: '91350100M000100Y43',
    });
  });
});

describe('unified social credit code: every single-character change fails', () => {
  // The whole alphabet, the five excluded letters and a few strays. Lower case is left out: it
  // normalises to the upper-case letter, which is already in the list.
  const replacements = [...Array.from(USCC_ALPHABET), ...Array.from('IOZSV'), '-', '_', '中'];

  for (const [code] of REAL_CODES) {
    it(`rejects all ${18 * (replacements.length - 1)} substitutions of ${code}`, () => {
      let tried = 0;
      for (let position = 0; position < 18; position++) {
        for (const replacement of replacements) {
          if (replacement === code.charAt(position)) continue;
          const mutated = code.slice(0, position) + replacement + code.slice(position + 1);
          const result = validateUscc(mutated);
          assert.equal(result.ok, false, `${mutated} (position ${position + 1})`);
          tried++;
        }
      }
      assert.equal(tried, 18 * (replacements.length - 1));
    });
  }

  it('rejects every swap of two neighbouring different characters', () => {
    for (const [code] of REAL_CODES) {
      for (let i = 0; i < 17; i++) {
        if (code.charAt(i) === code.charAt(i + 1)) continue;
        const swapped = code.slice(0, i) + code.charAt(i + 1) + code.charAt(i) + code.slice(i + 2);
        assert.equal(validateUscc(swapped).ok, false, swapped);
      }
    }
  });
});

describe('check character helpers', () => {
  it('refuse input of the wrong shape', () => {
    assert.equal(usccCheckCharacter('91350100M000100Y'), undefined);
    assert.equal(usccCheckCharacter('91350100M000100I4'), undefined);
    assert.equal(orgCodeCheckCharacter('M000100'), undefined);
    assert.equal(orgCodeCheckCharacter('m000100y'), undefined);
  });

  it('give X and 0 for the GB 11714 remainders 10 and 11', () => {
    assert.equal(orgCodeCheckCharacter('71526726'), 'X');
    assert.equal(orgCodeCheckCharacter('00000000'), '0');
  });
});
