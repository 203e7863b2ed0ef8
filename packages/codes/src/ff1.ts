import { BLOCK_BYTES, type BlockCipher } from './block-cipher.js';

/** The numerals of radix 2..36, in order: digits, then lower-case letters (NIST's sample alphabet). */
export const FF1_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const EMPTY_TWEAK = new Uint8Array(0);
const ROUNDS = 10;
// SP 800-38G Rev. 1 requires radix^minlen >= 1,000,000: smaller domains fall to known attacks.
const MIN_DOMAIN = 1_000_000n;

/**
 * The sizes FF1 derives from the radix and the input length (SP 800-38G, Algorithm 7, steps 1-4).
 *
 * `u` and `v` are the lengths of the two Feistel halves, `b` the byte length of a half as an
 * integer in Q, `d` the number of PRF output bytes turned into the round value `y`.
 */
export interface Ff1Shape {
  readonly radix: number;
  readonly length: number;
  readonly u: number;
  readonly v: number;
  readonly b: number;
  readonly d: number;
}

/** Computes the FF1 half lengths and byte counts for `length` numerals of `radix`. */
export function ff1Shape(radix: number, length: number): Ff1Shape {
  const u = Math.floor(length / 2);
  const v = length - u;
  // b = ceil(ceil(v * log2(radix)) / 8). Floating-point log2 can land a hair off an integer, so
  // count bits exactly: radix^v - 1 needs exactly ceil(v * log2(radix)) bits.
  const bits = (BigInt(radix) ** BigInt(v) - 1n).toString(2).length;
  const b = Math.ceil(bits / 8);
  const d = 4 * Math.ceil(b / 4) + 4;
  return Object.freeze({ radix, length, u, v, b, d });
}

/** The fixed first PRF block P of FF1 (Algorithm 7, step 5). */
export function ff1HeaderBlock(shape: Ff1Shape, tweakLength: number): Uint8Array {
  const { radix, length, u } = shape;
  return Uint8Array.of(
    1,
    2,
    1,
    (radix >>> 16) & 0xff,
    (radix >>> 8) & 0xff,
    radix & 0xff,
    10,
    u & 0xff,
    (length >>> 24) & 0xff,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    (tweakLength >>> 24) & 0xff,
    (tweakLength >>> 16) & 0xff,
    (tweakLength >>> 8) & 0xff,
    tweakLength & 0xff,
  );
}

/** The smallest input length FF1 allows for `radix` (radix^minlen >= 1,000,000). */
export function ff1MinLength(radix: number): number {
  let length = 1;
  while (BigInt(radix) ** BigInt(length) < MIN_DOMAIN) length++;
  return length;
}

/**
 * FF1 format-preserving encryption (NIST SP 800-38G), one value at a time.
 *
 * This is the reference implementation: BigInt arithmetic, any radix from 2 to 36, any length
 * from the NIST minimum up, any tweak. It is what the NIST sample vectors test and what the fast
 * {@link Ff1Batch} is checked against; it is too slow for bulk code generation (a cipher
 * call per block, eleven or more per value).
 *
 * @example
 * ```ts
 * const ff1 = new Ff1(aes256);
 * const c = ff1.encrypt('0123456789', tweak); // e.g. '6657667009'
 * ff1.decrypt(c, tweak); // '0123456789'
 * ```
 */
export class Ff1 {
  /** Shortest accepted input for this radix. */
  readonly minLength: number;
  readonly #cipher: BlockCipher;
  readonly #block = new Uint8Array(BLOCK_BYTES);

  constructor(
    cipher: BlockCipher,
    readonly radix: number = 10,
  ) {
    if (!Number.isInteger(radix) || radix < 2 || radix > FF1_ALPHABET.length) {
      throw new RangeError(`FF1 radix must be an integer from 2 to ${FF1_ALPHABET.length}, got ${radix}`);
    }
    this.#cipher = cipher;
    this.minLength = ff1MinLength(radix);
    Object.freeze(this);
  }

  /** Encrypts a string of numerals (`0-9a-z`, below the radix) into one of the same length. */
  encrypt(numerals: string, tweak: Uint8Array = EMPTY_TWEAK): string {
    return this.#run(numerals, tweak, true);
  }

  /** Decrypts what {@link Ff1.encrypt} produced with the same key and tweak. */
  decrypt(numerals: string, tweak: Uint8Array = EMPTY_TWEAK): string {
    return this.#run(numerals, tweak, false);
  }

  #run(numerals: string, tweak: Uint8Array, encrypt: boolean): string {
    const radix = this.radix;
    this.#check(numerals);
    const shape = ff1Shape(radix, numerals.length);
    const { u, v, b, d } = shape;
    const bigRadix = BigInt(radix);
    const modU = bigRadix ** BigInt(u);
    const modV = bigRadix ** BigInt(v);
    // Q = T || 0^((-t-b-1) mod 16) || [i] || [NUM(B)]^b, padded so P || Q is whole blocks.
    const q = new Uint8Array(
      tweak.length + ((((-tweak.length - b - 1) % BLOCK_BYTES) + BLOCK_BYTES) % BLOCK_BYTES) + 1 + b,
    );
    q.set(tweak, 0);
    // CBC-MAC over P alone does not depend on the round: compute it once.
    const afterHeader = this.#encryptBlock(ff1HeaderBlock(shape, tweak.length));

    let a = numeralsToBigInt(numerals.slice(0, u), bigRadix);
    let bb = numeralsToBigInt(numerals.slice(u), bigRadix);
    for (let step = 0; step < ROUNDS; step++) {
      const i = encrypt ? step : ROUNDS - 1 - step;
      q[q.length - b - 1] = i;
      // Encryption feeds B into the PRF; decryption runs the rounds backwards and feeds A.
      writeBigIntBytes(q, q.length - b, b, encrypt ? bb : a);
      const y = bytesToBigInt(this.#prfBytes(afterHeader, q, d));
      const m = i % 2 === 0 ? modU : modV;
      if (encrypt) {
        const c = modBig(a + y, m);
        a = bb;
        bb = c;
      } else {
        const c = modBig(bb - y, m);
        bb = a;
        a = c;
      }
    }
    return bigIntToNumerals(a, radix, u) + bigIntToNumerals(bb, radix, v);
  }

  #check(numerals: string): void {
    if (numerals.length < this.minLength) {
      throw new RangeError(`FF1 radix ${this.radix} needs at least ${this.minLength} numerals`);
    }
    for (let k = 0; k < numerals.length; k++) {
      const value = numeralValue(numerals.charCodeAt(k));
      if (value < 0 || value >= this.radix) {
        throw new RangeError(`'${numerals[k] ?? ''}' is not a radix-${this.radix} numeral`);
      }
    }
  }

  /** S: the first d bytes of R || CIPH(R xor [1]) || CIPH(R xor [2]) || ... (steps 6.ii-iii). */
  #prfBytes(afterHeader: Uint8Array, q: Uint8Array, d: number): Uint8Array {
    let state = afterHeader;
    for (let offset = 0; offset < q.length; offset += BLOCK_BYTES) {
      const block = new Uint8Array(BLOCK_BYTES);
      for (let k = 0; k < BLOCK_BYTES; k++) block[k] = (state[k] ?? 0) ^ (q[offset + k] ?? 0);
      state = this.#encryptBlock(block);
    }
    const r = state;
    const s = new Uint8Array(Math.ceil(d / BLOCK_BYTES) * BLOCK_BYTES);
    s.set(r, 0);
    for (let j = 1; j * BLOCK_BYTES < d; j++) {
      const block = Uint8Array.from(r);
      // [j]^16 is j as a 16-byte big-endian integer: only the low bytes differ from zero.
      block[15] = (block[15] ?? 0) ^ (j & 0xff);
      block[14] = (block[14] ?? 0) ^ ((j >>> 8) & 0xff);
      s.set(this.#encryptBlock(block), j * BLOCK_BYTES);
    }
    return s.subarray(0, d);
  }

  #encryptBlock(block: Uint8Array): Uint8Array {
    const out = this.#block;
    this.#cipher.encryptBlocks(block, out);
    return Uint8Array.from(out);
  }
}

/** The value of a numeral character of {@link FF1_ALPHABET}, or -1. */
function numeralValue(charCode: number): number {
  if (charCode >= 48 && charCode <= 57) return charCode - 48;
  if (charCode >= 97 && charCode <= 122) return charCode - 87;
  return -1;
}

function numeralsToBigInt(numerals: string, radix: bigint): bigint {
  let value = 0n;
  for (let k = 0; k < numerals.length; k++)
    value = value * radix + BigInt(numeralValue(numerals.charCodeAt(k)));
  return value;
}

function bigIntToNumerals(value: bigint, radix: number, length: number): string {
  // BigInt#toString uses the same 0-9a-z alphabet as NIST's samples.
  return value.toString(radix).padStart(length, '0');
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function writeBigIntBytes(target: Uint8Array, offset: number, length: number, value: bigint): void {
  let rest = value;
  for (let k = offset + length - 1; k >= offset; k--) {
    target[k] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** Mathematical modulo: the result lies in [0, m) whatever the sign of x (JS `%` keeps x's sign). */
function modBig(x: bigint, m: bigint): bigint {
  const r = x % m;
  return r < 0n ? r + m : r;
}
