// Streams the codes of a serial range to files for label printers and line-side coders: CSV or
// TXT, plain, gzip or one ZIP, split into parts, in constant memory, resumable part by part.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { open, mkdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  /** PINs of `count` consecutive serials (e.g. `PinDeriver.pinBatch`); needed for `includePin`. */
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
 * zlib level for gzip and ZIP. Measured by bench/export.ts (docs/performance.md): codes are
 * random digits, so higher levels barely shrink the files (the URL repeats the code, which every
 * level finds) while costing far more time: level 1 is the only one that keeps 10 million codes
 * with URLs under 20 s on two cores.
 */
export const EXPORT_COMPRESSION_LEVEL = 1;

/**
 * Codes turned into one string and one Buffer at a time: large enough that per-chunk costs (one
 * encode call, one Buffer, one stream write) vanish, small enough (about 300 KB of text with URLs)
 * to stay in cache and keep memory flat.
 */
const LINES_PER_CHUNK = 4096;
/** Bytes the encoder stream may buffer before write() says wait: two chunks of lines in flight. */
const STREAM_BUFFER = 1 << 20;
/** zlib output piece: fewer, larger disk writes than zlib's 16 KiB default. */
const ZLIB_CHUNK = 64 * 1024;
const PROGRESS_INTERVAL_MS = 1000;
const READ_BUFFER = 1 << 20;

/**
 * Byte order mark at the start of every CSV file. Codes, URLs and PINs are ASCII, so the BOM
 * changes nothing for programs, but Excel (Chinese Windows above all) reads a CSV without BOM in
 * the ANSI code page (GBK) and with one as UTF-8: the BOM makes any non-ASCII URL open right and
 * tells clerks' tools the file is UTF-8. Label software (BarTender, NiceLabel, CODESOFT) skips it.
 * TXT files get none: coders import bytes as they are, and would print the BOM into the first code.
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
 * Memory stays flat whatever the count: codes are made 4096 at a time, written as one Buffer, and
 * the writer waits for 'drain' whenever the compressor's buffer is full, so it never runs ahead of
 * zlib or the disk. zlib works on libuv's thread pool, so on two cores compression runs beside
 * code generation.
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
 * const files = await writeExport(
 *   { firstSerial: 0, count: 10_000_000, encode: (s, n) => codec.encodeBatch(s, n), url: (c) => `https://trace.example.cn/c/${c}` },
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
  const plan = new ExportPlan(source, spec);
  await mkdir(outDir, { recursive: true });
  const job: Job = {
    plan,
    outDir,
    level,
    compression: spec.compression,
    signal: opts.signal,
    progress: new ProgressReporter(opts.onProgress),
    lines: new LineEncoder(source, spec),
  };
  opts.signal?.throwIfAborted();
  return spec.compression === 'zip' ? writeZip(job, opts.resume) : writeFiles(job, opts.resume);
}

function checkInputs(source: ExportSource, spec: ExportSpec, opts: ExportOptions): number {
  const problems: string[] = [];
  if (spec.format !== 'csv' && spec.format !== 'txt') problems.push("format must be 'csv' or 'txt'");
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
  if (source.urlPattern !== undefined && source.urlPattern.split(URL_PATTERN_CODE).length !== 2) {
    problems.push(`urlPattern must hold ${URL_PATTERN_CODE} exactly once`);
  }
  const level = opts.compressionLevel ?? EXPORT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 9) problems.push('compressionLevel must be 1-9');
  // Report every problem at once.
  if (problems.length > 0) throw new RangeError(`Invalid export: ${problems.join('; ')}`);
  return level;
}

/** The parts of an export, computed on demand (a 100-million-code job split by 1 has many). */
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

  /** UTF-8 lines of the `count` serials from `firstSerial`. */
  chunk(firstSerial: number, count: number): Buffer {
    return this.#bytes?.chunk(firstSerial, count) ?? this.#stringChunk(firstSerial, count);
  }

  /** The general path: codes, URLs and PINs as strings, one string per chunk, then its bytes. */
  #stringChunk(firstSerial: number, count: number): Buffer {
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
    return Buffer.from(text, 'utf8');
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

  chunk(firstSerial: number, count: number): Buffer {
    const line = this.#template.length;
    const out = Buffer.allocUnsafeSlow(count * line);
    // The template repeated: separators, fixed URL parts and line ends in one native fill.
    out.fill(this.#template);
    this.#encodeInto(firstSerial, count, out, 0, line);
    const codeLength = this.#codeLength;
    const urlCodeAt = this.#urlCodeAt;
    if (urlCodeAt >= 0) {
      for (let at = 0, end = count * line; at < end; at += line) {
        for (let k = 0; k < codeLength; k++) out[at + urlCodeAt + k] = out[at + k] ?? 0;
      }
    }
    if (this.#pinAt >= 0) {
      const pins = this.#pins?.(firstSerial, count) ?? [];
      if (pins.length !== count) throw new RangeError(`The source returned the wrong number of PINs`);
      for (let k = 0, at = this.#pinAt; k < count; k++, at += line) {
        const pin = pins[k] ?? '';
        // PINs are digits of one length; anything else would break the fixed line.
        if (pin.length !== this.#pinLength || out.write(pin, at, 'latin1') !== pin.length) {
          throw new RangeError('PINs of an export must all have the same number of digits');
        }
      }
    }
    return out;
  }
}

/** A URL or PIN as a field: quoted per RFC 4180 where CSV needs it; TXT cannot hold tabs or breaks. */
function field(value: string, csv: boolean): string {
  if (csv) return CSV_SPECIAL.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  if (TXT_SPECIAL.test(value)) throw new RangeError(`A TXT field cannot hold tabs or line breaks: ${value}`);
  return value;
}

/**
 * Pushes the lines of one part into `encoder`, waiting for 'drain' whenever write() says so.
 * `sink` is the promise of the pipeline draining the encoder: if it fails, waiting stops.
 * Calls `onBytes` with every uncompressed chunk (the ZIP entry's CRC-32 and size).
 */
async function produce(
  job: Job,
  part: Part,
  encoder: Transform,
  sink: Promise<void>,
  codesBefore: number,
  filesDone: readonly ExportFile[],
  onBytes?: (chunk: Buffer) => void,
): Promise<void> {
  const header = job.lines.header;
  if (header.length > 0) {
    onBytes?.(header);
    encoder.write(header);
  }
  for (let done = 0; done < part.codes; done += LINES_PER_CHUNK) {
    job.signal?.throwIfAborted();
    const n = Math.min(LINES_PER_CHUNK, part.codes - done);
    const bytes = job.lines.chunk(part.firstSerial + done, n);
    onBytes?.(bytes);
    if (!encoder.write(bytes)) await Promise.race([once(encoder, 'drain'), sink]);
    await job.progress.tick(codesBefore + done + n, filesDone);
  }
  job.signal?.throwIfAborted();
  encoder.end();
  await sink;
}

/** The compressor of a part: gzip, raw deflate (ZIP) or none. */
function makeEncoder(kind: 'none' | 'gzip' | 'deflate', level: number): Transform {
  const options = { level, chunkSize: ZLIB_CHUNK, highWaterMark: STREAM_BUFFER };
  if (kind === 'gzip') return createGzip(options);
  if (kind === 'deflate') return createDeflateRaw(options);
  return new PassThrough({ highWaterMark: STREAM_BUFFER });
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
  const { plan, outDir } = job;
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
  const encoder = makeEncoder(job.compression === 'gzip' ? 'gzip' : 'none', job.level);
  try {
    const sink = pipeline(encoder, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        hash.update(chunk);
        bytes += chunk.length;
        await writeAll(file, chunk, null);
      }
    });
    // produce() awaits it; this only keeps an early failure from counting as unhandled meanwhile.
    sink.catch(() => undefined);
    await produce(job, part, encoder, sink, job.plan.codesBefore(part.index), filesDone);
    // Durable before it is renamed and reported: a crash never leaves a short file under the name.
    await file.sync();
  } catch (error) {
    encoder.destroy();
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
  let directorySize = 0;
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
    const directory = zipDirectory(entries, offset);
    zipHash.update(directory);
    await writeAll(file, directory, offset);
    directorySize = directory.length;
    await file.truncate(offset + directorySize);
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
      bytes: offset + directorySize,
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
  const encoder = makeEncoder('deflate', job.level);
  const sink = pipeline(encoder, async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) await append(chunk);
  });
  sink.catch(() => undefined);
  try {
    await produce(job, part, encoder, sink, job.plan.codesBefore(part.index), filesDone, (bytes) => {
      crc = crc32(bytes, crc);
      size += bytes.length;
    });
  } catch (error) {
    encoder.destroy();
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
