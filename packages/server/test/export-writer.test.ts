import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { crc32, gunzipSync } from 'node:zlib';
import yauzl from 'yauzl';
import { CodeSpaceCodec, PinDeriver } from '@tracemark/codes';
import { createAesBlockCipher } from '../src/lib/node-aes.js';
import {
  EXPORT_MAX_CODES_PER_FILE,
  EXPORT_MAX_PARTS,
  writeExport,
  type ExportFile,
  type ExportProgress,
  type ExportSource,
  type ExportSpec,
} from '../src/modules/codes/export-writer.js';

const codec = new CodeSpaceCodec({
  layout: 17,
  prefix: '20001',
  cipher: createAesBlockCipher(randomBytes(32)),
});
const pinDeriver = new PinDeriver(createAesBlockCipher(randomBytes(32)));
const HOST = 'https://trace.example.cn';

const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tracemark-export-test-'));
  dirs.push(dir);
  return dir;
}

interface SourceOptions {
  /** Use the byte path (encodeInto + urlPattern); default true. */
  bytes?: boolean;
  pins?: boolean;
  /** URL before and after the code. */
  url?: readonly [string, string];
  /** Called with every encode/encodeInto call. */
  onEncode?: (firstSerial: number, count: number) => void;
}

function sourceOf(firstSerial: number, count: number, options: SourceOptions = {}): ExportSource {
  const { bytes = true, pins = true, url = [`${HOST}/c/`, ''], onEncode } = options;
  return {
    firstSerial,
    count,
    encode: (first, n) => {
      onEncode?.(first, n);
      return codec.encodeBatch(first, n);
    },
    url: (code) => url[0] + code + url[1],
    ...(pins ? { pins: (first: number, n: number) => pinDeriver.pinBatch(first, n) } : {}),
    ...(bytes
      ? {
          encodeInto: (first: number, n: number, target: Uint8Array, offset: number, stride: number) => {
            onEncode?.(first, n);
            return codec.encodeBatchInto(first, n, target, offset, stride);
          },
          urlPattern: `${url[0]}{code}${url[1]}`,
        }
      : {}),
  };
}

function specOf(patch: Partial<ExportSpec> = {}): ExportSpec {
  return {
    format: 'csv',
    compression: 'gzip',
    codesPerFile: 1000,
    includeUrl: true,
    includePin: true,
    fileStem: 'job-7',
    ...patch,
  };
}

/** The expected text of serials first .. first + count - 1, built the plain way. */
function expectedText(
  spec: ExportSpec,
  first: number,
  count: number,
  url = (c: string) => `${HOST}/c/${c}`,
): string {
  const csv = spec.format === 'csv';
  const quote = (v: string) => (csv && /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const codes = codec.encodeBatch(first, count);
  const pins = pinDeriver.pinBatch(first, count);
  const lines = codes.map((code, k) => {
    const fields = [code];
    if (spec.includeUrl) fields.push(quote(url(code)));
    if (spec.includePin) fields.push(pins[k]!);
    return fields.join(csv ? ',' : '\t') + '\r\n';
  });
  const columns = ['code', ...(spec.includeUrl ? ['url'] : []), ...(spec.includePin ? ['pin'] : [])];
  return (csv ? `\uFEFF${columns.join(',')}\r\n` : '') + lines.join('');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every returned file exists with the reported size and SHA-256. */
async function assertFilesMatch(dir: string, files: readonly ExportFile[]): Promise<void> {
  for (const file of files) {
    const bytes = await readFile(join(dir, file.name));
    assert.equal(bytes.length, file.bytes, file.name);
    assert.equal(sha256(bytes), file.sha256, file.name);
  }
}

/** Entries of a ZIP, read with yauzl (an independent reader), CRC-32 checked. */
async function readZip(path: string): Promise<{ name: string; text: string }[]> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true });
  const entries: { name: string; text: string }[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      assert.equal(crc32(data) >>> 0, entry.crc32, `CRC-32 of ${entry.fileName}`);
      entries.push({ name: entry.fileName, text: data.toString('utf8') });
    }
  } finally {
    zip.close();
  }
  return entries;
}

async function fileIdentity(path: string): Promise<string> {
  const s = await stat(path);
  return `${s.ino}:${s.mtimeMs}`;
}

describe('writeExport', () => {
  test('gzip CSV: split into parts of codesPerFile, each with BOM, header and the codec output', async () => {
    const dir = await tempDir();
    const spec = specOf({ codesPerFile: 1000 });
    const progress: ExportProgress[] = [];
    const files = await writeExport(sourceOf(500, 2500), spec, dir, {
      onProgress: (p) => void progress.push(p),
    });
    assert.deepEqual(
      files.map((f) => [f.name, f.codes]),
      [
        ['job-7-0001.csv.gz', 1000],
        ['job-7-0002.csv.gz', 1000],
        ['job-7-0003.csv.gz', 500],
      ],
    );
    for (const [k, file] of files.entries()) {
      const text = gunzipSync(await readFile(join(dir, file.name))).toString('utf8');
      assert.equal(text, expectedText(spec, 500 + k * 1000, file.codes));
    }
    await assertFilesMatch(dir, files);
    assert.deepEqual((await readdir(dir)).sort(), files.map((f) => f.name).sort(), 'no temporary files left');
    // After every file, at least: the last report has everything.
    assert.ok(progress.length >= 3);
    assert.deepEqual(progress.at(-1), { codesWritten: 2500, filesDone: files });
    const written = progress.map((p) => p.codesWritten);
    assert.deepEqual(
      written,
      [...written].sort((a, b) => a - b),
    );
  });

  test('the byte path and the string path write the same bytes, for every shape of line', async () => {
    const shapes: Partial<ExportSpec>[] = [
      { format: 'csv', includeUrl: true, includePin: true },
      { format: 'csv', includeUrl: true, includePin: false },
      { format: 'csv', includeUrl: false, includePin: true },
      { format: 'csv', includeUrl: false, includePin: false },
      { format: 'txt', includeUrl: true, includePin: true },
      { format: 'txt', includeUrl: false, includePin: false },
    ];
    for (const shape of shapes) {
      const spec = specOf({ ...shape, compression: 'none', codesPerFile: 5000 });
      const [viaBytes, viaStrings] = [await tempDir(), await tempDir()];
      const a = await writeExport(sourceOf(0, 9000, { bytes: true }), spec, viaBytes);
      const b = await writeExport(sourceOf(0, 9000, { bytes: false }), spec, viaStrings);
      assert.deepEqual(a, b, JSON.stringify(shape));
      const text = await readFile(join(viaBytes, a[1]!.name), 'utf8');
      assert.equal(text, expectedText(spec, 5000, 4000), JSON.stringify(shape));
    }
  });

  test('long URLs (chunks larger than a write buffer) come out whole and in order', async () => {
    const url = [`${HOST}/c/`, `?${'x'.repeat(700)}`] as const;
    for (const bytes of [true, false]) {
      const dir = await tempDir();
      const spec = specOf({ compression: 'none', includePin: false, codesPerFile: 20_000 });
      const files = await writeExport(sourceOf(0, 10_000, { url, bytes }), spec, dir);
      const text = await readFile(join(dir, files[0]!.name), 'utf8');
      assert.equal(
        text,
        expectedText(spec, 0, 10_000, (c) => url[0] + c + url[1]),
      );
    }
  });

  test('TXT: one code per line, tab-separated URL and PIN, CRLF, no BOM and no header', async () => {
    const dir = await tempDir();
    const files = await writeExport(
      sourceOf(0, 3),
      specOf({ format: 'txt', compression: 'none', codesPerFile: 10 }),
      dir,
    );
    assert.equal(files[0]!.name, 'job-7-0001.txt');
    const lines = (await readFile(join(dir, files[0]!.name), 'utf8')).split('\r\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[3], '');
    const code = codec.encode(1);
    assert.equal(lines[1], `${code}\t${HOST}/c/${code}\t${pinDeriver.pin(1)}`);
  });

  test('CSV quotes URLs with commas or quotes (RFC 4180); TXT refuses tabs in URLs', async () => {
    const url = ['https://x.example/c?a="b",c=', ''] as const;
    for (const bytes of [true, false]) {
      const dir = await tempDir();
      const spec = specOf({ compression: 'none', includePin: false });
      const files = await writeExport(sourceOf(0, 5, { url, bytes }), spec, dir);
      const text = await readFile(join(dir, files[0]!.name), 'utf8');
      assert.equal(
        text,
        expectedText(spec, 0, 5, (c) => url[0] + c),
      );
      assert.ok(text.includes(`,"https://x.example/c?a=""b"",c=${codec.encode(0)}"\r\n`));
      await assert.rejects(
        writeExport(
          sourceOf(0, 5, { url: ['https://x.example/\t', ''], bytes }),
          specOf({ format: 'txt', compression: 'none' }),
          await tempDir(),
        ),
        RangeError,
      );
    }
  });

  test('ZIP: one archive holding every part, readable by another ZIP reader', async () => {
    const dir = await tempDir();
    const spec = specOf({ compression: 'zip', codesPerFile: 400 });
    const progress: ExportProgress[] = [];
    const files = await writeExport(sourceOf(0, 1000), spec, dir, {
      onProgress: (p) => void progress.push(p),
    });
    assert.deepEqual(
      files.map((f) => [f.name, f.codes]),
      [['job-7.zip', 1000]],
    );
    await assertFilesMatch(dir, files);
    assert.deepEqual(await readdir(dir), ['job-7.zip']);
    const entries = await readZip(join(dir, 'job-7.zip'));
    assert.deepEqual(
      entries.map((e) => e.name),
      ['job-7-0001.csv', 'job-7-0002.csv', 'job-7-0003.csv'],
    );
    for (const [k, entry] of entries.entries()) {
      assert.equal(entry.text, expectedText(spec, k * 400, Math.min(400, 1000 - k * 400)));
    }
    // Progress lists the finished entries (what a resumed run keeps).
    assert.deepEqual(
      progress.at(-1)?.filesDone.map((f) => f.name),
      entries.map((e) => e.name),
    );
  });

  for (const compression of ['gzip', 'zip'] as const) {
    test(`${compression}: an export aborted mid-file resumes to byte-identical files without redoing finished ones`, async () => {
      const spec = specOf({ compression, codesPerFile: 6000 });
      const count = 20_000;
      const whole = await tempDir();
      const reference = await writeExport(sourceOf(0, count), spec, whole);

      const dir = await tempDir();
      const controller = new AbortController();
      let last: ExportProgress | undefined;
      // Abort inside the second part (6000-11999), after its first chunk of 4096 codes went out.
      const aborting = sourceOf(0, count, {
        // Chunks only: single codes are the writer's checks of the range's ends.
        onEncode: (first, n) => {
          if (first >= 10_000 && n > 1) controller.abort();
        },
      });
      await assert.rejects(
        writeExport(aborting, spec, dir, { signal: controller.signal, onProgress: (p) => void (last = p) }),
        { name: 'AbortError' },
      );
      assert.equal(last?.filesDone.length, 1);
      // What a restart finds: the finished file, and no half file under a final name.
      assert.deepEqual(
        (await readdir(dir)).sort(),
        compression === 'gzip' ? ['job-7-0001.csv.gz'] : ['job-7.zip.part'],
      );
      const kept =
        compression === 'gzip'
          ? await Promise.all(last.filesDone.map((f) => fileIdentity(join(dir, f.name))))
          : [];

      const encoded: number[] = [];
      const resumed = await writeExport(
        sourceOf(0, count, { onEncode: (first, n) => n > 1 && encoded.push(first) }),
        spec,
        dir,
        { resume: last },
      );
      assert.equal(Math.min(...encoded), 6000, 'resumed at the start of the first unfinished part');
      assert.deepEqual(resumed, reference);
      await assertFilesMatch(dir, resumed);
      for (const file of resumed) {
        assert.deepEqual(await readFile(join(dir, file.name)), await readFile(join(whole, file.name)));
      }
      if (compression === 'gzip') {
        const after = await Promise.all(last.filesDone.map((f) => fileIdentity(join(dir, f.name))));
        assert.deepEqual(after, kept, 'finished files were not rewritten');
      }
      assert.deepEqual((await readdir(dir)).sort(), resumed.map((f) => f.name).sort());
    });
  }

  test('resume redoes a finished file whose bytes changed, and everything after it', async () => {
    const dir = await tempDir();
    const spec = specOf({ codesPerFile: 100 });
    let last: ExportProgress | undefined;
    const files = await writeExport(sourceOf(0, 300), spec, dir, { onProgress: (p) => void (last = p) });
    await writeFile(join(dir, files[1]!.name), 'tampered');
    const encoded: number[] = [];
    const again = await writeExport(
      sourceOf(0, 300, { onEncode: (first, n) => n > 1 && encoded.push(first) }),
      spec,
      dir,
      { resume: last },
    );
    assert.deepEqual(again, files);
    assert.equal(Math.min(...encoded), 100);
  });

  test('a source failing mid-part rejects, keeps finished files and leaves no partial file', async () => {
    for (const compression of ['gzip', 'none'] as const) {
      const dir = await tempDir();
      const failing = sourceOf(0, 10_000, {
        onEncode: (first, n) => {
          if (first >= 8000 && n > 1) throw new Error('disk on fire');
        },
      });
      await assert.rejects(
        writeExport(failing, specOf({ compression, codesPerFile: 5000 }), dir),
        /disk on fire/,
      );
      assert.deepEqual(await readdir(dir), [`job-7-0001.csv${compression === 'gzip' ? '.gz' : ''}`]);
    }
  });

  test('memory stays flat for 2 million codes (RSS grows by less than 150 MB)', async () => {
    const dir = await tempDir();
    const before = process.memoryUsage.rss();
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    try {
      const files = await writeExport(
        sourceOf(0, 2_000_000, { pins: false }),
        specOf({ codesPerFile: 1_000_000, includePin: false }),
        dir,
      );
      assert.equal(files.length, 2);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    assert.ok(peak - before < 150e6, `RSS grew by ${((peak - before) / 1e6).toFixed(0)} MB`);
  });

  test('rejects a bad spec before writing anything, naming every problem', async () => {
    const dir = await tempDir();
    await assert.rejects(writeExport(sourceOf(0, 10), specOf({ codesPerFile: 0 }), dir), RangeError);
    await assert.rejects(
      writeExport(sourceOf(0, 10), specOf({ codesPerFile: EXPORT_MAX_CODES_PER_FILE + 1 }), dir),
      RangeError,
    );
    await assert.rejects(writeExport(sourceOf(0, 10), specOf({ codesPerFile: 1.5 }), dir), RangeError);
    await assert.rejects(
      writeExport(sourceOf(0, EXPORT_MAX_PARTS + 1), specOf({ codesPerFile: 1 }), dir),
      /more than 10000 files/,
    );
    await assert.rejects(
      writeExport(sourceOf(0, 10, { pins: false }), specOf({ fileStem: '../etc', includePin: true }), dir),
      (error: Error) =>
        error instanceof RangeError &&
        error.message.includes('fileStem') &&
        error.message.includes('includePin'),
    );
    await assert.rejects(
      writeExport({ ...sourceOf(0, 10), urlPattern: 'https://x/{code}/{code}' }, specOf(), dir),
      RangeError,
    );
    await assert.rejects(
      writeExport({ ...sourceOf(0, 10), urlPattern: 'https://other/{code}' }, specOf(), dir),
      /urlPattern/,
    );
    // Serials past the end of the 17-digit space (10^11 codes): refused before any file.
    await assert.rejects(
      writeExport(sourceOf(1e11 - 10, 20), specOf(), join(dir, 'never')),
      /serials end at/,
    );
    assert.deepEqual(await readdir(dir), []);
  });
});
