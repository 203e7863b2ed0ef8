import type { ReadStream } from 'node:fs';
import { isValidGtin, toGtin14 } from '@tracemark/codes';
import {
  newId,
  type FileRow,
  type Page,
  type ProductRow,
  type ProductSort,
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

/** Product fields as the API takes them. */
export interface ProductInput {
  name?: string;
  brand?: string | null;
  category?: string | null;
  specification?: string | null;
  gtin?: string | null;
  executedStandard?: string | null;
  shelfLifeDays?: number | null;
  description?: string | null;
  shopUrl?: string | null;
}

/** A product with its image ids. */
export interface ProductView {
  readonly product: ProductRow;
  readonly images: readonly string[];
}

function normaliseGtin(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isValidGtin(value)) throw new AppError('TRACE_PRODUCT_GTIN_INVALID');
  return toGtin14(value);
}

async function gtinFree(
  repos: Repositories,
  tenantId: string,
  gtin: string | null | undefined,
  selfId?: string,
): Promise<void> {
  if (gtin === undefined || gtin === null) return;
  const other = await repos.products.findByGtin(tenantId, gtin);
  if (other !== undefined && other.id !== selfId) throw new AppError('TRACE_PRODUCT_GTIN_TAKEN');
}

function columns(input: ProductInput, gtin: string | null | undefined) {
  const text = (v: string | null | undefined) =>
    v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim();
  const row = {
    name: input.name?.trim(),
    brand: text(input.brand),
    category: text(input.category),
    specification: text(input.specification),
    gtin,
    executed_standard: text(input.executedStandard),
    shelf_life_days: input.shelfLifeDays,
    description: text(input.description),
    shop_url: text(input.shopUrl),
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<typeof row>;
}

/** Loads a product of the caller's enterprise, or 404. */
export async function loadProduct(
  ctx: ServiceContext,
  productId: string,
  repos: Repositories = reader(ctx),
): Promise<ProductRow> {
  const product = await repos.products.find(requireTenant(ctx), productId);
  if (product === undefined) throw new AppError('TRACE_PRODUCT_NOT_FOUND');
  return product;
}

/** Reads a product with its images. */
export async function getProduct(ctx: ServiceContext, productId: string): Promise<ProductView> {
  const product = await loadProduct(ctx, productId);
  return { product, images: await reader(ctx).products.listImages(product.tenant_id, product.id) };
}

/** Lists the caller's enterprise's products. */
export async function listProducts(
  ctx: ServiceContext,
  query: {
    page: number;
    pageSize: number;
    q?: string;
    status?: 'active' | 'archived';
    sort?: ProductSort;
    order?: 'asc' | 'desc';
  },
): Promise<Page<ProductView>> {
  const tenantId = requireTenant(ctx);
  const repos = reader(ctx);
  const page = await repos.products.list(
    tenantId,
    {
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.q !== undefined ? { search: query.q } : {}),
    },
    query,
    query.sort ?? 'created_at',
    query.order ?? (query.sort === 'name' ? 'asc' : 'desc'),
  );
  const items = await Promise.all(
    page.items.map(async (product) => ({
      product,
      images: await repos.products.listImages(tenantId, product.id),
    })),
  );
  return { ...page, items };
}

/** Creates a product; a GTIN, when given, must have a valid GS1 check digit and be unique in the enterprise. */
export async function createProduct(
  ctx: ServiceContext,
  input: ProductInput & { name: string },
): Promise<ProductView> {
  const tenantId = requireTenant(ctx);
  const gtin = normaliseGtin(input.gtin) ?? null;
  const id = newId();
  const now = Date.now();
  return withUniqueRecheck(
    () =>
      inTransaction(ctx, async (repos, audit) => {
        await gtinFree(repos, tenantId, gtin);
        const c = columns(input, gtin);
        await repos.products.insert({
          tenant_id: tenantId,
          id,
          name: input.name.trim(),
          brand: c.brand ?? null,
          category: c.category ?? null,
          specification: c.specification ?? null,
          gtin,
          executed_standard: c.executed_standard ?? null,
          shelf_life_days: c.shelf_life_days ?? null,
          description: c.description ?? null,
          shop_url: c.shop_url ?? null,
          status: 'active',
          created_at: now,
          updated_at: now,
        });
        await audit({
          tenantId,
          action: 'product.created',
          targetType: 'product',
          targetId: id,
          details: { name: input.name, gtin },
        });
        return { product: await loadProduct(ctx, id, repos), images: [] };
      }),
    () => gtinFree(reader(ctx), tenantId, gtin),
  );
}

/** Edits a product (archived products must be restored first). */
export async function updateProduct(
  ctx: ServiceContext,
  productId: string,
  input: ProductInput,
): Promise<ProductView> {
  const tenantId = requireTenant(ctx);
  const gtin = normaliseGtin(input.gtin);
  return withUniqueRecheck(
    () =>
      inTransaction(ctx, async (repos, audit) => {
        const current = await loadProduct(ctx, productId, repos);
        if (current.status === 'archived') throw new AppError('TRACE_PRODUCT_ARCHIVED');
        await gtinFree(repos, tenantId, gtin, productId);
        await repos.products.update(tenantId, productId, { ...columns(input, gtin), updated_at: Date.now() });
        await audit({
          tenantId,
          action: 'product.updated',
          targetType: 'product',
          targetId: productId,
          details: { ...input },
        });
        return {
          product: await loadProduct(ctx, productId, repos),
          images: await repos.products.listImages(tenantId, productId),
        };
      }),
    () => gtinFree(reader(ctx), tenantId, gtin, productId),
  );
}

/** Archives a product (hidden from default lists, kept for traceability) or restores it. */
export async function setProductArchived(
  ctx: ServiceContext,
  productId: string,
  archived: boolean,
): Promise<ProductView> {
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    await loadProduct(ctx, productId, repos);
    await repos.products.update(tenantId, productId, {
      status: archived ? 'archived' : 'active',
      updated_at: Date.now(),
    });
    await audit({
      tenantId,
      action: archived ? 'product.archived' : 'product.restored',
      targetType: 'product',
      targetId: productId,
    });
    return {
      product: await loadProduct(ctx, productId, repos),
      images: await repos.products.listImages(tenantId, productId),
    };
  });
}

/** Adds an uploaded image (JPEG or PNG) to a product. */
export async function addProductImage(
  ctx: ServiceContext,
  productId: string,
  upload: Upload<unknown>,
): Promise<ProductView> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  const { file } = upload;
  return withStoredFile(ctx, tenantId, file.id, () =>
    inTransaction(ctx, async (repos, audit) => {
      const product = await loadProduct(ctx, productId, repos);
      if (product.status === 'archived') throw new AppError('TRACE_PRODUCT_ARCHIVED');
      if (file.mediaType === 'application/pdf')
        throw new AppError('TRACE_FILE_TYPE', 'Product images must be JPEG or PNG.');
      await repos.files.insert(uploadedFileRow(tenantId, upload, 'product_image', actor.id, Date.now()));
      await repos.products.addImage(tenantId, productId, file.id);
      await audit({
        tenantId,
        action: 'product.image_added',
        targetType: 'product',
        targetId: productId,
        details: { fileId: file.id },
      });
      return { product, images: await repos.products.listImages(tenantId, productId) };
    }),
  );
}

/** Removes an image from a product and deletes its file. */
export async function removeProductImage(
  ctx: ServiceContext,
  productId: string,
  fileId: string,
): Promise<ProductView> {
  const tenantId = requireTenant(ctx);
  const view = await inTransaction(ctx, async (repos, audit) => {
    const product = await loadProduct(ctx, productId, repos);
    if (!(await repos.products.removeImage(tenantId, productId, fileId)))
      throw new AppError('TRACE_PRODUCT_IMAGE_NOT_FOUND');
    await repos.files.delete(tenantId, fileId);
    await audit({
      tenantId,
      action: 'product.image_removed',
      targetType: 'product',
      targetId: productId,
      details: { fileId },
    });
    return { product, images: await repos.products.listImages(tenantId, productId) };
  });
  await ctx.files.remove(tenantId, fileId);
  return view;
}

/** Opens one of the caller's enterprise's files (product images, inspection reports) for download. */
export async function openFile(
  ctx: ServiceContext,
  fileId: string,
): Promise<{ stream: ReadStream; file: FileRow }> {
  const tenantId = requireTenant(ctx);
  const file = await reader(ctx).files.find(tenantId, fileId);
  const stream = file === undefined ? undefined : await ctx.files.open(tenantId, fileId);
  if (file === undefined || stream === undefined) throw new AppError('TRACE_FILE_NOT_FOUND');
  return { stream, file };
}
