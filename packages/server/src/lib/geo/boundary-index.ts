import { readFileSync } from 'node:fs';
import type { LatLng } from './coordinates.js';

/** What `scripts/build-geo-boundaries.mjs` writes (see SOURCES.md). */
interface BoundaryFile {
  /** 1 (checked at load). */
  readonly format: number;
  /** `'gcj02'` (checked at load). */
  readonly crs: string;
  /** Coordinates are integers in 1/scale degree. */
  readonly scale: number;
  /** Code → [lng, lat] of the city's (or province's) centroid. */
  readonly centroids: Readonly<Record<string, readonly [number, number]>>;
  readonly cities: readonly FeatureRecord[];
  readonly provinces: readonly FeatureRecord[];
}

interface FeatureRecord {
  readonly code: string;
  readonly bbox: readonly [number, number, number, number];
  /** Polygons, each rings (exterior first, then holes), each `[x0, y0, dx1, dy1, …]`, closed. */
  readonly polygons: readonly (readonly (readonly number[])[])[];
}

interface Polygon {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Absolute coordinates `[x0, y0, x1, y1, …]`, last point = first point. */
  readonly rings: readonly Int32Array[];
}

interface Shape {
  readonly code: string;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly polygons: readonly Polygon[];
}

/** Grid cells of the candidate index: 1° at the file's usual scale of 1024. */
const CELL_DEGREES = 1;
/** Kilometres per degree of latitude (mean). */
const KM_PER_DEGREE = 111.195;

/**
 * Whether (x, y) is inside a closed ring: ray casting (a ray towards +x crosses the boundary an
 * odd number of times). Applied to every ring of a polygon in turn it is the even-odd rule, so
 * a point in a hole is outside.
 */
function ringContains(ring: Int32Array, x: number, y: number): boolean {
  let inside = false;
  let xj = ring[ring.length - 2] ?? 0;
  let yj = ring[ring.length - 1] ?? 0;
  for (let i = 0; i < ring.length; i += 2) {
    const xi = ring[i] ?? 0;
    const yi = ring[i + 1] ?? 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    xj = xi;
    yj = yi;
  }
  return inside;
}

function polygonContains(polygon: Polygon, x: number, y: number): boolean {
  if (x < polygon.minX || x > polygon.maxX || y < polygon.minY || y > polygon.maxY) return false;
  let inside = false;
  for (const ring of polygon.rings) if (ringContains(ring, x, y)) inside = !inside;
  return inside;
}

/** Squared distance from (x, y) to the nearest edge of a ring; x already scaled by cos(lat). */
function ringDistance2(ring: Int32Array, x: number, y: number, xScale: number): number {
  let best = Infinity;
  for (let i = 2; i < ring.length; i += 2) {
    const ax = (ring[i - 2] ?? 0) * xScale;
    const ay = ring[i - 1] ?? 0;
    const dx = (ring[i] ?? 0) * xScale - ax;
    const dy = (ring[i + 1] ?? 0) - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    const ex = x - ax - t * dx;
    const ey = y - ay - t * dy;
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
  }
  return best;
}

/** One layer of shapes with a grid of candidate lists, kept in the file's order (smallest first). */
class ShapeLayer {
  private readonly grid = new Map<number, Shape[]>();

  constructor(
    readonly shapes: readonly Shape[],
    private readonly cell: number,
  ) {
    for (const shape of shapes) {
      for (let cx = Math.floor(shape.minX / cell); cx <= Math.floor(shape.maxX / cell); cx++) {
        for (let cy = Math.floor(shape.minY / cell); cy <= Math.floor(shape.maxY / cell); cy++) {
          const key = cellKey(cx, cy);
          const list = this.grid.get(key);
          if (list === undefined) this.grid.set(key, [shape]);
          else list.push(shape);
        }
      }
    }
  }

  /** The first shape containing (x, y): the smallest one where the source overlaps (enclaves). */
  containing(x: number, y: number): Shape | undefined {
    const candidates = this.grid.get(cellKey(Math.floor(x / this.cell), Math.floor(y / this.cell)));
    if (candidates === undefined) return undefined;
    for (const shape of candidates) {
      if (x < shape.minX || x > shape.maxX || y < shape.minY || y > shape.maxY) continue;
      for (const polygon of shape.polygons) if (polygonContains(polygon, x, y)) return shape;
    }
    return undefined;
  }

  /** The shape with the nearest boundary within `radius` units (north-south), if any. */
  nearest(x: number, y: number, radius: number, xScale: number): Shape | undefined {
    let best: Shape | undefined;
    let bestD2 = radius * radius;
    const rx = radius / xScale;
    for (const shape of this.shapes) {
      if (x < shape.minX - rx || x > shape.maxX + rx || y < shape.minY - radius || y > shape.maxY + radius)
        continue;
      for (const polygon of shape.polygons) {
        if (
          x < polygon.minX - rx ||
          x > polygon.maxX + rx ||
          y < polygon.minY - radius ||
          y > polygon.maxY + radius
        ) {
          continue;
        }
        for (const ring of polygon.rings) {
          const d2 = ringDistance2(ring, x * xScale, y, xScale);
          if (d2 < bestD2) [best, bestD2] = [shape, d2];
        }
      }
    }
    return best;
  }
}

// Cells are at most a few hundred in each direction: fold (cx, cy) into one integer key.
const cellKey = (cx: number, cy: number): number => (cx + 2048) * 4096 + (cy + 2048);

function toShape(record: FeatureRecord): Shape {
  const polygons = record.polygons.map((rings): Polygon => {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    const absolute = rings.map((encoded, r) => {
      const ring = new Int32Array(encoded.length);
      let x = 0;
      let y = 0;
      for (let i = 0; i < encoded.length; i += 2) {
        x += encoded[i] ?? 0;
        y += encoded[i + 1] ?? 0;
        ring[i] = x;
        ring[i + 1] = y;
        if (r === 0) {
          // Holes lie inside the exterior: its box is the polygon's.
          minX = Math.min(minX, x);
          minY = Math.min(minY, y);
          maxX = Math.max(maxX, x);
          maxY = Math.max(maxY, y);
        }
      }
      return ring;
    });
    return { minX, minY, maxX, maxY, rings: absolute };
  });
  const [minX, minY, maxX, maxY] = record.bbox;
  return { code: record.code, minX, minY, maxX, maxY, polygons };
}

/**
 * City and province boundaries of China in GCJ-02 (from the echarts 4.9 maps, see SOURCES.md),
 * with the point-in-polygon search and the centroids the geolocator needs.
 *
 * A position is looked up in the city layer (grid cell → candidates → bounding boxes → ray
 * casting, MultiPolygons and holes included); a position in no city but within
 * {@link BoundaryIndex.snapKm} of one (a beach, a pier, land reclaimed since the maps were drawn,
 * a sliver left between simplified neighbours) goes to the nearest; then the coarse province
 * layer is asked, which has some land the city layer lacks: reclaimed coast at the Tianjin and
 * Hebei ports, 东沙群岛, and 钓鱼岛/赤尾屿 drawn as blobs tens of kilometres wide.
 */
export class BoundaryIndex {
  /** How far off every drawn city a position may be and still be placed in the nearest one. */
  static readonly snapKm = 2;

  private constructor(
    private readonly scale: number,
    private readonly cities: ShapeLayer,
    private readonly provinces: ShapeLayer,
    private readonly centroids: ReadonlyMap<string, LatLng>,
  ) {}

  /** Reads a boundary file written by `scripts/build-geo-boundaries.mjs`; throws if it is not one. */
  static load(file: string): BoundaryIndex {
    const data = JSON.parse(readFileSync(file, 'utf8')) as BoundaryFile;
    if (data.format !== 1 || data.crs !== 'gcj02' || !(data.scale > 0) || !Array.isArray(data.cities)) {
      throw new Error(`${file} is not a format-1 GCJ-02 boundary file of build-geo-boundaries.mjs`);
    }
    const cell = CELL_DEGREES * data.scale;
    const centroids = new Map<string, LatLng>();
    for (const [code, [lng, lat]] of Object.entries(data.centroids))
      centroids.set(code, Object.freeze({ lat, lng }));
    return new BoundaryIndex(
      data.scale,
      new ShapeLayer(data.cities.map(toShape), cell),
      new ShapeLayer(data.provinces.map(toShape), cell),
      centroids,
    );
  }

  /**
   * The code of the city (or municipality, or county-level city under a province, as the maps
   * draw them) at a GCJ-02 position; the province code where only the province layer has land;
   * `undefined` outside China.
   */
  regionAt(lat: number, lng: number): string | undefined {
    const x = lng * this.scale;
    const y = lat * this.scale;
    const city = this.cities.containing(x, y);
    if (city !== undefined) return city.code;
    const radius = (BoundaryIndex.snapKm / KM_PER_DEGREE) * this.scale;
    const near = this.cities.nearest(x, y, radius, Math.cos((lat * Math.PI) / 180));
    if (near !== undefined) return near.code;
    return this.provinces.containing(x, y)?.code;
  }

  /** The centroid of a drawn city or province, or the seat of an undrawn city; else `undefined`. */
  centroid(code: string): LatLng | undefined {
    return this.centroids.get(code);
  }
}
