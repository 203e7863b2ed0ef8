import type { ReadStream } from 'node:fs';
import {
  addDays,
  isIsoDate,
  isRegionCode,
  isWithinRegion,
  regionPrefix,
  todayInChina,
  validateUscc,
} from '@tracemark/core';
import {
  newId,
  type DocumentKind,
  type DocumentRow,
  type EnterpriseRow,
  type EnterpriseStatus,
  type ExpiringDocumentRow,
  type FileRow,
  type Page,
  type Repositories,
} from '@tracemark/db';
import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';
import { assertStrongPassword, hashPassword } from '../../lib/passwords.js';
import { withUniqueRecheck } from '../../lib/unique-recheck.js';
import { uploadedFileRow, withStoredFile, type Upload } from '../../lib/uploads.js';

/** The profile fields of an enterprise, as the API takes them. */
export interface EnterpriseInput {
  name: string;
  uscc: string;
  legalRepresentative: string;
  address: string;
  regionCode: string;
  contactName: string;
  contactPhone: string;
  contactEmail?: string | null;
}

const identityFields = ['name', 'uscc', 'legalRepresentative'] as const;

function checkUscc(value: string): string {
  const r = validateUscc(value);
  if (!r.ok)
    throw new AppError(
      'TRACE_ENTERPRISE_USCC_INVALID',
      `The unified social credit code is invalid (${r.reason}).`,
    );
  return r.value;
}

function checkRegion(code: string): string {
  if (!isRegionCode(code)) throw new AppError('TRACE_ENTERPRISE_REGION_INVALID');
  return code;
}

/**
 * Loads an enterprise the caller may see — its own (enterprise roles), any (operators), or one
 * in the jurisdiction (regulators) — or answers 404, so ids of others reveal nothing.
 * `edit` additionally requires the caller's own enterprise.
 */
export async function loadEnterprise(
  ctx: ServiceContext,
  id: string,
  mode: 'read' | 'edit' | 'review',
): Promise<EnterpriseRow> {
  const actor = requireActor(ctx);
  const row = await reader(ctx).enterprises.findById(id);
  if (row === undefined) throw new AppError('TRACE_ENTERPRISE_NOT_FOUND');
  const own = actor.tenantId === row.id;
  const visible =
    own ||
    actor.role === 'platform_operator' ||
    (actor.role === 'regulator' &&
      actor.jurisdiction !== null &&
      isWithinRegion(row.region_code, actor.jurisdiction));
  if (!visible) throw new AppError('TRACE_ENTERPRISE_NOT_FOUND');
  if (mode === 'edit' && !own) throw new AppError('TRACE_AUTH_FORBIDDEN');
  if (mode === 'review' && actor.role !== 'platform_operator') throw new AppError('TRACE_AUTH_FORBIDDEN');
  return row;
}

/**
 * Registers an enterprise (status draft) with its first administrator, who is then logged in.
 * The credit code is validated (GB 32100) and must be new to the platform.
 */
export async function registerEnterprise(
  ctx: ServiceContext,
  input: {
    enterprise: EnterpriseInput;
    admin: { username: string; displayName: string; password: string; email?: string; phone?: string };
  },
): Promise<{ enterprise: EnterpriseRow; userId: string }> {
  const uscc = checkUscc(input.enterprise.uscc);
  const regionCode = checkRegion(input.enterprise.regionCode);
  assertStrongPassword(input.admin.password);
  const username = input.admin.username.toLowerCase();
  const repos = reader(ctx);
  const assertFree = async (): Promise<void> => {
    if ((await repos.enterprises.findByUscc(uscc)) !== undefined)
      throw new AppError('TRACE_ENTERPRISE_USCC_TAKEN');
    if ((await repos.users.findByUsername(username)) !== undefined)
      throw new AppError('TRACE_USER_USERNAME_TAKEN');
  };
  await assertFree();
  const passwordHash = await hashPassword(input.admin.password);
  const now = Date.now();
  const enterpriseId = newId();
  const userId = newId();
  const e = input.enterprise;
  const enterprise = await withUniqueRecheck(
    () =>
      inTransaction(
        {
          ...ctx,
          actor: {
            type: 'user',
            id: userId,
            name: username,
            role: 'enterprise_admin',
            tenantId: enterpriseId,
            jurisdiction: null,
            sessionIdHash: '',
          },
        },
        async (tx, audit) => {
          await tx.enterprises.insert({
            id: enterpriseId,
            name: e.name.trim(),
            uscc,
            legal_representative: e.legalRepresentative.trim(),
            address: e.address.trim(),
            region_code: regionCode,
            contact_name: e.contactName.trim(),
            contact_phone: e.contactPhone.trim(),
            contact_email: e.contactEmail ?? null,
            status: 'draft',
            review_reason: null,
            reviewed_by: null,
            reviewed_at: null,
            submitted_at: null,
            created_at: now,
            updated_at: now,
          });
          await tx.users.insert({
            id: userId,
            username,
            display_name: input.admin.displayName,
            email: input.admin.email ?? null,
            phone: input.admin.phone ?? null,
            password_hash: passwordHash,
            role: 'enterprise_admin',
            tenant_id: enterpriseId,
            jurisdiction: null,
            status: 'active',
            must_change_password: 0,
            created_at: now,
            updated_at: now,
            last_login_at: null,
          });
          await audit({
            tenantId: enterpriseId,
            action: 'enterprise.registered',
            targetType: 'enterprise',
            targetId: enterpriseId,
            details: { name: e.name, uscc },
          });
          return mustFind(tx, enterpriseId);
        },
      ),
    assertFree,
  );
  return { enterprise, userId };
}

async function mustFind(repos: Repositories, id: string): Promise<EnterpriseRow> {
  const row = await repos.enterprises.findById(id);
  if (row === undefined) throw new AppError('TRACE_ENTERPRISE_NOT_FOUND');
  return row;
}

/** Lists the enterprises the caller may see. Regulators see their jurisdiction's. */
export async function listEnterprises(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; q?: string; status?: EnterpriseStatus },
): Promise<Page<EnterpriseRow>> {
  const actor = requireActor(ctx);
  const filter = {
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.q !== undefined ? { search: query.q } : {}),
  };
  if (actor.role === 'platform_operator') return reader(ctx).enterprises.list(filter, query);
  if (actor.role === 'regulator') {
    const prefix = actor.jurisdiction === null ? undefined : regionPrefix(actor.jurisdiction);
    if (prefix === undefined) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
    return reader(ctx).enterprises.list({ ...filter, regionPrefix: prefix }, query);
  }
  if (actor.tenantId === null) throw new AppError('TRACE_AUTH_FORBIDDEN');
  return reader(ctx).enterprises.list({ ...filter, id: actor.tenantId }, query);
}

/**
 * Edits the caller's enterprise. Contact details change any time; name, credit code and legal
 * representative only before approval (draft or rejected), since they are what was reviewed.
 */
export async function updateEnterprise(
  ctx: ServiceContext,
  id: string,
  patch: Partial<EnterpriseInput>,
): Promise<EnterpriseRow> {
  const current = await loadEnterprise(ctx, id, 'edit');
  const identityChange = identityFields.some((f) => patch[f] !== undefined);
  if (identityChange && !['draft', 'rejected'].includes(current.status))
    throw new AppError('TRACE_ENTERPRISE_FIELD_LOCKED');
  const uscc = patch.uscc === undefined ? undefined : checkUscc(patch.uscc);
  const usccFree = async (): Promise<void> => {
    if (uscc === undefined || uscc === current.uscc) return;
    if ((await reader(ctx).enterprises.findByUscc(uscc)) !== undefined)
      throw new AppError('TRACE_ENTERPRISE_USCC_TAKEN');
  };
  await usccFree();
  const regionCode = patch.regionCode === undefined ? undefined : checkRegion(patch.regionCode);
  return withUniqueRecheck(
    () =>
      inTransaction(ctx, async (repos, audit) => {
        await repos.enterprises.update(id, {
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(uscc !== undefined ? { uscc } : {}),
          ...(patch.legalRepresentative !== undefined
            ? { legal_representative: patch.legalRepresentative.trim() }
            : {}),
          ...(patch.address !== undefined ? { address: patch.address.trim() } : {}),
          ...(regionCode !== undefined ? { region_code: regionCode } : {}),
          ...(patch.contactName !== undefined ? { contact_name: patch.contactName.trim() } : {}),
          ...(patch.contactPhone !== undefined ? { contact_phone: patch.contactPhone.trim() } : {}),
          ...(patch.contactEmail !== undefined ? { contact_email: patch.contactEmail } : {}),
          updated_at: Date.now(),
        });
        await audit({
          tenantId: id,
          action: 'enterprise.updated',
          targetType: 'enterprise',
          targetId: id,
          details: { ...patch },
        });
        return mustFind(repos, id);
      }),
    usccFree,
  );
}

/** Submits the application for review; needs a business licence that was not rejected. */
export async function submitEnterprise(ctx: ServiceContext, id: string): Promise<EnterpriseRow> {
  await loadEnterprise(ctx, id, 'edit');
  return inTransaction(ctx, async (repos, audit) => {
    const docs = await repos.documents.list(id);
    if (!docs.some((d) => d.kind === 'business_licence' && d.status !== 'rejected')) {
      throw new AppError('TRACE_ENTERPRISE_DOCUMENTS_MISSING');
    }
    const now = Date.now();
    const moved = await repos.enterprises.transition(id, ['draft', 'rejected'], {
      status: 'pending_review',
      submitted_at: now,
      updated_at: now,
    });
    if (!moved)
      throw new AppError('TRACE_ENTERPRISE_STATE', 'Only a draft or rejected application can be submitted.');
    await audit({ tenantId: id, action: 'enterprise.submitted', targetType: 'enterprise', targetId: id });
    return mustFind(repos, id);
  });
}

/** The operator's decision on a pending application. Approval verifies its pending documents. */
export async function reviewEnterprise(
  ctx: ServiceContext,
  id: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<EnterpriseRow> {
  const actor = requireActor(ctx);
  await loadEnterprise(ctx, id, 'review');
  return inTransaction(ctx, async (repos, audit) => {
    const now = Date.now();
    const moved = await repos.enterprises.transition(id, ['pending_review'], {
      status: decision.approve ? 'approved' : 'rejected',
      review_reason: decision.approve ? null : decision.reason,
      reviewed_by: actor.id,
      reviewed_at: now,
      updated_at: now,
    });
    if (!moved)
      throw new AppError(
        'TRACE_ENTERPRISE_STATE',
        'Only an application pending review can be approved or rejected.',
      );
    if (decision.approve) await repos.documents.reviewPending(id, 'verified', null, now);
    await audit({
      tenantId: id,
      action: decision.approve ? 'enterprise.approved' : 'enterprise.rejected',
      targetType: 'enterprise',
      targetId: id,
      details: decision.approve ? {} : { reason: decision.reason },
    });
    return mustFind(repos, id);
  });
}

/** Suspends an approved enterprise (it can no longer act), or reinstates a suspended one. */
export async function setSuspended(
  ctx: ServiceContext,
  id: string,
  suspend: boolean,
  reason?: string,
): Promise<EnterpriseRow> {
  const actor = requireActor(ctx);
  await loadEnterprise(ctx, id, 'review');
  return inTransaction(ctx, async (repos, audit) => {
    const now = Date.now();
    const moved = await repos.enterprises.transition(id, [suspend ? 'approved' : 'suspended'], {
      status: suspend ? 'suspended' : 'approved',
      review_reason: suspend ? (reason ?? null) : null,
      reviewed_by: actor.id,
      reviewed_at: now,
      updated_at: now,
    });
    if (!moved)
      throw new AppError(
        'TRACE_ENTERPRISE_STATE',
        suspend ? 'Only an approved enterprise can be suspended.' : 'The enterprise is not suspended.',
      );
    await audit({
      tenantId: id,
      action: suspend ? 'enterprise.suspended' : 'enterprise.reinstated',
      targetType: 'enterprise',
      targetId: id,
      details: reason === undefined ? {} : { reason },
    });
    return mustFind(repos, id);
  });
}

/** A document with its file row. */
export interface DocumentWithFile {
  readonly doc: DocumentRow;
  readonly file: FileRow | undefined;
}

/** Lists an enterprise's documents with their files. */
export async function listDocuments(ctx: ServiceContext, enterpriseId: string): Promise<DocumentWithFile[]> {
  await loadEnterprise(ctx, enterpriseId, 'read');
  const repos = reader(ctx);
  const docs = await repos.documents.list(enterpriseId);
  return Promise.all(
    docs.map(async (doc) => ({ doc, file: await repos.files.find(enterpriseId, doc.file_id) })),
  );
}

/** Records an uploaded qualification document (already stored) for the caller's enterprise. */
export async function addDocument(
  ctx: ServiceContext,
  enterpriseId: string,
  upload: Upload<{ kind: DocumentKind; title?: string; number: string; expiresOn?: string }>,
): Promise<DocumentWithFile> {
  const actor = requireActor(ctx);
  const { fields, file } = upload;
  const now = Date.now();
  const id = newId();
  // Checked inside withStoredFile: the file is already on disk, and a rejected upload must leave nothing.
  return withStoredFile(ctx, enterpriseId, file.id, () =>
    inTransaction(ctx, async (repos, audit) => {
      if (fields.expiresOn !== undefined && !isIsoDate(fields.expiresOn))
        throw new AppError('TRACE_DOCUMENT_DATE_INVALID');
      await repos.files.insert(uploadedFileRow(enterpriseId, upload, 'document', actor.id, now));
      await repos.documents.insert({
        tenant_id: enterpriseId,
        id,
        kind: fields.kind,
        title: fields.title?.trim() ?? '',
        number: fields.number.trim(),
        expires_on: fields.expiresOn ?? null,
        file_id: file.id,
        status: 'pending',
        review_reason: null,
        reviewed_at: null,
        created_by: actor.id,
        created_at: now,
      });
      await audit({
        tenantId: enterpriseId,
        action: 'document.uploaded',
        targetType: 'document',
        targetId: id,
        details: {
          kind: fields.kind,
          number: fields.number,
          expiresOn: fields.expiresOn ?? null,
          sha256: file.sha256,
        },
      });
      const doc = await repos.documents.find(enterpriseId, id);
      if (doc === undefined) throw new AppError('TRACE_DOCUMENT_NOT_FOUND');
      return { doc, file: await repos.files.find(enterpriseId, file.id) };
    }),
  );
}

/** Deletes a document that is not verified (a verified one is part of the record). */
export async function deleteDocument(
  ctx: ServiceContext,
  enterpriseId: string,
  documentId: string,
): Promise<void> {
  await loadEnterprise(ctx, enterpriseId, 'edit');
  const fileId = await inTransaction(ctx, async (repos, audit) => {
    const doc = await repos.documents.find(enterpriseId, documentId);
    if (doc === undefined) throw new AppError('TRACE_DOCUMENT_NOT_FOUND');
    if (doc.status === 'verified') throw new AppError('TRACE_DOCUMENT_LOCKED');
    await repos.documents.delete(enterpriseId, documentId);
    await repos.files.delete(enterpriseId, doc.file_id);
    await audit({
      tenantId: enterpriseId,
      action: 'document.deleted',
      targetType: 'document',
      targetId: documentId,
      details: { kind: doc.kind, number: doc.number },
    });
    return doc.file_id;
  });
  await ctx.files.remove(enterpriseId, fileId);
}

/** The operator verifies or rejects one document (renewals uploaded after approval). */
export async function reviewDocument(
  ctx: ServiceContext,
  enterpriseId: string,
  documentId: string,
  decision: { decision: 'verified' | 'rejected'; reason?: string },
): Promise<DocumentWithFile> {
  await loadEnterprise(ctx, enterpriseId, 'review');
  return inTransaction(ctx, async (repos, audit) => {
    const doc = await repos.documents.find(enterpriseId, documentId);
    if (doc === undefined) throw new AppError('TRACE_DOCUMENT_NOT_FOUND');
    await repos.documents.setReview(
      enterpriseId,
      documentId,
      decision.decision,
      decision.reason ?? null,
      Date.now(),
    );
    await audit({
      tenantId: enterpriseId,
      action: `document.${decision.decision}`,
      targetType: 'document',
      targetId: documentId,
      details: decision.reason === undefined ? {} : { reason: decision.reason },
    });
    const updated = await repos.documents.find(enterpriseId, documentId);
    if (updated === undefined) throw new AppError('TRACE_DOCUMENT_NOT_FOUND');
    return { doc: updated, file: await repos.files.find(enterpriseId, updated.file_id) };
  });
}

/** Opens a document's file for download. */
export async function openDocumentFile(
  ctx: ServiceContext,
  enterpriseId: string,
  documentId: string,
): Promise<{ stream: ReadStream; file: FileRow }> {
  await loadEnterprise(ctx, enterpriseId, 'read');
  const repos = reader(ctx);
  const doc = await repos.documents.find(enterpriseId, documentId);
  if (doc === undefined) throw new AppError('TRACE_DOCUMENT_NOT_FOUND');
  const file = await repos.files.find(enterpriseId, doc.file_id);
  const stream = file === undefined ? undefined : await ctx.files.open(enterpriseId, file.id);
  if (file === undefined || stream === undefined) throw new AppError('TRACE_FILE_NOT_FOUND');
  return { stream, file };
}

/**
 * Documents lapsing within `withinDays` (or already lapsed): the caller's own for enterprise
 * users, every enterprise's for operators.
 */
export async function listExpiringDocuments(
  ctx: ServiceContext,
  withinDays: number,
): Promise<Array<{ doc: ExpiringDocumentRow; file: FileRow | undefined; daysLeft: number }>> {
  const actor = requireActor(ctx);
  let scope: { tenantId?: string; regionPrefix?: string } = {};
  if (actor.role === 'regulator') {
    // A regulator watches the documents of the enterprises in its jurisdiction.
    const prefix = actor.jurisdiction === null ? undefined : regionPrefix(actor.jurisdiction);
    if (prefix === undefined) return [];
    scope = { regionPrefix: prefix };
  } else if (actor.role !== 'platform_operator') {
    if (actor.tenantId === null) throw new AppError('TRACE_ENTERPRISE_NO_TENANT');
    scope = { tenantId: actor.tenantId };
  }
  const today = todayInChina();
  const repos = reader(ctx);
  const docs = await repos.documents.listExpiring(addDays(today, withinDays), scope, 500);
  return Promise.all(
    docs.map(async (doc) => {
      return {
        doc,
        file: await repos.files.find(doc.tenant_id, doc.file_id),
        daysLeft: Math.round(
          (Date.parse(`${doc.expires_on ?? today}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) /
            86_400_000,
        ),
      };
    }),
  );
}
