import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findRegion,
  isRegionCode,
  isWithinRegion,
  listChildren,
  listProvinces,
  normaliseRegionCode,
  regionLevel,
  regionName,
  regionPath,
  regionPrefix,
} from '@tracemark/core';

describe('region codes', () => {
  it('accepts six-digit codes of every level', () => {
    assert.equal(isRegionCode('310000'), true);
    assert.equal(isRegionCode('310100'), true);
    assert.equal(isRegionCode('310115'), true);
    assert.equal(isRegionCode('440305'), true);
  });

  it('rejects short forms, padding, unknown and malformed codes', () => {
    for (const code of [
      '31',
      '3101',
      ' 310000',
      '310000 ',
      '3100000',
      '999999',
      '',
      'abcdef',
      '__proto__',
      'constructor',
    ]) {
      assert.equal(isRegionCode(code), false, code);
    }
  });

  it('rejects the statistics-only development zones', () => {
    // 石家庄高新技术产业开发区, 苏州工业园区, 兰州新区, 郑州航空港经济综合实验区
    for (const code of ['130171', '320576', '620171', '410173'])
      assert.equal(isRegionCode(code), false, code);
  });

  it('rejects the county rows statistics invent for cities without counties', () => {
    for (const code of ['441900', '442000', '460400', '620200'])
      assert.equal(regionLevel(code), 'city', code);
    assert.equal(isRegionCode('620201'), false);
    assert.deepEqual(listChildren('441900'), []);
  });

  it('knows the counties created after the 2023 statistics list', () => {
    assert.equal(regionName('653228'), '和康县');
    assert.equal(regionName('653229'), '和安县');
    assert.deepEqual(regionPath('653229'), ['新疆维吾尔自治区', '和田地区', '和安县']);
  });

  it('normalises 2-, 4- and 6-digit input to six digits at the boundary', () => {
    assert.equal(normaliseRegionCode('31'), '310000');
    assert.equal(normaliseRegionCode('3101'), '310100');
    assert.equal(normaliseRegionCode(' 310115\n'), '310115');
    assert.equal(normaliseRegionCode('310000'), '310000');
  });

  it('normalises nothing that is not a known division', () => {
    for (const input of ['3', '310', '31011', '3101150', '99', '9999', '130171', '31a115', '']) {
      assert.equal(normaliseRegionCode(input), undefined, input);
    }
  });
});

describe('region names, levels and paths', () => {
  it('names divisions at every level', () => {
    assert.equal(regionName('440000'), '广东省');
    assert.equal(regionName('440300'), '深圳市');
    assert.equal(regionName('440305'), '南山区');
    assert.equal(regionName('999999'), undefined);
  });

  it('tells the level from the data, not only from the zeros', () => {
    assert.equal(regionLevel('310000'), 'province');
    assert.equal(regionLevel('310100'), 'city');
    assert.equal(regionLevel('310115'), 'county');
    assert.equal(regionLevel('310300'), undefined);
  });

  it('reads a county path from province to county', () => {
    assert.deepEqual(regionPath('440305'), ['广东省', '深圳市', '南山区']);
    assert.deepEqual(regionPath('440300'), ['广东省', '深圳市']);
    assert.deepEqual(regionPath('440000'), ['广东省']);
    assert.equal(regionPath('999999'), undefined);
  });

  it('leaves the municipal grouping slot out of a district path', () => {
    assert.deepEqual(regionPath('310115'), ['上海市', '浦东新区']);
    assert.deepEqual(regionPath('110105'), ['北京市', '朝阳区']);
    assert.deepEqual(regionPath('500229'), ['重庆市', '城口县']);
  });

  it('leaves the province-governed grouping slot out of a county path', () => {
    assert.deepEqual(regionPath('429004'), ['湖北省', '仙桃市']);
    assert.deepEqual(regionPath('469002'), ['海南省', '琼海市']);
    assert.deepEqual(regionPath('659001'), ['新疆维吾尔自治区', '石河子市']);
  });

  it('names a grouping slot when asked for it directly', () => {
    assert.deepEqual(regionPath('310100'), ['上海市', '市辖区']);
    assert.deepEqual(regionPath('500200'), ['重庆市', '县']);
    assert.equal(findRegion('310100')?.grouping, true);
    assert.equal(findRegion('429000')?.grouping, true);
    assert.equal(findRegion('440300')?.grouping, false);
  });

  it('returns frozen values', () => {
    assert.equal(Object.isFrozen(findRegion('310115')), true);
    assert.equal(Object.isFrozen(regionPath('310115')), true);
    assert.equal(Object.isFrozen(listProvinces()), true);
    assert.equal(Object.isFrozen(listChildren('310000')), true);
  });
});

describe('jurisdiction', () => {
  it('puts a county within its city and province', () => {
    assert.equal(isWithinRegion('310115', '310000'), true);
    assert.equal(isWithinRegion('310115', '310100'), true);
    assert.equal(isWithinRegion('440305', '440300'), true);
    assert.equal(isWithinRegion('440305', '440000'), true);
  });

  it('puts a division within itself', () => {
    for (const code of ['310000', '310100', '310115']) assert.equal(isWithinRegion(code, code), true, code);
  });

  it('does not put a wider division within a narrower one', () => {
    assert.equal(isWithinRegion('310000', '310115'), false);
    assert.equal(isWithinRegion('440300', '440305'), false);
    assert.equal(isWithinRegion('440000', '440300'), false);
  });

  it('keeps neighbours apart', () => {
    assert.equal(isWithinRegion('320105', '310000'), false);
    assert.equal(isWithinRegion('440106', '440300'), false);
    assert.equal(isWithinRegion('310104', '310115'), false);
  });

  it('answers false when either code is unknown or not six digits', () => {
    assert.equal(isWithinRegion('310199', '310000'), false);
    assert.equal(isWithinRegion('130171', '130000'), false);
    assert.equal(isWithinRegion('310115', '31'), false);
    assert.equal(isWithinRegion('310115', '999999'), false);
  });

  it('gives the prefix a LIKE query needs to match isWithinRegion', () => {
    assert.equal(regionPrefix('310000'), '31');
    assert.equal(regionPrefix('310100'), '3101');
    assert.equal(regionPrefix('310115'), '310115');
    assert.equal(regionPrefix('999999'), undefined);
  });
});

describe('listing', () => {
  it('lists 34 province-level divisions in code order', () => {
    const provinces = listProvinces();
    assert.equal(provinces.length, 34);
    assert.deepEqual(provinces[0], { code: '110000', name: '北京市', level: 'province', grouping: false });
    assert.deepEqual(
      provinces.slice(-3).map((p) => p.name),
      ['台湾省', '香港特别行政区', '澳门特别行政区'],
    );
    assert.deepEqual(
      provinces.map((p) => p.code),
      provinces.map((p) => p.code).sort(),
    );
  });

  it('lists the cities of a province and the counties of a city', () => {
    const guangdong = listChildren('440000') ?? [];
    assert.equal(guangdong.length, 21);
    assert.ok(guangdong.some((c) => c.code === '440300' && c.name === '深圳市'));
    assert.deepEqual(
      listChildren('440300')?.map((c) => c.name),
      ['罗湖区', '福田区', '南山区', '宝安区', '龙岗区', '盐田区', '龙华区', '坪山区', '光明区'],
    );
  });

  it('lists the grouping slots of a municipality', () => {
    assert.deepEqual(
      listChildren('500000')?.map((c) => [c.code, c.name]),
      [
        ['500100', '市辖区'],
        ['500200', '县'],
      ],
    );
    assert.equal(listChildren('310100')?.length, 16);
  });

  it('lists nothing below a county or a province without coded levels', () => {
    assert.deepEqual(listChildren('310115'), []);
    assert.deepEqual(listChildren('810000'), []);
    assert.equal(listChildren('999999'), undefined);
  });
});
