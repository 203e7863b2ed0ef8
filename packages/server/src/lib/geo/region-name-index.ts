import { listChildren, listProvinces, type Region } from '@tracemark/core';

// Province names as IP data writes them drop the type: 北京, 广西, 新疆, 内蒙古, 香港, 台湾省.
const PROVINCE_SUFFIX = /(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$/u;
// Prefecture names lose theirs too: 大理 (白族自治州), 锡林郭勒 (盟), 大兴安岭 (地区), 济源 (市).
// A lone 州 is no suffix: 广州, 杭州.
const CITY_SUFFIX = /(?:市|地区|盟|自治州)$/u;

/** Cities that were merged away but still appear in IP data, to the division that took them. */
const FORMER_CITIES: Readonly<Record<string, string>> = {
  莱芜: '370100', // merged into 济南市 in 2019
};

interface ProvinceEntry {
  readonly code: string;
  /** The city-level units: prefectures, plus the county-level cities a province governs directly. */
  readonly units: readonly Region[];
}

/**
 * Finds GB/T 2260 codes for province and city names as IP databases write them (short,
 * sometimes without their type, sometimes outdated), using only the region list of
 * `@tracemark/core`. Built once; lookups are two map reads and, for short city names, a scan of
 * the province's few dozen cities.
 *
 * @example
 * ```ts
 * const names = new RegionNameIndex();
 * names.province('广西');              // '450000'
 * names.city('530000', '大理');        // '532900' (大理白族自治州)
 * names.city('410000', '济源');        // '419001' (a county-level city under the province)
 * ```
 */
export class RegionNameIndex {
  private readonly byName = new Map<string, ProvinceEntry>();
  private readonly byCode = new Map<string, ProvinceEntry>();

  constructor() {
    for (const province of listProvinces()) {
      const units: Region[] = [];
      for (const child of listChildren(province.code) ?? []) {
        if (!child.grouping) units.push(child);
        // Code 90 in the city part groups the county-level cities under the province itself
        // (济源, 仙桃, 儋州 before 2015, 石河子 …): each is a city for our purposes. The municipalities'
        // 市辖区/县 slots group districts, which are not.
        else if (child.code.slice(2, 4) === '90') units.push(...(listChildren(child.code) ?? []));
      }
      const entry: ProvinceEntry = { code: province.code, units };
      this.byCode.set(province.code, entry);
      this.byName.set(province.name, entry);
      this.byName.set(province.name.replace(PROVINCE_SUFFIX, ''), entry);
    }
  }

  /** The province code for a full or short province name, or `undefined`. */
  province(name: string): string | undefined {
    return (this.byName.get(name) ?? this.byName.get(name.replace(PROVINCE_SUFFIX, '')))?.code;
  }

  /**
   * The code of the city-level unit named `name` inside the province `provinceCode`, or
   * `undefined` when the province has no such unit (Hong Kong, Macao and Taiwan have none in
   * GB/T 2260; a municipality's "city" is the municipality itself: ask for the province).
   */
  city(provinceCode: string, name: string): string | undefined {
    const entry = this.byCode.get(provinceCode);
    if (entry === undefined) return undefined;
    const exact = entry.units.find((u) => u.name === name);
    if (exact !== undefined) return exact.code;
    const short = name.replace(CITY_SUFFIX, '');
    if (short.length >= 2) {
      const matches = entry.units.filter((u) => u.name.startsWith(short));
      const same = matches.filter((u) => u.name.replace(CITY_SUFFIX, '') === short);
      const pick = same.length === 1 ? same : matches;
      if (pick.length === 1 && pick[0] !== undefined) return pick[0].code;
    }
    const former = FORMER_CITIES[short];
    return former?.startsWith(provinceCode.slice(0, 2)) === true ? former : undefined;
  }
}
