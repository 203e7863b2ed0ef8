import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideVerdict, isImplausibleTravel, type VerdictInput } from '@tracemark/core';

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
