/** Which side-menu entry a page highlights (layout/menu-state.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromMenu, selectedMenuKey } from '../src/layout/menu-state.js';

const keys = ['reviews', 'supervision', 'enterprises', 'codes', 'scan-log'];

test('a menu page highlights itself; a detail page the entry of the longest path it lies under', () => {
  assert.equal(selectedMenuKey('/reviews', null, keys), 'reviews');
  assert.equal(selectedMenuKey('/enterprises/0190e7a2', null, keys), 'enterprises');
  assert.equal(selectedMenuKey('/codes/jobs/1/', null, [...keys, 'codes/jobs']), 'codes/jobs');
  assert.equal(selectedMenuKey('/account/password', null, keys), undefined);
  assert.equal(selectedMenuKey('/enterprisesx', null, keys), undefined);
});

test('a detail page opened from another entry stays under it; a menu page ignores the state', () => {
  assert.equal(selectedMenuKey('/enterprises/0190e7a2', fromMenu('reviews'), keys), 'reviews');
  assert.equal(selectedMenuKey('/enterprises', fromMenu('reviews'), keys), 'enterprises');
  // An entry the user does not have (or nonsense in the history state) is ignored.
  assert.equal(selectedMenuKey('/enterprises/1', fromMenu('regulators'), keys), 'enterprises');
  assert.equal(selectedMenuKey('/enterprises/1', { menu: 42 }, keys), 'enterprises');
  assert.equal(selectedMenuKey('/enterprises/1', 'reviews', keys), 'enterprises');
});
