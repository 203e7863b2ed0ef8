import type { IdentifierOptions, JsonObject } from '@tracemark/core';
import { parseCode } from '@tracemark/codes';
import type {
  BatchRow,
  CodeActivationRow,
  CodeSpaceRow,
  RawMaterialLotRow,
  Repositories,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import type { ServiceContext } from '../../lib/context.js';
import { loadJob, loadSpace, maxCodesPerRequest } from '../codes/service.js';
import { batchClass, codeEpc } from './identifiers.js';
import type { Targets } from './schemas.js';

/** What planners share while resolving one action (or one import). */
export interface PlanEnv {
  readonly ctx: ServiceContext;
  readonly repos: Repositories;
  readonly tenantId: string;
  readonly actorId: string;
  readonly publicUrl: string;
  readonly options: IdentifierOptions;
  readonly now: number;
  /**
   * Raw-material lots received earlier in the same import, not stored yet, by lot number: a
   * later `produce` row may use them.
   */
  readonly pendingLots: Map<string, RawMaterialLotRow[]>;
  /** What earlier rows of the same import use of each raw-material lot, not stored yet. */
  readonly plannedUse: Map<string, number>;
  /** GTIN (or null) of each product id looked up so far. */
  readonly gtins: Map<string, string | null>;
  /** What an action (or a whole import) has looked up already: spaces by length and prefix, activation ranges by space, batches. */
  readonly cache: {
    readonly spaces: Map<string, CodeSpaceRow | null>;
    readonly activations: Map<string, CodeActivationRow[]>;
    readonly batches: Map<string, BatchRow>;
  };
}

/** Empty caches for a {@link PlanEnv}. */
export function emptyCache(): PlanEnv['cache'] {
  return { spaces: new Map(), activations: new Map(), batches: new Map() };
}

/**
 * One of the enterprise's codes, active and in use, with its activation. The same rules as the
 * codes module's `resolveOwnCode`, with the space and activation ranges cached for the action,
 * so an import of thousands of rows costs about one query per code.
 */
export async function resolveActiveCode(
  env: PlanEnv,
  raw: string,
): Promise<{ code: string; activation: CodeActivationRow; spaceId: string; serial: number }> {
  const code = raw.replace(/[\s-]/g, '');
  const parsed = parseCode(code);
  if (parsed.type === 'error')
    throw new AppError('TRACE_CODE_INVALID', `${parsed.message} (${code.slice(0, 30)})`);
  const key = `${parsed.layout.length}:${parsed.prefix}`;
  let space = env.cache.spaces.get(key);
  if (space === undefined) {
    space = (await env.repos.codes.findSpaceByPrefix(parsed.layout.length, parsed.prefix)) ?? null;
    env.cache.spaces.set(key, space);
  }
  if (space?.tenant_id !== env.tenantId)
    throw new AppError('TRACE_CODE_NOT_FOUND', `No such code among yours: ${code}.`);
  const decoded = env.ctx.engines.for(space).codec.decode(code);
  if (decoded.type === 'error') throw new AppError('TRACE_CODE_INVALID', decoded.message);
  const serial = decoded.serial;
  const known = env.cache.activations.get(space.id) ?? [];
  env.cache.activations.set(space.id, known);
  let activation = known.find((a) => a.first_serial <= serial && serial <= a.last_serial);
  if (activation === undefined) {
    activation = await env.repos.codes.findActivation(env.tenantId, space.id, serial);
    if (activation !== undefined) known.push(activation);
  }
  if (activation === undefined) {
    if ((await env.repos.codes.findJobOfSerial(env.tenantId, space.id, serial)) === undefined)
      throw new AppError('TRACE_CODE_NOT_FOUND', `The code ${code} was never issued.`);
    throw new AppError('TRACE_CODE_NOT_ACTIVE', `The code ${code} is not active.`);
  }
  if ((await env.repos.codes.findVoid(env.tenantId, { spaceId: space.id, serial })) !== undefined)
    throw new AppError('TRACE_CODE_VOIDED', `The code ${code} was taken out of use.`);
  return { code, activation, spaceId: space.id, serial };
}

/** The identifiers of an action's targets, as an ObjectEvent carries them. */
export interface ResolvedTargets {
  readonly epcList: string[];
  readonly quantityList: JsonObject[];
  /** The batches named, for actions that check them. */
  readonly batches: BatchRow[];
  /** The codes named (singly and by range), for actions that change them (destroy voids them). */
  readonly codeRefs: Array<{ readonly spaceId: string; readonly serial: number }>;
}

/**
 * Runs `work`; an {@link AppError} without details gets `field` as its detail, so an import can
 * say which column was at fault.
 */
export async function at<T>(field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError && (error.details === undefined || error.details.length === 0))
      throw new AppError(error.code, error.message, [{ field, message: error.message }]);
    throw error;
  }
}

/** The GTIN of a product of the enterprise, cached for the action. */
export async function gtinOf(env: PlanEnv, productId: string): Promise<string | null> {
  if (!env.gtins.has(productId)) {
    const p = await env.repos.products.find(env.tenantId, productId);
    env.gtins.set(productId, p?.gtin ?? null);
  }
  return env.gtins.get(productId) ?? null;
}

/** A batch of the enterprise, or 404. */
export async function ownBatch(env: PlanEnv, batchId: string): Promise<BatchRow> {
  const cached = env.cache.batches.get(batchId);
  if (cached !== undefined) return cached;
  const b = await env.repos.batches.find(env.tenantId, batchId);
  if (b === undefined) throw new AppError('TRACE_BATCH_NOT_FOUND');
  env.cache.batches.set(batchId, b);
  return b;
}

/**
 * Resolves codes (items, cases, pallets), job ranges, batches and raw-material lots of the
 * enterprise into an epcList and a quantityList. Codes must be active and not voided; another
 * enterprise's code, batch, job or lot is "not found". `unit` is the default uom of quantities.
 */
export async function resolveTargets(
  env: PlanEnv,
  t: Targets,
  opts: { readonly required?: boolean; readonly codeBatch?: string } = {},
): Promise<ResolvedTargets> {
  const epcList: string[] = [];
  const codeRefs: Array<{ spaceId: string; serial: number }> = [];
  const seen = new Set<string>();
  const push = (epc: string) => {
    if (!seen.has(epc)) {
      seen.add(epc);
      epcList.push(epc);
    }
  };
  const total =
    (t.codes?.length ?? 0) + (t.ranges ?? []).reduce((n, r) => n + Math.max(0, r.to - r.from + 1), 0);
  if (total > maxCodesPerRequest)
    throw new AppError('TRACE_CODE_TOO_MANY', `At most ${maxCodesPerRequest} codes per action.`, [
      { field: 'codes', message: `${total} codes` },
    ]);
  await at('codes', async () => {
    for (const raw of t.codes ?? []) {
      const f = await resolveActiveCode(env, raw);
      if (opts.codeBatch !== undefined && f.activation.batch_id !== opts.codeBatch)
        throw new AppError('TRACE_ACTION_CODE_BATCH', `The code ${f.code} is not active for this batch.`);
      const batch = await ownBatch(env, f.activation.batch_id);
      const before = epcList.length;
      push(codeEpc(env.publicUrl, f.code, await gtinOf(env, batch.product_id)));
      if (epcList.length > before) codeRefs.push({ spaceId: f.spaceId, serial: f.serial });
    }
  });
  await at('ranges', async () => {
    for (const r of t.ranges ?? []) {
      const job = await loadJob(env.ctx, r.jobId, env.repos);
      if (r.to < r.from || r.to > job.count) throw new AppError('TRACE_CODE_RANGE_INVALID');
      const first = job.first_serial + r.from - 1;
      const last = job.first_serial + r.to - 1;
      const activations = await env.repos.codes.overlappingActivations(
        env.tenantId,
        job.space_id,
        first,
        last,
      );
      let covered = 0;
      for (const a of activations) {
        if (opts.codeBatch !== undefined && a.batch_id !== opts.codeBatch)
          throw new AppError('TRACE_ACTION_CODE_BATCH', 'Codes of the range are active for another batch.');
        covered += Math.min(last, a.last_serial) - Math.max(first, a.first_serial) + 1;
      }
      if (covered < last - first + 1)
        throw new AppError('TRACE_CODE_NOT_ACTIVE', 'Some codes of the range are not active.');
      const voided = await env.repos.traceActions.firstVoidInRange(env.tenantId, job.space_id, first, last);
      if (voided !== undefined)
        throw new AppError(
          'TRACE_CODE_VOIDED',
          `Position ${voided - job.first_serial + 1} of the range was taken out of use.`,
        );
      const space = await loadSpace(env.ctx, job.space_id, env.repos);
      const codes = env.ctx.engines.for(space).codec.encodeBatch(first, last - first + 1);
      // Ranges activated for several batches may be of several products (jobs without a product).
      const sorted = [...activations].sort((a, b) => a.first_serial - b.first_serial);
      for (let i = 0; i < codes.length; i++) {
        const serial = first + i;
        codeRefs.push({ spaceId: job.space_id, serial });
        const a = sorted.find((x) => x.first_serial <= serial && serial <= x.last_serial);
        const batch = a === undefined ? undefined : await ownBatch(env, a.batch_id);
        push(
          codeEpc(
            env.publicUrl,
            codes[i] ?? '',
            batch === undefined ? null : await gtinOf(env, batch.product_id),
          ),
        );
      }
    }
  });
  const quantityList: JsonObject[] = [];
  const batches: BatchRow[] = [];
  await at('batches', async () => {
    for (const b of t.batches ?? []) {
      const batch = await ownBatch(env, b.batchId);
      batches.push(batch);
      quantityList.push(
        quantityElement(
          batchClass(env.publicUrl, batch, await gtinOf(env, batch.product_id)),
          b.quantity,
          b.unit,
        ),
      );
    }
  });
  await at('lots', async () => {
    for (const l of t.lots ?? []) {
      const lot = await env.repos.traceActions.findLot(env.tenantId, l.lotId);
      if (lot === undefined) throw new AppError('TRACE_ACTION_LOT_NOT_FOUND');
      quantityList.push(quantityElement(lot.epc_class, l.quantity, l.unit ?? lot.unit));
    }
  });
  if ((opts.required ?? true) && epcList.length === 0 && quantityList.length === 0)
    throw new AppError('TRACE_ACTION_NO_TARGETS', undefined, [
      { field: 'codes', message: 'name codes, ranges, batches or lots' },
    ]);
  return { epcList, quantityList, batches, codeRefs };
}

/** An EPCIS QuantityElement; the unit goes only with a quantity (pieces when none is given). */
export function quantityElement(
  epcClass: string,
  quantity: number | undefined,
  unit: string | undefined,
): JsonObject {
  if (quantity === undefined) return { epcClass };
  return unit === undefined || unit === 'H87' ? { epcClass, quantity } : { epcClass, quantity, uom: unit };
}
