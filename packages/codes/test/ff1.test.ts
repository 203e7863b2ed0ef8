import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Ff1, ff1MinLength, ff1Shape } from '@tracemark/codes';
import { createNodeAes, hexToBytes } from './support/node-aes.js';
import { randomBytesFrom, randomNumerals, seededRandom } from './support/random.js';

interface Sample {
  readonly n: number;
  readonly cipher: string;
  readonly radix: number;
  readonly key: string;
  readonly tweak: string;
  readonly plaintext: string;
  readonly ciphertext: string;
}

const vectorsPath = new URL('./fixtures/ff1-nist.json', import.meta.url);
const { samples } = JSON.parse(readFileSync(vectorsPath, 'utf8')) as { samples: readonly Sample[] };

describe('FF1 reference (NIST SP 800-38G)', () => {
  test('the vector file holds all nine NIST samples, radix 10 and 36', () => {
    assert.equal(samples.length, 9);
    assert.deepEqual(
      [...new Set(samples.map((s) => s.radix))].sort((a, b) => a - b),
      [10, 36],
    );
  });

  for (const radix of [10, 36]) {
    test(`ff1 matches every NIST radix-${radix} sample, both ways`, () => {
      const selected = samples.filter((s) => s.radix === radix);
      assert.ok(selected.length >= 3);
      for (const s of selected) {
        const ff1 = new Ff1(createNodeAes(hexToBytes(s.key)), s.radix);
        const tweak = hexToBytes(s.tweak);
        assert.equal(ff1.encrypt(s.plaintext, tweak), s.ciphertext, `sample ${s.n} (${s.cipher}) encrypt`);
        assert.equal(ff1.decrypt(s.ciphertext, tweak), s.plaintext, `sample ${s.n} (${s.cipher}) decrypt`);
      }
    });
  }

  test('encrypt then decrypt is the identity for random inputs, lengths, tweaks and radixes', () => {
    const random = seededRandom(1);
    const aes = createNodeAes(randomBytesFrom(random, 32));
    for (const radix of [2, 10, 16, 36]) {
      const ff1 = new Ff1(aes, radix);
      for (let k = 0; k < 150; k++) {
        const length = ff1.minLength + Math.floor(random() * 40);
        // Tweaks from empty to several blocks exercise every padding of Q.
        const tweak = randomBytesFrom(random, Math.floor(random() * 40));
        const x = randomNumerals(random, length, radix);
        const y = ff1.encrypt(x, tweak);
        assert.equal(y.length, x.length);
        assert.match(y, radix === 10 ? /^\d+$/ : /^[0-9a-z]+$/);
        assert.equal(ff1.decrypt(y, tweak), x);
      }
    }
  });

  test('the tweak changes the ciphertext', () => {
    const ff1 = new Ff1(createNodeAes(new Uint8Array(32)));
    const x = '00000000000001';
    assert.notEqual(ff1.encrypt(x, Uint8Array.of(1)), ff1.encrypt(x, Uint8Array.of(2)));
  });

  test('ff1 rejects inputs below the minimum length or outside the radix', () => {
    const ff1 = new Ff1(createNodeAes(new Uint8Array(32)));
    assert.equal(ff1MinLength(10), 6);
    assert.equal(ff1MinLength(36), 4);
    assert.throws(() => ff1.encrypt('12345'), RangeError);
    assert.throws(() => ff1.encrypt('12345a'), RangeError);
    assert.throws(() => ff1.decrypt('１２３４５６'), RangeError);
    assert.throws(() => new Ff1(createNodeAes(new Uint8Array(32)), 37), RangeError);
  });

  test('ff1Shape counts bytes exactly at the edges of whole bits', () => {
    // v = 10 digits: 10^10 - 1 needs 34 bits, so 5 bytes and d = 12.
    assert.deepEqual({ ...ff1Shape(10, 20) }, { radix: 10, length: 20, u: 10, v: 10, b: 5, d: 12 });
    assert.deepEqual({ ...ff1Shape(10, 19) }, { radix: 10, length: 19, u: 9, v: 10, b: 5, d: 12 });
    assert.deepEqual({ ...ff1Shape(10, 14) }, { radix: 10, length: 14, u: 7, v: 7, b: 3, d: 8 });
    // Radix 2, v = 16: exactly 16 bits, 2 bytes (a float log2 must not round this up).
    assert.equal(ff1Shape(2, 32).b, 2);
    assert.equal(ff1Shape(16, 8).b, 2);
  });
});
