// node:crypto AES-ECB behind the package's BlockCipher interface, for the tests and the bench.
// It lives outside src/ because @tracemark/codes imports nothing from Node; the server owns its
// own copy next to its key store.
import { createCipheriv } from 'node:crypto';
import type { BlockCipher } from '@tracemark/codes';

const ALGORITHMS: Readonly<Record<number, string>> = {
  16: 'aes-128-ecb',
  24: 'aes-192-ecb',
  32: 'aes-256-ecb',
};

/** AES-128/192/256 (chosen by key length) in ECB mode, one reusable cipher object. */
export function createNodeAes(key: Uint8Array): BlockCipher {
  const algorithm = ALGORITHMS[key.length];
  if (algorithm === undefined) throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  // ECB carries no state between blocks, so one cipher object serves every call; final() is never
  // called and auto padding is off, so update() returns exactly the input's length.
  const cipher = createCipheriv(algorithm, key, null).setAutoPadding(false);
  return {
    encryptBlocks(input, output) {
      if (input.length % 16 !== 0) throw new RangeError('input length must be a multiple of 16');
      output.set(cipher.update(input));
    },
  };
}

/** Parses a hex string into bytes. */
export function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
