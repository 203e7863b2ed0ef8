import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findRegion, listChildren, listProvinces, type Region } from '@tracemark/core';
import { CITIES, COUNTIES, PROVINCES } from '../src/regions/data/divisions.js';

function* walk(regions: readonly Region[]): Generator<Region> {
  for (const region of regions) {
    yield region;
    yield* walk(listChildren(region.code) ?? []);
  }
}

describe('region data', () => {
  it('holds 34 provinces, 342 city-level slots and 2852 counties', () => {
    assert.equal(Object.keys(PROVINCES).length, 34);
    assert.equal(Object.keys(CITIES).length, 342);
    assert.equal(Object.keys(COUNTIES).length, 2852);
  });

  it('uses codes of the right length for each level', () => {
    for (const code of Object.keys(PROVINCES)) assert.match(code, /^[1-8]\d$/);
    for (const code of Object.keys(CITIES)) assert.match(code, /^\d{2}(?!00)\d{2}$/);
    for (const code of Object.keys(COUNTIES)) assert.match(code, /^\d{4}(?!00)\d{2}$/);
  });

  it('hangs every division under a known parent', () => {
    for (const code of Object.keys(CITIES)) assert.ok(code.slice(0, 2) in PROVINCES, code);
    for (const code of Object.keys(COUNTIES)) assert.ok(code.slice(0, 4) in CITIES, code);
  });

  it('reaches every division from the province list exactly once', () => {
    const seen = new Set<string>();
    for (const region of walk(listProvinces())) {
      assert.ok(!seen.has(region.code), region.code);
      seen.add(region.code);
    }
    assert.equal(seen.size, 34 + 342 + 2852);
  });

  it('keeps no county in the 71-80 range NBS uses for development zones', () => {
    const zones = Object.keys(COUNTIES).filter((code) => {
      const part = Number(code.slice(4));
      return part >= 71 && part <= 80;
    });
    assert.deepEqual(zones, []);
  });

  it('keeps no name of a functional zone', () => {
    // 下花园区, 绿园区 and 梁园区 are real districts, so "园区" alone is no sign of a zone.
    const zoneLike = /开发区|工业园区|产业园区|管理区|示范区|实验区|管委会|风景名胜区/;
    assert.deepEqual(
      Object.entries(COUNTIES).filter(([, name]) => zoneLike.test(name)),
      [],
    );
  });

  it('marks exactly the municipal and province-governed slots as grouping', () => {
    const grouping = [...walk(listProvinces())].filter((r) => r.grouping).map((r) => r.code);
    assert.deepEqual(grouping, [
      '110100',
      '120100',
      '310100',
      '419000',
      '429000',
      '469000',
      '500100',
      '500200',
      '659000',
    ]);
  });

  it('names every division', () => {
    for (const region of walk(listProvinces())) assert.match(region.name, /^\p{Script=Han}+$/u, region.code);
    assert.equal(findRegion('632857')?.name, '大柴旦行政委员会');
  });
});
