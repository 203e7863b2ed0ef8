import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ff1, Ff1Batch } from '@tracemark/codes';
import { createNodeAes } from './support/node-aes.js';
import { randomBytesFrom, randomNumerals, seededRandom } from './support/random.js';

/** Splits digit strings into the head/tail halves the batch works on. */
function split(values: readonly string[], u: number): { head: Float64Array; tail: Float64Array } {
  return {
    head: Float64Array.from(values, (x) => Number(x.slice(0, u))),
    tail: Float64Array.from(values, (x) => Number(x.slice(u))),
  };
}

function join(head: Float64Array, tail: Float64Array, u: number, v: number): string[] {
  return Array.from(head, (h, k) => String(h).padStart(u, '0') + String(tail[k]).padStart(v, '0'));
}

describe('FF1 batched (radix 10, numbers, one AES call per round)', () => {
  test('the batch equals the reference for every length 6..20 and many tweak lengths', () => {
    const random = seededRandom(2);
    const aes = createNodeAes(randomBytesFrom(random, 32));
    const reference = new Ff1(aes);
    for (let length = 6; length <= 20; length++) {
      // 0..10 bytes keep Q in one block; 11+ push the tweak into blocks of its own.
      for (const tweakLength of [0, 1, 7, 10, 11, 12, 16, 17, 40]) {
        const tweak = randomBytesFrom(random, tweakLength);
        // A chunk size that does not divide the count exercises the last, partial chunk.
        const batch = new Ff1Batch(aes, { length, tweak, chunkSize: 17 });
        const { u, v } = batch.shape;
        const values = Array.from({ length: 60 }, () => randomNumerals(random, length));
        values.push('0'.repeat(length), '9'.repeat(length));
        const { head, tail } = split(values, u);
        batch.encrypt(head, tail, values.length);
        const expected = values.map((x) => reference.encrypt(x, tweak));
        assert.deepEqual(join(head, tail, u, v), expected, `length ${length}, tweak ${tweakLength} bytes`);
        batch.decrypt(head, tail, values.length);
        assert.deepEqual(
          join(head, tail, u, v),
          values,
          `decrypt, length ${length}, tweak ${tweakLength} bytes`,
        );
      }
    }
  });

  test('decrypt undoes encrypt over 100,000 random values of each layout field length', () => {
    const random = seededRandom(3);
    const aes = createNodeAes(randomBytesFrom(random, 32));
    for (const length of [9, 11, 14, 19]) {
      const batch = new Ff1Batch(aes, { length, tweak: randomBytesFrom(random, 8) });
      const count = 100_000;
      const head = Float64Array.from({ length: count }, () => Math.floor(random() * batch.headModulus));
      const tail = Float64Array.from({ length: count }, () => Math.floor(random() * batch.tailModulus));
      const [head0, tail0] = [head.slice(), tail.slice()];
      batch.encrypt(head, tail, count);
      for (let k = 0; k < count; k++) {
        assert.ok(Number.isInteger(head[k]) && head[k]! >= 0 && head[k]! < batch.headModulus);
        assert.ok(Number.isInteger(tail[k]) && tail[k]! >= 0 && tail[k]! < batch.tailModulus);
      }
      batch.decrypt(head, tail, count);
      assert.deepEqual(head, head0);
      assert.deepEqual(tail, tail0);
    }
  });

  test('ff1 permutes the whole smallest domain: all 10^6 six-digit values', () => {
    const batch = new Ff1Batch(createNodeAes(new Uint8Array(16).fill(3)), {
      length: 6,
      tweak: Uint8Array.of(9),
    });
    const count = 1_000_000;
    const head = Float64Array.from({ length: count }, (_, x) => Math.floor(x / 1000));
    const tail = Float64Array.from({ length: count }, (_, x) => x % 1000);
    batch.encrypt(head, tail, count);
    const seen = new Uint8Array(count);
    for (let k = 0; k < count; k++) seen[head[k]! * 1000 + tail[k]!] = 1;
    assert.equal(
      seen.reduce((sum, bit) => sum + bit, 0),
      count,
    );
  });

  test('only the first count values are touched', () => {
    const batch = new Ff1Batch(createNodeAes(new Uint8Array(32)), { length: 12 });
    const head = new Float64Array(10);
    const tail = new Float64Array(10);
    batch.encrypt(head, tail, 4);
    assert.deepEqual([...head.subarray(4)], [0, 0, 0, 0, 0, 0]);
    assert.notDeepEqual([...head.subarray(0, 4)], [0, 0, 0, 0]);
  });

  test('lengths outside 6..20 are refused', () => {
    const aes = createNodeAes(new Uint8Array(32));
    assert.throws(() => new Ff1Batch(aes, { length: 5 }), RangeError);
    assert.throws(() => new Ff1Batch(aes, { length: 21 }), RangeError);
    assert.throws(() => new Ff1Batch(aes, { length: 12, chunkSize: 0 }), RangeError);
  });
});
