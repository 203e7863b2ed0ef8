import { CITIES, COUNTIES, PROVINCES } from './data/divisions.js';

/**
 * The three levels of GB/T 2260: province (省级), prefecture/city (地级) and county (县级).
 *
 * A code's level shows in its zeros: `310000` is a province, `310100` a city, `310115` a county.
 */
export type RegionLevel = 'province' | 'city' | 'county';

/**
 * One administrative division of GB/T 2260, as this package knows it.
 *
 * @example
 * ```ts
 * findRegion('310115');
 * // { code: '310115', name: '浦东新区', level: 'county', grouping: false }
 * ```
 */
export interface Region {
  /** Six digits, zero-padded: `'310000'`, `'310100'`, `'310115'`. */
  readonly code: string;
  /** The official name, e.g. `'浦东新区'`. */
  readonly name: string;
  readonly level: RegionLevel;
  /**
   * True for the city-level slots that only group counties and are no division of their own:
   * `市辖区`/`县` of the four municipalities (110100, 120100, 310100, 500100, 500200) and the
   * `省直辖县级行政区划` of Henan, Hubei, Hainan and Xinjiang (419000, 429000, 469000, 659000).
   * {@link regionPath} leaves them out, so a path reads like an address.
   */
  readonly grouping: boolean;
}

// The four municipalities (直辖市) put their counties under 01 (districts) and 02 (counties).
const MUNICIPALITIES: ReadonlySet<string> = new Set(['11', '12', '31', '50']);
// '90' in the city part groups the county-level divisions a province governs directly.
const DIRECT_COUNTIES = '90';

interface RegionIndex {
  readonly byCode: ReadonlyMap<string, Region>;
  readonly children: ReadonlyMap<string, readonly Region[]>;
  readonly provinces: readonly Region[];
}

let index: RegionIndex | undefined;

// Built on first use, not at import: most callers of the package never touch regions.
function regionIndex(): RegionIndex {
  index ??= buildIndex();
  return index;
}

function buildIndex(): RegionIndex {
  const byCode = new Map<string, Region>();
  const children = new Map<string, Region[]>();
  const add = (code: string, name: string, level: RegionLevel, grouping: boolean, parent?: string): void => {
    const region: Region = Object.freeze({ code, name, level, grouping });
    byCode.set(code, region);
    children.set(code, []);
    if (parent !== undefined) children.get(parent)?.push(region);
  };
  for (const [code, name] of sortedEntries(PROVINCES)) add(`${code}0000`, name, 'province', false);
  for (const [code, name] of sortedEntries(CITIES)) {
    const province = code.slice(0, 2);
    const grouping = MUNICIPALITIES.has(province) || code.slice(2) === DIRECT_COUNTIES;
    add(`${code}00`, name, 'city', grouping, `${province}0000`);
  }
  for (const [code, name] of sortedEntries(COUNTIES))
    add(code, name, 'county', false, `${code.slice(0, 4)}00`);
  for (const list of children.values()) Object.freeze(list);
  const provinces = Object.freeze([...byCode.values()].filter((r) => r.level === 'province'));
  return { byCode, children, provinces };
}

function sortedEntries(map: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Turns a region code as people write it into the six-digit form, or `undefined` when it names
 * no known division.
 *
 * Accepts 2, 4 or 6 ASCII digits with surrounding white space: `'31'`, `'3101'` and `'310000'`
 * are all read as zero-padded six-digit codes. This is the boundary function; everything else in
 * this module takes only the six-digit form, so a stored jurisdiction has exactly one spelling.
 *
 * @example
 * ```ts
 * normaliseRegionCode(' 31 ');   // '310000'
 * normaliseRegionCode('3101');   // '310100'
 * normaliseRegionCode('130171'); // undefined (a development zone, not a division)
 * ```
 */
export function normaliseRegionCode(input: string): string | undefined {
  const digits = input.trim();
  if (!/^(?:\d{2}|\d{4}|\d{6})$/.test(digits)) return undefined;
  const code = digits.padEnd(6, '0');
  return regionIndex().byCode.has(code) ? code : undefined;
}

/**
 * Whether `code` is the six-digit code of a known division at any level.
 *
 * Only the canonical form passes: `'310000'` does, `'31'` and `' 310000'` do not (use
 * {@link normaliseRegionCode} at the boundary). Statistics-only development-zone codes such as
 * `'130171'` are not divisions and fail.
 *
 * @example
 * ```ts
 * isRegionCode('310115'); // true  (浦东新区)
 * isRegionCode('310100'); // true  (上海市 市辖区, a grouping slot)
 * isRegionCode('31');     // false
 * ```
 */
export function isRegionCode(code: string): boolean {
  return regionIndex().byCode.has(code);
}

/**
 * The division with this six-digit code, or `undefined`.
 *
 * @example
 * ```ts
 * findRegion('429004'); // { code: '429004', name: '仙桃市', level: 'county', grouping: false }
 * ```
 */
export function findRegion(code: string): Region | undefined {
  return regionIndex().byCode.get(code);
}

/**
 * The official name of a division, or `undefined` for an unknown code.
 *
 * @example
 * ```ts
 * regionName('440300'); // '深圳市'
 * ```
 */
export function regionName(code: string): string | undefined {
  return findRegion(code)?.name;
}

/**
 * The level of a division, or `undefined` for an unknown code.
 *
 * @example
 * ```ts
 * regionLevel('310000'); // 'province'
 * regionLevel('310100'); // 'city'
 * regionLevel('310115'); // 'county'
 * ```
 */
export function regionLevel(code: string): RegionLevel | undefined {
  return findRegion(code)?.level;
}

/**
 * The names from the province down to the division itself, or `undefined` for an unknown code.
 *
 * City-level grouping slots (`市辖区`, `省直辖县级行政区划` …) are left out unless asked for
 * themselves, so the names joined read like an address.
 *
 * @example
 * ```ts
 * regionPath('440305'); // ['广东省', '深圳市', '南山区']
 * regionPath('310115'); // ['上海市', '浦东新区']
 * regionPath('429004'); // ['湖北省', '仙桃市']
 * regionPath('310100'); // ['上海市', '市辖区']
 * ```
 */
export function regionPath(code: string): readonly string[] | undefined {
  const { byCode } = regionIndex();
  const region = byCode.get(code);
  if (region === undefined) return undefined;
  const path: string[] = [];
  for (const ancestor of [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`]) {
    const above = byCode.get(ancestor);
    if (above === undefined || above === region) break;
    if (!above.grouping) path.push(above.name);
  }
  path.push(region.name);
  return Object.freeze(path);
}

/**
 * The leading digits every code inside the division starts with: 2 for a province, 4 for a
 * city, all 6 for a county; `undefined` for an unknown code.
 *
 * Meant for prefix queries (`region_code LIKE '31%'`) that must agree with {@link isWithinRegion}.
 *
 * @example
 * ```ts
 * regionPrefix('310000'); // '31'
 * regionPrefix('310100'); // '3101'
 * regionPrefix('310115'); // '310115'
 * ```
 */
export function regionPrefix(code: string): string | undefined {
  const region = findRegion(code);
  if (region === undefined) return undefined;
  return code.slice(0, region.level === 'province' ? 2 : region.level === 'city' ? 4 : 6);
}

/**
 * Whether division `child` lies inside division `ancestor`; a division lies inside itself.
 *
 * This is the jurisdiction check: a regulator of province `310000` sees county `310115`, a
 * regulator of county `310115` sees nothing of `310000`. Both codes must be known six-digit codes,
 * otherwise the answer is `false`.
 *
 * @example
 * ```ts
 * isWithinRegion('310115', '310000'); // true
 * isWithinRegion('310115', '310115'); // true
 * isWithinRegion('310000', '310115'); // false
 * isWithinRegion('320105', '310000'); // false
 * ```
 */
export function isWithinRegion(child: string, ancestor: string): boolean {
  const prefix = regionPrefix(ancestor);
  return prefix !== undefined && isRegionCode(child) && child.startsWith(prefix);
}

/**
 * All province-level divisions in code order: 31 provinces, autonomous regions and
 * municipalities, plus Taiwan (710000), Hong Kong (810000) and Macao (820000), which GB/T 2260
 * lists without lower levels.
 *
 * @example
 * ```ts
 * listProvinces()[0]; // { code: '110000', name: '北京市', level: 'province', grouping: false }
 * ```
 */
export function listProvinces(): readonly Region[] {
  return regionIndex().provinces;
}

/**
 * The divisions directly below `code` in code order, or `undefined` for an unknown code.
 *
 * A province lists its cities, grouping slots included; a city lists its counties; a county, and
 * a city without counties such as 东莞市 (441900), lists nothing.
 *
 * @example
 * ```ts
 * listChildren('310000')?.map((r) => r.code); // ['310100']
 * listChildren('441900');                     // []
 * listChildren('999999');                     // undefined
 * ```
 */
export function listChildren(code: string): readonly Region[] | undefined {
  return regionIndex().children.get(code);
}
