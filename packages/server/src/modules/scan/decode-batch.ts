import type { CodeError, CodeSpaceCodec, DecodedCode } from '@tracemark/codes';

interface Waiting {
  readonly codes: string[];
  readonly answers: ((decoded: DecodedCode | CodeError) => void)[];
  readonly failures: ((error: unknown) => void)[];
}

/**
 * Codes waiting in one space at which they are decoded at once rather than at the end of the
 * event loop's turn: the batch the scan store writes (its `eagerBatchSize`), so a turn's first
 * queries reach the writer as early as before.
 */
const EAGER = 16;

/**
 * The consumer codes of a moment decoded together, per code space (`decodeMany`): a lone FF1
 * decode is ten cipher calls, each costing about as much as sixteen blocks in one call, so under
 * load this takes most of the decoding off the event loop. A code waits until its space has
 * {@link EAGER} codes waiting or the turn's other requests were read, whichever comes first.
 */
export class DecodeBatch {
  readonly #waiting = new Map<CodeSpaceCodec, Waiting>();
  #scheduled = false;

  decode(codec: CodeSpaceCodec, code: string): Promise<DecodedCode | CodeError> {
    return new Promise((resolve, reject) => {
      let w = this.#waiting.get(codec);
      if (w === undefined) {
        w = { codes: [], answers: [], failures: [] };
        this.#waiting.set(codec, w);
      }
      w.codes.push(code);
      w.answers.push(resolve);
      w.failures.push(reject);
      if (w.codes.length >= EAGER) this.#run(codec, w);
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // After the current I/O callbacks, so every request that arrived with this one joins it.
        setImmediate(() => {
          this.#scheduled = false;
          for (const [c, waiting] of this.#waiting) this.#run(c, waiting);
        });
      }
    });
  }

  #run(codec: CodeSpaceCodec, w: Waiting): void {
    this.#waiting.delete(codec);
    let decoded: (DecodedCode | CodeError)[];
    try {
      decoded = codec.decodeMany(w.codes);
    } catch (error) {
      for (const fail of w.failures) fail(error);
      return;
    }
    for (let i = 0; i < w.answers.length; i++) {
      const d = decoded[i];
      if (d === undefined) w.failures[i]?.(new Error('decodeMany answered fewer codes'));
      else w.answers[i]?.(d);
    }
  }
}
