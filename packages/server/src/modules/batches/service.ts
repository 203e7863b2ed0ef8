import { addDays, isIsoDate } from '@tracemark/core';
import {
  newId,
  type BatchListRow,
  type BatchRow,
  type FileRow,
  type Page,
  type Repositories,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';
import { withUniqueRecheck } from '../../lib/unique-recheck.js';
import { uploadedFileRow, withStoredFile, type Upload } from '../../lib/uploads.js';
import { loadProduct } from '../products/service.js';

/** A batch with its inspection report file. */
export interface BatchView {
  readonly batch: BatchRow & { product_name?: string };
  readonly report: FileRow | undefined;
}

/** Throws TRACE_BATCH_LOT_TAKEN when another batch of the product has this lot. */
async function lotFree(repos: Repositories, tenantId: string, productId: string, lot: string): Promise<void> {
  if ((await repos.batches.findByLot(tenantId, productId, lot)) !== undefined)
    throw new AppError('TRACE_BATCH_LOT_TAKEN');
}

function checkDates(production: string, expiry: string | null | undefined): void {
  if (
    !isIsoDate(production) ||
    (expiry !== undefined && expiry !== null && (!isIsoDate(expiry) || expiry < production))
  ) {
    throw new AppError('TRACE_BATCH_DATES_INVALID');
  }
}

async function view(repos: Repositories, batch: BatchRow & { product_name?: string }): Promise<BatchView> {
  const report =
    batch.inspection_file_id === null
      ? undefined
      : await repos.files.find(batch.tenant_id, batch.inspection_file_id);
  return { batch, report };
}

/** Loads a batch of the caller's enterprise, or 404. */
export async function loadBatch(
  ctx: ServiceContext,
  batchId: string,
  repos: Repositories = reader(ctx),
): Promise<BatchRow> {
  const batch = await repos.batches.find(requireTenant(ctx), batchId);
  if (batch === undefined) throw new AppError('TRACE_BATCH_NOT_FOUND');
  return batch;
}

/** Reads a batch. */
export async function getBatch(ctx: ServiceContext, batchId: string): Promise<BatchView> {
  return view(reader(ctx), await loadBatch(ctx, batchId));
}

/** Lists batches, newest production first; filter by product, status, lot text. */
export async function listBatches(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string; productId?: string; status?: 'active' | 'archived' },
): Promise<Page<BatchView>> {
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx);
  const page = await repos.batches.list(
    tenantId,
    {
      ...(query.productId !== undefined ? { productId: query.productId } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.q !== undefined ? { search: query.q } : {}),
    },
    query,
  );
  return { ...page, items: await Promise.all(page.items.map((b: BatchListRow) => view(repos, b))) };
}

/**
 * Creates a batch of an active product. Without an expiry date, one is derived from the
 * product's shelf life when it has one.
 */
export async function createBatch(
  ctx: ServiceContext,
  input: {
    productId: string;
    lot: string;
    productionDate: string;
    expiryDate?: string | null;
    line?: string | null;
    quantity?: number | null;
  },
): Promise<BatchView> {
  const tenantId = requireTenant(ctx);
  const id = newId();
  const now = Date.now();
  const lot = input.lot.trim();
  return withUniqueRecheck(
    () =>
      inTransaction(ctx, async (repos, audit) => {
        const product = await loadProduct(ctx, input.productId, repos);
        if (product.status === 'archived') throw new AppError('TRACE_PRODUCT_ARCHIVED');
        const expiry =
          input.expiryDate ??
          (product.shelf_life_days !== null && isIsoDate(input.productionDate)
            ? addDays(input.productionDate, product.shelf_life_days)
            : null);
        checkDates(input.productionDate, expiry);
        await lotFree(repos, tenantId, product.id, lot);
        await repos.batches.insert({
          tenant_id: tenantId,
          id,
          product_id: product.id,
          lot,
          production_date: input.productionDate,
          expiry_date: expiry,
          line: input.line?.trim() || null,
          quantity: input.quantity ?? null,
          inspection_file_id: null,
          status: 'active',
          created_at: now,
          updated_at: now,
        });
        await audit({
          tenantId,
          action: 'batch.created',
          targetType: 'batch',
          targetId: id,
          details: { productId: product.id, lot },
        });
        return view(repos, await loadBatch(ctx, id, repos));
      }),
    () => lotFree(reader(ctx), tenantId, input.productId, lot),
  );
}

/** Edits a batch that is not archived. */
export async function updateBatch(
  ctx: ServiceContext,
  batchId: string,
  patch: {
    lot?: string;
    productionDate?: string;
    expiryDate?: string | null;
    line?: string | null;
    quantity?: number | null;
  },
): Promise<BatchView> {
  const tenantId = requireTenant(ctx);
  const lot = patch.lot?.trim();
  const lotFreeFor = async (repos: Repositories, current: BatchRow): Promise<void> => {
    if (lot !== undefined && lot !== current.lot) await lotFree(repos, tenantId, current.product_id, lot);
  };
  return withUniqueRecheck(
    () =>
      inTransaction(ctx, async (repos, audit) => {
        const current = await loadBatch(ctx, batchId, repos);
        if (current.status === 'archived') throw new AppError('TRACE_BATCH_ARCHIVED');
        const production = patch.productionDate ?? current.production_date;
        const expiry = patch.expiryDate === undefined ? current.expiry_date : patch.expiryDate;
        checkDates(production, expiry);
        await lotFreeFor(repos, current);
        await repos.batches.update(tenantId, batchId, {
          ...(lot !== undefined ? { lot } : {}),
          production_date: production,
          expiry_date: expiry,
          ...(patch.line !== undefined ? { line: patch.line?.trim() || null } : {}),
          ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}),
          updated_at: Date.now(),
        });
        await audit({
          tenantId,
          action: 'batch.updated',
          targetType: 'batch',
          targetId: batchId,
          details: { ...patch },
        });
        return view(repos, await loadBatch(ctx, batchId, repos));
      }),
    async () => lotFreeFor(reader(ctx), await loadBatch(ctx, batchId)),
  );
}

/** Archives or restores a batch. */
export async function setBatchArchived(
  ctx: ServiceContext,
  batchId: string,
  archived: boolean,
): Promise<BatchView> {
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    await loadBatch(ctx, batchId, repos);
    await repos.batches.update(tenantId, batchId, {
      status: archived ? 'archived' : 'active',
      updated_at: Date.now(),
    });
    await audit({
      tenantId,
      action: archived ? 'batch.archived' : 'batch.restored',
      targetType: 'batch',
      targetId: batchId,
    });
    return view(repos, await loadBatch(ctx, batchId, repos));
  });
}

/** Attaches (or replaces) a batch's inspection report; the replaced file is deleted. */
export async function setInspectionReport(
  ctx: ServiceContext,
  batchId: string,
  upload: Upload<unknown>,
): Promise<BatchView> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  const { file } = upload;
  const { result, replaced } = await withStoredFile(ctx, tenantId, file.id, () =>
    inTransaction(ctx, async (repos, audit) => {
      const batch = await loadBatch(ctx, batchId, repos);
      if (batch.status === 'archived') throw new AppError('TRACE_BATCH_ARCHIVED');
      await repos.files.insert(uploadedFileRow(tenantId, upload, 'inspection_report', actor.id, Date.now()));
      await repos.batches.update(tenantId, batchId, { inspection_file_id: file.id, updated_at: Date.now() });
      if (batch.inspection_file_id !== null) await repos.files.delete(tenantId, batch.inspection_file_id);
      await audit({
        tenantId,
        action: 'batch.inspection_report_set',
        targetType: 'batch',
        targetId: batchId,
        details: { fileId: file.id, sha256: file.sha256 },
      });
      return {
        result: await view(repos, await loadBatch(ctx, batchId, repos)),
        replaced: batch.inspection_file_id,
      };
    }),
  );
  if (replaced !== null) await ctx.files.remove(tenantId, replaced);
  return result;
}
