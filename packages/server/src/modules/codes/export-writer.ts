// Streams the codes of a serial range to files for label printers and line-side coders: CSV or
// TXT, plain, gzip or one ZIP, split into parts, in constant memory, resumable part by part.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { open, mkdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { crc32, createDeflateRaw, createGzip } from 'node:zlib';

/** What to write. Validated by {@link writeExport}; the API validates it first with its schema. */
export interface ExportSpec {
  /** 'csv': RFC 4180 with a header row, for people and label software; 'txt': bare lines, for coders. */
  format: 'csv' | 'txt';
  /** 'gzip': one .gz per part; 'zip': one archive holding every part; 'none': plain parts. */
  compression: 'none' | 'gzip' | 'zip';
  /** Codes per part (file or ZIP entry), 1 to {@link EXPORT_MAX_CODES_PER_FILE}. */
  codesPerFile: number;
  /** Add the QR URL of each code. */
  includeUrl: boolean;
  /** Add the hidden scratch-off PIN of each code (the source must have `pins`). */
  includePin: boolean;
  /** Start of every file name, e.g. `job-<id>`: letters, digits, '.', '_', '-'. */
  fileStem: string;
}

/** Where the codes come from: a serial range of one code space and its codec. */
export interface ExportSource {
  /** First serial of the range. */
  firstSerial: number;
  /** Codes in the range. */
  count: number;
  /** Codes of `count` consecutive serials (e.g. `CodeSpaceCodec.encodeBatch`). */
  encode(firstSerial: number, count: number): readonly string[];
  /** PINs (digits, all of one length) of `count` consecutive serials (e.g. `PinDeriver.pinBatch`); needed for `includePin`. */
  pins?(firstSerial: number, count: number): readonly string[];
  /** The QR URL of a code, e.g. `https://HOST/c/{code}`. */
  url(code: string): string;
  /**
   * Optional fast path, used with `urlPattern` (when URLs are included): writes the codes of
   * `count` serials as ASCII digits into `target`, code k at `offset + k * stride`, and returns
   * the offset after the last: exactly `CodeSpaceCodec.encodeBatchInto`. The codes must be the
   * ones `encode` gives. Without it every code goes through a string.
   */
  encodeInto?(firstSerial: number, count: number, target: Uint8Array, offset: number, stride: number): number;
  /**
   * `url` as a pattern, with `{code}` once where the code goes, e.g. `https://HOST/c/{code}`.
   * Lets the byte path write URLs without calling `url` per code; checked against `url`.
   */
  urlPattern?: string;
}

/** A finished file (or, inside a ZIP, a finished entry), as kept for resuming and downloading. */
export interface ExportFile {
  /** File name in the output folder, or entry name inside the ZIP. */
  name: string;
  /** Codes in it. */
  codes: number;
  /** Its size in bytes (of a ZIP entry: local header, compressed data and data descriptor). */
  bytes: number;
  /** SHA-256 of those bytes, lowercase hex. */
  sha256: string;
}

/**
 * How far an export got. `filesDone` are the finished parts in order: files, or for a ZIP its
 * finished entries. Persist it from `onProgress` and pass it back as `resume` after a restart.
 */
export interface ExportProgress {
  /** Codes written so far, finished parts plus the part in progress. */
  codesWritten: number;
  filesDone: ExportFile[];
}

/** Options of {@link writeExport}. */
export interface ExportOptions {
  /** The last progress reported by an interrupted run of the same export. */
  resume?: ExportProgress;
  /** Called after every finished part and at least once a second in between; awaited. */
  onProgress?: (progress: ExportProgress) => void | Promise<void>;
  /** Stops the export between chunks; finished parts are kept, the part in progress is not. */
  signal?: AbortSignal;
  /** zlib level 1-9 for gzip and ZIP; defaults to {@link EXPORT_COMPRESSION_LEVEL}. */
  compressionLevel?: number;
}

/** Largest part: 10 million codes keep even long URL lines far below ZIP's 4 GiB entry limit. */
export const EXPORT_MAX_CODES_PER_FILE = 10_000_000;

/**
 * Most parts (files, or ZIP entries) of one export. Printers and coders want a handful of files;
 * every part costs a sync to disk (and a ZIP entry), so a split by 1 of a million codes is refused.
 */
export const EXPORT_MAX_PARTS = 10_000;

/**
 * zlib level for gzip and ZIP, chosen with bench/export.ts (docs/performance.md). The codes are
 * random digits, and the only redundancy, each code repeated in its URL, every level finds: level 1
 * makes files of 18.3 % of the text, levels 2-3 slightly larger ones, levels 4-6 save 0.4-0.6
 * points for 1.5-2.5 times the time (level 6 alone needs 14 s or more of one core for 10 million
 * codes with URLs, against 20 s for the whole export). Level 1 is the fastest and as good as any.
 */
export const EXPORT_COMPRESSION_LEVEL = 1;

/**
 * Codes made at a time (one encode call, one string or one fill of bytes): large enough that
 * per-call costs vanish, small enough (about 300 KB of lines with URLs, 3 ms of work) that the
 * main thread soon comes back to the event loop to hand zlib its next buffer.
 */
const LINES_PER_CHUNK = 4096;
/**
 * Bytes handed to the compressor per write(): several chunks of lines. zlib compresses each write
 * on libuv's thread pool and needs the main thread for a moment between two: large writes make
 * those hand-overs rare, so zlib's thread keeps busy while the main thread makes codes.
 */
const WRITE_BYTES = 1 << 20;
/**
 * Bytes the compressor may hold before write() says wait: a few writes, so the main thread makes
 * the next while zlib compresses the last. This and the buffer pool, not the file size, bound the
 * memory used.
 */
const STREAM_BUFFER = 4 * WRITE_BYTES;
/** zlib output buffer: one compressed write fits, so zlib finishes a write in one go. */
const ZLIB_CHUNK = 256 * 1024;
/** Write buffers per part: one being filled, the rest queued at or inside zlib. */
const BUFFERS_IN_FLIGHT = 5;
const PROGRESS_INTERVAL_MS = 1000;
const READ_BUFFER = 1 << 20;

/**
 * Byte order mark at the start of every CSV file. Codes, URLs and PINs are ASCII, so the BOM
 * changes nothing for programs, but Excel (Chinese Windows above all) reads a CSV without BOM in
 * the ANSI code page (GBK) and with one as UTF-8: the BOM makes any non-ASCII URL open right and
 * tells clerks' tools the file is UTF-8, and label software that imports UTF-8 CSV takes it as
 * the encoding mark it is. TXT files get none: coders import bytes as they are, and could print
 * the BOM into the first code.
 */
const CSV_BOM = '\uFEFF';
/** Both formats end lines with CRLF: RFC 4180 for CSV, and what Windows coder software expects. */
const EOL = '\r\n';
const CSV_SPECIAL = /[",\r\n]/;
const TXT_SPECIAL = /[\t\r\n]/;
const STEM = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Where the code goes in {@link ExportSource.urlPattern}. */
const URL_PATTERN_CODE = '{code}';

/**
 * Writes the codes of `source` into `outDir` as `spec` says, and returns the files to hand out.
 *
 * Parts are named `<stem>-0001.csv`, `<stem>-0002.csv.gz`, …; with 'zip' there is one archive
 * `<stem>.zip` whose entries are `<stem>-0001.csv`, …, because printers want one download.
 *
 * Memory stays flat whatever the count: codes are made 4096 at a time into one of five reused
 * write buffers of about 1 MB, and the writer waits (for a buffer to come back, or for 'drain')
 * whenever zlib or the disk is behind, so it never runs ahead of them. zlib works on libuv's
 * thread pool, so on two cores compression runs beside code generation. Given `encodeInto` and
 * `urlPattern`, lines are written as bytes without a string per code: about twice as fast.
 *
 * Restart-safe: a file is written under `<name>.part`, synced, then renamed, and only then
 * reported in `filesDone` with its size and SHA-256. A ZIP grows as `<stem>.zip.part`, entry by
 * entry, each synced before it is reported. Given `resume`, finished parts whose bytes still match
 * are kept (checked by SHA-256), and writing restarts at the first part that is not; ZIP entries
 * carry a data descriptor, so a resumed archive is byte for byte the one an uninterrupted run
 * makes.
 *
 * @example
 * ```ts
 * const codec = new CodeSpaceCodec({ layout: 21, prefix, cipher });
 * const source: ExportSource = {
 *   firstSerial: 0,
 *   count: 10_000_000,
 *   encode: (s, n) => codec.encodeBatch(s, n),
 *   url: (c) => `https://trace.example.cn/c/${c}`,
 *   // Optional, twice as fast: codes as bytes, URLs filled in from the pattern.
 *   encodeInto: (s, n, target, offset, stride) => codec.encodeBatchInto(s, n, target, offset, stride),
 *   urlPattern: 'https://trace.example.cn/c/{code}',
 * };
 * const files = await writeExport(
 *   source,
 *   { format: 'csv', compression: 'gzip', codesPerFile: 1_000_000, includeUrl: true, includePin: false, fileStem: 'job-42' },
 *   '/data/exports/42',
 *   { onProgress: (p) => jobs.saveProgress(42, p) },
 * ); // job-42-0001.csv.gz … job-42-0010.csv.gz
 * ```
 * @throws RangeError for an invalid spec or source; the signal's reason when aborted.
 */
export async function writeExport(
  source: ExportSource,
  spec: ExportSpec,
  outDir: string,
  opts: ExportOptions = {},
): Promise<ExportFile[]> {
  const level = checkInputs(source, spec, opts);
  // Both ends of the range through the source first: a range past the end of its code space, or
  // a urlPattern that disagrees with url(), fails here, before anything is written.
  if (source.count > 0) source.encode(source.firstSerial + source.count - 1, 1);
  const lines = new LineEncoder(source, spec);
  const job: Job = {
    plan: new ExportPlan(source, spec),
    outDir,
    level,
    compression: spec.compression,
    signal: opts.signal,
    progress: new ProgressReporter(opts.onProgress),
    lines,
  };
  opts.signal?.throwIfAborted();
  await mkdir(outDir, { recursive: true });
  return spec.compression === 'zip' ? writeZip(job, opts.resume) : writeFiles(job, opts.resume);
}

function checkInputs(source: ExportSource, spec: ExportSpec, opts: ExportOptions): number {
  const problems: string[] = [];
  // The types allow only these; specs parsed from storage or requests may not respect them.
  if (!['csv', 'txt'].includes(spec.format)) problems.push("format must be 'csv' or 'txt'");
  if (!['none', 'gzip', 'zip'].includes(spec.compression)) {
    problems.push("compression must be 'none', 'gzip' or 'zip'");
  }
  if (
    !Number.isInteger(spec.codesPerFile) ||
    spec.codesPerFile < 1 ||
    spec.codesPerFile > EXPORT_MAX_CODES_PER_FILE
  ) {
    problems.push(`codesPerFile must be an integer from 1 to ${EXPORT_MAX_CODES_PER_FILE}`);
  }
  if (!STEM.test(spec.fileStem)) {
    problems.push('fileStem must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  if (spec.includePin && source.pins === undefined) problems.push('includePin needs a source with pins');
  if (!Number.isSafeInteger(source.firstSerial) || source.firstSerial < 0) {
    problems.push('firstSerial must be a non-negative integer');
  }
  if (!Number.isSafeInteger(source.count) || source.count < 0) {
    problems.push('count must be a non-negative integer');
  }
  if (problems.length === 0 && Math.ceil(source.count / spec.codesPerFile) > EXPORT_MAX_PARTS) {
    problems.push(`the export would have more than ${EXPORT_MAX_PARTS} files: put more codes in each`);
  }
  if (source.urlPattern !== undefined && source.urlPattern.split(URL_PATTERN_CODE).length !== 2) {
    problems.push(`urlPattern must hold ${URL_PATTERN_CODE} exactly once`);
  }
  const level = opts.compressionLevel ?? EXPORT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9) problems.push('compressionLevel must be 1-9');
  // Report every problem at once.
  if (problems.length > 0) throw new RangeError(`Invalid export: ${problems.join('; ')}`);
  return level;
}

/** The parts of an export: names and serial ranges, computed on demand. */
class ExportPlan {
  readonly parts: number;
  readonly #source: ExportSource;
  readonly #spec: ExportSpec;
  readonly #digits: number;

  constructor(source: ExportSource, spec: ExportSpec) {
    this.#source = source;
    this.#spec = spec;
    this.parts = Math.ceil(source.count / spec.codesPerFile);
    // Four digits sort right for up to 9999 parts; more parts get wider numbers, all alike.
    this.#digits = Math.max(4, String(this.parts).length);
  }

  /** Serial range and name of part `index` (0-based). */
  part(index: number): Part {
    const { codesPerFile, fileStem, format, compression } = this.#spec;
    const start = index * codesPerFile;
    const name = `${fileStem}-${String(index + 1).padStart(this.#digits, '0')}.${format}`;
    return {
      index,
      name: compression === 'gzip' ? `${name}.gz` : name,
      firstSerial: this.#source.firstSerial + start,
      codes: Math.min(codesPerFile, this.#source.count - start),
    };
  }

  /** Codes in parts 0 .. index - 1. */
  codesBefore(index: number): number {
    return Math.min(index * this.#spec.codesPerFile, this.#source.count);
  }

  get zipName(): string {
    return `${this.#spec.fileStem}.zip`;
  }
}

interface Part {
  readonly index: number;
  /** File name, or ZIP entry name. */
  readonly name: string;
  readonly firstSerial: number;
  readonly codes: number;
}

interface Job {
  readonly plan: ExportPlan;
  readonly outDir: string;
  readonly level: number;
  readonly compression: ExportSpec['compression'];
  readonly signal: AbortSignal | undefined;
  readonly progress: ProgressReporter;
  readonly lines: LineEncoder;
}

/** Calls onProgress after every part and at least once a second while a part is written. */
class ProgressReporter {
  readonly #onProgress: ExportOptions['onProgress'];
  #last = performance.now();

  constructor(onProgress: ExportOptions['onProgress']) {
    this.#onProgress = onProgress;
  }

  async tick(codesWritten: number, filesDone: readonly ExportFile[]): Promise<void> {
    if (this.#onProgress === undefined || performance.now() - this.#last < PROGRESS_INTERVAL_MS) return;
    await this.report(codesWritten, filesDone);
  }

  async report(codesWritten: number, filesDone: readonly ExportFile[]): Promise<void> {
    if (this.#onProgress === undefined) return;
    this.#last = performance.now();
    // A copy: the callee may keep it while the export goes on.
    await this.#onProgress({ codesWritten, filesDone: [...filesDone] });
  }
}

/** Turns serials into the bytes of export lines, one chunk at a time. */
class LineEncoder {
  readonly #source: ExportSource;
  readonly #spec: ExportSpec;
  readonly #header: Buffer;
  /** Set when the source allows the byte path (see {@link ExportSource.encodeInto}). */
  readonly #bytes: ByteLines | undefined;
  readonly #utf8 = new TextEncoder();

  constructor(source: ExportSource, spec: ExportSpec) {
    this.#source = source;
    this.#spec = spec;
    const columns = ['code'];
    if (spec.includeUrl) columns.push('url');
    if (spec.includePin) columns.push('pin');
    this.#header = Buffer.from(spec.format === 'csv' ? `${CSV_BOM}${columns.join(',')}${EOL}` : '', 'utf8');
    this.#bytes = ByteLines.of(source, spec);
  }

  /** What every part starts with: BOM and header row for CSV, nothing for TXT. */
  get header(): Buffer {
    return this.#header;
  }

  /**
   * Bytes of a write buffer: {@link WRITE_BYTES} and room for the chunk that crosses it, so a
   * chunk rarely has to go again into the next buffer (strings: lines of up to 256 bytes).
   */
  get bufferBytes(): number {
    return WRITE_BYTES + (this.#bytes?.lineBytes ?? 256) * LINES_PER_CHUNK;
  }

  /**
   * Writes the UTF-8 lines of the `count` serials from `firstSerial` into `target` at `offset`.
   * @returns the offset after them, or -1 if they do not fit (nothing counts as written then).
   */
  writeChunk(firstSerial: number, count: number, target: Buffer, offset: number): number {
    if (this.#bytes !== undefined) return this.#bytes.writeChunk(firstSerial, count, target, offset);
    const text = this.#text(firstSerial, count);
    const { read, written } = this.#utf8.encodeInto(text, target.subarray(offset));
    return read === text.length ? offset + written : -1;
  }

  /** The lines as a Buffer of their own: for chunks too large for any write buffer. */
  chunk(firstSerial: number, count: number): Buffer {
    if (this.#bytes !== undefined) {
      const out = Buffer.allocUnsafe(count * this.#bytes.lineBytes);
      this.#bytes.writeChunk(firstSerial, count, out, 0);
      return out;
    }
    return Buffer.from(this.#text(firstSerial, count), 'utf8');
  }

  /** The general path: codes, URLs and PINs as strings, one string per chunk. */
  #text(firstSerial: number, count: number): string {
    const source = this.#source;
    const { format, includeUrl, includePin } = this.#spec;
    const codes = source.encode(firstSerial, count);
    const pins = includePin ? source.pins?.(firstSerial, count) : undefined;
    if (codes.length !== count || (includePin && pins?.length !== count)) {
      throw new RangeError(`The source returned the wrong number of codes or PINs for ${count} serials`);
    }
    const csv = format === 'csv';
    const separator = csv ? ',' : '\t';
    let text = '';
    // Branch once per chunk, not per line: the common shapes get a tight loop of their own.
    if (!includeUrl && pins === undefined) {
      for (let k = 0; k < count; k++) text += field(codes[k] ?? '', csv) + EOL;
    } else if (includeUrl && pins === undefined) {
      for (let k = 0; k < count; k++) {
        const code = codes[k] ?? '';
        text += field(code, csv) + separator + field(source.url(code), csv) + EOL;
      }
    } else {
      for (let k = 0; k < count; k++) {
        const code = codes[k] ?? '';
        let line = field(code, csv);
        if (includeUrl) line += separator + field(source.url(code), csv);
        text += line + separator + field(pins?.[k] ?? '', csv) + EOL;
      }
    }
    return text;
  }
}

/**
 * The byte path: every line of an export has the same length (codes of one layout, one URL
 * pattern, PINs of one length), so a chunk is one template line repeated, the codes written into
 * it as ASCII by the codec (`encodeBatchInto`, no strings at all), each code copied once more into
 * its URL, and the PINs written in. About twice as fast as strings: it is what keeps 10 million
 * codes with URLs well inside 20 s on two cores.
 */
class ByteLines {
  readonly #encodeInto: NonNullable<ExportSource['encodeInto']>;
  readonly #pins: ExportSource['pins'];
  readonly #template: Buffer;
  readonly #codeLength: number;
  /** Byte offset of the code inside the URL, or -1 without URL. */
  readonly #urlCodeAt: number;
  /** Byte offset of the PIN, or -1 without PIN. */
  readonly #pinAt: number;
  readonly #pinLength: number;

  private constructor(
    source: ExportSource,
    spec: ExportSpec,
    encodeInto: NonNullable<ExportSource['encodeInto']>,
    pattern: readonly [string, string] | undefined,
  ) {
    const csv = spec.format === 'csv';
    const separator = csv ? ',' : '\t';
    // One real code fixes the code length, and checks the pattern against url().
    const [code = ''] = source.encode(source.firstSerial, 1);
    if (!/^[0-9]+$/.test(code)) throw new RangeError('encodeInto needs codes of digits');
    const [pin = ''] = spec.includePin ? (source.pins?.(source.firstSerial, 1) ?? []) : [];
    let text = '0'.repeat(code.length);
    this.#urlCodeAt = -1;
    if (pattern !== undefined) {
      const [before, after] = pattern;
      if (source.url(code) !== before + code + after) {
        throw new RangeError('urlPattern does not give the URLs that url() gives');
      }
      // Codes are digits, so the URL needs quoting (or is impossible in TXT) exactly when its
      // fixed parts do: decide once for every line.
      let [head, tail] = [before, after];
      if (csv && CSV_SPECIAL.test(before + after)) {
        [head, tail] = [`"${before.replaceAll('"', '""')}`, `${after.replaceAll('"', '""')}"`];
      } else if (!csv && TXT_SPECIAL.test(before + after)) {
        throw new RangeError(`A TXT field cannot hold tabs or line breaks: ${before}`);
      }
      text += separator + head;
      this.#urlCodeAt = Buffer.byteLength(text);
      text += '0'.repeat(code.length) + tail;
    }
    this.#pinAt = -1;
    this.#pinLength = pin.length;
    if (spec.includePin) {
      text += separator;
      this.#pinAt = Buffer.byteLength(text);
      text += pin;
    }
    this.#template = Buffer.from(text + EOL, 'utf8');
    this.#codeLength = code.length;
    this.#encodeInto = encodeInto;
    this.#pins = source.pins?.bind(source);
  }

  /** The byte path for this source and spec, or undefined where only strings will do. */
  static of(source: ExportSource, spec: ExportSpec): ByteLines | undefined {
    if (source.encodeInto === undefined || source.count === 0) return undefined;
    const encodeInto = source.encodeInto.bind(source);
    let pattern: [string, string] | undefined;
    if (spec.includeUrl) {
      const parts = source.urlPattern?.split(URL_PATTERN_CODE);
      if (parts?.length !== 2) return undefined;
      pattern = [parts[0] ?? '', parts[1] ?? ''];
    }
    return new ByteLines(source, spec, encodeInto, pattern);
  }

  /** Bytes of every line. */
  get lineBytes(): number {
    return this.#template.length;
  }

  /** See {@link LineEncoder.writeChunk}. */
  writeChunk(firstSerial: number, count: number, out: Buffer, offset: number): number {
    const line = this.#template.length;
    const end = offset + count * line;
    if (end > out.length) return -1;
    // The template repeated: separators, fixed URL parts and line ends in one native fill.
    out.fill(this.#template, offset, end);
    this.#encodeInto(firstSerial, count, out, offset, line);
    const urlCodeAt = this.#urlCodeAt;
    if (urlCodeAt >= 0) {
      const codeLength = this.#codeLength;
      for (let at = offset; at < end; at += line) out.copyWithin(at + urlCodeAt, at, at + codeLength);
    }
    if (this.#pinAt >= 0) {
      const pins = this.#pins?.(firstSerial, count) ?? [];
      if (pins.length !== count) throw new RangeError(`The source returned the wrong number of PINs`);
      for (let k = 0, at = offset + this.#pinAt; k < count; k++, at += line) {
        const pin = pins[k] ?? '';
        // PINs are digits of one length; anything else would break the fixed line.
        if (pin.length !== this.#pinLength || out.write(pin, at, 'latin1') !== pin.length) {
          throw new RangeError('PINs of an export must all have the same number of digits');
        }
      }
    }
    return end;
  }
}

/** A URL or PIN as a field: quoted per RFC 4180 where CSV needs it; TXT cannot hold tabs or breaks. */
function field(value: string, csv: boolean): string {
  if (csv) return CSV_SPECIAL.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  if (TXT_SPECIAL.test(value)) throw new RangeError(`A TXT field cannot hold tabs or line breaks: ${value}`);
  return value;
}

/**
 * Where the bytes of one part go: `input` takes uncompressed lines; `done` settles when all of
 * them went through (compressed, hashed, on disk), or fails. `input` calls a write's callback only
 * once it is done with the buffer, so the buffer can be used again.
 */
interface PartOutput {
  readonly input: Writable;
  readonly done: Promise<void>;
}

/**
 * The output of a part: gzip, raw deflate (ZIP) or none, ending in `consume`, which takes the
 * final bytes in order and resolves when they are written.
 */
function partOutput(
  kind: 'none' | 'gzip' | 'deflate',
  level: number,
  consume: (bytes: Buffer) => Promise<void>,
): PartOutput {
  if (kind === 'none') {
    // Straight to the file: a write's callback comes after the bytes are on disk.
    const input = new Writable({
      highWaterMark: STREAM_BUFFER,
      write(chunk: Buffer, _encoding, callback) {
        consume(chunk).then(() => callback(), callback);
      },
    });
    return { input, done: finished(input) };
  }
  // zlib hands stream options such as highWaterMark on to its Transform (ZlibOptions' type omits
  // them). Its write callbacks come once zlib has taken all of a buffer in.
  const options = { level, chunkSize: ZLIB_CHUNK, highWaterMark: STREAM_BUFFER };
  const input = kind === 'gzip' ? createGzip(options) : createDeflateRaw(options);
  const done = pipeline(input, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) await consume(chunk);
  });
  return { input, done };
}

/**
 * Pushes the lines of one part into `output.input`, in write buffers of about {@link WRITE_BYTES}
 * taken from a small pool and given back by each write's callback: memory stays at a few buffers,
 * with no garbage for the collector, and the pool running dry is the backpressure.
 * Calls `onBytes` with the uncompressed bytes, in order (the ZIP entry's CRC-32 and size).
 */
async function produce(
  job: Job,
  part: Part,
  output: PartOutput,
  codesBefore: number,
  filesDone: readonly ExportFile[],
  onBytes?: (bytes: Buffer) => void,
): Promise<void> {
  const { input, done } = output;
  const pool = new BufferPool(job.lines.bufferBytes, BUFFERS_IN_FLIGHT, done);
  const send = async (bytes: Buffer, buffer?: Buffer): Promise<void> => {
    onBytes?.(bytes);
    const more = input.write(bytes, (error) => {
      if (buffer !== undefined && error == null) pool.give(buffer);
    });
    if (!more) await Promise.race([once(input, 'drain'), done]);
  };
  const header = job.lines.header;
  if (header.length > 0) await send(header);
  let buffer = await pool.take();
  let used = 0;
  for (let at = 0; at < part.codes; at += LINES_PER_CHUNK) {
    job.signal?.throwIfAborted();
    const first = part.firstSerial + at;
    const n = Math.min(LINES_PER_CHUNK, part.codes - at);
    let end = job.lines.writeChunk(first, n, buffer, used);
    if (end < 0 && used > 0) {
      await send(buffer.subarray(0, used), buffer);
      [buffer, used] = [await pool.take(), 0];
      end = job.lines.writeChunk(first, n, buffer, 0);
    }
    if (end < 0) {
      // Lines too long for any write buffer (URLs of hundreds of characters): a Buffer of their own.
      await send(job.lines.chunk(first, n));
    } else {
      used = end;
      if (used >= WRITE_BYTES) {
        await send(buffer.subarray(0, used), buffer);
        [buffer, used] = [await pool.take(), 0];
      }
    }
    // Let libuv run zlib's completion callbacks between chunks: each one hands zlib its next
    // piece of work, and would otherwise wait until this loop gave up the thread.
    await setImmediatePromise();
    await job.progress.tick(codesBefore + at + n, filesDone);
  }
  if (used > 0) await send(buffer.subarray(0, used), buffer);
  job.signal?.throwIfAborted();
  input.end();
  await done;
}

/** At most `limit` buffers of `bytes`, reused; take() waits for one to come back. */
class BufferPool {
  readonly #bytes: number;
  readonly #limit: number;
  readonly #failed: Promise<void>;
  readonly #free: Buffer[] = [];
  #made = 0;
  #waiting: (() => void) | undefined;

  /** `failed`: while waiting for a buffer, its rejection ends the wait (the output broke). */
  constructor(bytes: number, limit: number, failed: Promise<void>) {
    this.#bytes = bytes;
    this.#limit = limit;
    this.#failed = failed;
  }

  async take(): Promise<Buffer> {
    for (;;) {
      const free = this.#free.pop();
      if (free !== undefined) return free;
      if (this.#made < this.#limit) {
        this.#made++;
        return Buffer.allocUnsafeSlow(this.#bytes);
      }
      await Promise.race([new Promise<void>((resolve) => (this.#waiting = resolve)), this.#failed]);
    }
  }

  give(buffer: Buffer): void {
    this.#free.push(buffer);
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }
}

/** Writes all of `bytes` at `position` (or the handle's current position when null). */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number | null): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await file.write(
      bytes,
      written,
      bytes.length - written,
      position === null ? null : position + written,
    );
    written += bytesWritten;
  }
}

// ---------------------------------------------------------------------------------------------
// One file per part: none and gzip.

async function writeFiles(job: Job, resume: ExportProgress | undefined): Promise<ExportFile[]> {
  const { plan } = job;
  const files = await keptFiles(job, resume?.filesDone ?? []);
  for (let index = files.length; index < plan.parts; index++) {
    job.signal?.throwIfAborted();
    const part = plan.part(index);
    files.push(await writeFilePart(job, part, files));
    await job.progress.report(plan.codesBefore(index + 1), files);
  }
  return files;
}

/** The finished files of `done` that are still on disk, byte for byte, up to the first that is not. */
async function keptFiles(job: Job, done: readonly ExportFile[]): Promise<ExportFile[]> {
  const kept: ExportFile[] = [];
  for (const [index, file] of done.entries()) {
    if (!sameAsPlanned(job.plan, index, file)) break;
    const actual = await hashFile(join(job.outDir, file.name));
    if (actual?.bytes !== file.bytes || actual.sha256 !== file.sha256) break;
    kept.push(Object.freeze({ ...file }));
  }
  return kept;
}

function sameAsPlanned(plan: ExportPlan, index: number, file: ExportFile): boolean {
  if (index >= plan.parts) return false;
  const part = plan.part(index);
  return file.name === part.name && file.codes === part.codes;
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string } | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const hash = createHash('sha256');
    const bytes = await hashRange(file, 0, Infinity, [hash]);
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await file.close();
  }
}

/** Feeds bytes `start .. start + length` (or to the end) of `file` to `hashes`; returns bytes read. */
async function hashRange(file: FileHandle, start: number, length: number, hashes: Hash[]): Promise<number> {
  const buffer = Buffer.allocUnsafe(READ_BUFFER);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, length - read), start + read);
    if (bytesRead === 0) break;
    for (const hash of hashes) hash.update(buffer.subarray(0, bytesRead));
    read += bytesRead;
  }
  return read;
}

async function writeFilePart(job: Job, part: Part, filesDone: readonly ExportFile[]): Promise<ExportFile> {
  const path = join(job.outDir, part.name);
  const temp = `${path}.part`;
  const file = await open(temp, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  const output = partOutput(job.compression === 'gzip' ? 'gzip' : 'none', job.level, async (chunk) => {
    hash.update(chunk);
    bytes += chunk.length;
    await writeAll(file, chunk, null);
  });
  // produce() awaits it; this only keeps an early failure from counting as unhandled meanwhile.
  output.done.catch(() => undefined);
  try {
    await produce(job, part, output, job.plan.codesBefore(part.index), filesDone);
    // Durable before it is renamed and reported: a crash never leaves a short file under the name.
    await file.sync();
  } catch (error) {
    // Stop the output and let its last disk write finish before the file goes.
    output.input.destroy();
    await output.done.catch(() => undefined);
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  return Object.freeze({ name: part.name, codes: part.codes, bytes, sha256: hash.digest('hex') });
}

// ---------------------------------------------------------------------------------------------
// One ZIP holding every part. Written by hand (no library) because it must grow entry by entry in
// a file that survives a restart: entries are appended with local header, deflated data and data
// descriptor (as Java's ZipOutputStream and yazl write them), the central directory comes last.

const ZIP_LOCAL_HEADER = 0x04034b50;
const ZIP_DATA_DESCRIPTOR = 0x08074b50;
const ZIP_CENTRAL_HEADER = 0x02014b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP_END = 0x06054b50;
/** Bit 3: sizes and CRC follow the data, in the data descriptor. */
const ZIP_FLAGS = 0x0008;
const ZIP_DEFLATE = 8;
/**
 * DOS time and date of every entry: 1980-01-01 00:00, the earliest ZIP can say. A fixed stamp
 * makes a resumed archive identical to an uninterrupted one (and two exports of the same range
 * identical); the download itself carries the real date.
 */
const ZIP_TIME = 0;
const ZIP_DATE = (0 << 9) | (1 << 5) | 1;
const ZIP_DESCRIPTOR_BYTES = 16;
const U32 = 0xffffffff;
const U16 = 0xffff;

/** What the central directory needs of an entry. */
interface ZipEntry {
  readonly name: Buffer;
  readonly crc: number;
  readonly compressed: number;
  readonly size: number;
  readonly offset: number;
}

function zipLocalHeader(name: Buffer): Buffer {
  const header = Buffer.alloc(30 + name.length);
  header.writeUInt32LE(ZIP_LOCAL_HEADER, 0);
  header.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  header.writeUInt16LE(ZIP_FLAGS, 6);
  header.writeUInt16LE(ZIP_DEFLATE, 8);
  header.writeUInt16LE(ZIP_TIME, 10);
  header.writeUInt16LE(ZIP_DATE, 12);
  // CRC-32 and sizes (14..25) stay zero: they are in the data descriptor.
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28); // no extra field
  name.copy(header, 30);
  return header;
}

function zipDataDescriptor(crc: number, compressed: number, size: number): Buffer {
  const descriptor = Buffer.alloc(ZIP_DESCRIPTOR_BYTES);
  descriptor.writeUInt32LE(ZIP_DATA_DESCRIPTOR, 0);
  descriptor.writeUInt32LE(crc >>> 0, 4);
  descriptor.writeUInt32LE(compressed, 8);
  descriptor.writeUInt32LE(size, 12);
  return descriptor;
}

/** Central directory and end records; ZIP64 records where offsets or counts outgrow 32/16 bits. */
function zipDirectory(entries: readonly ZipEntry[], directoryOffset: number): Buffer {
  const pieces: Buffer[] = [];
  for (const entry of entries) {
    // Entries are at most 4 GiB each (checked when written); only offsets may need ZIP64.
    const far = entry.offset >= U32;
    const header = Buffer.alloc(46 + entry.name.length + (far ? 12 : 0));
    header.writeUInt32LE(ZIP_CENTRAL_HEADER, 0);
    header.writeUInt16LE(far ? 45 : 20, 4); // made by: MS-DOS attributes, spec version
    header.writeUInt16LE(far ? 45 : 20, 6); // needed
    header.writeUInt16LE(ZIP_FLAGS, 8);
    header.writeUInt16LE(ZIP_DEFLATE, 10);
    header.writeUInt16LE(ZIP_TIME, 12);
    header.writeUInt16LE(ZIP_DATE, 14);
    header.writeUInt32LE(entry.crc >>> 0, 16);
    header.writeUInt32LE(entry.compressed, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt16LE(far ? 12 : 0, 30);
    // comment length, disk, attributes: zero, except internal attribute bit 0 = text.
    header.writeUInt16LE(1, 36);
    header.writeUInt32LE(far ? U32 : entry.offset, 42);
    entry.name.copy(header, 46);
    if (far) {
      const extra = 46 + entry.name.length;
      header.writeUInt16LE(0x0001, extra); // ZIP64 extended information
      header.writeUInt16LE(8, extra + 2);
      header.writeBigUInt64LE(BigInt(entry.offset), extra + 4);
    }
    pieces.push(header);
  }
  const directorySize = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const zip64 = entries.length >= U16 || directoryOffset >= U32 || directorySize >= U32;
  if (zip64) {
    const zip64EndOffset = directoryOffset + directorySize;
    const end64 = Buffer.alloc(56 + 20);
    end64.writeUInt32LE(ZIP64_END, 0);
    end64.writeBigUInt64LE(44n, 4); // size of the rest of this record
    end64.writeUInt16LE(45, 12);
    end64.writeUInt16LE(45, 14);
    // disk numbers (16..23) zero
    end64.writeBigUInt64LE(BigInt(entries.length), 24);
    end64.writeBigUInt64LE(BigInt(entries.length), 32);
    end64.writeBigUInt64LE(BigInt(directorySize), 40);
    end64.writeBigUInt64LE(BigInt(directoryOffset), 48);
    end64.writeUInt32LE(ZIP64_LOCATOR, 56);
    end64.writeBigUInt64LE(BigInt(zip64EndOffset), 64);
    end64.writeUInt32LE(1, 72); // total disks
    pieces.push(end64);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(ZIP_END, 0);
  end.writeUInt16LE(Math.min(entries.length, U16), 8);
  end.writeUInt16LE(Math.min(entries.length, U16), 10);
  end.writeUInt32LE(Math.min(directorySize, U32), 12);
  end.writeUInt32LE(Math.min(directoryOffset, U32), 16);
  pieces.push(end);
  return Buffer.concat(pieces);
}

async function writeZip(job: Job, resume: ExportProgress | undefined): Promise<ExportFile[]> {
  const { plan, outDir } = job;
  const path = join(outDir, plan.zipName);
  const temp = `${path}.part`;
  const zipHash = createHash('sha256');
  const { files, entries, end, file } = await openZipForResume(job, temp, resume?.filesDone ?? [], zipHash);
  let offset = end;
  let directory: Buffer;
  try {
    for (let index = files.length; index < plan.parts; index++) {
      job.signal?.throwIfAborted();
      const part = plan.part(index);
      const written = await writeZipEntry(job, part, file, offset, zipHash, files);
      entries.push(written.entry);
      files.push(written.file);
      offset += written.file.bytes;
      await job.progress.report(plan.codesBefore(index + 1), files);
    }
    directory = zipDirectory(entries, offset);
    zipHash.update(directory);
    await writeAll(file, directory, offset);
    await file.truncate(offset + directory.length);
    await file.sync();
  } finally {
    // On failure the .part stays: its finished entries are what a resumed run keeps.
    await file.close();
  }
  await rename(temp, path);
  return [
    Object.freeze({
      name: plan.zipName,
      codes: plan.codesBefore(plan.parts),
      bytes: offset + directory.length,
      sha256: zipHash.digest('hex'),
    }),
  ];
}

/**
 * Opens `<stem>.zip.part`, keeping the entries of `done` whose bytes still match (their SHA-256),
 * up to the first that does not, and cuts the file after them. Feeds the kept bytes to `zipHash`.
 */
async function openZipForResume(
  job: Job,
  temp: string,
  done: readonly ExportFile[],
  zipHash: Hash,
): Promise<{ files: ExportFile[]; entries: ZipEntry[]; end: number; file: FileHandle }> {
  const files: ExportFile[] = [];
  const entries: ZipEntry[] = [];
  let end = 0;
  let file: FileHandle;
  try {
    file = done.length > 0 ? await open(temp, 'r+') : await open(temp, 'w');
  } catch {
    file = await open(temp, 'w');
  }
  try {
    for (const [index, entryFile] of done.entries()) {
      if (!sameAsPlanned(job.plan, index, entryFile)) break;
      const entry = await readZipEntry(file, end, entryFile);
      if (entry === undefined) break;
      files.push(Object.freeze({ ...entryFile }));
      entries.push(entry);
      end += entryFile.bytes;
    }
    // The kept bytes, hashed in one pass for the whole archive's checksum.
    if (end > 0) await hashRange(file, 0, end, [zipHash]);
    await file.truncate(end);
  } catch (error) {
    await file.close();
    throw error;
  }
  return { files, entries, end, file };
}

/** The entry `expected` at `offset` if its bytes hash right and its records are sound. */
async function readZipEntry(
  file: FileHandle,
  offset: number,
  expected: ExportFile,
): Promise<ZipEntry | undefined> {
  const name = Buffer.from(expected.name, 'utf8');
  const headerBytes = 30 + name.length;
  if (expected.bytes < headerBytes + ZIP_DESCRIPTOR_BYTES) return undefined;
  const hash = createHash('sha256');
  if ((await hashRange(file, offset, expected.bytes, [hash])) !== expected.bytes) return undefined;
  if (hash.digest('hex') !== expected.sha256) return undefined;
  const header = Buffer.alloc(headerBytes);
  await file.read(header, 0, headerBytes, offset);
  if (!header.equals(zipLocalHeader(name))) return undefined;
  const descriptor = Buffer.alloc(ZIP_DESCRIPTOR_BYTES);
  await file.read(descriptor, 0, ZIP_DESCRIPTOR_BYTES, offset + expected.bytes - ZIP_DESCRIPTOR_BYTES);
  const compressed = descriptor.readUInt32LE(8);
  if (
    descriptor.readUInt32LE(0) !== ZIP_DATA_DESCRIPTOR ||
    compressed !== expected.bytes - headerBytes - ZIP_DESCRIPTOR_BYTES
  ) {
    return undefined;
  }
  return { name, crc: descriptor.readUInt32LE(4), compressed, size: descriptor.readUInt32LE(12), offset };
}

async function writeZipEntry(
  job: Job,
  part: Part,
  file: FileHandle,
  offset: number,
  zipHash: Hash,
  filesDone: readonly ExportFile[],
): Promise<{ entry: ZipEntry; file: ExportFile }> {
  const name = Buffer.from(part.name, 'utf8');
  const entryHash = createHash('sha256');
  let position = offset;
  const append = async (bytes: Buffer): Promise<void> => {
    entryHash.update(bytes);
    zipHash.update(bytes);
    await writeAll(file, bytes, position);
    position += bytes.length;
  };
  await append(zipLocalHeader(name));
  let crc = 0;
  let size = 0;
  const output = partOutput('deflate', job.level, append);
  output.done.catch(() => undefined);
  try {
    await produce(job, part, output, job.plan.codesBefore(part.index), filesDone, (bytes) => {
      crc = crc32(bytes, crc);
      size += bytes.length;
    });
  } catch (error) {
    // Stop the output and let its last write land; the caller closes the file.
    output.input.destroy();
    await output.done.catch(() => undefined);
    throw error;
  }
  const compressed = position - offset - name.length - 30;
  if (size > U32 || compressed > U32) {
    throw new RangeError(`ZIP entry ${part.name} exceeds 4 GiB: use fewer codes per file`);
  }
  await append(zipDataDescriptor(crc, compressed, size));
  // Durable before it is reported: a resumed run trusts every reported entry.
  await file.datasync();
  return {
    entry: { name, crc, compressed, size, offset },
    file: Object.freeze({
      name: part.name,
      codes: part.codes,
      bytes: position - offset,
      sha256: entryHash.digest('hex'),
    }),
  };
}
