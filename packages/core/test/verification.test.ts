import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideScan,
  decideVerdict,
  haversineKm,
  isImplausibleTravel,
  regionDistances,
  type QueryState,
  type ScanRule,
  type VerdictInput,
} from '@tracemark/core';

const active: VerdictInput = {
  state: 'active',
  hasPin: false,
  pinGiven: false,
  pinOk: false,
  queryCount: 1,
  isFirstQuery: true,
  queryLimit: 10,
  distantFromPrevious: false,
};

test('an active code queried for the first time is genuine_first, later genuine_repeat', () => {
  assert.deepEqual(decideVerdict(active), { verdict: 'genuine_first', warnings: [] });
  assert.equal(decideVerdict({ ...active, queryCount: 2, isFirstQuery: false }).verdict, 'genuine_repeat');
});

test('passing the query limit and implausible travel are both reported as warnings', () => {
  assert.deepEqual(decideVerdict({ ...active, queryCount: 11, isFirstQuery: false }), {
    verdict: 'warning',
    warnings: ['query_limit'],
  });
  assert.deepEqual(
    decideVerdict({ ...active, queryCount: 11, isFirstQuery: false, distantFromPrevious: true }),
    {
      verdict: 'warning',
      warnings: ['query_limit', 'distant_regions'],
    },
  );
  assert.equal(decideVerdict({ ...active, queryCount: 1000, queryLimit: null }).verdict, 'genuine_first');
});

test('voided beats everything; a wrong PIN beats not-activated and warnings', () => {
  assert.equal(decideVerdict({ ...active, state: 'voided', pinGiven: true }).verdict, 'voided');
  assert.equal(
    decideVerdict({ ...active, state: 'issued', hasPin: true, pinGiven: true }).verdict,
    'pin_wrong',
  );
  assert.equal(decideVerdict({ ...active, state: 'issued' }).verdict, 'not_activated');
  assert.equal(
    decideVerdict({ ...active, hasPin: true, pinGiven: true, queryCount: 50, isFirstQuery: false }).verdict,
    'pin_wrong',
  );
});

test('a recall outranks genuine verdicts, PIN prompts and warnings, but not a void, a wrong PIN or a never-activated code', () => {
  assert.deepEqual(decideVerdict({ ...active, recalled: true }), { verdict: 'recalled', warnings: [] });
  assert.equal(decideVerdict({ ...active, recalled: true, isFirstQuery: false }).verdict, 'recalled');
  assert.equal(decideVerdict({ ...active, recalled: true, hasPin: true }).verdict, 'recalled');
  assert.deepEqual(decideVerdict({ ...active, recalled: true, queryCount: 11, isFirstQuery: false }), {
    verdict: 'recalled',
    warnings: ['query_limit'],
  });
  assert.equal(decideVerdict({ ...active, recalled: true, state: 'voided' }).verdict, 'voided');
  assert.equal(
    decideVerdict({ ...active, recalled: true, hasPin: true, pinGiven: true }).verdict,
    'pin_wrong',
  );
  assert.equal(decideVerdict({ ...active, recalled: true, state: 'issued' }).verdict, 'not_activated');
});

test('a label with a hidden PIN needs it: pin_required without, genuine with the right one', () => {
  assert.equal(decideVerdict({ ...active, hasPin: true }).verdict, 'pin_required');
  assert.equal(
    decideVerdict({ ...active, hasPin: true, pinGiven: true, pinOk: true }).verdict,
    'genuine_first',
  );
});

test('travel is implausible only when far and fast: Shanghai→Beijing in 10 minutes yes, in 3 hours no, nearby never', () => {
  assert.equal(isImplausibleTravel(1070, 10 * 60_000), true);
  assert.equal(isImplausibleTravel(1070, 3 * 3_600_000), false);
  assert.equal(isImplausibleTravel(150, 1000), false, 'neighbouring cities are never flagged');
  assert.equal(isImplausibleTravel(undefined, 0), false, 'unknown distance is not abnormal');
  assert.equal(isImplausibleTravel(2000, 0), true);
});

const plainRule: ScanRule = {
  hasPin: false,
  pinGiven: false,
  pinOk: false,
  queryLimit: null,
  recalled: false,
  recalledBatches: [],
  productId: 'p1',
};
const activeState = (previous: QueryState['previous']): QueryState => ({
  activation: { batchId: 'b1', activatedAt: 0 },
  voided: false,
  previous,
});
const centroids = new Map([
  ['310000', { lat: 31.23, lng: 121.47 }],
  ['110000', { lat: 39.9, lng: 116.4 }],
]);
const distance = regionDistances(centroids);

test('decideScan: a first query of an active code is genuine_first, written with its product and batch', () => {
  assert.deepEqual(decideScan(plainRule, { at: 1000, regionCode: '310000' }, activeState(null), distance), {
    verdict: 'genuine_first',
    warnings: '',
    productId: 'p1',
    batchId: 'b1',
  });
});

test("decideScan: the code's batch among the recalled batches makes the verdict recalled", () => {
  const rule = { ...plainRule, recalledBatches: ['b0', 'b1'] };
  assert.equal(
    decideScan(rule, { at: 1000, regionCode: null }, activeState(null), distance).verdict,
    'recalled',
  );
  const other = { ...plainRule, recalledBatches: ['b0'] };
  assert.equal(
    decideScan(other, { at: 1000, regionCode: null }, activeState(null), distance).verdict,
    'genuine_first',
  );
});

test('decideScan: Beijing an hour after Shanghai is distant_regions; a day after is not; counts pass the limit', () => {
  const previous = { firstAt: 0, firstRegion: '310000', count: 1, lastAt: 0, lastRegion: '310000' };
  const soon = decideScan(
    plainRule,
    { at: 3_600_000, regionCode: '110000' },
    activeState(previous),
    distance,
  );
  assert.deepEqual([soon.verdict, soon.warnings], ['warning', 'distant_regions']);
  const later = decideScan(
    plainRule,
    { at: 86_400_000, regionCode: '110000' },
    activeState(previous),
    distance,
  );
  assert.equal(later.verdict, 'genuine_repeat');
  const limited = decideScan(
    { ...plainRule, queryLimit: 1 },
    { at: 86_400_000, regionCode: null },
    activeState(previous),
    distance,
  );
  assert.deepEqual([limited.verdict, limited.warnings], ['warning', 'query_limit']);
});

test('regionDistances gives the haversine distance of the two centroids, undefined for a region not in the table', () => {
  assert.equal(distance('310000', '110000'), haversineKm(centroids.get('310000')!, centroids.get('110000')!));
  assert.ok(Math.abs(distance('310000', '110000')! - 1067) < 10);
  assert.equal(distance('310000', '440100'), undefined);
});
