// Offline geolocation for the consumer scan page: IP address or browser position → GB/T 2260
// region code, and distances between regions. Data files and their sources: data/geo/SOURCES.md.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  listChildren,
  listProvinces,
  regionDistances,
  type LatLng,
  type Region,
  type RegionCentroids,
} from '@tracemark/core';
import { BoundaryIndex } from './boundary-index.js';
import { wgs84ToGcj02 } from './coordinates.js';
import { IpLocator } from './ip-locator.js';

export { coarsenPosition } from './coordinates.js';

/**
 * Where an IP address is, as far as the offline data knows.
 *
 * `regionCode` is a GB/T 2260 code at city level (`320100` 南京市; a county-level city under its
 * province such as `419001` 济源市), or at province level when the data names no city, for the
 * municipalities (`110000`) and for Hong Kong, Macao and Taiwan (`810000`, `820000`, `710000`);
 * `undefined` for addresses the data places outside China or nowhere, for special addresses
 * (private, loopback, link-local …) and for every IPv6 address that is not IPv4-mapped. `country` is the country as the data
 * writes it, in Chinese (`中国`, `美国`), `undefined` when unknown; `isp` likewise (`电信`, `联通`).
 */
export interface RegionGuess {
  readonly regionCode: string | undefined;
  readonly country: string | undefined;
  readonly isp?: string | undefined;
}

/**
 * The offline geolocator. Get one with {@link loadGeoLocator}; every method is synchronous,
 * allocation-light and never throws.
 */
export interface GeoLocator {
  /**
   * Region of an IPv4 address (or IPv4-mapped IPv6 address, `::ffff:1.2.3.4`).
   *
   * @example
   * ```ts
   * geo.regionOfIp('218.2.2.2');   // { regionCode: '320100', country: '中国', isp: '电信' }
   * geo.regionOfIp('192.168.1.1'); // { regionCode: undefined, country: undefined }
   * ```
   */
  regionOfIp(ip: string): RegionGuess;
  /**
   * GB/T 2260 code of the city at a position: city level (`310000`-style province codes for the
   * four municipalities, Hong Kong, Macao and Taiwan, which the maps draw whole; county-level
   * cities under a province such as `429004` 仙桃市 as drawn); `undefined` outside China or for
   * a position that is no position. `crs` is the datum of the input: `'wgs84'` for browser and
   * phone positions, `'gcj02'` for positions taken from Chinese maps.
   *
   * @example
   * ```ts
   * geo.regionOfPosition(31.2304, 121.4737, 'wgs84'); // '310000' (上海, People's Square)
   * geo.regionOfPosition(23.1291, 113.2644, 'wgs84'); // '440100' (广州市)
   * ```
   */
  regionOfPosition(lat: number, lng: number, crs: 'wgs84' | 'gcj02'): string | undefined;
  /**
   * Great-circle distance in km between the centroids of two regions, or `undefined` when a code
   * is unknown. A county is measured from its city (from its province where the city is a
   * grouping slot or not drawn), a province from its own centroid.
   *
   * @example
   * ```ts
   * geo.distanceKm('310000', '110000'); // ≈ 1,098 (Shanghai–Beijing, centroid to centroid)
   * geo.distanceKm('310115', '310000'); // 0 (浦东新区 is measured from Shanghai)
   * ```
   */
  distanceKm(a: string, b: string): number | undefined;
  /**
   * The point every region is measured from, by code ({@link distanceKm} reads it): plain data,
   * for the scan writer's thread, which decides queries away from this locator.
   */
  readonly centroids: RegionCentroids;
}

/** The data folder beside the package: `src/lib/geo` and `dist/lib/geo` are both three levels down. */
const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../data/geo/', import.meta.url));

const cache = new Map<string, GeoLocator>();

/**
 * Loads the IP database (`ip2region.xdb`, read whole into memory) and the boundaries
 * (`cities.json`) from `dataDir` — by default `packages/server/data/geo` — once per folder and
 * returns the same locator on every later call. Synchronous: call it at start-up. Throws when a
 * file is missing or not what it should be.
 *
 * @example
 * ```ts
 * const geo = loadGeoLocator();
 * geo.regionOfIp(request.ip).regionCode;
 * ```
 */
export function loadGeoLocator(dataDir: string = DEFAULT_DATA_DIR): GeoLocator {
  const dir = resolve(dataDir);
  let locator = cache.get(dir);
  if (locator === undefined) {
    locator = createLocator(
      IpLocator.load(resolve(dir, 'ip2region.xdb')),
      BoundaryIndex.load(resolve(dir, 'cities.json')),
    );
    cache.set(dir, locator);
  }
  return locator;
}

function createLocator(ips: IpLocator, boundaries: BoundaryIndex): GeoLocator {
  // A county may be drawn itself (仙桃市 429004); else its city; else the province (the
  // municipalities' districts, grouping slots, undrawn units without a seat such as 可克达拉市).
  const centroids = new Map<string, LatLng>();
  const measure = (region: Region): void => {
    const code = region.code;
    const point =
      boundaries.centroid(code) ??
      boundaries.centroid(`${code.slice(0, 4)}00`) ??
      boundaries.centroid(`${code.slice(0, 2)}0000`);
    if (point !== undefined) centroids.set(code, point);
    for (const child of listChildren(code) ?? []) measure(child);
  };
  for (const province of listProvinces()) measure(province);
  return Object.freeze({
    centroids,
    regionOfIp: (ip: string) => ips.locate(ip),
    regionOfPosition(lat: number, lng: number, crs: 'wgs84' | 'gcj02'): string | undefined {
      if (typeof lat !== 'number' || typeof lng !== 'number') return undefined;
      if (!(Math.abs(lat) <= 90 && Math.abs(lng) <= 180)) return undefined; // NaN fails too
      const p = crs === 'gcj02' ? { lat, lng } : wgs84ToGcj02(lat, lng);
      return boundaries.regionAt(p.lat, p.lng);
    },
    distanceKm: regionDistances(centroids),
  });
}
