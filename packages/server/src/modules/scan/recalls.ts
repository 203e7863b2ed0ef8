/**
 * Recalls as the scan path sees them. A recall is an EPCIS event with the disposition
 * `recalled` (trace-actions `recall`, or any captured event); the derived holdings keep each
 * identifier's latest disposition, and a partial index lists an enterprise's recalled ones. Here
 * those identifiers become what a scan can check without I/O: the recalled batches by id and the
 * recalled codes (items, cases, pallets) by their digits. An enterprise without recalls costs a
 * scan one map lookup; with recalled codes, a scan also walks its packing parents.
 */
import { repositories, type Db } from '@tracemark/db';
import type { RecallView } from './view-model.js';

/** Where a recall came from: its event (for the reason) and time. */
export interface RecallMark {
  readonly eventPk: string;
  readonly at: number;
}

/** An enterprise's recalls, keyed for the scan path. */
export interface RecallSet {
  /** Recalled batches by batch id. */
  readonly batches: ReadonlyMap<string, RecallMark>;
  /** The ids of `batches`, as a scan's rule carries them to the write. */
  readonly batchIds: readonly string[];
  /** Recalled codes (items and containers) by their digits. */
  readonly codes: ReadonlyMap<string, RecallMark>;
}

/** The set of an enterprise without recalls (shared, so the common case allocates nothing). */
export const NO_RECALLS: RecallSet = Object.freeze({ batches: new Map(), batchIds: [], codes: new Map() });

/** Most recalled identifiers loaded per enterprise (beyond it, codes are recalled by batch). */
export const MAX_RECALLED = 50_000;

/** Deepest packing walked from a code to its outermost container. */
const MAX_PACKING_DEPTH = 8;

/** The code of an identifier for one of our codes (Digital Link `/21/{code}` or `/c/{code}`). */
export function codeOfEpc(epc: string): string | undefined {
  const m = /\/(?:21|c)\/(\d{15,21})$/.exec(epc);
  return m?.[1];
}

/** A batch class: by GTIN and lot (GS1 Digital Link `/01/{gtin}/10/{lot}`) or by our batch id. */
export function batchOfEpc(
  epc: string,
): { readonly gtin: string; readonly lot: string } | { readonly batchId: string } | undefined {
  const byLot = /\/01\/(\d{14})\/10\/([^/?#]+)$/.exec(epc);
  if (byLot !== null) {
    try {
      return { gtin: byLot[1] ?? '', lot: decodeURIComponent(byLot[2] ?? '') };
    } catch {
      return undefined;
    }
  }
  const byId = /\/id\/batch\/([0-9a-f-]{36})$/.exec(epc);
  return byId === null ? undefined : { batchId: byId[1] ?? '' };
}

/** Loads an enterprise's recalls from the partial index of recalled holdings. */
export async function loadRecalls(db: Db, tenantId: string): Promise<RecallSet> {
  const repos = repositories(db.kysely);
  const rows = await repos.trace.recalled(tenantId, MAX_RECALLED);
  if (rows.length === 0) return NO_RECALLS;
  const batches = new Map<string, RecallMark>();
  const codes = new Map<string, RecallMark>();
  for (const row of rows) {
    const mark = { eventPk: row.event_pk, at: row.event_time };
    const code = codeOfEpc(row.epc);
    if (code !== undefined) {
      codes.set(code, mark);
      continue;
    }
    const batch = batchOfEpc(row.epc);
    if (batch === undefined) continue; // raw-material lots and foreign classes: not a scanned item
    if ('batchId' in batch) {
      batches.set(batch.batchId, mark);
      continue;
    }
    const product = await repos.products.findByGtin(tenantId, batch.gtin);
    const found =
      product === undefined ? undefined : await repos.batches.findByLot(tenantId, product.id, batch.lot);
    if (found !== undefined) batches.set(found.id, mark);
  }
  return { batches, batchIds: [...batches.keys()], codes };
}

/**
 * The recall over a code's packing: the first recalled container it is packed in, walking
 * `trace_parent` up from the code's identifier. Only called when the enterprise has recalled
 * codes at all.
 */
export async function containerRecall(
  db: Db,
  tenantId: string,
  epc: string,
  recalls: RecallSet,
): Promise<RecallMark | undefined> {
  const repos = repositories(db.kysely);
  let child = epc;
  for (let depth = 0; depth < MAX_PACKING_DEPTH; depth++) {
    const [row] = await repos.trace.parentsOf(tenantId, [child]);
    if (row?.parent === null || row?.parent === undefined) return undefined;
    const code = codeOfEpc(row.parent);
    const mark = code === undefined ? undefined : recalls.codes.get(code);
    if (mark !== undefined) return mark;
    child = row.parent;
  }
  return undefined;
}

/** The reason the recall event gives (`tm:recall` → `tm:reason`), if any. */
export async function recallReason(db: Db, tenantId: string, eventPk: string): Promise<string | null> {
  const [event] = await repositories(db.kysely).events.findByPks(tenantId, [eventPk]);
  if (event === undefined) return null;
  try {
    const body = JSON.parse(event.body) as Record<string, unknown>;
    const recall = body['tm:recall'] as Record<string, unknown> | undefined;
    const reason = recall?.['tm:reason'];
    return typeof reason === 'string' && reason.trim() !== '' ? reason : null;
  } catch {
    return null;
  }
}

/** The recall view of a mark. */
export function recallView(mark: RecallMark, scope: RecallView['scope'], reason: string | null): RecallView {
  return { at: mark.at, reason, scope };
}
