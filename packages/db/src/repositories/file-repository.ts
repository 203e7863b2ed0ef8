import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../schema.js';
import type { FilesTable } from '../tables/enterprises.js';

/** A stored file's metadata. */
export type FileRow = Selectable<FilesTable>;

/** Metadata of uploaded files (the bytes live in the file store). */
export class FileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a stored file. */
  async insert(row: Insertable<FilesTable>): Promise<void> {
    await this.db.insertInto('files').values(row).execute();
  }

  /** Finds a file of an enterprise. */
  async find(tenantId: string, id: string): Promise<FileRow | undefined> {
    return this.db
      .selectFrom('files')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Removes a file row. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('files').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
