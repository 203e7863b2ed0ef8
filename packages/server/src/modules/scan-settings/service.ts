import type { Repositories, ScanSettingsRow } from '@tracemark/db';
import { AppError } from '../../errors.js';
import {
  inTransaction,
  reader,
  requireActor,
  requireTenant,
  type ServiceContext,
} from '../../lib/context.js';
import { uploadedFileRow, withStoredFile, type Upload } from '../../lib/uploads.js';
import { loadProduct } from '../products/service.js';
import type { ScanLink } from '../scan/view-model.js';

// How `scan_settings` rows read, for both scopes ('*' for the enterprise, a product id for an
// override): a null column inherits (the product from the enterprise, the enterprise from the
// defaults below); `query_limit` 0 is "no limit" and a text of '' is "no text", so each level can
// also switch a setting off rather than only inherit it.

/** The per-code query limit when an enterprise has set none: ten queries, a common default. */
export const DEFAULT_QUERY_LIMIT = 10;

/** The scan-page settings in force for one product (or the enterprise), defaults filled in. */
export interface EffectiveScanSettings {
  /** Queries of one code before its verdict turns to a warning; null: no limit. */
  readonly queryLimit: number | null;
  readonly warningText: string | null;
  readonly promptText: string | null;
  /** A public image (purpose `product_image`) shown instead of the product's own. */
  readonly imageFileId: string | null;
  readonly antiCounterfeitPopup: boolean;
  readonly links: readonly ScanLink[];
}

/** The settings of an enterprise with no row at all. */
export const DEFAULT_SCAN_SETTINGS: EffectiveScanSettings = Object.freeze({
  queryLimit: DEFAULT_QUERY_LIMIT,
  warningText: null,
  promptText: null,
  imageFileId: null,
  antiCounterfeitPopup: true,
  links: Object.freeze([]),
});

// Scan pages call effectiveScanSettings() on every query with cached rows: parse each row's links once.
const parsedLinks = new WeakMap<ScanSettingsRow, readonly ScanLink[]>();

/** The links a settings row sets (parsed once per row object); [] when it sets none. */
export function scanLinksOf(row: ScanSettingsRow): readonly ScanLink[] {
  let links = parsedLinks.get(row);
  if (links === undefined) {
    links = Object.freeze(parseLinks(row.links ?? '[]'));
    parsedLinks.set(row, links);
  }
  return links;
}

function parseLinks(json: string): ScanLink[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.flatMap((l: Partial<Record<keyof ScanLink, unknown>>) =>
      (l.kind === 'shop' || l.kind === 'news' || l.kind === 'promotion') && typeof l.url === 'string'
        ? [Object.freeze({ kind: l.kind, url: l.url, label: typeof l.label === 'string' ? l.label : null })]
        : [],
    );
  } catch {
    return [];
  }
}

/**
 * Merges an enterprise's scan settings: the product's override (scope = `productId`) over the
 * enterprise's row (scope `'*'`) over {@link DEFAULT_SCAN_SETTINGS}. Rows of other scopes are
 * ignored, so the caller may pass all of a tenant's rows. Pure.
 *
 * @example
 * ```ts
 * effectiveScanSettings([], null).queryLimit;                                   // 10 (the default)
 * effectiveScanSettings([{ scope: '*', query_limit: 0, … }], null).queryLimit;   // null (no limit)
 * effectiveScanSettings([{ scope: '*', query_limit: 5, … },
 *                        { scope: pid, query_limit: null, … }], pid).queryLimit; // 5 (inherited)
 * ```
 */
export function effectiveScanSettings(
  rows: readonly ScanSettingsRow[],
  productId: string | null,
): EffectiveScanSettings {
  const star = rows.find((r) => r.scope === '*');
  const own = productId === null ? undefined : rows.find((r) => r.scope === productId);
  if (star === undefined && own === undefined) return DEFAULT_SCAN_SETTINGS;
  const limit = own?.query_limit ?? star?.query_limit ?? null;
  const text = (v: string | null): string | null => (v === null || v === '' ? null : v);
  const popup = own?.popup ?? star?.popup ?? null;
  const linksRow = own?.links != null ? own : star?.links != null ? star : undefined;
  return {
    queryLimit: limit === null ? DEFAULT_QUERY_LIMIT : limit === 0 ? null : limit,
    warningText: text(own?.warning_text ?? star?.warning_text ?? null),
    promptText: text(own?.prompt_text ?? star?.prompt_text ?? null),
    imageFileId: own?.image_file_id ?? star?.image_file_id ?? null,
    antiCounterfeitPopup: popup === null ? DEFAULT_SCAN_SETTINGS.antiCounterfeitPopup : popup === 1,
    links: linksRow === undefined ? DEFAULT_SCAN_SETTINGS.links : scanLinksOf(linksRow),
  };
}

/** A link as the API takes it. */
export interface ScanLinkInput {
  readonly kind: ScanLink['kind'];
  readonly url: string;
  readonly label?: string | null | undefined;
}

/** The enterprise's settings as the API takes them; a missing field takes its default. */
export interface ScanSettingsInput {
  readonly queryLimit?: number | null | undefined;
  readonly warningText?: string | null | undefined;
  readonly promptText?: string | null | undefined;
  readonly imageFileId?: string | null | undefined;
  readonly antiCounterfeitPopup?: boolean | undefined;
  readonly links?: readonly ScanLinkInput[] | undefined;
}

/** A product's override as the API takes it; a null or missing field inherits. */
export interface ScanSettingsOverrideInput {
  readonly queryLimit?: number | 'none' | null | undefined;
  readonly warningText?: string | null | undefined;
  readonly promptText?: string | null | undefined;
  readonly imageFileId?: string | null | undefined;
  readonly antiCounterfeitPopup?: boolean | null | undefined;
  readonly links?: readonly ScanLinkInput[] | null | undefined;
}

/** A product's override (undefined when it has none) and the settings in force for it. */
export interface ProductScanSettingsView {
  readonly override: ScanSettingsRow | undefined;
  readonly effective: EffectiveScanSettings;
}

/** The enterprise's settings in force (defaults filled in). */
export async function getScanSettings(ctx: ServiceContext): Promise<EffectiveScanSettings> {
  const tenantId = requireTenant(ctx);
  return effectiveScanSettings(await reader(ctx).scans.settingsFor(tenantId, null), null);
}

/**
 * Replaces the enterprise's settings; every field not sent goes back to its default. The scan
 * pages of this process drop their cached copy at once (the audit entry tells them).
 */
export async function putScanSettings(
  ctx: ServiceContext,
  input: ScanSettingsInput,
): Promise<EffectiveScanSettings> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    if (input.imageFileId != null) await requireImage(repos, tenantId, input.imageFileId);
    await repos.scans.putSettings(enterpriseSettingsRow(tenantId, input, actor.id, Date.now()));
    await audit({
      tenantId,
      action: 'scan_settings.updated',
      targetType: 'enterprise',
      targetId: tenantId,
      details: { ...input },
    });
    return effectiveScanSettings(await repos.scans.settingsFor(tenantId, null), null);
  });
}

/** A product's override and the settings in force for it; 404 for a product not of the caller. */
export async function getProductScanSettings(
  ctx: ServiceContext,
  productId: string,
): Promise<ProductScanSettingsView> {
  const product = await loadProduct(ctx, productId);
  return viewOf(await reader(ctx).scans.settingsFor(product.tenant_id, product.id), product.id);
}

/** Replaces a product's override; null or missing fields inherit the enterprise's settings. */
export async function putProductScanSettings(
  ctx: ServiceContext,
  productId: string,
  input: ScanSettingsOverrideInput,
): Promise<ProductScanSettingsView> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
    const product = await loadProduct(ctx, productId, repos);
    if (input.imageFileId != null) await requireImage(repos, product.tenant_id, input.imageFileId);
    const row = overrideSettingsRow(product.tenant_id, product.id, input, actor.id, Date.now());
    await repos.scans.putSettings(row);
    await audit({
      tenantId: product.tenant_id,
      action: 'scan_settings.override_set',
      targetType: 'product',
      targetId: product.id,
      details: { ...input },
    });
    return viewOf(await repos.scans.settingsFor(product.tenant_id, product.id), product.id);
  });
}

/** Removes a product's override, so it follows the enterprise's settings again. Idempotent. */
export async function deleteProductScanSettings(ctx: ServiceContext, productId: string): Promise<void> {
  await inTransaction(ctx, async (repos, audit) => {
    const product = await loadProduct(ctx, productId, repos);
    if (!(await repos.scans.deleteSettings(product.tenant_id, product.id))) return;
    await audit({
      tenantId: product.tenant_id,
      action: 'scan_settings.override_removed',
      targetType: 'product',
      targetId: product.id,
    });
  });
}

/**
 * Records an uploaded scan-page image (JPEG or PNG) as a public product image of the caller's
 * enterprise; its id goes into `imageFileId` of the settings.
 */
export async function uploadScanImage(
  ctx: ServiceContext,
  upload: Upload<unknown>,
): Promise<{ fileId: string }> {
  const actor = requireActor(ctx);
  const tenantId = requireTenant(ctx);
  const { file } = upload;
  return withStoredFile(ctx, tenantId, file.id, () =>
    inTransaction(ctx, async (repos, audit) => {
      if (!isImage(file.mediaType))
        throw new AppError('TRACE_FILE_TYPE', 'Scan-page images must be JPEG or PNG.');
      await repos.files.insert(uploadedFileRow(tenantId, upload, 'product_image', actor.id, Date.now()));
      await audit({
        tenantId,
        action: 'scan_settings.image_uploaded',
        targetType: 'file',
        targetId: file.id,
        details: { size: file.size, mediaType: file.mediaType },
      });
      return { fileId: file.id };
    }),
  );
}

/**
 * The `scan_settings` row of the enterprise's settings as the API takes them (scope `'*'`):
 * stored null means "default", so the API's null query limit ("no limit") is stored as 0.
 */
export function enterpriseSettingsRow(
  tenantId: string,
  input: ScanSettingsInput,
  by: string,
  at: number,
): ScanSettingsRow {
  return {
    tenant_id: tenantId,
    scope: '*',
    query_limit: input.queryLimit === undefined ? null : (input.queryLimit ?? 0),
    warning_text: cleanText(input.warningText),
    prompt_text: cleanText(input.promptText),
    image_file_id: input.imageFileId ?? null,
    popup: input.antiCounterfeitPopup === undefined ? null : input.antiCounterfeitPopup ? 1 : 0,
    links: input.links === undefined ? null : JSON.stringify(cleanLinks(input.links)),
    updated_by: by,
    updated_at: at,
  };
}

/**
 * The `scan_settings` row of a product's override as the API takes it (scope = the product):
 * null inherits, `'none'` (stored 0) lifts the limit, and a text of '' stays '' ("no text for
 * this product" rather than "inherit").
 */
export function overrideSettingsRow(
  tenantId: string,
  productId: string,
  input: ScanSettingsOverrideInput,
  by: string,
  at: number,
): ScanSettingsRow {
  return {
    tenant_id: tenantId,
    scope: productId,
    query_limit: input.queryLimit === 'none' ? 0 : (input.queryLimit ?? null),
    warning_text: input.warningText == null ? null : input.warningText.trim(),
    prompt_text: input.promptText == null ? null : input.promptText.trim(),
    image_file_id: input.imageFileId ?? null,
    popup: input.antiCounterfeitPopup == null ? null : input.antiCounterfeitPopup ? 1 : 0,
    links: input.links == null ? null : JSON.stringify(cleanLinks(input.links)),
    updated_by: by,
    updated_at: at,
  };
}

function viewOf(rows: ScanSettingsRow[], productId: string): ProductScanSettingsView {
  return {
    override: rows.find((r) => r.scope === productId),
    effective: effectiveScanSettings(rows, productId),
  };
}

function isImage(mediaType: string): boolean {
  return mediaType === 'image/jpeg' || mediaType === 'image/png';
}

/**
 * The image of a scan page is served to anyone (`/c/media/…`), so it must be one of the
 * enterprise's public images — never a qualification document or a consumer's report photo.
 */
export async function requireImage(repos: Repositories, tenantId: string, fileId: string): Promise<void> {
  const file = await repos.files.find(tenantId, fileId);
  if (file === undefined) throw new AppError('TRACE_SCAN_IMAGE_NOT_FOUND');
  if (file.purpose !== 'product_image' || !isImage(file.media_type))
    throw new AppError('TRACE_SCAN_IMAGE_INVALID');
}

function cleanText(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v === undefined || v === '' ? null : v;
}

function cleanLinks(links: readonly ScanLinkInput[]): ScanLink[] {
  return links.map((l) => ({ kind: l.kind, url: l.url.trim(), label: cleanText(l.label) }));
}
