// The production AES behind @tracemark/codes' BlockCipher: the codes package stays pure (no Node
// I/O), so the server, which holds the keys, supplies node:crypto's AES-256 to it.
import { createCipheriv } from 'node:crypto';
import { BLOCK_BYTES, type BlockCipher } from '@tracemark/codes';

const KEY_BYTES = 32;

/**
 * AES-256 in ECB mode without padding on node:crypto (OpenSSL, AES-NI where the CPU has it), as a
 * {@link BlockCipher} for FF1 codecs and PIN derivers.
 *
 * One cipher object serves every call: ECB carries no state from block to block, auto padding is
 * off and `final()` is never called, so `update()` returns exactly as many bytes as it is given.
 * Callers hand over thousands of blocks per call (FF1 does one call per round per chunk): the cost
 * of crossing into OpenSSL is then paid per batch, not per block.
 *
 * Not for encrypting messages: ECB on its own leaks equal blocks. Here every input block is a
 * distinct PRF input by construction (FF1 round blocks, tagged PIN serials).
 *
 * @example
 * ```ts
 * const codec = new CodeSpaceCodec({ layout: 21, prefix: '100001', cipher: createAesBlockCipher(key) });
 * ```
 * @throws RangeError if the key is not 32 bytes.
 */
export function createAesBlockCipher(key: Uint8Array): BlockCipher {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`An AES-256 key is ${KEY_BYTES} bytes, got ${key.length}`);
  }
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return Object.freeze({
    encryptBlocks(input: Uint8Array, output: Uint8Array): void {
      if (input.length % BLOCK_BYTES !== 0) {
        throw new RangeError(`input length must be a multiple of ${BLOCK_BYTES}, got ${input.length}`);
      }
      if (output.length < input.length) throw new RangeError('output is shorter than input');
      output.set(cipher.update(input));
    },
  });
}
