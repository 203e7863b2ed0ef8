// Label PDF benchmark: 10,000 labels (A4 sheets of 20 × 30 mm, classic layout, 21-digit codes)
// on one thread and on worker pools of 1 and 2 threads, against baselines measured in the same
// run: QR encoding alone (the qrcode module and this project's qrMatrix) and pdfkit drawing a
// plain rectangle and one line of text per label. Then peak memory of 2,000 vs 50,000 labels in
// separate processes, to show the stream stays constant.
//
// Run on demand: node --conditions=source --import tsx bench/labels.ts [--quick]
// With --samples it only writes sample sheets to test-output/labels/ (every layout × colour,
// portrait and landscape, with and without PINs, GS1 Digital Link QRs, 40 × 60 mm, a roll) for
// looking at, e.g. after `pdftoppm -r 300 -png`.
//
// The machine may be shared (CI, other processes), so the phases run interleaved in rounds, after
// one unmeasured warm-up round, and the best and median round are reported; labels/s are per
// wall-clock second (what a user waits), with CPU seconds alongside (all threads of the process,
// so for the pools CPU ÷ wall = cores busy).
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  LABEL_COLOURS,
  LABEL_LAYOUTS,
  LabelRenderPool,
  labelsPerPage,
  qrMatrix,
  renderLabels,
  type LabelColour,
  type LabelItem,
  type LabelSpec,
  type LabelText,
} from '../packages/server/src/modules/codes/labels/index.js';
import { labelFontPath } from '../packages/server/src/modules/codes/labels/label-fonts.js';

const SPEC: LabelSpec = { layout: 'classic', colour: 'red', widthMm: 20, heightMm: 30, sheet: 'a4' };
const TEXT: LabelText = {
  productName: '五常有机稻花香大米',
  brandName: '北大荒',
  platformName: '产品追溯防伪',
  hint: '扫码验真伪',
};
const OUT = new URL('./out/labels/', import.meta.url).pathname;

function* labelItems(count: number): Generator<LabelItem> {
  for (let i = 0; i < count; i++) {
    // Distinct 21-digit codes spread over the space, as FF1 output is.
    const code = String(100000000000000000000n + ((BigInt(i) * 7_919_000_000_007n) % 899999999999999999999n));
    yield { code, url: `https://trace.example.cn/c/${code}` };
  }
}

/** A writable that counts bytes and drops them. */
function sink(): Writable & { bytes: number } {
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  out.bytes = 0;
  return out;
}

// ---- child mode: render N labels on one thread and report peak memory -------------------
if (process.argv[2] === '--memory-child') {
  const count = Number(process.argv[3]);
  const out = sink();
  await renderLabels(labelItems(count), SPEC, TEXT, out);
  console.log(
    JSON.stringify({ labels: count, bytes: out.bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
  process.exit(0);
}

// ---- samples mode: sheets to look at ------------------------------------------------------
if (process.argv.includes('--samples')) {
  const dir = new URL('../test-output/labels/', import.meta.url).pathname;
  await mkdir(dir, { recursive: true });
  const sample = (
    count: number,
    options: { pin?: boolean; gs1?: boolean; length?: number } = {},
  ): LabelItem[] =>
    Array.from(labelItems(count), (item, i) => {
      const code = item.code.slice(0, options.length ?? 21);
      const url = options.gs1
        ? `https://trace.example.cn/01/06901234567892/21/${code}`
        : `https://trace.example.cn/c/${code}`;
      return { code, url, ...(options.pin ? { pin: String(30_000_000 + i * 7_919) } : {}) };
    });
  const write = async (name: string, list: LabelItem[], spec: LabelSpec, text = TEXT): Promise<void> => {
    const { pages } = await renderLabels(list, spec, text, createWriteStream(join(dir, `${name}.pdf`)));
    console.log(`${name}.pdf: ${list.length} labels, ${pages} page(s)`);
  };
  for (const layout of LABEL_LAYOUTS) {
    for (const colour of Object.keys(LABEL_COLOURS) as LabelColour[]) {
      const base = { layout, colour, sheet: 'a4' } as const;
      await write(`${layout}-${colour}-20x30`, sample(64), { ...base, widthMm: 20, heightMm: 30 });
      await write(`${layout}-${colour}-30x20`, sample(72), { ...base, widthMm: 30, heightMm: 20 });
      await write(`${layout}-${colour}-20x30-pin`, sample(64, { pin: true }), {
        ...base,
        widthMm: 20,
        heightMm: 30,
      });
      await write(`${layout}-${colour}-30x20-pin`, sample(72, { pin: true }), {
        ...base,
        widthMm: 30,
        heightMm: 20,
      });
    }
    await write(`${layout}-blue-40x60-gs1`, sample(16, { gs1: true }), {
      layout,
      colour: 'blue',
      widthMm: 40,
      heightMm: 60,
      sheet: 'a4',
    });
    await write(`${layout}-green-roll-30x45`, sample(4, { length: 15 }), {
      layout,
      colour: 'green',
      widthMm: 30,
      heightMm: 45,
      sheet: 'roll',
    });
  }
  await write(
    'classic-red-20x30-long-name',
    sample(64, { length: 17 }),
    { ...SPEC },
    {
      ...TEXT,
      productName: '黑龙江五常有机稻花香大米礼盒装特级精选新米二十五公斤',
    },
  );
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const COUNT = quick ? 2_000 : 10_000;
const ROUNDS = quick ? 1 : 3;
const MEMORY_COUNTS = quick ? [1_000, 5_000] : [2_000, 50_000];

interface Phase {
  readonly name: string;
  readonly unit: string;
  readonly wall: number[];
  readonly cpu: number[];
  readonly run: () => Promise<number>;
}

const phases: Phase[] = [];
const phase = (name: string, unit: string, run: () => Promise<number>): Phase => {
  const p = { name, unit, wall: [], cpu: [], run };
  phases.push(p);
  return p;
};

async function measure(p: Phase): Promise<void> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const units = await p.run();
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  p.wall.push(units / wall);
  p.cpu.push(units / ((cpu.user + cpu.system) / 1e6));
}

const TEXT_FONT = labelFontPath('regular');
let singleBytes = 0;
const urls = Array.from(labelItems(COUNT), (item) => item.url);
const QR_LIB_COUNT = Math.min(COUNT, 2_000); // the reference is slow; a sample gives its rate

const qrLib = phase('QR encoding, qrcode module `QRCode.create` (level M)', 'codes/s', () => {
  for (let i = 0; i < QR_LIB_COUNT; i++) QRCode.create(urls[i] ?? '', { errorCorrectionLevel: 'M' });
  return Promise.resolve(QR_LIB_COUNT);
});
const qrFast = phase('QR encoding, `qrMatrix` (same symbols, level M)', 'codes/s', () => {
  for (const url of urls) qrMatrix(url, 'M');
  return Promise.resolve(COUNT);
});
const plain = phase(
  'baseline: pdfkit, a rectangle + the code in Noto Sans SC per label',
  'labels/s',
  async () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    doc.registerFont('regular', TEXT_FONT);
    const out = sink();
    doc.pipe(out);
    const perPage = labelsPerPage(SPEC);
    let i = 0;
    for (const item of labelItems(COUNT)) {
      const slot = i++ % perPage;
      if (slot === 0) doc.addPage({ size: 'A4', margin: 0 });
      const x = 51 + (slot % 8) * 62.36;
      const y = 61 + Math.floor(slot / 8) * 90.7;
      doc.rect(x, y, 56.69, 85.04).lineWidth(0.25).stroke('#B8B8B8');
      doc
        .font('regular')
        .fontSize(6)
        .fillColor('#000000')
        .text(item.code, x + 2, y + 60, { lineBreak: false });
    }
    const ended = new Promise<void>((resolve) => out.on('finish', resolve));
    doc.end();
    await ended;
    return COUNT;
  },
);
const single = phase('labels, one thread (`renderLabels`, one PDF)', 'labels/s', async () => {
  const out = sink();
  await renderLabels(labelItems(COUNT), SPEC, TEXT, out);
  singleBytes = out.bytes;
  return COUNT;
});
const pools = { one: new LabelRenderPool({ workers: 1 }), two: new LabelRenderPool({ workers: 2 }) };
const onPool = (pool: LabelRenderPool, dir: string) => async (): Promise<number> => {
  await rm(join(OUT, dir), { recursive: true, force: true });
  const result = await pool.renderFiles(labelItems(COUNT), SPEC, TEXT, join(OUT, dir), {
    labelsPerFile: 1000,
  });
  return result.labels;
};
const pool1 = phase('labels, pool of 1 worker (files of 1,000)', 'labels/s', onPool(pools.one, 'w1'));
const pool2 = phase('labels, pool of 2 workers (files of 1,000)', 'labels/s', onPool(pools.two, 'w2'));

console.log(`# bench/labels — ${new Date().toISOString()}`);
console.log(
  `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, Node ${process.versions.node}; ` +
    `${COUNT.toLocaleString('en')} labels, ${ROUNDS} round(s)${quick ? ' (--quick)' : ''}`,
);

const warmStart = performance.now();
await Promise.all([pools.one.warm(), pools.two.warm()]);
const warmMs = performance.now() - warmStart;
// One unmeasured round first: the workers' code is compiled by the JIT while it runs, and the
// first thousands of labels of a thread are slower.
for (const p of phases) await p.run();
for (let round = 0; round < ROUNDS; round++) {
  for (const p of phases) await measure(p);
  process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
}
await pools.one.close();
await pools.two.close();

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const best = (values: readonly number[]): number => Math.max(...values);
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

console.log('\n| measurement | unit | best (wall) | median (wall) | median per CPU s | cores busy |');
console.log('|---|---|---:|---:|---:|---:|');
for (const p of phases) {
  // CPU time counts every thread of the process: for the pools, cores busy = CPU s / wall s.
  const busy = (median(p.wall) / median(p.cpu)).toFixed(2);
  console.log(
    `| ${p.name} | ${p.unit} | ${fmt(best(p.wall))} | ${fmt(median(p.wall))} | ${fmt(median(p.cpu))} | ${busy} |`,
  );
}
const ratio = (a: Phase, b: Phase): string => `${(median(a.wall) / median(b.wall)).toFixed(2)}×`;
console.log(`\n- qrMatrix vs the qrcode module: ${ratio(qrFast, qrLib)}`);
console.log(`- labels on one thread vs the plain-pdfkit baseline: ${ratio(single, plain)}`);
console.log(
  `- pool of 2 vs pool of 1: ${ratio(pool2, pool1)} (best rounds ${(best(pool2.wall) / best(pool1.wall)).toFixed(2)}×)`,
);
console.log(
  `- pool start (3 workers, fonts parsed, one label drawn each): ${warmMs.toFixed(0)} ms, once per process`,
);
const files = await readdir(join(OUT, 'w2'));
let bytes = 0;
for (const f of files) bytes += (await stat(join(OUT, 'w2', f))).size;
console.log(
  `- output: ${(singleBytes / COUNT).toFixed(0)} B/label in one PDF; ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB from the pool`,
);

console.log('\nPeak memory, one thread, separate processes (constant memory: the same whatever the count):');
for (const count of MEMORY_COUNTS) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, new URL(import.meta.url).pathname, '--memory-child', String(count)],
    {
      encoding: 'utf8',
    },
  );
  const line = child.stdout.trim().split('\n').at(-1) ?? '{}';
  const { maxRssMb } = JSON.parse(line) as { maxRssMb?: number };
  console.log(
    `- ${count.toLocaleString('en')} labels: peak RSS ${maxRssMb?.toFixed(0) ?? '?'} MB${child.status === 0 ? '' : ` (exit ${child.status})`}`,
  );
}
