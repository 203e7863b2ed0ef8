// The messages between the event loop and the scan writer's thread (see ThreadedSqliteScanStore),
// as JSON text of flat arrays: V8 writes and reads a flat array of strings and numbers as JSON two
// to three times faster than the same fields as nested objects, and both ends pay for every query
// of every batch (micro-benchmark, 16 queries a batch: 1.9 → 0.8 µs a query on the event loop).
import type { ScanRule, Verdict } from '@tracemark/core';
import type { ScanOutcome, ScanQuery } from './scan-store.js';
import type { ScanChannel, ScanClient } from './tables/scans.js';

/** Fields of a query on the wire, in order. */
const QUERY_FIELDS = 13;
/** Fields of an outcome on the wire, in order. */
const OUTCOME_FIELDS = 17;

/** The rule's and query's booleans, packed. */
const PIN_VERIFIED = 1;
const HAS_PIN = 2;
const PIN_GIVEN = 4;
const PIN_OK = 8;
const RECALLED = 16;

/** The message that stops the thread (every other request is a batch). */
export const STOP_MESSAGE = 'stop';

/**
 * A batch as sent to the thread: `[lists, …queries]`, where `lists` holds each distinct list of
 * recalled batches once (a tenant's, up to thousands of batch ids) and each query points at its
 * tenant's by index.
 */
export function encodeBatch(queries: readonly ScanQuery[]): string {
  const lists: (readonly string[])[] = [];
  const wire: unknown[] = [lists];
  let lastList: readonly string[] | undefined;
  let lastIndex = -1;
  for (const q of queries) {
    const r = q.rule;
    const list = r.recalledBatches;
    let index = list === lastList ? lastIndex : lists.indexOf(list);
    if (index < 0) index = lists.push(list) - 1;
    lastList = list;
    lastIndex = index;
    wire.push(
      q.tenantId,
      q.spaceId,
      q.serial,
      q.code,
      q.id,
      q.at,
      q.regionCode,
      q.channel,
      q.client,
      (q.pinVerified ? PIN_VERIFIED : 0) |
        (r.hasPin ? HAS_PIN : 0) |
        (r.pinGiven ? PIN_GIVEN : 0) |
        (r.pinOk ? PIN_OK : 0) |
        (r.recalled ? RECALLED : 0),
      r.queryLimit,
      index,
      r.productId,
    );
  }
  return JSON.stringify(wire);
}

/** The queries of a batch {@link encodeBatch} wrote. */
export function decodeBatch(message: string): ScanQuery[] {
  const wire = JSON.parse(message) as unknown[];
  const lists = wire[0] as (readonly string[])[];
  const queries: ScanQuery[] = [];
  for (let k = 1; k + QUERY_FIELDS <= wire.length; k += QUERY_FIELDS) {
    const flags = wire[k + 9] as number;
    const rule: ScanRule = {
      hasPin: (flags & HAS_PIN) !== 0,
      pinGiven: (flags & PIN_GIVEN) !== 0,
      pinOk: (flags & PIN_OK) !== 0,
      queryLimit: wire[k + 10] as number | null,
      recalled: (flags & RECALLED) !== 0,
      recalledBatches: lists[wire[k + 11] as number] ?? [],
      productId: wire[k + 12] as string | null,
    };
    queries.push({
      tenantId: wire[k] as string,
      spaceId: wire[k + 1] as string,
      serial: wire[k + 2] as number,
      code: wire[k + 3] as string,
      id: wire[k + 4] as string,
      at: wire[k + 5] as number,
      regionCode: wire[k + 6] as string | null,
      channel: wire[k + 7] as ScanChannel,
      client: wire[k + 8] as ScanClient,
      pinVerified: (flags & PIN_VERIFIED) !== 0,
      rule,
    });
  }
  return queries;
}

/** A batch's result as the thread replies it: its outcomes in the batch's order, or its failure. */
export type BatchResult = { readonly outcomes: ScanOutcome[] } | { readonly failed: string };

/**
 * The thread's reply to the batches it recorded together, one result per batch in the order they
 * were sent: the outcomes as one flat array, or `{failed}` with the error's message (that batch was
 * rolled back).
 */
export function encodeResults(results: readonly (readonly ScanOutcome[] | Error)[]): string {
  return JSON.stringify(results.map((r) => (r instanceof Error ? { failed: r.message } : flatOutcomes(r))));
}

/** The results {@link encodeResults} wrote. */
export function decodeResults(message: string): BatchResult[] {
  const parsed = JSON.parse(message) as (unknown[] | { failed: string })[];
  return parsed.map((r) => (Array.isArray(r) ? { outcomes: outcomesOf(r) } : { failed: r.failed }));
}

function flatOutcomes(outcomes: readonly ScanOutcome[]): unknown[] {
  const wire: unknown[] = [];
  for (const { state, decision, summary } of outcomes) {
    const a = state.activation;
    const p = state.previous;
    wire.push(
      a === null ? null : a.batchId,
      a === null ? 0 : a.activatedAt,
      state.voided ? 1 : 0,
      p === null ? null : p.firstAt,
      p === null ? null : p.firstRegion,
      p === null ? 0 : p.count,
      p === null ? 0 : p.lastAt,
      p === null ? null : p.lastRegion,
      decision.verdict,
      decision.warnings,
      decision.productId,
      decision.batchId,
      summary.firstAt,
      summary.firstRegion,
      summary.count,
      summary.lastAt,
      summary.lastRegion,
    );
  }
  return wire;
}

function outcomesOf(w: unknown[]): ScanOutcome[] {
  const outcomes: ScanOutcome[] = [];
  for (let k = 0; k + OUTCOME_FIELDS <= w.length; k += OUTCOME_FIELDS) {
    const batchId = w[k] as string | null;
    const firstAt = w[k + 3] as number | null;
    outcomes.push({
      state: {
        activation: batchId === null ? null : { batchId, activatedAt: w[k + 1] as number },
        voided: w[k + 2] === 1,
        previous:
          firstAt === null
            ? null
            : {
                firstAt,
                firstRegion: w[k + 4] as string | null,
                count: w[k + 5] as number,
                lastAt: w[k + 6] as number,
                lastRegion: w[k + 7] as string | null,
              },
      },
      decision: {
        verdict: w[k + 8] as Verdict,
        warnings: w[k + 9] as string,
        productId: w[k + 10] as string | null,
        batchId: w[k + 11] as string | null,
      },
      summary: {
        firstAt: w[k + 12] as number,
        firstRegion: w[k + 13] as string | null,
        count: w[k + 14] as number,
        lastAt: w[k + 15] as number,
        lastRegion: w[k + 16] as string | null,
      },
    });
  }
  return outcomes;
}
