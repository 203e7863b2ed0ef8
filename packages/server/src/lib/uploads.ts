import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { AppError, type ErrorDetail } from '../errors.js';
import type { StoredFile } from './file-store.js';

/** An upload read from a multipart request: its validated fields and the stored file. */
export interface Upload<T> {
  readonly fields: T;
  readonly file: StoredFile;
  readonly originalName: string;
}

/**
 * Reads a multipart upload with exactly one file part and some text fields: streams the file
 * into the store (type checked by content, size limited), validates the fields against
 * `schema` (the same schema documents the route), and removes the file again if anything is
 * wrong, so a rejected upload leaves nothing behind.
 */
export async function readUpload<S extends TSchema>(
  request: FastifyRequest,
  tenantId: string,
  schema: S,
): Promise<Upload<Static<S>>> {
  const upload = await readParts(request, tenantId, schema, true);
  if (upload.file === undefined) throw new AppError('TRACE_FILE_MISSING');
  return { ...upload, file: upload.file };
}

/**
 * Like {@link readUpload}, but the file is optional: a form whose file input was left empty
 * (browsers send an empty part without a name) gives `file: undefined`.
 */
export async function readOptionalUpload<S extends TSchema>(
  request: FastifyRequest,
  tenantId: string,
  schema: S,
): Promise<Omit<Upload<Static<S>>, 'file'> & { readonly file: StoredFile | undefined }> {
  return readParts(request, tenantId, schema, false);
}

async function readParts<S extends TSchema>(
  request: FastifyRequest,
  tenantId: string,
  schema: S,
  required: boolean,
): Promise<Omit<Upload<Static<S>>, 'file'> & { readonly file: StoredFile | undefined }> {
  if (!request.isMultipart())
    throw new AppError('TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.');
  const store = request.server.files;
  const fields: Record<string, string> = {};
  let file: StoredFile | undefined;
  let originalName = '';
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (!required && part.filename === '') {
          part.file.resume();
          continue;
        }
        if (file !== undefined) throw new AppError('TRACE_HTTP_VALIDATION', 'Send one file per upload.');
        const stream = part.file;
        file = await store.save(
          tenantId,
          stream,
          request.server.config.uploadMaxBytes,
          () => stream.truncated,
        );
        originalName = (part.filename || 'upload').slice(0, 200);
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    if (file === undefined && required) throw new AppError('TRACE_FILE_MISSING');
    const validate = request.compileValidationSchema(schema, 'querystring');
    if (!validate(fields)) {
      const details: ErrorDetail[] = (validate.errors ?? []).map((e) => ({
        field: `body${e.instancePath.replace(/\//g, '.')}${
          e.keyword === 'required'
            ? `.${String((e.params as { missingProperty?: string }).missingProperty)}`
            : ''
        }`,
        message: e.message ?? 'is invalid',
      }));
      throw new AppError('TRACE_HTTP_VALIDATION', undefined, details);
    }
    return { fields: fields as Static<S>, file, originalName };
  } catch (error) {
    if (file !== undefined) await store.remove(tenantId, file.id);
    throw error;
  }
}

/**
 * Runs `work` that records a freshly stored file; if it fails, the file is removed so no bytes
 * are left without a row.
 */
export async function withStoredFile<T>(
  ctx: { readonly files: { remove(tenantId: string, id: string): Promise<void> } },
  tenantId: string,
  fileId: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await ctx.files.remove(tenantId, fileId);
    throw error;
  }
}

/** The `files` row of a stored upload, recorded in the same transaction as what uses it. */
export function uploadedFileRow(
  tenantId: string,
  upload: { readonly file: StoredFile; readonly originalName: string },
  purpose: 'document' | 'product_image' | 'inspection_report' | 'report_photo',
  createdBy: string,
  at: number,
) {
  return {
    tenant_id: tenantId,
    id: upload.file.id,
    purpose,
    media_type: upload.file.mediaType,
    size: upload.file.size,
    sha256: upload.file.sha256,
    original_name: upload.originalName,
    created_by: createdBy,
    created_at: at,
  };
}
