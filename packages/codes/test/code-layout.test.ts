import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CODE_LAYOUTS,
  CODE_LENGTHS,
  codeLayout,
  dammCheckDigit,
  normalizeCode,
  parseCode,
} from '@tracemark/codes';

/** A well-formed code: body plus its Damm check digit. */
const withCheck = (body: string): string => body + String(dammCheckDigit(body));

describe('code layouts and parseCode', () => {
  test('every layout splits into prefix + field + one check digit, field at most 15 digits', () => {
    for (const length of CODE_LENGTHS) {
      const layout = CODE_LAYOUTS[length];
      assert.equal(layout.prefixDigits + layout.fieldDigits + 1, length);
      assert.equal(layout.capacity, 10 ** layout.fieldDigits);
      assert.equal(layout.spaces, 10 ** layout.prefixDigits);
      // Serials and decoded fields stay exact JS numbers.
      assert.ok(layout.capacity <= Number.MAX_SAFE_INTEGER);
      assert.ok(Object.isFrozen(layout));
      assert.equal(codeLayout(length), layout);
    }
    assert.deepEqual(
      CODE_LENGTHS.map((l) => [CODE_LAYOUTS[l].prefixDigits, CODE_LAYOUTS[l].fieldDigits]),
      [
        [5, 9],
        [5, 11],
        [6, 14],
      ],
    );
    assert.equal(codeLayout(16), undefined);
  });

  test('parseCode finds the layout and prefix of a well-formed code without a key', () => {
    const code = withCheck('1234567890123456');
    const parsed = parseCode(code);
    assert.equal(parsed.type, 'parsed');
    assert.equal(parsed.layout.length, 17);
    assert.equal(parsed.prefix, '12345');
    assert.equal(parsed.field, '67890123456');
    assert.equal(parsed.code, code);
  });

  test('parseCode says why a string is not a code', () => {
    const reason = (s: string) => {
      const parsed = parseCode(s);
      return parsed.type === 'error' ? parsed.reason : 'parsed';
    };
    assert.equal(reason('12345678901234a'), 'not-digits');
    assert.equal(reason(''), 'unknown-layout');
    assert.equal(reason('1234567890123456'), 'unknown-layout');
    const good = withCheck('12345678901234');
    const bad = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    assert.equal(reason(good), 'parsed');
    assert.equal(reason(bad), 'bad-check-digit');
    const error = parseCode(bad);
    assert.ok(error.type === 'error' && error.message.length > 0);
  });

  test('normalizeCode drops spaces and hyphens and reads full-width digits', () => {
    assert.equal(normalizeCode(' 12345 6789-0123 45 '), '123456789012345');
    assert.equal(normalizeCode('１２３４５\u3000６７８９０－１２３４５'), '123456789012345');
    assert.equal(normalizeCode('12a'), '12a');
  });
});
