// Offline geolocation benchmark: load time of both data files, IP → region, position → region
// and distance lookups, each against a baseline measured in the same run (a Map.get of a prebuilt
// key). Run on demand: npm run bench:geo [-- --quick]
//
// Like bench/codes, every rate is measured in short intervals interleaved with the others, per
// second of this process's CPU time, and each lookup's ratio to the baseline is taken per round
// and its median reported: the machine may be shared and speeds up and slows down as a whole.
import { fileURLToPath } from 'node:url';
import { Header, HeaderInfoLength, loadContentFromFile } from 'ip2region.js';
import { listChildren, listProvinces } from '@tracemark/core';
import { loadGeoLocator } from '../packages/server/src/lib/geo/index.js';
import { BoundaryIndex } from '../packages/server/src/lib/geo/boundary-index.js';
import { IpLocator } from '../packages/server/src/lib/geo/ip-locator.js';

const quick = process.argv.includes('--quick');
const INTERVAL_MS = quick ? 60 : 150;
const ROUNDS = quick ? 3 : 9;
const LOADS = quick ? 3 : 7;
const POOL = 4096;

const dataDir = fileURLToPath(new URL('../packages/server/data/geo/', import.meta.url));

// A deterministic generator, so runs compare.
let seed = 20261127;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
};
const ipString = (ip: number): string => [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');

// ---- load time (fresh instances, not the per-folder cache) ----
const middle = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const timeMs = (run: () => unknown): number => {
  const start = performance.now();
  run();
  return performance.now() - start;
};
const firstLoadMs = timeMs(() => loadGeoLocator(dataDir)); // cold: includes the region index of core
const ipLoads: number[] = [];
const boundaryLoads: number[] = [];
for (let i = 0; i < LOADS; i++) {
  ipLoads.push(timeMs(() => IpLocator.load(`${dataDir}ip2region.xdb`)));
  boundaryLoads.push(timeMs(() => BoundaryIndex.load(`${dataDir}cities.json`)));
}
const geo = loadGeoLocator(dataDir);

// ---- inputs ----
// Chinese addresses: random ones inside segments the data gives to 中国 (a scan page's traffic).
const content = loadContentFromFile(`${dataDir}ip2region.xdb`);
const header = new Header(content.subarray(0, HeaderInfoLength));
const chinaSegments: [number, number][] = [];
for (let row = header.startIndexPtr; row <= header.endIndexPtr; row += 14) {
  const pointer = content.readUInt32LE(row + 10);
  if (content.toString('utf8', pointer, pointer + 6) === '中国') {
    chinaSegments.push([content.readUInt32LE(row), content.readUInt32LE(row + 4)]);
  }
}
const chinaIps = Array.from({ length: POOL }, () => {
  const [first, last] = chinaSegments[Math.floor(random() * chinaSegments.length)]!;
  return ipString(first + Math.floor(random() * (last - first + 1)));
});
const anyIps = Array.from({ length: POOL }, () => ipString(Math.floor(random() * 2 ** 32)));
const mappedIps = chinaIps.map((ip) => `::ffff:${ip}`);

// Positions: around city centroids (±0.25°, where people scan; those that land in China), and
// anywhere in China's box (sea and borders included: the slow path that snaps to a coast).
const boundaries = BoundaryIndex.load(`${dataDir}cities.json`);
const cityCodes = listProvinces().flatMap((p) => [
  p.code,
  ...(listChildren(p.code) ?? []).filter((c) => !c.grouping).map((c) => c.code),
]);
const centroids = cityCodes.flatMap((code) => boundaries.centroid(code) ?? []);
const nearCities: [number, number][] = [];
while (nearCities.length < POOL) {
  const c = centroids[Math.floor(random() * centroids.length)]!;
  const [lat, lng] = [c.lat + (random() - 0.5) / 2, c.lng + (random() - 0.5) / 2];
  if (geo.regionOfPosition(lat, lng, 'wgs84') !== undefined) nearCities.push([lat, lng]);
}
const anywhere = Array.from({ length: POOL }, (): [number, number] => [
  18 + random() * 36,
  73 + random() * 62,
]);
const codePairs = Array.from({ length: POOL }, (): [string, string] => [
  cityCodes[Math.floor(random() * cityCodes.length)]!,
  cityCodes[Math.floor(random() * cityCodes.length)]!,
]);

// ---- probes ----
interface Probe {
  readonly name: string;
  readonly run: (i: number) => unknown;
  readonly rates: number[];
  readonly ratios: number[];
}
const probe = (name: string, run: (i: number) => unknown): Probe => ({ name, run, rates: [], ratios: [] });

let sink = 0;
const keys = chinaIps.slice(0, POOL);
const map = new Map(keys.map((k, i) => [k, i]));
const baseline = probe('baseline: Map.get of a prebuilt string key', (i) => map.get(keys[i & (POOL - 1)]!));
const probes = [
  probe('regionOfIp, Chinese IPv4', (i) => geo.regionOfIp(chinaIps[i & (POOL - 1)]!).regionCode),
  probe('regionOfIp, any IPv4', (i) => geo.regionOfIp(anyIps[i & (POOL - 1)]!).regionCode),
  probe('regionOfIp, IPv4-mapped IPv6', (i) => geo.regionOfIp(mappedIps[i & (POOL - 1)]!).regionCode),
  probe('regionOfPosition wgs84, on land in China', (i) => {
    const [lat, lng] = nearCities[i & (POOL - 1)]!;
    return geo.regionOfPosition(lat, lng, 'wgs84');
  }),
  probe('regionOfPosition wgs84, anywhere in the box (sea, borders)', (i) => {
    const [lat, lng] = anywhere[i & (POOL - 1)]!;
    return geo.regionOfPosition(lat, lng, 'wgs84');
  }),
  probe('distanceKm, random city/province pairs', (i) => {
    const [a, b] = codePairs[i & (POOL - 1)]!;
    return geo.distanceKm(a, b);
  }),
];

/** Calls per CPU second over one interval. */
function measure(p: Probe): number {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < INTERVAL_MS) {
    for (let k = 0; k < 256; k++) if (p.run(calls++) !== undefined) sink++;
  }
  const cpu = process.cpuUsage(cpuStart);
  const rate = calls / ((cpu.user + cpu.system) / 1e6);
  p.rates.push(rate);
  return rate;
}

for (const p of [baseline, ...probes]) measure(p); // warm-up, not counted
baseline.rates.length = 0;
for (const p of probes) p.rates.length = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const p of probes) {
    const base = measure(baseline);
    p.ratios.push(measure(p) / base);
  }
}

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0);
const pct = (r: number): string => (r >= 0.01 ? `${(r * 100).toFixed(1)} %` : `${(r * 100).toFixed(2)} %`);

console.log(`# bench/geo — ${new Date().toISOString()}${quick ? ' (quick)' : ''}`);
console.log(
  `Node ${process.version}; ${ROUNDS} rounds of ${INTERVAL_MS} ms per probe, rates per CPU second.\n`,
);
console.log(`| load | ms (median of ${LOADS}) |`);
console.log('|---|---:|');
console.log(`| loadGeoLocator(), first call (both files + region name index) | ${firstLoadMs.toFixed(0)} |`);
console.log(
  `| ip2region.xdb (${(content.length / 2 ** 20).toFixed(1)} MiB, read whole) | ${middle(ipLoads).toFixed(1)} |`,
);
console.log(`| cities.json (parse, decode, grid) | ${middle(boundaryLoads).toFixed(1)} |`);
console.log('\n| lookup | best /s | median /s | of baseline (median ratio) |');
console.log('|---|---:|---:|---:|');
console.log(
  `| ${baseline.name} | ${fmt(Math.max(...baseline.rates))} | ${fmt(middle(baseline.rates))} | 100 % |`,
);
for (const p of probes) {
  console.log(
    `| ${p.name} | ${fmt(Math.max(...p.rates))} | ${fmt(middle(p.rates))} | ${pct(middle(p.ratios))} |`,
  );
}
console.log(`\n(${sink} answers were not undefined)`);
