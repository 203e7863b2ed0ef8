import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '@tracemark/db';
import { AppError } from '../errors.js';

/** Media types we accept, recognised by their first bytes, never by name or header. */
export type AcceptedMediaType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** A file written to the store, before its metadata row exists. */
export interface StoredFile {
  readonly id: string;
  readonly mediaType: AcceptedMediaType;
  readonly size: number;
  readonly sha256: string;
}

/** Recognises PDF, JPEG and PNG from the first bytes of a file. */
export function sniffMediaType(head: Uint8Array): AcceptedMediaType | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'; // %PDF-
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return undefined;
}

/**
 * Uploaded files on local disk under `DATA_DIR/files/<tenant>/<id>`. A file is streamed to a
 * temporary name, checked (type by content, size), then renamed into place, so a failed or
 * rejected upload leaves nothing behind.
 */
export class FileStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'files');
  }

  /** Streams `source` into the store for `tenantId`; rejects wrong types and oversize files. */
  async save(
    tenantId: string,
    source: Readable,
    maxBytes: number,
    truncated: () => boolean,
  ): Promise<StoredFile> {
    const id = newId();
    const dir = join(this.root, safeSegment(tenantId));
    const tmp = join(this.root, 'tmp', `${id}.part`);
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
      if (truncated() || size > maxBytes) throw new AppError('TRACE_FILE_TOO_LARGE');
      const mediaType = sniffMediaType(head);
      if (mediaType === undefined) throw new AppError('TRACE_FILE_TYPE');
      await mkdir(dir, { recursive: true });
      await rename(tmp, join(dir, id));
      return { id, mediaType, size, sha256: hash.digest('hex') };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  /** Opens a stored file for reading; undefined when the bytes are gone. */
  async open(tenantId: string, id: string): Promise<ReadStream | undefined> {
    const path = join(this.root, safeSegment(tenantId), safeSegment(id));
    try {
      await stat(path);
    } catch {
      return undefined;
    }
    return createReadStream(path);
  }

  /** Deletes a stored file (used when the row that owned it is removed or never written). */
  async remove(tenantId: string, id: string): Promise<void> {
    await rm(join(this.root, safeSegment(tenantId), safeSegment(id)), { force: true });
  }
}

// Ids come from our own tables, but never let one climb out of the store.
function safeSegment(value: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(value)) throw new AppError('TRACE_FILE_NOT_FOUND');
  return value;
}
