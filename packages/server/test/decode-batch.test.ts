import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CodeSpaceCodec, type BlockCipher } from '@tracemark/codes';
import { createAesBlockCipher } from '../src/lib/node-aes.js';
import { DecodeBatch } from '../src/modules/scan/decode-batch.js';

/** A space's codec over AES-256 that counts the cipher calls made for it. */
function countedCodec(prefix: string): { codec: CodeSpaceCodec; calls: () => number } {
  const aes = createAesBlockCipher(new Uint8Array(randomBytes(32)));
  let calls = 0;
  const cipher: BlockCipher = {
    encryptBlocks(input, output) {
      calls += 1;
      aes.encryptBlocks(input, output);
    },
  };
  return { codec: new CodeSpaceCodec({ layout: 17, prefix, cipher }), calls: () => calls };
}

test('codes looked up at the same moment are decoded together: sixteen codes, one cipher call per FF1 round', async () => {
  const { codec, calls } = countedCodec('31004');
  const serials = Array.from({ length: 16 }, (_, k) => 1000 + 37 * k);
  const codes = serials.map((s) => codec.encode(s));
  const batch = new DecodeBatch();
  const before = calls();
  const decoded = await Promise.all(codes.map((c) => batch.decode(codec, c)));
  assert.deepEqual(
    decoded.map((d) => (d.type === 'decoded' ? d.serial : d.reason)),
    serials,
  );
  assert.equal(calls() - before, 10, 'ten rounds, each one call for all sixteen codes');
});

test('a lone code is decoded at the end of the turn; each space with its own key; bad codes get their reason', async () => {
  const a = countedCodec('31004');
  const b = countedCodec('31005');
  const batch = new DecodeBatch();
  const good = b.codec.encode(77);
  const badCheck = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
  const [fromA, fromB, wrong, alone] = await Promise.all([
    batch.decode(a.codec, a.codec.encode(5)),
    batch.decode(b.codec, good),
    batch.decode(b.codec, badCheck),
    batch.decode(a.codec, b.codec.encode(6)),
  ]);
  assert.equal(fromA.type === 'decoded' && fromA.serial, 5);
  assert.equal(fromB.type === 'decoded' && fromB.serial, 77);
  assert.equal(wrong.type === 'error' && wrong.reason, 'bad-check-digit');
  assert.equal(alone.type === 'error' && alone.reason, 'other-space');
  const later = await batch.decode(a.codec, a.codec.encode(9));
  assert.equal(later.type === 'decoded' && later.serial, 9);
});
