// Distances between places and between regions (the "distant regions" check of consumer scans).

/** A position in degrees. */
export interface LatLng {
  readonly lat: number;
  readonly lng: number;
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance between two positions in kilometres (haversine: the Earth taken as a
 * sphere, within 0.5 % of the ellipsoid — plenty for "distant regions").
 *
 * @example
 * ```ts
 * haversineKm({ lat: 31.23, lng: 121.47 }, { lat: 39.90, lng: 116.40 }); // ≈ 1067
 * ```
 */
export function haversineKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The point each region is measured from, by GB/T 2260 code (the geolocator builds it from its
 * boundary data). Plain data, so a worker thread can be given it.
 */
export type RegionCentroids = ReadonlyMap<string, LatLng>;

/**
 * The distance in km between two regions' points by a centroid table; undefined when either is
 * not in the table.
 */
export function regionDistances(centroids: RegionCentroids): (a: string, b: string) => number | undefined {
  return (a, b) => {
    const pa = centroids.get(a);
    const pb = centroids.get(b);
    return pa === undefined || pb === undefined ? undefined : haversineKm(pa, pb);
  };
}
