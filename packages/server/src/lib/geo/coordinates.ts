// Coordinate helpers of the geolocator: WGS-84 → GCJ-02, privacy coarsening, great-circle distance.

import type { LatLng } from '@tracemark/core';

export { haversineKm, type LatLng } from '@tracemark/core';

// Krasovsky 1940 ellipsoid, as the GCJ-02 formula uses it.
const A = 6378245;
const EE = 0.006693421622965823;

/**
 * Whether a position lies in the rough box where GCJ-02 applies. Outside it the formula is
 * undefined and every map (and gcoord) leaves positions as they are.
 */
function inGcjBox(lat: number, lng: number): boolean {
  return lng >= 72.004 && lng <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/**
 * Moves a WGS-84 position (what phones and browsers report) onto GCJ-02, the datum Chinese maps
 * (and the echarts boundaries of this module) are drawn in: the shift is 100–700 m.
 *
 * This is the well-known public formula, the same as `gcoord`'s `WGS84ToGCJ02` (results agree
 * to 1e-9°, see the tests). We keep these 30 lines instead of depending on gcoord 1.0.7: its
 * type declarations claim an ES default export that its CommonJS build does not have, so under
 * `moduleResolution: NodeNext` it only compiles with casts; and on this hot path the formula
 * allocates nothing.
 *
 * @example
 * ```ts
 * wgs84ToGcj02(31.2304, 121.4737); // { lat: 31.22846, lng: 121.47822 } (People's Square)
 * wgs84ToGcj02(48.8566, 2.3522);   // unchanged: outside China
 * ```
 */
export function wgs84ToGcj02(lat: number, lng: number): LatLng {
  if (!inGcjBox(lat, lng)) return { lat, lng };
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (offsetLng(lng - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lng: lng + dLng };
}

/**
 * Rounds a position to 0.01° (about 1.1 km north-south, 0.9–1 km east-west in China) before it
 * is stored or logged.
 *
 * Why: a scan position is personal data (PIPL): at full precision it can point to a home. The
 * uses we have — region statistics, "scanned far from where the code was sold", "scans from
 * distant regions within a short time" — need a city, not a door, and a kilometre changes no
 * answer at city level except within a kilometre of a boundary. So keep the coarse value and
 * drop the precise one; look the region up with the precise one first if that matters.
 *
 * Non-finite input is returned as it is (the caller validates ranges at the edge).
 *
 * @example
 * ```ts
 * coarsenPosition(31.230416, 121.473701); // { lat: 31.23, lng: 121.47 }
 * ```
 */
export function coarsenPosition(lat: number, lng: number): { lat: number; lng: number } {
  // Dividing the rounded integer gives the double nearest 31.23 (no 31.230000000000004); + 0 turns -0 into 0.
  return { lat: Math.round(lat * 100) / 100 + 0, lng: Math.round(lng * 100) / 100 + 0 };
}
