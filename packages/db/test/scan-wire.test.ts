/**
 * The scan writer thread's messages: whatever a batch holds goes to the thread and back unchanged
 * (the flat arrays are an encoding, not a summary).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScanOutcome, ScanQuery } from '@tracemark/db';
import { decodeBatch, decodeResults, encodeBatch, encodeResults } from '../src/sqlite-scan-wire.js';

const recalledA = ['0190c0de-0000-7000-8000-0000000000a1', '0190c0de-0000-7000-8000-0000000000a2'];
const recalledB: string[] = [];

function query(
  serial: number,
  overrides: Partial<ScanQuery> = {},
  rule: Partial<ScanQuery['rule']> = {},
): ScanQuery {
  return {
    tenantId: '0190c0de-0000-7000-8000-000000000001',
    spaceId: '0190c0de-0000-7000-8000-000000000002',
    serial,
    code: `1000${String(serial).padStart(13, '0')}`,
    id: `0190c0de-0000-7000-8000-${String(serial).padStart(12, '0')}`,
    at: 1_795_000_000_000 + serial,
    regionCode: '310115',
    channel: 'page',
    client: 'wechat',
    pinVerified: false,
    ...overrides,
    rule: {
      hasPin: false,
      pinGiven: false,
      pinOk: false,
      queryLimit: 10,
      recalled: false,
      recalledBatches: recalledA,
      productId: '0190c0de-0000-7000-8000-000000000003',
      ...rule,
    },
  };
}

test('a batch reaches the thread as it was sent: every field, flag and recalled-batch list', () => {
  const batch = [
    query(1),
    query(
      2,
      { regionCode: null, channel: 'api', client: 'app', pinVerified: true },
      {
        hasPin: true,
        pinGiven: true,
        pinOk: true,
      },
    ),
    query(
      3,
      { tenantId: '0190c0de-0000-7000-8000-0000000000ff' },
      {
        recalled: true,
        recalledBatches: recalledB,
        queryLimit: null,
        productId: null,
      },
    ),
    query(4, {}, { hasPin: true, pinGiven: true, pinOk: false }),
    query(5),
  ];
  assert.deepEqual(decodeBatch(encodeBatch(batch)), batch);
});

test("a tenant's recalled-batch list goes once per batch, however many of its queries there are", () => {
  const message = encodeBatch([query(1), query(2), query(3)]);
  assert.equal(message.split(recalledA[0]!).length - 1, 1);
});

test('outcomes come back as the thread decided them, batch by batch: first and repeat queries, voided, no activation', () => {
  const outcomes: ScanOutcome[] = [
    {
      state: { activation: null, voided: false, previous: null },
      decision: { verdict: 'not_activated', warnings: '', productId: null, batchId: null },
      summary: { firstAt: 10, firstRegion: null, count: 1, lastAt: 10, lastRegion: null },
    },
    {
      state: {
        activation: { batchId: '0190c0de-0000-7000-8000-0000000000b1', activatedAt: 5 },
        voided: true,
        previous: { firstAt: 6, firstRegion: '110101', count: 11, lastAt: 8, lastRegion: null },
      },
      decision: {
        verdict: 'warning',
        warnings: 'query_limit,distant_regions',
        productId: '0190c0de-0000-7000-8000-000000000003',
        batchId: '0190c0de-0000-7000-8000-0000000000b1',
      },
      summary: { firstAt: 6, firstRegion: '110101', count: 12, lastAt: 12, lastRegion: '310115' },
    },
  ];
  assert.deepEqual(decodeResults(encodeResults([outcomes, [], outcomes.slice(1)])), [
    { outcomes },
    { outcomes: [] },
    { outcomes: outcomes.slice(1) },
  ]);
});

test("a failed batch's result carries the database's message, beside the others' outcomes", () => {
  const outcome: ScanOutcome = {
    state: { activation: null, voided: false, previous: null },
    decision: { verdict: 'not_activated', warnings: '', productId: null, batchId: null },
    summary: { firstAt: 10, firstRegion: null, count: 1, lastAt: 10, lastRegion: null },
  };
  assert.deepEqual(
    decodeResults(
      encodeResults([[outcome], new Error('UNIQUE constraint failed: scans.tenant_id, scans.id')]),
    ),
    [{ outcomes: [outcome] }, { failed: 'UNIQUE constraint failed: scans.tenant_id, scans.id' }],
  );
});
