import { randomBytes } from 'node:crypto';
import { CODE_LAYOUTS, parseCode, type CodeLength } from '@tracemark/codes';
import {
  newId,
  type CodeActivationRow,
  type CodeJobRow,
  type CodeRef,
  type CodeSpaceRow,
  type CodeVoidRow,
  type Page,
  type PackingLevel,
  type Repositories,
} from '@tracemark/db';
import { AppError, type ErrorCode, type ErrorDetail } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type AuditEntry,
  type ServiceContext,
} from '../../lib/context.js';
import { spaceKeyBytes, spaceKeyContext, type SpaceEngine } from './code-engine.js';
import {
  activationEvent,
  packingEvent,
  replacementEvent,
  storeCodeEvents,
  type CodeIdentity,
} from './code-events.js';

/** The most codes one job may issue. */
export const maxJobCount = 100_000_000;
/** The most codes one request may list, activate by list, or pack. */
export const maxCodesPerRequest = 10_000;
/** The most bad codes one refused activation by list names in its details. */
export const maxRowProblems = 200;

const levelRank: Readonly<Record<PackingLevel, number>> = { item: 0, box: 1, case: 2, pallet: 3 };

async function requireApproved(ctx: ServiceContext, repos: Repositories): Promise<string> {
  const tenantId = requireTenant(ctx);
  const enterprise = await repos.enterprises.findById(tenantId);
  if (enterprise?.status !== 'approved') throw new AppError('TRACE_ENTERPRISE_NOT_APPROVED');
  return tenantId;
}

/** Loads one of the caller's spaces, or 404. */
export async function loadSpace(
  ctx: ServiceContext,
  spaceId: string,
  repos: Repositories = reader(ctx),
): Promise<CodeSpaceRow> {
  const space = await repos.codes.findSpace(requireTenant(ctx), spaceId);
  if (space === undefined) throw new AppError('TRACE_CODE_SPACE_NOT_FOUND');
  return space;
}

/** Loads one of the caller's jobs, or 404. */
export async function loadJob(
  ctx: ServiceContext,
  jobId: string,
  repos: Repositories = reader(ctx),
): Promise<CodeJobRow> {
  const job = await repos.codes.findJob(requireTenant(ctx), jobId);
  if (job === undefined) throw new AppError('TRACE_CODE_JOB_NOT_FOUND');
  return job;
}

/**
 * Creates a code space of 15, 17 or 21 digits for the caller's (approved) enterprise: the next
 * free prefix of that length, and a fresh random key sealed under the master key.
 */
export async function createSpace(
  ctx: ServiceContext,
  input: { name: string; length: CodeLength },
): Promise<CodeSpaceRow> {
  const actor = requireActor(ctx);
  const layout = CODE_LAYOUTS[input.length];
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await inTransaction(ctx, async (repos, audit) => {
        const tenantId = await requireApproved(ctx, repos);
        const max = await repos.codes.maxPrefix(layout.length);
        // Prefixes start at 10…0 so no code begins with 0 (spreadsheets drop leading zeros).
        const next = max === undefined ? 10 ** (layout.prefixDigits - 1) : Number(max) + 1;
        if (next >= layout.spaces) throw new AppError('TRACE_CODE_PREFIXES_EXHAUSTED');
        const id = newId();
        const sealed = ctx.vault.seal(randomBytes(spaceKeyBytes), spaceKeyContext(tenantId, id));
        await repos.codes.insertSpace({
          tenant_id: tenantId,
          id,
          name: input.name.trim(),
          code_length: layout.length,
          prefix: String(next),
          capacity: layout.capacity,
          next_serial: 0,
          wrapped_key: sealed.sealed,
          master_key_id: sealed.masterKeyId,
          status: 'active',
          created_by: actor.id,
          created_at: Date.now(),
        });
        await audit({
          tenantId,
          action: 'code_space.created',
          targetType: 'code_space',
          targetId: id,
          details: { length: layout.length, prefix: String(next) },
        });
        return loadSpace(ctx, id, repos);
      });
    } catch (error) {
      // Two enterprises taking the same next prefix at once: one wins, the other retries.
      if (error instanceof AppError || attempt === 4) throw error;
    }
  }
  throw new AppError('TRACE_CODE_PREFIXES_EXHAUSTED');
}

/** Facts about a space for its owner. */
export interface SpaceStats {
  readonly issued: number;
  readonly activated: number;
}

/** The caller's spaces with how many codes are issued and active. */
export async function listSpaces(
  ctx: ServiceContext,
): Promise<Array<{ space: CodeSpaceRow; stats: SpaceStats }>> {
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx);
  const spaces = await repos.codes.listSpaces(tenantId);
  const activated = await repos.codes.activatedCounts(
    tenantId,
    'space_id',
    spaces.map((s) => s.id),
  );
  return spaces.map((space) => ({
    space,
    stats: { issued: space.next_serial, activated: activated.get(space.id) ?? 0 },
  }));
}

/** One space with its figures. */
export async function getSpace(
  ctx: ServiceContext,
  spaceId: string,
): Promise<{ space: CodeSpaceRow; stats: SpaceStats }> {
  const space = await loadSpace(ctx, spaceId);
  return {
    space,
    stats: {
      issued: space.next_serial,
      activated: await reader(ctx).codes.countActivated(space.tenant_id, { spaceId }),
    },
  };
}

/**
 * Issues `count` codes: reserves the next serials of the space. Codes are not stored — a job
 * is one row however large — and they stay inactive until activated for a batch.
 */
export async function createJob(
  ctx: ServiceContext,
  input: {
    spaceId: string;
    productId?: string;
    count: number;
    packingLevel: PackingLevel;
    withPin: boolean;
    note?: string;
  },
): Promise<CodeJobRow> {
  const actor = requireActor(ctx);
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > maxJobCount)
    throw new AppError('TRACE_CODE_COUNT_RANGE');
  for (let attempt = 0; attempt < 10; attempt++) {
    const job = await inTransaction(ctx, async (repos, audit) => {
      const tenantId = await requireApproved(ctx, repos);
      const space = await loadSpace(ctx, input.spaceId, repos);
      if (space.status !== 'active') throw new AppError('TRACE_CODE_SPACE_RETIRED');
      if (input.productId !== undefined) {
        const product = await repos.products.find(tenantId, input.productId);
        if (product === undefined) throw new AppError('TRACE_PRODUCT_NOT_FOUND');
        if (product.status === 'archived') throw new AppError('TRACE_PRODUCT_ARCHIVED');
      }
      if (space.next_serial + input.count > space.capacity) throw new AppError('TRACE_CODE_SPACE_FULL');
      if (!(await repos.codes.reserveSerials(tenantId, space.id, space.next_serial, input.count)))
        return undefined;
      const id = newId();
      await repos.codes.insertJob({
        tenant_id: tenantId,
        id,
        space_id: space.id,
        product_id: input.productId ?? null,
        packing_level: input.packingLevel,
        first_serial: space.next_serial,
        count: input.count,
        with_pin: input.withPin ? 1 : 0,
        note: input.note?.trim() || null,
        created_by: actor.id,
        created_at: Date.now(),
      });
      await audit({
        tenantId,
        action: 'code_job.created',
        targetType: 'code_job',
        targetId: id,
        details: {
          spaceId: space.id,
          count: input.count,
          firstSerial: space.next_serial,
          packingLevel: input.packingLevel,
          withPin: input.withPin,
        },
      });
      return loadJob(ctx, id, repos);
    });
    if (job !== undefined) return job;
  }
  throw new AppError('TRACE_CODE_SPACE_FULL', 'The code space is busy; try again.');
}

/** Lists the caller's jobs. */
export async function listJobs(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; spaceId?: string; productId?: string },
): Promise<Page<{ job: CodeJobRow; activated: number }>> {
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx);
  const page = await repos.codes.listJobs(
    tenantId,
    {
      ...(query.spaceId !== undefined ? { spaceId: query.spaceId } : {}),
      ...(query.productId !== undefined ? { productId: query.productId } : {}),
    },
    query,
  );
  const activated = await repos.codes.activatedCounts(
    tenantId,
    'job_id',
    page.items.map((j) => j.id),
  );
  return { ...page, items: page.items.map((job) => ({ job, activated: activated.get(job.id) ?? 0 })) };
}

/** A job with how many of its codes are active. */
export async function getJob(
  ctx: ServiceContext,
  jobId: string,
): Promise<{ job: CodeJobRow; activated: number }> {
  const job = await loadJob(ctx, jobId);
  return { job, activated: await reader(ctx).codes.countActivated(job.tenant_id, { jobId }) };
}

/** The GTIN of a job's product, if it has both; it decides the QR's URL form. */
export async function gtinOfJob(ctx: ServiceContext, job: CodeJobRow): Promise<string | null> {
  if (job.product_id === null) return null;
  return (await reader(ctx).products.find(job.tenant_id, job.product_id))?.gtin ?? null;
}

/** The engine of a job's space. */
export async function engineOfJob(ctx: ServiceContext, job: CodeJobRow): Promise<SpaceEngine> {
  return ctx.engines.for(await loadSpace(ctx, job.space_id));
}

/**
 * Codes of a job by position (0-based offset), with PINs when the job has them. For previews
 * and small pulls; files for printers come from exports.
 */
export async function jobCodes(
  ctx: ServiceContext,
  jobId: string,
  offset: number,
  count: number,
): Promise<Array<{ position: number; code: string; pin?: string }>> {
  const job = await loadJob(ctx, jobId);
  if (count > maxCodesPerRequest) throw new AppError('TRACE_CODE_TOO_MANY');
  const n = Math.max(0, Math.min(count, job.count - offset));
  if (n === 0) return [];
  const engine = await engineOfJob(ctx, job);
  const first = job.first_serial + offset;
  const codes = engine.codec.encodeBatch(first, n);
  const pins = job.with_pin === 1 ? engine.pins.pinBatch(first, n) : undefined;
  return codes.map((code, i) => ({
    position: offset + i + 1,
    code,
    ...(pins !== undefined ? { pin: pins[i] ?? '' } : {}),
  }));
}

/** What is known about one code of the caller's enterprise. */
export interface CodeFacts {
  readonly code: string;
  readonly ref: CodeRef;
  readonly space: CodeSpaceRow;
  readonly job: CodeJobRow;
  readonly activation: CodeActivationRow | undefined;
  readonly voided: CodeVoidRow | undefined;
  readonly parent: CodeRef | undefined;
}

/** Resolves a code typed or scanned by the caller: well-formed, of one of their spaces, issued. */
export async function resolveOwnCode(
  ctx: ServiceContext,
  rawCode: string,
  repos: Repositories = reader(ctx),
): Promise<CodeFacts> {
  const tenantId = requireTenant(ctx);
  const code = rawCode.replace(/[\s-]/g, '');
  const parsed = parseCode(code);
  if (parsed.type === 'error')
    throw new AppError('TRACE_CODE_INVALID', `${parsed.message} (${code.slice(0, 30)})`);
  const space = await repos.codes.findSpaceByPrefix(parsed.layout.length, parsed.prefix);
  if (space?.tenant_id !== tenantId)
    throw new AppError('TRACE_CODE_NOT_FOUND', `No such code among yours: ${code}.`);
  const decoded = ctx.engines.for(space).codec.decode(code);
  if (decoded.type === 'error') throw new AppError('TRACE_CODE_INVALID', decoded.message);
  const ref = { spaceId: space.id, serial: decoded.serial };
  const job = await repos.codes.findJobOfSerial(tenantId, space.id, decoded.serial);
  if (job === undefined) throw new AppError('TRACE_CODE_NOT_FOUND', `The code ${code} was never issued.`);
  const [activation, voided, parent] = await Promise.all([
    repos.codes.findActivation(tenantId, space.id, decoded.serial),
    repos.codes.findVoid(tenantId, ref),
    repos.codes.findParent(tenantId, ref),
  ]);
  return { code, ref, space, job, activation, voided, parent };
}

/** How to name the codes to activate. */
export type ActivationTarget =
  | { readonly type: 'job'; readonly jobId: string }
  | { readonly type: 'range'; readonly jobId: string; readonly from: number; readonly to: number }
  | { readonly type: 'codes'; readonly codes: readonly string[] };

/** The result of an activation. */
export interface ActivationResult {
  readonly activated: number;
  readonly ranges: number;
}

/**
 * Activates codes for a batch: a whole job, positions `from..to` of a job (1-based, as printed
 * in export files), or a list of scanned codes. All-or-nothing: if any code is already active,
 * voided or not the caller's, nothing changes.
 */
export async function activate(
  ctx: ServiceContext,
  batchId: string,
  target: ActivationTarget,
): Promise<ActivationResult> {
  const actor = requireActor(ctx);
  if (target.type === 'codes' && (target.codes.length === 0 || target.codes.length > maxCodesPerRequest))
    throw new AppError('TRACE_CODE_TOO_MANY');
  return inTransaction(ctx, async (repos, audit) => {
    const tenantId = await requireApproved(ctx, repos);
    const batch = await repos.batches.find(tenantId, batchId);
    if (batch === undefined) throw new AppError('TRACE_BATCH_NOT_FOUND');
    if (batch.status === 'archived') throw new AppError('TRACE_BATCH_ARCHIVED');
    const ranges = await rangesOf(ctx, repos, target, batch.product_id);
    // In a fixed order, so two requests over the same spaces cannot deadlock.
    for (const spaceId of [...new Set(ranges.map((r) => r.job.space_id))].sort())
      await repos.codes.lockSpace(tenantId, spaceId);
    const now = Date.now();
    let total = 0;
    const product = await repos.products.find(tenantId, batch.product_id);
    const events = [];
    for (const r of ranges) {
      if (r.job.product_id !== null && r.job.product_id !== batch.product_id)
        throw new AppError('TRACE_CODE_PRODUCT_MISMATCH');
      if ((await repos.codes.overlappingActivations(tenantId, r.job.space_id, r.first, r.last)).length > 0)
        throw new AppError('TRACE_CODE_ALREADY_ACTIVE');
      await repos.codes.insertActivation({
        tenant_id: tenantId,
        id: newId(),
        space_id: r.job.space_id,
        first_serial: r.first,
        last_serial: r.last,
        batch_id: batch.id,
        job_id: r.job.id,
        activated_by: actor.id,
        activated_at: now,
      });
      total += r.last - r.first + 1;
      const space = await repos.codes.findSpace(tenantId, r.job.space_id);
      if (space !== undefined) {
        const codec = ctx.engines.for(space).codec;
        events.push(
          activationEvent(
            ctx,
            { id: batch.id, lot: batch.lot, gtin: product?.gtin ?? null },
            {
              spaceId: space.id,
              first: r.first,
              last: r.last,
              firstCode: codec.encode(r.first),
              lastCode: codec.encode(r.last),
            },
            now,
          ),
        );
      }
    }
    await storeCodeEvents(ctx, repos, tenantId, events, now);
    const entry: AuditEntry = {
      tenantId,
      action: 'codes.activated',
      targetType: 'batch',
      targetId: batch.id,
      details: {
        target: target.type === 'codes' ? { type: 'codes', count: target.codes.length } : target,
        codes: total,
        ranges: ranges.length,
      },
    };
    await audit(entry);
    return { activated: total, ranges: ranges.length };
  });
}

interface SerialRange {
  readonly job: CodeJobRow;
  readonly first: number;
  readonly last: number;
}

async function rangesOf(
  ctx: ServiceContext,
  repos: Repositories,
  target: ActivationTarget,
  productId: string,
): Promise<SerialRange[]> {
  if (target.type === 'job' || target.type === 'range') {
    const job = await loadJob(ctx, target.jobId, repos);
    if (target.type === 'job')
      return [{ job, first: job.first_serial, last: job.first_serial + job.count - 1 }];
    if (target.from < 1 || target.to < target.from || target.to > job.count)
      throw new AppError('TRACE_CODE_RANGE_INVALID');
    return [{ job, first: job.first_serial + target.from - 1, last: job.first_serial + target.to - 1 }];
  }
  // A list of codes: check every one, so the caller learns of all bad rows at once (details name
  // each: `body.codes.{i}`, its row and its code); then merge consecutive serials into ranges.
  const facts: CodeFacts[] = [];
  const problems: ErrorDetail[] = [];
  for (const [i, raw] of target.codes.entries()) {
    try {
      const f = await resolveOwnCode(ctx, raw, repos);
      if (f.voided !== undefined)
        throw new AppError('TRACE_CODE_VOIDED', `The code ${f.code} was taken out of use.`);
      if (f.activation !== undefined)
        throw new AppError('TRACE_CODE_ALREADY_ACTIVE', `The code ${f.code} is already active.`);
      if (f.job.product_id !== null && f.job.product_id !== productId)
        throw new AppError('TRACE_CODE_PRODUCT_MISMATCH', `The code ${f.code} is of another product.`);
      facts.push(f);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (problems.length < maxRowProblems)
        problems.push({ field: `body.codes.${i}`, row: i + 1, code: error.code, message: error.message });
      else break;
    }
  }
  const [first] = problems;
  if (first !== undefined) {
    throw new AppError(
      first.code as ErrorCode,
      problems.length === 1
        ? first.message
        : `${problems.length}${problems.length === maxRowProblems ? '+' : ''} of the codes cannot be activated, so none was; details list each.`,
      problems,
    );
  }
  facts.sort((a, b) => (a.job.id === b.job.id ? a.ref.serial - b.ref.serial : a.job.id < b.job.id ? -1 : 1));
  const ranges: SerialRange[] = [];
  for (const f of facts) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.job.id === f.job.id && f.ref.serial <= last.last + 1) {
      ranges[ranges.length - 1] = { ...last, last: Math.max(last.last, f.ref.serial) };
    } else {
      ranges.push({ job: f.job, first: f.ref.serial, last: f.ref.serial });
    }
  }
  return ranges;
}

/** A lookup of codes' identities in events (the GTIN of each job's product, read once). */
function identities(
  repos: Repositories,
  tenantId: string,
): (c: { code: string; job: CodeJobRow }) => Promise<CodeIdentity> {
  const gtins = new Map<string, string | null>();
  return async (c) => {
    const productId = c.job.product_id;
    if (productId === null) return { code: c.code, gtin: null };
    let gtin = gtins.get(productId);
    if (gtin === undefined) {
      gtin = (await repos.products.find(tenantId, productId))?.gtin ?? null;
      gtins.set(productId, gtin);
    }
    return { code: c.code, gtin };
  };
}

/** The identity of a code known by its space and serial (undefined if it is not issued). */
async function identityOfRef(
  ctx: ServiceContext,
  repos: Repositories,
  tenantId: string,
  ref: CodeRef,
  identity: (c: { code: string; job: CodeJobRow }) => Promise<CodeIdentity>,
): Promise<CodeIdentity | undefined> {
  const space = await repos.codes.findSpace(tenantId, ref.spaceId);
  const job = await repos.codes.findJobOfSerial(tenantId, ref.spaceId, ref.serial);
  if (space === undefined || job === undefined) return undefined;
  return identity({ code: ctx.engines.for(space).codec.encode(ref.serial), job });
}

function usable(facts: CodeFacts): void {
  if (facts.voided !== undefined)
    throw new AppError('TRACE_CODE_VOIDED', `The code ${facts.code} was taken out of use.`);
  if (facts.activation === undefined)
    throw new AppError('TRACE_CODE_NOT_ACTIVE', `The code ${facts.code} is not active.`);
}

const sameRef = (a: CodeRef, b: CodeRef) => a.spaceId === b.spaceId && a.serial === b.serial;

/** A code activated for a batch other than by range (pack, replace) obeys the same product rule as activation. */
async function requireProductOfBatch(
  repos: Repositories,
  tenantId: string,
  job: CodeJobRow,
  batchId: string,
): Promise<void> {
  if (job.product_id === null) return;
  const batch = await repos.batches.find(tenantId, batchId);
  if (batch?.product_id !== job.product_id) throw new AppError('TRACE_CODE_PRODUCT_MISMATCH');
}

/**
 * Packs child codes into a parent code (母子码: item → box → case → pallet). Children must be
 * active and of a lower packing level. An inactive parent is activated for the children's batch
 * (when they share one). A child already in another parent moves. Cycles are refused.
 */
export async function pack(
  ctx: ServiceContext,
  parentCode: string,
  childCodes: readonly string[],
): Promise<{ parent: string; packed: number }> {
  const actor = requireActor(ctx);
  if (childCodes.length === 0 || childCodes.length > maxCodesPerRequest)
    throw new AppError('TRACE_CODE_TOO_MANY');
  return inTransaction(ctx, async (repos, audit) => {
    const tenantId = await requireApproved(ctx, repos);
    const parent = await resolveOwnCode(ctx, parentCode, repos);
    if (parent.voided !== undefined) throw new AppError('TRACE_CODE_VOIDED');
    const children: CodeFacts[] = [];
    for (const raw of childCodes) {
      const child = await resolveOwnCode(ctx, raw, repos);
      usable(child);
      if (levelRank[child.job.packing_level] >= levelRank[parent.job.packing_level])
        throw new AppError('TRACE_CODE_PACKING_LEVEL');
      if (sameRef(child.ref, parent.ref)) throw new AppError('TRACE_CODE_PACK_CYCLE');
      children.push(child);
    }
    // A child must not be the parent's own container, at any depth.
    for (let up = parent.parent, depth = 0; up !== undefined && depth < 16; depth++) {
      if (children.some((c) => sameRef(c.ref, up as CodeRef))) throw new AppError('TRACE_CODE_PACK_CYCLE');
      up = await repos.codes.findParent(tenantId, up);
    }
    const now = Date.now();
    // Packs into one inactive parent take turns, so only the first of them activates it.
    if (parent.activation === undefined) await repos.codes.lockSpace(tenantId, parent.ref.spaceId);
    if (
      parent.activation === undefined &&
      (await repos.codes.findActivation(tenantId, parent.ref.spaceId, parent.ref.serial)) === undefined
    ) {
      const batches = new Set(children.map((c) => c.activation?.batch_id));
      const [batchId] = [...batches];
      if (batches.size !== 1 || batchId === undefined) throw new AppError('TRACE_CODE_MIXED_BATCHES');
      await requireProductOfBatch(repos, tenantId, parent.job, batchId);
      await repos.codes.insertActivation({
        tenant_id: tenantId,
        id: newId(),
        space_id: parent.ref.spaceId,
        first_serial: parent.ref.serial,
        last_serial: parent.ref.serial,
        batch_id: batchId,
        job_id: parent.job.id,
        activated_by: actor.id,
        activated_at: now,
      });
    }
    for (const child of children) await repos.codes.setParent(tenantId, child.ref, parent.ref, actor.id, now);
    const identity = identities(repos, tenantId);
    await storeCodeEvents(
      ctx,
      repos,
      tenantId,
      [
        packingEvent(
          ctx,
          'ADD',
          await identity(parent),
          await Promise.all(children.map((c) => identity(c))),
          now,
        ),
      ],
      now,
    );
    await audit({
      tenantId,
      action: 'codes.packed',
      targetType: 'code',
      targetId: parent.code,
      details: { children: children.map((c) => c.code) },
    });
    return { parent: parent.code, packed: children.length };
  });
}

/** Takes children out of a parent: the listed ones, or all of them. */
export async function unpack(
  ctx: ServiceContext,
  parentCode: string,
  childCodes?: readonly string[],
): Promise<{ parent: string; unpacked: number }> {
  if (childCodes !== undefined && childCodes.length > maxCodesPerRequest)
    throw new AppError('TRACE_CODE_TOO_MANY');
  return inTransaction(ctx, async (repos, audit) => {
    const tenantId = await requireApproved(ctx, repos);
    const parent = await resolveOwnCode(ctx, parentCode, repos);
    const refs: CodeRef[] = [];
    if (childCodes === undefined) refs.push(...(await repos.codes.listChildren(tenantId, parent.ref)));
    else {
      for (const raw of childCodes) {
        const child = await resolveOwnCode(ctx, raw, repos);
        if (child.parent === undefined || !sameRef(child.parent, parent.ref))
          throw new AppError('TRACE_CODE_NOT_PACKED', `The code ${child.code} is not in ${parent.code}.`);
        refs.push(child.ref);
      }
    }
    for (const ref of refs) await repos.codes.removeParent(tenantId, ref);
    if (refs.length > 0) {
      const now = Date.now();
      const identity = identities(repos, tenantId);
      const children: CodeIdentity[] = [];
      for (const ref of refs) {
        const space =
          ref.spaceId === parent.space.id ? parent.space : await repos.codes.findSpace(tenantId, ref.spaceId);
        if (space === undefined) continue;
        const job = await repos.codes.findJobOfSerial(tenantId, ref.spaceId, ref.serial);
        if (job === undefined) continue;
        children.push(await identity({ code: ctx.engines.for(space).codec.encode(ref.serial), job }));
      }
      await storeCodeEvents(
        ctx,
        repos,
        tenantId,
        [packingEvent(ctx, 'DELETE', await identity(parent), children, now)],
        now,
      );
    }
    await audit({
      tenantId,
      action: 'codes.unpacked',
      targetType: 'code',
      targetId: parent.code,
      details: { count: refs.length },
    });
    return { parent: parent.code, unpacked: refs.length };
  });
}

/**
 * Replaces a damaged label: the new code (issued, not yet active, same packing level) takes the
 * old one's batch, parent and contents; the old code is voided and points to its replacement.
 */
export async function replace(
  ctx: ServiceContext,
  oldCode: string,
  newCode: string,
  reason = 'replaced' as const,
): Promise<{ old: string; new: string }> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const tenantId = await requireApproved(ctx, repos);
    // Lock both spaces (in a fixed order), then read both codes again: of two replacements of one
    // label, or by one new code, at the same time, the second sees what the first did.
    const spaces = [
      (await resolveOwnCode(ctx, oldCode, repos)).ref.spaceId,
      (await resolveOwnCode(ctx, newCode, repos)).ref.spaceId,
    ];
    for (const spaceId of [...new Set(spaces)].sort()) await repos.codes.lockSpace(tenantId, spaceId);
    const old = await resolveOwnCode(ctx, oldCode, repos);
    const fresh = await resolveOwnCode(ctx, newCode, repos);
    usable(old);
    if (sameRef(old.ref, fresh.ref))
      throw new AppError('TRACE_CODE_RANGE_INVALID', 'The new code is the old code.');
    if (fresh.voided !== undefined) throw new AppError('TRACE_CODE_VOIDED');
    if (fresh.activation !== undefined) throw new AppError('TRACE_CODE_ALREADY_ACTIVE');
    if (fresh.job.packing_level !== old.job.packing_level)
      throw new AppError(
        'TRACE_CODE_PACKING_LEVEL',
        'The new code must be of the same packing level as the old one.',
      );
    const batchId = old.activation?.batch_id;
    if (batchId === undefined) throw new AppError('TRACE_CODE_NOT_ACTIVE');
    await requireProductOfBatch(repos, tenantId, fresh.job, batchId);
    const now = Date.now();
    await repos.codes.insertActivation({
      tenant_id: tenantId,
      id: newId(),
      space_id: fresh.ref.spaceId,
      first_serial: fresh.ref.serial,
      last_serial: fresh.ref.serial,
      batch_id: batchId,
      job_id: fresh.job.id,
      activated_by: actor.id,
      activated_at: now,
    });
    const contents = await repos.codes.listChildren(tenantId, old.ref);
    if (old.parent !== undefined) {
      await repos.codes.setParent(tenantId, fresh.ref, old.parent, actor.id, now);
      await repos.codes.removeParent(tenantId, old.ref);
    }
    await repos.codes.moveChildren(tenantId, old.ref, fresh.ref);
    // The same story in the event store, so trace sees the new label where the old one was.
    const identity = identities(repos, tenantId);
    const oldId = await identity(old);
    const freshId = await identity(fresh);
    const batch = await repos.batches.find(tenantId, batchId);
    const product = batch === undefined ? undefined : await repos.products.find(tenantId, batch.product_id);
    const events = [
      replacementEvent(
        ctx,
        { id: batchId, lot: batch?.lot ?? '', gtin: product?.gtin ?? null },
        oldId,
        freshId,
        now,
      ),
    ];
    if (old.parent !== undefined) {
      const parentId = await identityOfRef(ctx, repos, tenantId, old.parent, identity);
      if (parentId !== undefined) {
        events.push(packingEvent(ctx, 'DELETE', parentId, [oldId], now));
        events.push(packingEvent(ctx, 'ADD', parentId, [freshId], now));
      }
    }
    const moved: CodeIdentity[] = [];
    for (const ref of contents) {
      const c = await identityOfRef(ctx, repos, tenantId, ref, identity);
      if (c !== undefined) moved.push(c);
    }
    if (moved.length > 0) {
      events.push(packingEvent(ctx, 'DELETE', oldId, moved, now));
      events.push(packingEvent(ctx, 'ADD', freshId, moved, now));
    }
    await storeCodeEvents(ctx, repos, tenantId, events, now);
    await repos.codes.insertVoid({
      tenant_id: tenantId,
      space_id: old.ref.spaceId,
      serial: old.ref.serial,
      reason,
      replaced_by_space_id: fresh.ref.spaceId,
      replaced_by_serial: fresh.ref.serial,
      voided_by: actor.id,
      voided_at: now,
    });
    await audit({
      tenantId,
      action: 'codes.replaced',
      targetType: 'code',
      targetId: old.code,
      details: { replacedBy: fresh.code },
    });
    return { old: old.code, new: fresh.code };
  });
}

/** The status of a code as its owner sees it. */
export type CodeStatus = 'issued' | 'active' | 'voided';

/** Everything about one of the caller's codes: space, serial, job, batch, parent, children. */
export async function inspectCode(ctx: ServiceContext, rawCode: string) {
  const facts = await resolveOwnCode(ctx, rawCode);
  const repos = reader(ctx);
  const children = await repos.codes.listChildren(facts.space.tenant_id, facts.ref);
  const codeOf = async (ref: CodeRef): Promise<string> => {
    const space = ref.spaceId === facts.space.id ? facts.space : await loadSpace(ctx, ref.spaceId, repos);
    return ctx.engines.for(space).codec.encode(ref.serial);
  };
  const status: CodeStatus =
    facts.voided !== undefined ? 'voided' : facts.activation !== undefined ? 'active' : 'issued';
  return {
    facts,
    status,
    position: facts.ref.serial - facts.job.first_serial + 1,
    parentCode: facts.parent === undefined ? null : await codeOf(facts.parent),
    childCodes: await Promise.all(children.slice(0, 1000).map(codeOf)),
    childCount: children.length,
    replacedBy:
      facts.voided?.replaced_by_space_id != null && facts.voided.replaced_by_serial !== null
        ? await codeOf({
            spaceId: facts.voided.replaced_by_space_id,
            serial: facts.voided.replaced_by_serial,
          })
        : null,
    gtin: await gtinOfJob(ctx, facts.job),
  };
}
