import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { describe, test } from 'node:test';
import { PinDeriver } from '@tracemark/codes';
import { createNodeAes } from './support/node-aes.js';
import { randomBytesFrom, seededRandom } from './support/random.js';

const random = seededRandom(11);
const key = randomBytesFrom(random, 32);
const otherKey = randomBytesFrom(random, 32);
const pins = new PinDeriver(createNodeAes(key));

/** The PIN by the formula, with BigInt and a fresh node:crypto cipher: an independent reference. */
function referencePin(pinKey: Uint8Array, serial: number, digits = 8): string {
  const block = Buffer.alloc(16);
  Buffer.from('TMPIN\x00\x00\x01', 'latin1').copy(block, 0);
  block.writeBigUInt64BE(BigInt(serial), 8);
  const out = createCipheriv('aes-256-ecb', pinKey, null).setAutoPadding(false).update(block);
  return (out.readBigUInt64BE(0) % 10n ** BigInt(digits)).toString().padStart(digits, '0');
}

describe('PinDeriver', () => {
  test('is deterministic and matches the documented formula', () => {
    const again = new PinDeriver(createNodeAes(key));
    for (const serial of [0, 1, 2, 4095, 4096, 123_456_789, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      const pin = pins.pin(serial);
      assert.equal(pin, again.pin(serial));
      assert.equal(pin, referencePin(key, serial), `serial ${serial}`);
    }
  });

  test('PINs of a batch equal the PINs one at a time, across chunk boundaries', () => {
    const first = 10_000_000_000 - 5000;
    const batch = pins.pinBatch(first, 9000);
    assert.equal(batch.length, 9000);
    for (let k = 0; k < batch.length; k += 37) assert.equal(batch[k], pins.pin(first + k));
    assert.equal(batch[8999], pins.pin(first + 8999));
    assert.deepEqual(pins.pinBatch(7, 0), []);
  });

  test('differs per serial and per key', () => {
    const batch = pins.pinBatch(0, 100_000);
    // Birthday bound: 100k PINs of 10^8 values collide about 50 times; all equal would be a bug.
    assert.ok(new Set(batch).size > 99_800);
    const other = new PinDeriver(createNodeAes(otherKey)).pinBatch(0, 1000);
    let same = 0;
    for (let k = 0; k < 1000; k++) if (other[k] === batch[k]) same++;
    assert.ok(same <= 1, `${same} PINs equal under another key`);
  });

  test('every PIN has the chosen number of digits, leading zeros kept', () => {
    for (const digits of [4, 6, 8, 10]) {
      const deriver = new PinDeriver(createNodeAes(key), digits);
      const batch = deriver.pinBatch(0, 20_000);
      assert.ok(batch.every((pin) => pin.length === digits && /^\d+$/.test(pin)));
      // About a tenth start with 0; the padding must keep them.
      assert.ok(batch.some((pin) => pin.startsWith('0')));
      for (let k = 0; k < 50; k++) assert.equal(batch[k], referencePin(key, k, digits));
    }
  });

  test('verify accepts the PIN and rejects every other', () => {
    const serial = 31_337;
    const pin = pins.pin(serial);
    assert.equal(pins.verify(serial, pin), true);
    assert.equal(pins.verify(serial + 1, pin), false);
    for (let p = 0; p < pin.length; p++) {
      const digit = Number(pin[p]);
      const wrong = pin.slice(0, p) + String((digit + 1) % 10) + pin.slice(p + 1);
      assert.equal(pins.verify(serial, wrong), false, wrong);
    }
    assert.equal(pins.verify(serial, pin.slice(1)), false);
    assert.equal(pins.verify(serial, `${pin}0`), false);
    assert.equal(pins.verify(serial, ''), false);
  });

  test('the first digit is uniform over 100,000 serials (chi-square, 9 degrees of freedom)', () => {
    const counts = new Array<number>(10).fill(0);
    for (const pin of pins.pinBatch(0, 100_000)) counts[Number(pin[0])]! += 1;
    const expected = 10_000;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 27.88 is the 0.1 % critical value: a fair derivation fails this once in a thousand keys.
    assert.ok(chi2 < 27.88, `chi-square ${chi2.toFixed(1)} for ${counts.join(' ')}`);
  });

  test('rejects bad lengths and serials', () => {
    assert.throws(() => new PinDeriver(createNodeAes(key), 3), RangeError);
    assert.throws(() => new PinDeriver(createNodeAes(key), 11), RangeError);
    assert.throws(() => pins.pin(-1), RangeError);
    assert.throws(() => pins.pin(1.5), RangeError);
    assert.throws(() => pins.pinBatch(2 ** 53 - 1, 2), RangeError);
  });
});
