// Trace-code generation benchmark: raw AES, code-at-a-time FF1 and batched generation on one core,
// in the same run, plus a check that 10 million consecutive serials of each layout give distinct
// codes. Run on demand: node --conditions=source --import tsx bench/codes.ts [--quick]
//
// The machine may be shared (CI, other processes), so every rate is measured in short intervals
// interleaved with the others, per second of this process's CPU time (time spent waiting for a
// core does not count; wall-clock medians are printed too), and reported as best and median. A
// shared machine speeds up and slows down as a whole, so the ratio to the AES limit is taken per
// round (codes/s against the AES rate measured moments before) and its median reported.
import { createCipheriv, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import {
  CODE_LAYOUTS,
  CODE_LENGTHS,
  CodeSpaceCodec,
  FF1_BATCH_CHUNK,
  Ff1,
  codeSpaceTweak,
  dammCheckDigit,
  isDammValid,
  type CodeLength,
} from '@tracemark/codes';
import { createNodeAes } from '../packages/codes/test/support/node-aes.js';

const quick = process.argv.includes('--quick');
const INTERVAL_MS = quick ? 60 : 150;
const ROUNDS = quick ? 3 : 9;
const DISTINCT_COUNT = quick ? 1_000_000 : 10_000_000;
/** AES blocks per code: one per FF1 round (CBC-MAC over P and the tweak is precomputed per space). */
const AES_BLOCKS_PER_CODE = 10;
/** Codes per encodeBatch call: what an export stream writes at a time. */
const BATCH = 16_384;
const TARGET = 1_500_000;

const key = randomBytes(32);
const aes = createNodeAes(key);
const prefixOf = (length: CodeLength): string => '1'.padEnd(CODE_LAYOUTS[length].prefixDigits, '0');

/** A named measurement: call `run` repeatedly, each call does `perCall` units of work. */
interface Probe {
  readonly name: string;
  readonly perCall: number;
  readonly run: () => void;
  /** Units per CPU second of this process, one entry per interval. */
  readonly rates: number[];
  /** Units per wall-clock second, one entry per interval. */
  readonly wallRates: number[];
}

function probe(name: string, perCall: number, run: () => void): Probe {
  return { name, perCall, run, rates: [], wallRates: [] };
}

function measure(p: Probe): void {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < INTERVAL_MS) {
    p.run();
    calls++;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  p.rates.push((calls * p.perCall) / ((cpu.user + cpu.system) / 1e6));
  p.wallRates.push((calls * p.perCall) / wall);
}

const middle = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const best = (p: Probe): number => Math.max(...p.rates);
const median = (p: Probe): number => middle(p.rates);

// Raw AES-256-ECB through node:crypto, one update() per batch: 4096 blocks (64 KiB), a large
// batch, is the baseline; 1024 blocks is the batch the FF1 engine uses (FF1_BATCH_CHUNK).
const rawCipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
const aesInput = new Uint8Array(4096 * 16);
const aesProbe = probe('AES-256-ECB raw, 4096-block batches (blocks/s)', 4096, () => {
  rawCipher.update(aesInput);
});
const aesSmallInput = new Uint8Array(FF1_BATCH_CHUNK * 16);
const aesSmallProbe = probe(
  `AES-256-ECB raw, ${FF1_BATCH_CHUNK}-block batches (blocks/s)`,
  FF1_BATCH_CHUNK,
  () => {
    rawCipher.update(aesSmallInput);
  },
);

// Code-at-a-time with the reference FF1 (BigInt, one cipher call per block): the naive design.
const referenceFf1 = new Ff1(aes);
const refLayout = CODE_LAYOUTS[17];
const refPrefix = prefixOf(17);
const refTweak = codeSpaceTweak(refLayout, refPrefix);
let refSerial = 0;
const referenceProbe = probe('17: reference FF1, one code at a time', 200, () => {
  for (let k = 0; k < 200; k++) {
    const body =
      refPrefix + referenceFf1.encrypt(String(refSerial++).padStart(refLayout.fieldDigits, '0'), refTweak);
    if (body.length + 1 !== refLayout.length || dammCheckDigit(body) < 0) throw new Error('bad code');
  }
});

// The batched engine asked for one code at a time (encode(serial)): batching needs a batch.
const singleCodec = new CodeSpaceCodec({ layout: 17, prefix: prefixOf(17), cipher: aes });
let singleSerial = 0;
const singleProbe = probe('17: batched engine, encode() one at a time', 200, () => {
  for (let k = 0; k < 200; k++) singleCodec.encode(singleSerial++);
});

interface LayoutProbes {
  readonly length: CodeLength;
  readonly codec: CodeSpaceCodec;
  readonly strings: Probe;
  readonly bytes: Probe;
}

let sink = 0;
const layouts: LayoutProbes[] = CODE_LENGTHS.map((length) => {
  const codec = new CodeSpaceCodec({ layout: length, prefix: prefixOf(length), cipher: aes });
  const bytes = new Uint8Array(BATCH * length);
  let next = 0;
  const advance = (): number => {
    const first = next;
    next = (next + BATCH) % (codec.layout.capacity - BATCH);
    return first;
  };
  return {
    length,
    codec,
    strings: probe(`${length}: batched, strings`, BATCH, () => {
      const codes = codec.encodeBatch(advance(), BATCH);
      sink += codes[BATCH - 1]?.length ?? 0;
    }),
    bytes: probe(`${length}: batched, ASCII bytes`, BATCH, () => {
      codec.encodeBatchInto(advance(), BATCH, bytes);
    }),
  };
});

const allProbes = [
  aesProbe,
  aesSmallProbe,
  referenceProbe,
  singleProbe,
  ...layouts.flatMap((l) => [l.strings, l.bytes]),
];

console.log(`# bench/codes — ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; one core used`,
);
console.log(
  `${ROUNDS} interleaved rounds of ${INTERVAL_MS} ms per measurement${quick ? ' (--quick)' : ''}\n`,
);

for (const p of allProbes) p.run(); // warm up: compile the hot paths before timing
for (let round = 0; round < ROUNDS; round++) for (const p of allProbes) measure(p);

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
// The limit takes the faster of the two AES batch sizes, so the ratio is never flattered.
const aesBlocksBest = Math.max(best(aesProbe), best(aesSmallProbe));
const aesBlocksMedian = Math.max(median(aesProbe), median(aesSmallProbe));
const aesLimitBest = aesBlocksBest / AES_BLOCKS_PER_CODE;
const aesLimitMedian = aesBlocksMedian / AES_BLOCKS_PER_CODE;

/** Median over rounds of codes/s ÷ (AES blocks/s of the same round ÷ blocks per code). */
const shareOfAesLimit = (p: Probe): number =>
  middle(
    p.rates.map(
      (rate, round) =>
        rate / (Math.max(aesProbe.rates[round] ?? 0, aesSmallProbe.rates[round] ?? 0) / AES_BLOCKS_PER_CODE),
    ),
  );
const percent = (x: number): string => `${(100 * x).toFixed(1)} %`;

console.log('| measurement | best /s (CPU) | median /s (CPU) | median /s (wall) | of AES limit (median) |');
console.log('|---|---:|---:|---:|---:|');
for (const p of allProbes) {
  const share = p === aesProbe || p === aesSmallProbe ? '' : percent(shareOfAesLimit(p));
  console.log(`| ${p.name} | ${fmt(best(p))} | ${fmt(median(p))} | ${fmt(middle(p.wallRates))} | ${share} |`);
}
console.log(
  `\nAES limit = AES blocks/s ÷ ${AES_BLOCKS_PER_CODE} blocks per code = ${fmt(aesLimitBest)} codes/s (best), ${fmt(aesLimitMedian)} (median)`,
);

// Distinctness: FF1 is a permutation, so this must hold; check it on the real output anyway.
// Field + check digit (at most 15 digits) as a number per code, sorted in a Float64Array: a
// duplicate would sit next to its twin. 80 MB for 10 million codes, no strings kept.
console.log(`\n${fmt(DISTINCT_COUNT)} consecutive serials per layout, distinct codes?`);
const values = new Float64Array(DISTINCT_COUNT);
const distinct: boolean[] = [];
for (const { length, codec } of layouts) {
  const chunk = 1 << 16;
  const buffer = new Uint8Array(chunk * length);
  const prefixDigits = codec.layout.prefixDigits;
  const started = performance.now();
  let generating = 0;
  for (let done = 0; done < DISTINCT_COUNT; done += chunk) {
    const n = Math.min(chunk, DISTINCT_COUNT - done);
    const t0 = process.cpuUsage();
    codec.encodeBatchInto(done, n, buffer);
    const cpu = process.cpuUsage(t0);
    generating += (cpu.user + cpu.system) / 1000;
    for (let k = 0, at = 0; k < n; k++, at += length) {
      let value = 0;
      for (let p = at + prefixDigits; p < at + length; p++) value = value * 10 + (buffer[p] ?? 0) - 48;
      values[done + k] = value;
    }
  }
  values.sort();
  let duplicates = 0;
  for (let k = 1; k < DISTINCT_COUNT; k++) if (values[k] === values[k - 1]) duplicates++;
  // Spot checks within the range: codes are well formed and decode to their serials.
  let roundTrips = 0;
  for (let k = 0; k < 1000; k++) {
    const serial = Math.floor(Math.random() * DISTINCT_COUNT);
    const code = codec.encode(serial);
    const decoded = codec.decode(code);
    if (isDammValid(code) && decoded.type === 'decoded' && decoded.serial === serial) roundTrips++;
  }
  const ok = duplicates === 0 && roundTrips === 1000;
  distinct.push(ok);
  console.log(
    `- ${length} digits: ${duplicates} duplicates; ${roundTrips}/1000 sampled codes well formed and decode back; ` +
      `generated at ${fmt(DISTINCT_COUNT / (generating / 1000))} codes/s (bytes, CPU time, whole run), ` +
      `check took ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

// The strings were used (their lengths summed), so no engine could skip making them.
console.log(`\n(${fmt(sink)} characters of generated strings touched)`);
const stringRates = layouts.map((l) => median(l.strings));
const worstStrings = Math.min(...stringRates);
const shares = layouts.map((l) => shareOfAesLimit(l.strings));
const verdict = worstStrings >= TARGET ? 'PASS' : 'BELOW TARGET';
console.log(
  `\nSUMMARY AES-256-ECB ${fmt(aesBlocksMedian)} blocks/s (limit ${fmt(aesLimitMedian)} codes/s); ` +
    `reference FF1 ${fmt(median(referenceProbe))} codes/s; ` +
    `batched generation with strings ${layouts.map((l) => `${l.length}: ${fmt(median(l.strings))}`).join(', ')} ` +
    `codes/s (median; best ${fmt(Math.max(...layouts.map((l) => best(l.strings))))}), ` +
    `${percent(Math.min(...shares))}..${percent(Math.max(...shares))} of the AES limit, ` +
    `${(worstStrings / median(referenceProbe)).toFixed(0)}x the reference; ` +
    `${fmt(DISTINCT_COUNT)} consecutive serials distinct per layout: ${distinct.every(Boolean) ? 'yes' : 'NO'}; ` +
    `target ${fmt(TARGET)} codes/s on one core: ${verdict}`,
);
if (!distinct.every(Boolean)) process.exitCode = 1;
