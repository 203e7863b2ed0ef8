import type { BlockCipher } from './block-cipher.js';
import { DAMM_PAIRS, DAMM_STEPS, dammInterim } from './check-digit.js';
import {
  CODE_LAYOUTS,
  codeError,
  parseCode,
  type CodeError,
  type CodeLayout,
  type CodeLength,
} from './code-layout.js';
import { FF1_BATCH_CHUNK, Ff1Batch } from './ff1-batch.js';

/** Codes made per internal pass: the FF1 chunk, and the size of the reusable buffers. */
const CHUNK = FF1_BATCH_CHUNK;
const ZERO = 48; // '0'

/** What a {@link CodeSpaceCodec} is built from. */
export interface CodeSpaceOptions {
  /** The layout, or just its length. */
  readonly layout: CodeLayout | CodeLength;
  /** The space prefix: exactly `layout.prefixDigits` digits. */
  readonly prefix: string;
  /** AES keyed with this space's key (AES-256 in production). */
  readonly cipher: BlockCipher;
}

/** A code decoded with its space's key: the serial it encrypts. */
export interface DecodedCode {
  readonly type: 'decoded';
  readonly code: string;
  readonly layout: CodeLayout;
  readonly prefix: string;
  /**
   * The serial (0 .. capacity - 1). Every well-formed code of the space decrypts to some serial:
   * whether that serial was issued, and is active, is the caller's range check.
   */
  readonly serial: number;
}

/**
 * The FF1 tweak of a space: the ASCII digits of the code length followed by the prefix.
 *
 * Binding the prefix (and the layout) into the tweak makes two spaces encrypt the same serial
 * differently even if they were ever given the same key. Part of the code format: never change.
 */
export function codeSpaceTweak(layout: CodeLayout, prefix: string): Uint8Array {
  const text = `${layout.length}${prefix}`;
  const tweak = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) tweak[k] = text.charCodeAt(k);
  return tweak;
}

/**
 * Turns serials of one code space into codes and back: `[prefix][FF1(serial)][Damm check]`.
 *
 * FF1 is a permutation of the field, so distinct serials give distinct codes by construction; the
 * key makes the codes irregular, and without it the serial of a code (or the next code) cannot be
 * inferred. Holds reusable buffers: one codec per space and thread, not shared across workers.
 *
 * @example
 * ```ts
 * const codec = new CodeSpaceCodec({ layout: 17, prefix: '10001', cipher: aes256 });
 * const codes = codec.encodeBatch(0, 1000); // serials 0..999
 * codec.decode(codes[0] ?? ''); // { type: 'decoded', serial: 0, prefix: '10001', ... }
 * ```
 */
export class CodeSpaceCodec {
  readonly layout: CodeLayout;
  readonly prefix: string;
  readonly #ff1: Ff1Batch;
  readonly #prefixBytes: Uint8Array;
  /** Damm interim digit after the prefix: the same for every code of the space. */
  readonly #prefixInterim: number;
  readonly #head = new Float64Array(CHUNK);
  readonly #tail = new Float64Array(CHUNK);
  /** ASCII of one chunk of codes back to back, for {@link CodeSpaceCodec.encodeBatch}. */
  readonly #text: Uint8Array;
  readonly #decoder = new TextDecoder();

  constructor(options: CodeSpaceOptions) {
    const layout = typeof options.layout === 'number' ? CODE_LAYOUTS[options.layout] : options.layout;
    // The types allow only real layouts; callers passing data from outside may not respect them.
    if ((layout as CodeLayout | undefined) === undefined) {
      throw new RangeError('No such code layout');
    }
    const { prefix } = options;
    if (prefix.length !== layout.prefixDigits || dammInterim(prefix) < 0) {
      throw new RangeError(`A ${layout.length}-digit code space prefix is ${layout.prefixDigits} digits 0-9`);
    }
    this.layout = layout;
    this.prefix = prefix;
    this.#ff1 = new Ff1Batch(options.cipher, {
      length: layout.fieldDigits,
      tweak: codeSpaceTweak(layout, prefix),
      chunkSize: CHUNK,
    });
    this.#prefixBytes = codeSpaceTweak(layout, prefix).subarray(String(layout.length).length);
    this.#prefixInterim = dammInterim(prefix);
    this.#text = new Uint8Array(CHUNK * layout.length);
    Object.freeze(this);
  }

  /** The code of one serial. @throws RangeError if the serial is not an integer in 0 .. capacity-1. */
  encode(serial: number): string {
    const [code = ''] = this.encodeBatch(serial, 1);
    return code;
  }

  /**
   * Codes of the consecutive serials `firstSerial .. firstSerial + count - 1`, in serial order.
   *
   * For millions of codes, call it in slices of a few thousand and let each slice go (or write
   * bytes with {@link CodeSpaceCodec.encodeBatchInto}): keeping millions of strings alive costs
   * more in garbage collection than making them.
   *
   * @throws RangeError if any of those serials falls outside the space.
   */
  encodeBatch(firstSerial: number, count: number): string[] {
    this.#checkRange(firstSerial, count);
    const length = this.layout.length;
    const text = this.#text;
    const codes = new Array<string>(count);
    for (let done = 0; done < count; done += CHUNK) {
      const n = Math.min(CHUNK, count - done);
      this.#encodeChunk(firstSerial + done, n, text, 0, length);
      // One native decode per chunk, then slices: V8 makes a slice of 13+ characters a view
      // into the chunk's string, far cheaper than building each code character by character.
      const all = this.#decoder.decode(n === CHUNK ? text : text.subarray(0, n * length));
      for (let k = 0, at = 0; k < n; k++, at += length) codes[done + k] = all.slice(at, at + length);
    }
    return codes;
  }

  /**
   * Writes the codes of `firstSerial .. firstSerial + count - 1` as ASCII digits into `target`:
   * code k starts at `offset + k * stride` (stride defaults to the code length, codes back to
   * back; a larger stride leaves room for separators the caller writes once, e.g. '\n').
   * The fastest path for export files: no JS strings at all.
   *
   * @returns the offset just after the last code.
   * @throws RangeError if a serial falls outside the space or `target` is too small.
   */
  encodeBatchInto(
    firstSerial: number,
    count: number,
    target: Uint8Array,
    offset = 0,
    stride: number = this.layout.length,
  ): number {
    this.#checkRange(firstSerial, count);
    const length = this.layout.length;
    if (!Number.isInteger(stride) || stride < length) {
      throw new RangeError(`stride must be at least ${length}`);
    }
    const end = count === 0 ? offset : offset + (count - 1) * stride + length;
    if (!Number.isInteger(offset) || offset < 0 || end > target.length) {
      throw new RangeError('target is too small for the codes');
    }
    for (let done = 0; done < count; done += CHUNK) {
      this.#encodeChunk(
        firstSerial + done,
        Math.min(CHUNK, count - done),
        target,
        offset + done * stride,
        stride,
      );
    }
    return end;
  }

  /**
   * Checks a code's form and decrypts its serial. Needs this space's key; to find the space of an
   * unknown code first, use {@link parseCode}.
   */
  decode(code: string): DecodedCode | CodeError {
    const [decoded] = this.decodeMany([code]);
    if (decoded === undefined) throw new Error('decodeMany answered no code');
    return decoded;
  }

  /**
   * {@link CodeSpaceCodec.decode} for many codes at once, answers in the order of `codes`. The
   * well-formed ones are decrypted together, one cipher call per FF1 round for up to a chunk of
   * them: a lone decode pays the cipher's per-call cost ten times (most of its time), a batch of
   * 16 about once.
   */
  decodeMany(codes: readonly string[]): (DecodedCode | CodeError)[] {
    const out = new Array<DecodedCode | CodeError>(codes.length);
    const { u } = this.#ff1.shape;
    const head = this.#head;
    const tail = this.#tail;
    /** Where each decrypted value of the chunk goes in `out`. */
    const slots: number[] = [];
    const finish = (): void => {
      const n = slots.length;
      this.#ff1.decrypt(head, tail, n);
      for (let k = 0; k < n; k++) {
        const at = slots[k] ?? 0;
        const code = codes[at] ?? '';
        const serial = (head[k] ?? 0) * this.#ff1.tailModulus + (tail[k] ?? 0);
        out[at] = Object.freeze({ type: 'decoded', code, layout: this.layout, prefix: this.prefix, serial });
      }
      slots.length = 0;
    };
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i] ?? '';
      const parsed = parseCode(code);
      if (parsed.type === 'error') out[i] = parsed;
      else if (parsed.layout !== this.layout) {
        out[i] = codeError(
          'wrong-length',
          `This code space has ${this.layout.length}-digit codes, not ${code.length}.`,
        );
      } else if (parsed.prefix !== this.prefix) {
        out[i] = codeError('other-space', 'The code belongs to another code space.');
      } else {
        head[slots.length] = Number(parsed.field.slice(0, u));
        tail[slots.length] = Number(parsed.field.slice(u));
        slots.push(i);
        if (slots.length === CHUNK) finish();
      }
    }
    if (slots.length > 0) finish();
    return out;
  }

  #checkRange(firstSerial: number, count: number): void {
    if (!Number.isSafeInteger(firstSerial) || firstSerial < 0) {
      throw new RangeError(`serial must be a non-negative integer, got ${firstSerial}`);
    }
    if (!Number.isSafeInteger(count) || count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${count}`);
    }
    if (firstSerial + count > this.layout.capacity) {
      throw new RangeError(
        `serials end at ${this.layout.capacity - 1} in a ${this.layout.length}-digit space`,
      );
    }
  }

  /** FF1 over n consecutive serials, then the ASCII of each code at offset + k * stride. */
  #encodeChunk(firstSerial: number, n: number, target: Uint8Array, offset: number, stride: number): void {
    const head = this.#head;
    const tail = this.#tail;
    const tailModulus = this.#ff1.tailModulus;
    // Split the first serial once, then count: no division per code.
    let h = Math.floor(firstSerial / tailModulus);
    let t = firstSerial - h * tailModulus;
    for (let k = 0; k < n; k++) {
      head[k] = h;
      tail[k] = t;
      if (++t === tailModulus) {
        t = 0;
        h++;
      }
    }
    this.#ff1.encrypt(head, tail, n);

    const prefixBytes = this.#prefixBytes;
    const prefixDigits = prefixBytes.length;
    const { u, v } = this.#ff1.shape;
    const fieldStart = prefixDigits;
    const checkAt = prefixDigits + u + v;
    const interim0 = this.#prefixInterim;
    // The Damm walk of the prefix is the same for every code: it starts from its interim digit.
    for (let k = 0, at = offset; k < n; k++, at += stride) {
      for (let p = 0; p < prefixDigits; p++) target[at + p] = prefixBytes[p] ?? 0;
      // Each half has at most 7 digits in every layout, well below 2^31: int arithmetic.
      const interim = writeHalf(target, at + fieldStart, u, head[k] ?? 0, interim0);
      target[at + checkAt] = ZERO + writeHalf(target, at + fieldStart + u, v, tail[k] ?? 0, interim);
    }
  }
}

// ASCII of the tens and units digit of 0..99: two digits per division when writing a number.
const TENS = Uint8Array.from({ length: 100 }, (_, k) => ZERO + Math.floor(k / 10));
const UNITS = Uint8Array.from({ length: 100 }, (_, k) => ZERO + (k % 10));

/** Pairs of digits of one half, right to left, waiting for the left-to-right Damm walk. */
const PAIR_SCRATCH = new Int32Array(8);

/**
 * Writes `value` (an integer below 2^31) as exactly `digits` ASCII digits, zero-padded, at `at`,
 * and returns the Damm interim digit after walking those digits from `interim`.
 *
 * Digits come out right to left, two per division, and the Damm walk must go left to right: the
 * pairs wait in a scratch array, then the walk takes two digits per table lookup. A half of odd
 * length starts with a single digit, which is also where the right-to-left split leaves it.
 */
function writeHalf(target: Uint8Array, at: number, digits: number, value: number, interim: number): number {
  // `| 0` makes V8 use int32 arithmetic: dividing by the constant 100 becomes a multiply.
  let x = value | 0;
  let p = at + digits;
  let pairs = 0;
  while (p - at >= 2) {
    const q = (x / 100) | 0;
    const r = x - q * 100;
    target[--p] = UNITS[r] ?? 0;
    target[--p] = TENS[r] ?? 0;
    PAIR_SCRATCH[pairs++] = r;
    x = q;
  }
  let state = interim;
  if (p > at) {
    // One digit left (odd length): it is the leftmost.
    target[at] = ZERO + x;
    state = DAMM_STEPS[state * 10 + x] ?? 0;
  }
  while (pairs > 0) state = DAMM_PAIRS[state * 100 + (PAIR_SCRATCH[--pairs] ?? 0)] ?? 0;
  return state;
}
