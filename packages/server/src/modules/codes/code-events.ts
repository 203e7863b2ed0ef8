import { newId, type Repositories } from '@tracemark/db';
import type { JsonObject } from '@tracemark/core';
import type { ServiceContext } from '../../lib/context.js';
import { prepareEvents, storeEvents } from '../epcis/capture.js';
import { identifierOptions } from '../epcis/service.js';
import { extensionNamespace } from '../epcis/presenter.js';
import { batchClass, codeEpc } from '../trace-actions/identifiers.js';

/**
 * The standard events the codes module writes through the event store, in the transaction of the
 * codes' own rows (docs/adr/0006-trace-derived-tables.md):
 *
 * - activation: one ObjectEvent ADD `commissioning` per serial range, naming the batch's class in
 *   `quantityList` (a range may hold 100 million codes: an epcList would be huge) and the range
 *   in the extension field `tm:codeRange` ({spaceId, firstSerial, lastSerial, firstCode,
 *   lastCode, count}); a single code is named in `epcList` instead;
 * - packing: an AggregationEvent ADD `packing` with the parent and the children;
 * - unpacking: an AggregationEvent DELETE `unpacking` with the parent and the children taken out;
 * - a replaced label (docs/codes.md, "Replacing a damaged label"): an ObjectEvent ADD
 *   `commissioning` (disposition `active`) of the new code whose ILMD names the code it replaces
 *   (`tm:replaces`), and the containment moved to it: AggregationEvents DELETE/ADD out of and into
 *   the old code's parent, and of the old code's contents into the new code.
 */

const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** Writes events of the codes module in the caller's transaction. */
export async function storeCodeEvents(
  ctx: ServiceContext,
  repos: Repositories,
  tenantId: string,
  events: readonly JsonObject[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  const context = [EPCIS_CONTEXT, { tm: extensionNamespace(ctx.config.publicUrl) }];
  const options = identifierOptions(ctx);
  const { prepared, problems } = prepareEvents(events, context, options);
  const first = problems[0];
  if (first !== undefined) throw new Error(`codes event not valid: ${first.message}`);
  await storeEvents(repos, tenantId, newId(now), prepared, now, options, ctx.db.native);
}

function base(now: number): Record<string, unknown> {
  return {
    eventID: `urn:uuid:${newId(now)}`,
    eventTime: new Date(now).toISOString(),
    eventTimeZoneOffset: '+00:00',
  };
}

/** The batch and product an activation is for. */
export interface ActivatedBatch {
  readonly id: string;
  readonly lot: string;
  readonly gtin: string | null;
}

/** The commissioning event of an activated range. */
export function activationEvent(
  ctx: Pick<ServiceContext, 'config'>,
  batch: ActivatedBatch,
  range: { spaceId: string; first: number; last: number; firstCode: string; lastCode: string },
  now: number,
): JsonObject {
  const publicUrl = ctx.config.publicUrl;
  const count = range.last - range.first + 1;
  const named =
    count === 1
      ? { epcList: [codeEpc(publicUrl, range.firstCode, batch.gtin)] }
      : { quantityList: [{ epcClass: batchClass(publicUrl, batch, batch.gtin), quantity: count }] };
  return {
    type: 'ObjectEvent',
    ...base(now),
    ...named,
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    'tm:codeRange': {
      'tm:spaceId': range.spaceId,
      'tm:firstSerial': range.first,
      'tm:lastSerial': range.last,
      'tm:firstCode': range.firstCode,
      'tm:lastCode': range.lastCode,
      'tm:count': count,
    },
    'tm:batchId': batch.id,
  };
}

/** A code with the GTIN of its product (for its identity in events). */
export interface CodeIdentity {
  readonly code: string;
  readonly gtin: string | null;
}

/** The aggregation event of a pack (ADD) or unpack (DELETE). */
export function packingEvent(
  ctx: Pick<ServiceContext, 'config'>,
  action: 'ADD' | 'DELETE',
  parent: CodeIdentity,
  children: readonly CodeIdentity[],
  now: number,
): JsonObject {
  const publicUrl = ctx.config.publicUrl;
  return {
    type: 'AggregationEvent',
    ...base(now),
    parentID: codeEpc(publicUrl, parent.code, parent.gtin),
    childEPCs: children.map((c) => codeEpc(publicUrl, c.code, c.gtin)),
    action,
    bizStep: action === 'ADD' ? 'packing' : 'unpacking',
  };
}

/**
 * The commissioning of a replacement label: the new code, active for the old one's batch, with
 * the old code in its ILMD (instance master data: "this object was labelled `tm:replaces`").
 */
export function replacementEvent(
  ctx: Pick<ServiceContext, 'config'>,
  batch: ActivatedBatch,
  replaced: CodeIdentity,
  fresh: CodeIdentity,
  now: number,
): JsonObject {
  const publicUrl = ctx.config.publicUrl;
  return {
    type: 'ObjectEvent',
    ...base(now),
    epcList: [codeEpc(publicUrl, fresh.code, fresh.gtin)],
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    ilmd: {
      'tm:replaces': codeEpc(publicUrl, replaced.code, replaced.gtin),
      'tm:replacesCode': replaced.code,
    },
    'tm:batchId': batch.id,
  };
}
