import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CODE_LAYOUTS,
  CODE_LENGTHS,
  CodeSpaceCodec,
  FF1_BATCH_CHUNK,
  Ff1,
  codeSpaceTweak,
  isDammValid,
  parseCode,
  type CodeLength,
} from '@tracemark/codes';
import { createNodeAes } from './support/node-aes.js';
import { randomBytesFrom, seededRandom } from './support/random.js';

const random = seededRandom(4);
const aes = createNodeAes(randomBytesFrom(random, 32));
const prefixOf = (length: CodeLength, first = '1'): string =>
  first.padEnd(CODE_LAYOUTS[length].prefixDigits, '0');
const codecOf = (length: CodeLength, prefix = prefixOf(length)) =>
  new CodeSpaceCodec({ layout: length, prefix, cipher: aes });

describe('CodeSpaceCodec', () => {
  for (const length of CODE_LENGTHS) {
    describe(`${length}-digit codes`, () => {
      const codec = codecOf(length);
      const { capacity, prefixDigits, fieldDigits } = codec.layout;

      test('no two of 100,000 consecutive serials give the same code, and each is well formed', () => {
        const count = 100_000;
        const bytes = new Uint8Array(count * length);
        codec.encodeBatchInto(0, count, bytes);
        const text = new TextDecoder().decode(bytes);
        const fields = new Float64Array(count);
        for (let k = 0; k < count; k++) {
          const code = text.slice(k * length, (k + 1) * length);
          assert.ok(code.startsWith(codec.prefix) && isDammValid(code), code);
          fields[k] = Number(code.slice(prefixDigits, -1));
        }
        // Sorted typed array: duplicates would sit side by side.
        fields.sort();
        for (let k = 1; k < count; k++) assert.notEqual(fields[k], fields[k - 1]);
      });

      test('decode(encode(serial)) gives the serial back, edges and random serials', () => {
        const serials = [0, 1, 2, capacity - 2, capacity - 1];
        for (let k = 0; k < 2000; k++) serials.push(Math.floor(random() * capacity));
        for (const serial of serials) {
          const code = codec.encode(serial);
          assert.equal(code.length, length);
          const decoded = codec.decode(code);
          assert.equal(decoded.type, 'decoded', code);
          assert.equal(decoded.serial, serial);
          assert.equal(decoded.prefix, codec.prefix);
          assert.equal(decoded.layout, codec.layout);
        }
      });

      test('the field is FF1 of the serial under the space tweak, as the reference computes it', () => {
        const reference = new Ff1(aes);
        const tweak = codeSpaceTweak(codec.layout, codec.prefix);
        for (let k = 0; k < 300; k++) {
          const serial = Math.floor(random() * capacity);
          const field = reference.encrypt(String(serial).padStart(fieldDigits, '0'), tweak);
          assert.equal(codec.encode(serial).slice(prefixDigits, -1), field);
        }
      });

      test('encodeBatch, encodeBatchInto and encode agree across chunk boundaries', () => {
        const first = capacity - 10_000;
        const codes = codec.encodeBatch(first, 10_000);
        assert.equal(codes.length, 10_000);
        const stride = length + 1;
        const bytes = new Uint8Array(10_000 * stride).fill(10); // '\n' between codes
        assert.equal(codec.encodeBatchInto(first, 10_000, bytes, 0, stride), bytes.length - 1);
        assert.deepEqual(new TextDecoder().decode(bytes).split('\n').slice(0, 10_000), codes);
        const chunk = FF1_BATCH_CHUNK;
        for (const k of [0, chunk - 1, chunk, 2 * chunk - 1, 2 * chunk, 9999]) {
          assert.equal(codec.encode(first + k), codes[k]);
        }
      });

      test('decode says why a code does not belong to this space', () => {
        const code = codec.encode(12345);
        const reason = (s: string) => {
          const decoded = codec.decode(s);
          return decoded.type === 'error' ? decoded.reason : 'decoded';
        };
        const wrongCheck = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
        assert.equal(reason(wrongCheck), 'bad-check-digit');
        assert.equal(reason(code.slice(1)), 'unknown-layout');
        assert.equal(reason(`${code.slice(0, -2)}x${code.at(-1)!}`), 'not-digits');
        const other = CODE_LENGTHS.find((l) => l !== length)!;
        assert.equal(reason(codecOf(other).encode(0)), 'wrong-length');
        assert.equal(reason(codecOf(length, prefixOf(length, '2')).encode(12345)), 'other-space');
      });

      test('decodeMany answers each code as decode does, in order, across chunks and with bad codes among them', () => {
        const serials = Array.from({ length: 1100 }, (_, k) => (k * 7919) % 100_000); // more than a chunk (1024)
        const codes = serials.map((s) => codec.encode(s));
        const good = codes[0]!;
        const mixed = [
          ...codes.slice(0, 1000),
          good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10),
          'x',
          codecOf(length, prefixOf(length, '2')).encode(5),
          ...codes.slice(1000),
        ];
        const many = codec.decodeMany(mixed);
        assert.deepEqual(
          many,
          mixed.map((c) => codec.decode(c)),
        );
        assert.deepEqual(
          many.filter((d) => d.type === 'decoded').map((d) => d.serial),
          serials,
        );
        assert.deepEqual(codec.decodeMany([]), []);
      });
    });
  }

  test('the tweak binds the prefix: one key, two spaces, unrelated fields', () => {
    const a = codecOf(17, '10001');
    const b = codecOf(17, '10002');
    const count = 1000;
    const fieldsA = a.encodeBatch(0, count).map((c) => c.slice(5, -1));
    const fieldsB = b.encodeBatch(0, count).map((c) => c.slice(5, -1));
    const same = fieldsA.filter((f, k) => f === fieldsB[k]).length;
    assert.equal(same, 0);
    // And a code of one space does not decode in the other.
    const decoded = b.decode(a.encode(7));
    assert.ok(decoded.type === 'error' && decoded.reason === 'other-space');
  });

  test('parseCode of a generated code finds its space for the verifier', () => {
    const codec = codecOf(21, '654321');
    const parsed = parseCode(codec.encode(99));
    assert.ok(parsed.type === 'parsed');
    assert.equal(parsed.prefix, '654321');
    assert.equal(parsed.layout.length, 21);
  });

  test('serials, counts, prefixes and targets out of range are refused', () => {
    const codec = codecOf(15);
    const { capacity } = codec.layout;
    assert.throws(() => codec.encode(-1), RangeError);
    assert.throws(() => codec.encode(capacity), RangeError);
    assert.throws(() => codec.encode(1.5), RangeError);
    assert.throws(() => codec.encodeBatch(capacity - 1, 2), RangeError);
    assert.deepEqual(codec.encodeBatch(capacity - 1, 1).length, 1);
    assert.deepEqual(codec.encodeBatch(0, 0), []);
    assert.throws(() => codec.encodeBatchInto(0, 2, new Uint8Array(29)), RangeError);
    assert.throws(() => codec.encodeBatchInto(0, 1, new Uint8Array(30), 0, 14), RangeError);
    assert.throws(() => codecOf(15, '1234'), RangeError);
    assert.throws(() => codecOf(15, '1234a'), RangeError);
    assert.throws(
      () => new CodeSpaceCodec({ layout: 16 as CodeLength, prefix: '12345', cipher: aes }),
      RangeError,
    );
  });
});
