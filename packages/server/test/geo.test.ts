import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Header, HeaderInfoLength, IPv4, loadContentFromFile, newWithBuffer } from 'ip2region.js';
import { findRegion, isRegionCode } from '@tracemark/core';
import { coarsenPosition, loadGeoLocator } from '../src/lib/geo/index.js';
import { haversineKm, wgs84ToGcj02 } from '../src/lib/geo/coordinates.js';
import { IpLocator, mappedIpv4, parseIpv4 } from '../src/lib/geo/ip-locator.js';

const dataDir = fileURLToPath(new URL('../data/geo/', import.meta.url));
const xdbFile = `${dataDir}ip2region.xdb`;
const geo = loadGeoLocator();

const ipString = (ip: number): string => [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');

/** Every segment of the xdb: [first ip, region string]. */
function segments(): [number, string][] {
  const content = loadContentFromFile(xdbFile);
  const header = new Header(content.subarray(0, HeaderInfoLength));
  const strings = new Map<number, string>();
  const rows: [number, string][] = [];
  for (let row = header.startIndexPtr; row <= header.endIndexPtr; row += 14) {
    const pointer = content.readUInt32LE(row + 10);
    let region = strings.get(pointer);
    if (region === undefined) {
      region = content.toString('utf8', pointer, pointer + content.readUInt16LE(row + 8));
      strings.set(pointer, region);
    }
    rows.push([content.readUInt32LE(row), region]);
  }
  return rows;
}

describe('regionOfIp', () => {
  test('China Telecom, Unicom and Mobile addresses resolve to the city the data names', () => {
    const cases: [string, string, string][] = [
      // ip, the data's own region string, expected code
      ['218.2.2.2', '中国|0|江苏省|南京市|电信', '320100'],
      ['113.108.0.1', '中国|0|广东省|深圳市|电信', '440300'],
      ['202.96.128.86', '中国|0|广东省|广州市|电信', '440100'],
      ['61.139.2.69', '中国|0|四川省|成都市|电信', '510100'],
      ['58.217.0.1', '中国|0|江苏省|镇江市|电信', '321100'],
      ['223.5.5.5', '中国|0|浙江省|杭州市|阿里云', '330100'],
    ];
    const locator = IpLocator.load(xdbFile);
    for (const [ip, region, code] of cases) {
      assert.equal(locator.regionString(parseIpv4(ip) ?? -1), region, ip);
      assert.equal(geo.regionOfIp(ip).regionCode, code, ip);
      assert.equal(geo.regionOfIp(ip).country, '中国', ip);
    }
    assert.equal(geo.regionOfIp('218.2.2.2').isp, '电信');
  });

  test('municipalities, Hong Kong, Macao and Taiwan resolve to their province-level code', () => {
    assert.equal(geo.regionOfIp('202.106.0.20').regionCode, '110000'); // 北京 联通
    assert.equal(geo.regionOfIp('211.136.17.107').regionCode, '110000'); // 北京 移动
    assert.equal(geo.regionOfIp('116.228.111.118').regionCode, '310000'); // 上海 电信
    assert.equal(geo.regionOfIp('202.181.0.1').regionCode, '810000');
    assert.equal(geo.regionOfIp('202.175.0.1').regionCode, '820000');
    assert.equal(geo.regionOfIp('211.21.0.1').regionCode, '710000');
  });

  test('foreign addresses have no region but say their country', () => {
    assert.deepEqual(geo.regionOfIp('8.8.8.8'), { regionCode: undefined, country: '美国', isp: 'Level3' });
    assert.equal(geo.regionOfIp('1.1.1.1').country, '澳大利亚');
    assert.equal(geo.regionOfIp('1.1.1.1').regionCode, undefined);
  });

  test('private, loopback, link-local, shared, multicast and reserved addresses say nothing', () => {
    for (const ip of [
      '10.1.2.3',
      '127.0.0.1',
      '169.254.10.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      assert.deepEqual(geo.regionOfIp(ip), { regionCode: undefined, country: undefined }, ip);
    }
  });

  test('garbage and IPv6 give an unknown region and never throw', () => {
    const unknown = { regionCode: undefined, country: undefined };
    for (const ip of [
      '',
      ' ',
      'garbage',
      '1.2.3',
      '1.2.3.4.5',
      '1.2.3.256',
      '01.2.3.4',
      '1x.2.3.4',
      '-1.2.3.4',
      '1..2.3',
      '1'.repeat(10_000),
      '::1',
      'fe80::1%eth0',
      '2001:db8::1',
      '240e:e9:6002::1',
      '::ffff:zz:1',
      '[::1]',
    ]) {
      assert.deepEqual(geo.regionOfIp(ip), unknown, ip.slice(0, 20));
    }
    for (const bad of [undefined, null, 42, {}] as unknown as string[]) {
      assert.deepEqual(geo.regionOfIp(bad), unknown);
    }
  });

  test('IPv4-mapped IPv6 addresses are looked up as IPv4, in any spelling', () => {
    for (const ip of [
      '::ffff:218.2.2.2',
      '::FFFF:DA02:202',
      '0:0:0:0:0:ffff:218.2.2.2',
      ' ::ffff:218.2.2.2 ',
    ]) {
      assert.equal(geo.regionOfIp(ip).regionCode, '320100', ip);
    }
    assert.equal(mappedIpv4('::ffff:127.0.0.1'), 0x7f000001);
    assert.equal(geo.regionOfIp('::ffff:127.0.0.1').regionCode, undefined);
    assert.equal(mappedIpv4('::1.2.3.4'), undefined); // IPv4-compatible (deprecated) is not mapped
  });

  test('every province and city name of the data maps to a code of @tracemark/core', () => {
    const unresolved = new Set<string>();
    const seen = new Set<string>();
    for (const [first, region] of segments()) {
      const [country, , province, city] = region.split('|');
      if (country !== '中国' || province === '0' || seen.has(region)) continue;
      seen.add(region);
      const code = geo.regionOfIp(ipString(first)).regionCode;
      if (code === undefined || !isRegionCode(code)) {
        unresolved.add(region);
        continue;
      }
      const hasCities = !['台湾省', '香港', '澳门', '北京', '天津', '上海', '重庆'].includes(province ?? '');
      // A named city must give a city-level unit, not just the province.
      if (city !== '0' && hasCities && findRegion(code)?.level === 'province') unresolved.add(region);
    }
    assert.ok(seen.size > 350, `only ${seen.size} Chinese regions in the data`);
    assert.deepEqual([...unresolved], []);
  });

  test('the synchronous lookup agrees with the official reader on segment edges and random addresses', async () => {
    const locator = IpLocator.load(xdbFile);
    const searcher = newWithBuffer(IPv4, loadContentFromFile(xdbFile));
    const all = segments();
    const probes: number[] = [];
    for (let i = 0; i < all.length; i += 397) {
      const first = all[i]?.[0] ?? 0;
      probes.push(first, Math.max(0, first - 1));
    }
    let seed = 2026;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      probes.push(seed);
    }
    for (const ip of probes) {
      const official = (await (searcher.search(ipString(ip)) as unknown as Promise<string>)) || undefined;
      assert.equal(locator.regionString(ip), official, ipString(ip));
    }
  });
});

describe('regionOfPosition', () => {
  test('city centres resolve to their city (province code for municipalities)', () => {
    const cases: [string, number, number, string][] = [
      ["Shanghai People's Square", 31.2304, 121.4737, '310000'],
      ['Beijing Tiananmen', 39.9087, 116.3975, '110000'],
      ['Guangzhou', 23.1291, 113.2644, '440100'],
      ['Urumqi', 43.8256, 87.6168, '650100'],
      ['Shenzhen Civic Centre', 22.5431, 114.0579, '440300'],
      ['Nanjing Xinjiekou', 32.0416, 118.7844, '320100'],
      ['Lhasa Potala Palace', 29.6578, 91.1169, '540100'],
      ['Hong Kong Central', 22.2819, 114.1586, '810000'],
      ['Macao Senado Square', 22.1936, 113.5395, '820000'],
      ['Taipei 101', 25.0339, 121.5645, '710000'],
    ];
    for (const [name, lat, lng, code] of cases)
      assert.equal(geo.regionOfPosition(lat, lng, 'wgs84'), code, name);
  });

  test('codes that changed since the maps were drawn come out current', () => {
    assert.equal(geo.regionOfPosition(36.2137, 117.6766, 'wgs84'), '370100'); // 莱芜, merged into 济南 2019
    assert.equal(geo.regionOfPosition(19.5175, 109.5808, 'wgs84'), '460400'); // 儋州 (469003 on the map)
    assert.equal(geo.regionOfPosition(42.9513, 89.1895, 'wgs84'), '650400'); // 吐鲁番市
  });

  test('an enclave wins over the prefecture around it', () => {
    assert.equal(geo.regionOfPosition(44.3057, 86.0806, 'wgs84'), '659001'); // 石河子 inside 塔城/昌吉
  });

  test('the sea and other countries are outside', () => {
    const outside: [string, number, number][] = [
      ['East China Sea', 30.5, 124.5],
      ['South China Sea, open water', 12.0, 115.0],
      ['Hanoi', 21.0285, 105.8542],
      ['Ulaanbaatar', 47.9184, 106.9177],
      ['Seoul', 37.5665, 126.978],
      ['Paris', 48.8566, 2.3522],
      ['Null Island', 0, 0],
    ];
    for (const [name, lat, lng] of outside)
      assert.equal(geo.regionOfPosition(lat, lng, 'wgs84'), undefined, name);
  });

  test('positions that are no positions give undefined', () => {
    for (const [lat, lng] of [
      [Number.NaN, 121],
      [31, Number.POSITIVE_INFINITY],
      [91, 121],
      [31, 181],
    ] as const) {
      assert.equal(geo.regionOfPosition(lat, lng, 'wgs84'), undefined);
    }
  });

  test('WGS-84 input is moved onto GCJ-02 before the lookup', () => {
    // Near the Shanghai / Suzhou (Kunshan) boundary the ~500 m shift changes the answer.
    const [lat, lng] = [31.3, 121.134];
    assert.equal(geo.regionOfPosition(lat, lng, 'gcj02'), '320500');
    assert.equal(geo.regionOfPosition(lat, lng, 'wgs84'), '310000');
    const moved = wgs84ToGcj02(lat, lng);
    assert.equal(geo.regionOfPosition(moved.lat, moved.lng, 'gcj02'), '310000');
  });

  test('the WGS-84 → GCJ-02 shift is a few hundred metres and agrees with gcoord', () => {
    // gcoord 1.0.7 transform([lng, lat], WGS84, GCJ02), recorded.
    const reference: [number, number, number, number][] = [
      [31.2304, 121.4737, 31.22845773757727, 121.47822305927693],
      [39.9087, 116.3975, 39.91010349934476, 116.40374357265176],
      [43.8256, 87.6168, 43.82680539311119, 87.61964994946926],
      [22.5431, 114.0579, 22.54038281422246, 114.06301399856547],
    ];
    for (const [lat, lng, gLat, gLng] of reference) {
      const p = wgs84ToGcj02(lat, lng);
      assert.ok(Math.abs(p.lat - gLat) < 1e-9 && Math.abs(p.lng - gLng) < 1e-9, `${lat},${lng}`);
      const shiftM = haversineKm({ lat, lng }, p) * 1000;
      assert.ok(shiftM > 100 && shiftM < 800, `${lat},${lng}: ${shiftM} m`);
    }
    assert.deepEqual(wgs84ToGcj02(48.8566, 2.3522), { lat: 48.8566, lng: 2.3522 });
  });
});

describe('distanceKm', () => {
  test('Shanghai to Beijing is about 1,070 km', () => {
    const d = geo.distanceKm('310000', '110000');
    assert.ok(d !== undefined && d > 963 && d < 1177, String(d));
  });

  test('a county is measured from its city, a municipal district from its municipality', () => {
    assert.equal(geo.distanceKm('320105', '320100'), 0); // 建邺区 in 南京市
    assert.equal(geo.distanceKm('310115', '110105'), geo.distanceKm('310000', '110000'));
    assert.equal(geo.distanceKm('310100', '310000'), 0); // grouping slot → the municipality
    const xiantao = geo.distanceKm('429004', '420100'); // 仙桃市 is drawn itself
    assert.ok(xiantao !== undefined && xiantao > 50 && xiantao < 130, String(xiantao));
  });

  test('a province is measured from its own centroid', () => {
    const d = geo.distanceKm('320000', '320100');
    assert.ok(d !== undefined && d > 20 && d < 250, String(d));
    assert.equal(geo.distanceKm('320000', '320000'), 0);
  });

  test('an undrawn city uses its seat, else its province', () => {
    const sansha = geo.distanceKm('460300', '460100'); // 永兴岛 to 海口
    assert.ok(sansha !== undefined && sansha > 330 && sansha < 450, String(sansha));
    assert.equal(geo.distanceKm('659008', '650000'), 0); // 可克达拉市 → 新疆
  });

  test('unknown codes give undefined', () => {
    assert.equal(geo.distanceKm('999999', '110000'), undefined);
    assert.equal(geo.distanceKm('110000', ''), undefined);
    assert.equal(geo.distanceKm('31', '110000'), undefined);
  });
});

describe('coarsenPosition', () => {
  test('rounds to 0.01°, about a kilometre', () => {
    assert.deepEqual(coarsenPosition(31.230416, 121.473701), { lat: 31.23, lng: 121.47 });
    assert.deepEqual(coarsenPosition(-33.86882, 151.20929), { lat: -33.87, lng: 151.21 });
    assert.deepEqual(coarsenPosition(-0.001, 0.004), { lat: 0, lng: 0 });
    assert.ok(Object.is(coarsenPosition(-0.001, 0).lat, 0), 'no negative zero');
    const p = coarsenPosition(39.90873, 116.39751);
    assert.ok(haversineKm(p, { lat: 39.90873, lng: 116.39751 }) < 0.8);
  });
});

describe('loadGeoLocator', () => {
  test('loads once per folder, however the folder is spelled', () => {
    assert.equal(loadGeoLocator(dataDir), geo);
    assert.equal(loadGeoLocator(`${dataDir}/./`), geo);
  });

  test('a folder without the data files fails loudly', () => {
    assert.throws(() => loadGeoLocator(fileURLToPath(new URL('./', import.meta.url))), /ENOENT/);
  });
});
