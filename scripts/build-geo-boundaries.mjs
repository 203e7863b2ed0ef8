#!/usr/bin/env node
// Rebuilds packages/server/data/geo/cities.json, the boundary data of the offline geolocator
// (packages/server/src/lib/geo/), from the China maps inside echarts@4.9.0: the nationwide city
// layer (map/json/china-cities.json, 6-digit GB/T 2260 code in feature.id) and the province
// layer (map/json/china.json). See packages/server/data/geo/SOURCES.md for the licence and why.
//
// Usage (never add echarts 4 to the repo's dependencies: only its map files are wanted):
//   (mkdir -p /tmp/echarts4 && cd /tmp/echarts4 && npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz)
//   node --conditions=source --import tsx scripts/build-geo-boundaries.mjs /tmp/echarts4/package
// (tsx and the "source" condition let the script check every code against @tracemark/core.)
//
// What it does, in order, and stops with an error if the source stops matching:
//  1. decodes echarts 4's compressed coordinates (the decodePolygon of
//     src/coord/geo/parseGeoJson.js: per ring, characters - 64, zigzag, delta from the ring's
//     encodeOffsets, divided by 1024), keeping the integers, i.e. units of 1/1024 degree;
//  2. closes every ring (echarts leaves them open) and puts rings in polygon order (exterior,
//     then its holes), which echarts does not guarantee;
//  3. moves city codes that changed since the maps were drawn (~2014) to the current code (REMAPS);
//  4. computes a centroid per city and per province from the full-resolution polygons;
//  5. simplifies every ring (Douglas-Peucker, TOLERANCE units) and delta-encodes it;
//  6. checks every code against @tracemark/core and writes one feature per line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRegion, listProvinces, listChildren } from '@tracemark/core';

const source = process.argv[2];
if (source === undefined) {
  console.error('usage: build-geo-boundaries.mjs <unpacked echarts@4.9.0 package folder>');
  process.exit(2);
}
const outFile = fileURLToPath(new URL('../packages/server/data/geo/cities.json', import.meta.url));

/** echarts 4 quantises to 1/1024 degree (UTF8Scale absent = 1024): ~110 m north-south. */
const SCALE = 1024;
/**
 * Douglas-Peucker tolerance in 1/1024-degree units. 2 units moves a boundary by at most ~220 m
 * north-south (less east-west), about the source's own precision along coasts and borders, and
 * keeps 45 % of the points (565 k → 255 k; 1.5 MB instead of 3 MB).
 */
const TOLERANCE = 2;

/**
 * City codes of the ~2014 maps that are no longer GB/T 2260 codes, to the current code. Each is
 * a State Council approval announced by the Ministry of Civil Affairs.
 */
const REMAPS = {
  371200: '370100', // 莱芜市 merged into 济南市 (2019-01)
  469003: '460400', // 儋州市 became a prefecture-level city (2015-02)
  652100: '650400', // 吐鲁番地区 → 吐鲁番市 (2015-04)
  652200: '650500', // 哈密地区 → 哈密市 (2016-01)
  542600: '540400', // 林芝地区 → 林芝市 (2015-03)
  542200: '540500', // 山南地区 → 山南市 (2016-01)
  542400: '540600', // 那曲地区 → 那曲市 (2017-07)
};

/**
 * Divisions with no polygon in the maps but a seat to measure distances from (WGS-84 ≈ GCJ-02
 * at this scale). 三沙市 (2012) is islands and sea: its seat is on 永兴岛 (Woody Island).
 */
const SEATS = {
  460300: [112.338, 16.834],
};

const read = (name) => JSON.parse(readFileSync(join(source, 'map/json', name), 'utf8'));
const citiesJson = read('china-cities.json');
const provincesJson = read('china.json');

// ---- 1 + 2: decode and close ---------------------------------------------------------------

/** echarts 4's decodePolygon, without the final division: integer 1/1024-degree units. */
function decodeRing(encoded, offsets) {
  const ring = [];
  let x = offsets[0];
  let y = offsets[1];
  for (let i = 0; i < encoded.length; i += 2) {
    let dx = encoded.charCodeAt(i) - 64;
    let dy = encoded.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x += dx;
    y += dy;
    ring.push([x, y]);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
  return ring;
}

/** A feature as a list of polygons, each a list of rings (exterior first, then holes). */
function decodeFeature(feature, scaleOf) {
  if (scaleOf !== undefined && scaleOf !== SCALE) throw new Error(`unexpected UTF8Scale ${scaleOf}`);
  const { type, coordinates, encodeOffsets } = feature.geometry;
  if (type === 'Polygon') return [coordinates.map((ring, i) => decodeRing(ring, encodeOffsets[i]))];
  if (type === 'MultiPolygon') {
    return coordinates.map((polygon, p) => polygon.map((ring, i) => decodeRing(ring, encodeOffsets[p][i])));
  }
  throw new Error(`feature ${feature.id}: unexpected geometry ${type}`);
}

function decodeLayer(json) {
  if (json.UTF8Encoding !== true) throw new Error('expected the compressed (UTF8Encoding) echarts format');
  return json.features.map((f) => ({
    id: String(f.id),
    name: f.properties.name,
    polygons: decodeFeature(f, json.UTF8Scale)
      .map((p) => p.filter((ring) => ring.length >= 4))
      .flatMap(normalisePolygon),
  }));
}

/** Whether (x, y) is inside a closed ring (ray casting). */
function ringContains(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether ring `inner` lies inside ring `outer`: the majority of a few of its vertices do. */
function ringInside(inner, outer) {
  const step = Math.max(1, Math.floor((inner.length - 1) / 5));
  let votes = 0;
  let count = 0;
  for (let i = 0; i < inner.length - 1; i += step, count++) if (ringContains(outer, ...inner[i])) votes++;
  return votes * 2 > count;
}

/**
 * echarts fills with the even-odd rule and does not keep GeoJSON's ring order: 169 of its
 * "Polygons" hold several outer rings side by side (pieces of a city), some with a small piece
 * before the main outline (巴音郭楞: a 1,400 km² ring, then its 414,000 km² outline). Rebuild proper
 * polygons: a ring inside an odd number of the others is a hole of the smallest outer ring around
 * it; every other ring is an outer ring of a polygon of its own.
 */
let reordered = 0;
function normalisePolygon(rings) {
  const area = rings.map((r) => Math.abs(ringMoments(r).area));
  const depth = rings.map((r, i) => rings.filter((o, j) => j !== i && ringInside(r, o)).length);
  const exteriors = rings.map((_, i) => i).filter((i) => depth[i] % 2 === 0);
  const polygons = new Map(exteriors.map((i) => [i, [rings[i]]]));
  rings.forEach((r, i) => {
    if (depth[i] % 2 === 0) return;
    const around = exteriors.filter((e) => ringInside(r, rings[e])).sort((a, b) => area[a] - area[b]);
    if (around.length === 0) throw new Error('a hole outside every exterior');
    polygons.get(around[0]).push(r);
  });
  const result = [...polygons.values()];
  if (result.length !== 1 || result[0][0] !== rings[0]) reordered++;
  return result;
}

// ---- geometry ------------------------------------------------------------------------------

/** Shoelace: signed area and area-weighted centroid of one closed ring. */
function ringMoments(ring) {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  a /= 2;
  return a === 0 ? { area: 0, cx: 0, cy: 0 } : { area: a, cx: cx / (6 * a), cy: cy / (6 * a) };
}

/** Area and centroid sums of polygons: exteriors count, holes are taken away. */
function addMoments(acc, polygons) {
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => {
      const m = ringMoments(ring);
      const area = i === 0 ? Math.abs(m.area) : -Math.abs(m.area);
      acc.area += area;
      acc.sx += area * m.cx;
      acc.sy += area * m.cy;
    });
  }
  return acc;
}

const round = (v, digits) => Number(v.toFixed(digits));
const centroidOf = (acc) => [round(acc.sx / acc.area / SCALE, 4), round(acc.sy / acc.area / SCALE, 4)];

/** Douglas-Peucker over one closed ring; keeps the first, the farthest and the closing point. */
function simplifyRing(ring, tolerance) {
  if (ring.length <= 4) return ring;
  // Split the ring at the vertex farthest from its first point so no chord degenerates.
  let far = 0;
  let farD = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
    if (d > farD) [far, farD] = [i, d];
  }
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[far] = keep[ring.length - 1] = 1;
  const stack = [
    [0, far],
    [far, ring.length - 1],
  ];
  const tol2 = tolerance * tolerance;
  while (stack.length > 0) {
    const [s, e] = stack.pop();
    const [ax, ay] = ring[s];
    const [bx, by] = ring[e];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let idx = -1;
    let max = tol2;
    for (let i = s + 1; i < e; i++) {
      const [px, py] = ring[i];
      let d;
      if (len2 === 0) d = (px - ax) ** 2 + (py - ay) ** 2;
      else {
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2;
      }
      if (d > max) [idx, max] = [i, d];
    }
    if (idx >= 0) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  const out = ring.filter((_, i) => keep[i] === 1);
  // A ring simplified below a triangle would vanish: keep small islands as they are.
  return out.length >= 4 ? out : ring;
}

/** First point absolute, then deltas: small integers, compact in JSON. */
function encodeRing(ring) {
  const flat = [ring[0][0], ring[0][1]];
  for (let i = 1; i < ring.length; i++) flat.push(ring[i][0] - ring[i - 1][0], ring[i][1] - ring[i - 1][1]);
  return flat;
}

function bboxOf(polygons) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygons) {
    for (const [x, y] of polygon[0]) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

// ---- 3 + 6: codes --------------------------------------------------------------------------

const problems = [];
const cities = decodeLayer(citiesJson).map((f) => {
  const code = REMAPS[f.id] ?? f.id;
  const region = findRegion(code);
  if (region === undefined) problems.push(`city ${f.id} ${f.name}: ${code} is not in @tracemark/core`);
  else if (region.grouping) problems.push(`city ${f.id} ${f.name}: ${code} is a grouping slot`);
  return { ...f, code };
});
const provinces = decodeLayer(provincesJson).map((f) => {
  const region = findRegion(f.id);
  if (region?.level !== 'province') problems.push(`province ${f.id} ${f.name}: not a province code in core`);
  return { ...f, code: f.id };
});
for (const [from, to] of Object.entries(REMAPS)) {
  if (!cities.some((c) => c.id === from)) problems.push(`remap ${from} → ${to}: no such feature any more`);
}
const provinceCodes = new Set(provinces.map((p) => p.code));
for (const c of cities) {
  if (!provinceCodes.has(`${c.code.slice(0, 2)}0000`)) problems.push(`city ${c.code}: no province feature`);
}
for (const p of listProvinces()) {
  if (!provinceCodes.has(p.code)) problems.push(`province ${p.code} ${p.name} has no boundary`);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// Divisions of core at city level (or provincial counties) that the maps do not draw: reported,
// not fatal; distanceKm falls back to their province (or a SEATS entry).
const drawn = new Set(cities.map((c) => c.code));
const undrawn = [];
for (const p of listProvinces()) {
  if (drawn.has(p.code)) continue;
  for (const city of listChildren(p.code) ?? []) {
    const units = city.grouping ? (listChildren(city.code) ?? []) : [city];
    for (const u of units) if (!drawn.has(u.code)) undrawn.push(`${u.code} ${u.name}`);
  }
}

// ---- 4: centroids (full resolution) --------------------------------------------------------

const cityMoments = new Map();
const provinceMoments = new Map();
for (const c of cities) {
  const blank = () => ({ area: 0, sx: 0, sy: 0 });
  const prov = `${c.code.slice(0, 2)}0000`;
  if (!cityMoments.has(c.code)) cityMoments.set(c.code, blank());
  if (!provinceMoments.has(prov)) provinceMoments.set(prov, blank());
  addMoments(cityMoments.get(c.code), c.polygons);
  addMoments(provinceMoments.get(prov), c.polygons);
}
const centroids = {};
for (const [code, acc] of [...provinceMoments, ...cityMoments].sort(([a], [b]) => (a < b ? -1 : 1))) {
  centroids[code] = centroidOf(acc);
}
for (const [code, point] of Object.entries(SEATS)) {
  if (findRegion(code) === undefined) throw new Error(`seat ${code} is not in @tracemark/core`);
  centroids[code] = point;
}

// ---- 5: simplify, encode, write ------------------------------------------------------------

let pointsIn = 0;
let pointsOut = 0;
function encodeFeature(f) {
  const polygons = f.polygons.map((polygon) =>
    polygon.map((ring) => {
      const simple = simplifyRing(ring, TOLERANCE);
      pointsIn += ring.length;
      pointsOut += simple.length;
      return simple;
    }),
  );
  return { code: f.code, bbox: bboxOf(polygons), polygons: polygons.map((p) => p.map(encodeRing)) };
}
// Smallest first: where a map draws an enclave on top of its surroundings (the XPCC cities in
// Xinjiang), the first feature that contains a point is the enclave.
const smallestFirst = (features) =>
  features
    .map((f) => ({ f, area: addMoments({ area: 0, sx: 0, sy: 0 }, f.polygons).area }))
    .sort((a, b) => a.area - b.area)
    .map(({ f }) => f);
const cityFeatures = smallestFirst(cities).map(encodeFeature);
const provinceFeatures = smallestFirst(provinces).map(encodeFeature);

const header = {
  format: 1,
  source: 'echarts@4.9.0 map/json/china-cities.json and map/json/china.json (Apache-2.0)',
  crs: 'gcj02',
  scale: SCALE,
  tolerance: TOLERANCE,
  remaps: REMAPS,
};
const lines = [
  '{',
  ...Object.entries(header).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)},`),
  `"centroids":${JSON.stringify(centroids)},`,
  '"cities":[',
  cityFeatures.map((f) => JSON.stringify(f)).join(',\n'),
  '],',
  '"provinces":[',
  provinceFeatures.map((f) => JSON.stringify(f)).join(',\n'),
  ']',
  '}',
];
const text = `${lines.join('\n')}\n`;
writeFileSync(outFile, text);
console.log(
  `${cityFeatures.length} city features (${drawn.size} codes), ${provinceFeatures.length} provinces; ` +
    `${reordered} polygons reordered; ${pointsIn} → ${pointsOut} points; ` +
    `${(text.length / 1024).toFixed(0)} KiB written to ${outFile}`,
);
console.log(`Not drawn (distanceKm uses the province or a seat): ${undrawn.join(', ') || 'none'}`);
