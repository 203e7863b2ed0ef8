/**
 * A keyed 128-bit block cipher (AES in practice) applied in ECB mode to many blocks at once.
 *
 * FF1 needs nothing but raw AES block encryptions; keeping the cipher behind this interface keeps
 * the code engine pure, so it runs in Node (on `node:crypto`, see the server) and in a browser
 * (on any AES implementation). Batching is the point: the hot path makes one call per Feistel
 * round for thousands of codes, so the per-call cost of the native cipher is paid once per round,
 * not once per block.
 *
 * @example
 * ```ts
 * // Node: one reusable cipher object, no padding, ECB over every block of the input.
 * const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
 * const aes: BlockCipher = {
 *   encryptBlocks(input, output) {
 *     output.set(cipher.update(input));
 *   },
 * };
 * ```
 */
export interface BlockCipher {
  /**
   * Encrypts `input` block by block (ECB, no padding) into `output`.
   *
   * `input.length` is a multiple of 16 and `output.length` is at least `input.length`. `output`
   * may be the same array as `input`. The key is fixed when the cipher is made.
   */
  encryptBlocks(input: Uint8Array, output: Uint8Array): void;
}

/** The block size of AES in bytes. */
export const BLOCK_BYTES = 16;
