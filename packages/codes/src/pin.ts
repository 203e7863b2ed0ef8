import { BLOCK_BYTES, type BlockCipher } from './block-cipher.js';

/** Serials per cipher call in {@link PinDeriver.pinBatch}: 64 KiB in, 64 KiB out. */
const CHUNK = 4096;
const ZERO = 48; // '0'
const TWO_32 = 2 ** 32;

/**
 * Bytes 0..7 of every PIN block: "TMPIN", a zero, and format version 1.
 *
 * The PIN key is meant to be a key of its own, but if it were ever the space's FF1 key, this tag
 * keeps PIN blocks apart from FF1's PRF blocks (whose first bytes are 01 02 01 or a CBC-MAC
 * state), so a PIN never reveals an FF1 round value. Part of the PIN format: never change.
 */
const PIN_TAG = Uint8Array.of(0x54, 0x4d, 0x50, 0x49, 0x4e, 0x00, 0x00, 0x01);

/** Fewest and most digits a PIN may have. */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 10;

/**
 * Hidden PINs for scratch-off labels, derived from the serial with a per-space PIN key, so no PIN
 * is ever stored: `PIN = AES(pinKey, "TMPIN\0\0\x01" || serial as 64-bit big-endian)`, first 64
 * bits as an integer, mod 10^digits, zero-padded.
 *
 * Reducing 64 bits mod 10^8 favours the low residues by at most 10^8 / 2^64 ≈ 5e-12: no bias worth
 * the name. The reduction uses plain numbers, never BigInt: the high 32 bits mod 10^digits, then
 * two 16-bit steps, each partial value below 10^10 * 2^16 < 2^53.
 *
 * Holds reusable buffers: one deriver per space and thread. The PIN key must differ from the code
 * key, and knowing PINs must not help with codes or the other way round: AES under an independent
 * key sees to both.
 *
 * @example
 * ```ts
 * const pins = new PinDeriver(aes256(pinKey)); // 8 digits
 * pins.pin(42); // e.g. '03917265'
 * pins.verify(42, '03917265'); // true
 * ```
 */
export class PinDeriver {
  /** Digits of every PIN. */
  readonly digits: number;
  readonly #cipher: BlockCipher;
  readonly #modulus: number;
  readonly #input = new Uint8Array(CHUNK * BLOCK_BYTES);
  readonly #output = new Uint8Array(CHUNK * BLOCK_BYTES);
  readonly #text: Uint8Array;
  readonly #decoder = new TextDecoder();

  /**
   * @param cipher AES keyed with the space's PIN key (AES-256 in production).
   * @param digits PIN length, {@link PIN_MIN_DIGITS} to {@link PIN_MAX_DIGITS}.
   * @throws RangeError for another length.
   */
  constructor(cipher: BlockCipher, digits = 8) {
    if (!Number.isInteger(digits) || digits < PIN_MIN_DIGITS || digits > PIN_MAX_DIGITS) {
      throw new RangeError(`PIN digits must be an integer from ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS}`);
    }
    this.digits = digits;
    this.#cipher = cipher;
    this.#modulus = 10 ** digits;
    this.#text = new Uint8Array(CHUNK * digits);
    // Bytes 0..7 of every slot never change: write the tag once.
    for (let j = 0; j < CHUNK; j++) this.#input.set(PIN_TAG, j * BLOCK_BYTES);
    Object.freeze(this);
  }

  /** The PIN of one serial. @throws RangeError if the serial is not a safe non-negative integer. */
  pin(serial: number): string {
    const [pin = ''] = this.pinBatch(serial, 1);
    return pin;
  }

  /**
   * PINs of the consecutive serials `firstSerial .. firstSerial + count - 1`, in serial order:
   * the same as {@link PinDeriver.pin} of each, at one cipher call per 4096 serials.
   *
   * @throws RangeError if a serial is not a safe non-negative integer.
   */
  pinBatch(firstSerial: number, count: number): string[] {
    if (!Number.isSafeInteger(firstSerial) || firstSerial < 0) {
      throw new RangeError(`serial must be a non-negative integer, got ${firstSerial}`);
    }
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    // Subtracting keeps this exact: firstSerial + count could round back into the safe range.
    if (count - 1 > Number.MAX_SAFE_INTEGER - firstSerial) {
      throw new RangeError('serials must stay below 2^53');
    }
    const digits = this.digits;
    const modulus = this.#modulus;
    const input = this.#input;
    const output = this.#output;
    const text = this.#text;
    const pins = new Array<string>(count);
    for (let done = 0; done < count; done += CHUNK) {
      const n = Math.min(CHUNK, count - done);
      for (let k = 0, at = 8; k < n; k++, at += BLOCK_BYTES) {
        const serial = firstSerial + done + k;
        const hi = Math.floor(serial / TWO_32);
        const lo = serial - hi * TWO_32;
        input[at] = hi >>> 24;
        input[at + 1] = (hi >>> 16) & 0xff;
        input[at + 2] = (hi >>> 8) & 0xff;
        input[at + 3] = hi & 0xff;
        input[at + 4] = lo >>> 24;
        input[at + 5] = (lo >>> 16) & 0xff;
        input[at + 6] = (lo >>> 8) & 0xff;
        input[at + 7] = lo & 0xff;
      }
      const blocks = n * BLOCK_BYTES;
      this.#cipher.encryptBlocks(
        blocks === input.length ? input : input.subarray(0, blocks),
        blocks === output.length ? output : output.subarray(0, blocks),
      );
      for (let k = 0, at = 0; k < n; k++, at += BLOCK_BYTES) {
        // S = first 64 bits of the block, big-endian; S mod 10^digits in three steps.
        const high =
          ((output[at] ?? 0) * 0x1000000 +
            (((output[at + 1] ?? 0) << 16) | ((output[at + 2] ?? 0) << 8) | (output[at + 3] ?? 0))) %
          modulus;
        const mid = (high * 0x10000 + (((output[at + 4] ?? 0) << 8) | (output[at + 5] ?? 0))) % modulus;
        let value = (mid * 0x10000 + (((output[at + 6] ?? 0) << 8) | (output[at + 7] ?? 0))) % modulus;
        for (let p = (k + 1) * digits - 1; p >= k * digits; p--) {
          const q = Math.floor(value / 10);
          text[p] = ZERO + value - q * 10;
          value = q;
        }
      }
      // One native decode per chunk, then slices (views into it), as CodeSpaceCodec does.
      const all = this.#decoder.decode(text.subarray(0, n * digits));
      for (let k = 0, at = 0; k < n; k++, at += digits) pins[done + k] = all.slice(at, at + digits);
    }
    return pins;
  }

  /**
   * Whether `pin` is the PIN of `serial`. Compares in time independent of where the digits differ,
   * so response times do not leak a PIN digit by digit (the length is public: it is `digits`).
   */
  verify(serial: number, pin: string): boolean {
    const expected = this.pin(serial);
    if (pin.length !== expected.length) return false;
    let diff = 0;
    for (let k = 0; k < expected.length; k++) diff |= pin.charCodeAt(k) ^ expected.charCodeAt(k);
    return diff === 0;
  }
}
