// Code export benchmark: 10 million 21-digit codes with their QR URLs to gzip CSV in 1-million-code
// files through the server's writeExport, against a baseline measured in the same run: gzip alone
// over the same number of bytes of text of the same shape (random digits, no encryption), written
// to disk the same way. Goal (issue 3): under 20 s, peak memory under 200 MB. Run on demand:
//   node --conditions=source --import tsx bench/export.ts [--quick] [--level N] [--strings] [--levels]
// --quick: 1 million codes. --level N: zlib level (default: the writer's). --strings: the general
// path (codes and URLs as strings) instead of the byte path. --levels: gzip 64 MB of the text at
// levels 1-6 on one core, for the size/speed trade-off.
//
// The machine may be shared: wall-clock seconds are the goal, CPU seconds (all threads of this
// process) and the load average tell how much of the machine the run had.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { CodeSpaceCodec } from '@tracemark/codes';
import { createAesBlockCipher } from '../packages/server/src/lib/node-aes.js';
import {
  EXPORT_COMPRESSION_LEVEL,
  writeExport,
  type ExportFile,
  type ExportSource,
  type ExportSpec,
} from '../packages/server/src/modules/codes/export-writer.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const strings = args.includes('--strings');
const levelAt = args.indexOf('--level');
const level = levelAt >= 0 ? Number(args[levelAt + 1]) : EXPORT_COMPRESSION_LEVEL;
const COUNT = quick ? 1_000_000 : 10_000_000;
const PER_FILE = quick ? 100_000 : 1_000_000;
const HOST = 'https://trace.example.cn';
const TARGET_S = 20;
const TARGET_MB = 200;
const MB = 1e6;

const codec = new CodeSpaceCodec({
  layout: 21,
  prefix: '100001',
  cipher: createAesBlockCipher(randomBytes(32)),
});

function sourceOf(count: number): ExportSource {
  return {
    firstSerial: 0,
    count,
    encode: (first, n) => codec.encodeBatch(first, n),
    url: (code) => `${HOST}/c/${code}`,
    ...(strings ? {} : { encodeInto: codec.encodeBatchInto.bind(codec), urlPattern: `${HOST}/c/{code}` }),
  };
}

function specOf(codesPerFile: number, fileStem: string): ExportSpec {
  return { format: 'csv', compression: 'gzip', codesPerFile, includeUrl: true, includePin: false, fileStem };
}

/** Peak resident set size, sampled every 20 ms while a phase runs. */
class RssSampler {
  peak = process.memoryUsage.rss();
  readonly #timer = setInterval(() => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }, 20);
  stop(): number {
    clearInterval(this.#timer);
    return Math.max(this.peak, process.memoryUsage.rss());
  }
}

/** CPU seconds of this process (main thread and libuv's pool: zlib, fs) since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

interface Run {
  readonly seconds: number;
  readonly cpu: number;
  /** Seconds the main thread was busy (event-loop active time): the part zlib cannot take over. */
  readonly main: number;
  readonly outBytes: number;
}

async function runExport(dir: string): Promise<Run & { files: ExportFile[]; peak: number; maxRss: number }> {
  const sampler = new RssSampler();
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const start = performance.now();
  let shown = 0;
  const files = await writeExport(sourceOf(COUNT), specOf(PER_FILE, 'bench'), dir, {
    compressionLevel: level,
    onProgress: ({ codesWritten }) => {
      if (codesWritten - shown >= COUNT / 5) {
        shown = codesWritten;
        const s = (performance.now() - start) / 1000;
        process.stderr.write(`  ${(codesWritten / 1e6).toFixed(1)} M codes, ${s.toFixed(1)} s\n`);
      }
    },
  });
  const seconds = (performance.now() - start) / 1000;
  return {
    seconds,
    cpu: cpuSeconds(cpu),
    main: performance.eventLoopUtilization(loop).active / 1000,
    outBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    files,
    peak: sampler.stop(),
    // The kernel's high-water mark for the whole process so far: startup, warm-up and this run.
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
}

/** Export-shaped text (random 21-digit codes and their URLs), without any encryption. */
function fakeChunk(lines: number): Buffer {
  let text = '';
  for (let k = 0; k < lines; k++) {
    const code = `100001${String(Math.floor(Math.random() * 1e14)).padStart(14, '0')}${k % 10}`;
    text += `${code},${HOST}/c/${code}\r\n`;
  }
  return Buffer.from(text, 'latin1');
}

/** gzip alone: `bytes` of ready-made text through createGzip into files of the export's size. */
async function runBaseline(dir: string, bytes: number, parts: number): Promise<Run> {
  // 18 MB of distinct text, cycled: far beyond gzip's 32 KB window, so repeating it does not help.
  const pool = Array.from({ length: 64 }, () => fakeChunk(4096));
  // As the writer sets them; zlib hands highWaterMark on to its Transform (not in ZlibOptions' type).
  const gzipOptions = { level, chunkSize: 64 * 1024, highWaterMark: 1 << 20 };
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const start = performance.now();
  let outBytes = 0;
  let k = 0;
  for (let part = 0; part < parts; part++) {
    const gzip = createGzip(gzipOptions);
    const path = join(dir, `baseline-${part}.gz`);
    const sink = pipeline(gzip, createWriteStream(path));
    for (let left = Math.ceil(bytes / parts); left > 0; k++) {
      const chunk = pool[k % pool.length]!;
      const piece = chunk.length <= left ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!gzip.write(piece)) await once(gzip, 'drain');
    }
    gzip.end();
    await sink;
    outBytes += (await stat(path)).size;
    await rm(path);
  }
  return {
    seconds: (performance.now() - start) / 1000,
    cpu: cpuSeconds(cpu),
    main: performance.eventLoopUtilization(loop).active / 1000,
    outBytes,
  };
}

/** One-core speed and output size of gzip levels 1-6 over 64 MB of export-shaped text. */
function levelTable(): string[] {
  const sample = Buffer.concat(Array.from({ length: 220 }, () => fakeChunk(4096)));
  const rows = ['| gzip level | MB/s on one core | output / input |', '| --- | --- | --- |'];
  for (let l = 1; l <= 6; l++) {
    const cpu = process.cpuUsage();
    const out = gzipSync(sample, { level: l });
    const s = cpuSeconds(cpu);
    rows.push(
      `| ${l} | ${(sample.length / MB / s).toFixed(0)} | ${((out.length / sample.length) * 100).toFixed(1)} % |`,
    );
  }
  return rows;
}

const load = (): string => loadavg()[0]!.toFixed(1);
const dir = await mkdtemp(join(tmpdir(), 'tracemark-export-bench-'));
try {
  console.log(
    `Export bench: ${COUNT.toLocaleString('en')} codes of 21 digits with URLs to CSV, gzip level ${level}, ` +
      `${PER_FILE.toLocaleString('en')} codes per file, ${strings ? 'string' : 'byte'} path; ` +
      `${cpus().length} cores, Node ${process.versions.node}, load average ${load()}`,
  );
  // Warm-up: JIT the codec and the writer first, so the timed run measures the steady state.
  await writeExport(sourceOf(50_000), specOf(50_000, 'warm'), dir, { compressionLevel: level });
  const exported = await runExport(dir);
  const loadAfterExport = load();
  for (const f of exported.files) await rm(join(dir, f.name));
  const rawBytes = COUNT * `${codec.encode(0)},${HOST}/c/${codec.encode(0)}\r\n`.length;
  const baseline = await runBaseline(dir, rawBytes, exported.files.length);

  const row = (name: string, r: Run, codes: string, memory: string): string =>
    `| ${name} | ${r.seconds.toFixed(2)} | ${r.cpu.toFixed(2)} | ${r.main.toFixed(2)} | ${codes} | ` +
    `${(rawBytes / MB / r.seconds).toFixed(0)} | ${(r.outBytes / MB).toFixed(0)} | ${memory} |`;
  console.log(
    [
      '',
      '| run | wall s | CPU s (all threads) | main thread busy s | codes/s | MB/s of CSV text | gzip MB | peak RSS |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      row('baseline: gzip only, same bytes', baseline, '-', '-'),
      row(
        'writeExport',
        exported,
        `${(COUNT / exported.seconds / 1e6).toFixed(2)} M`,
        `${(exported.peak / MB).toFixed(0)} MB (sampled), ${(exported.maxRss / MB).toFixed(0)} MB (max RSS)`,
      ),
      '',
      `export / baseline wall time: ${(exported.seconds / baseline.seconds).toFixed(2)}; ` +
        `${(rawBytes / MB).toFixed(0)} MB of CSV text in ${exported.files.length} files; ` +
        `load average after the export ${loadAfterExport}`,
    ].join('\n'),
  );
  const scaled = exported.seconds * (10_000_000 / COUNT);
  const met = scaled < TARGET_S && exported.maxRss / MB < TARGET_MB;
  console.log(
    `goal for 10 M codes (< ${TARGET_S} s, < ${TARGET_MB} MB): ${met ? 'met' : 'NOT met'}` +
      (quick ? ` (scaled from ${COUNT.toLocaleString('en')}: ${scaled.toFixed(1)} s)` : ''),
  );
  if (args.includes('--levels')) console.log(`\n${levelTable().join('\n')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
