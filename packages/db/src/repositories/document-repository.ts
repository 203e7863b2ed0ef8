import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../schema.js';
import type { EnterpriseDocumentsTable } from '../tables/enterprises.js';

/** A stored qualification document. */
export type DocumentRow = Selectable<EnterpriseDocumentsTable>;

/** A document about to lapse, with its enterprise's name for the operator's list. */
export interface ExpiringDocumentRow extends DocumentRow {
  readonly enterprise_name: string;
  readonly enterprise_status: string;
}

/** Qualification documents of enterprises. */
export class DocumentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a document. */
  async insert(row: Insertable<EnterpriseDocumentsTable>): Promise<void> {
    await this.db.insertInto('enterprise_documents').values(row).execute();
  }

  /** Finds one document of an enterprise. */
  async find(tenantId: string, id: string): Promise<DocumentRow | undefined> {
    return this.db
      .selectFrom('enterprise_documents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Every document of an enterprise, by kind then newest first. */
  async list(tenantId: string): Promise<DocumentRow[]> {
    return this.db
      .selectFrom('enterprise_documents')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('kind')
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Deletes a document row. */
  async delete(tenantId: string, id: string): Promise<void> {
    await this.db
      .deleteFrom('enterprise_documents')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Marks every pending document of an enterprise with a review outcome. */
  async reviewPending(
    tenantId: string,
    status: 'verified' | 'rejected',
    reason: string | null,
    at: number,
  ): Promise<void> {
    await this.db
      .updateTable('enterprise_documents')
      .set({ status, review_reason: reason, reviewed_at: at })
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Sets one document's review outcome. */
  async setReview(
    tenantId: string,
    id: string,
    status: 'verified' | 'rejected',
    reason: string | null,
    at: number,
  ): Promise<void> {
    await this.db
      .updateTable('enterprise_documents')
      .set({ status, review_reason: reason, reviewed_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /**
   * Documents lapsing on or before `untilDate` (ISO date), soonest first — including ones
   * already lapsed, which need attention most. Rejected documents are left out.
   */
  async listExpiring(
    untilDate: string,
    scope: { readonly tenantId?: string; readonly regionPrefix?: string },
    limit: number,
  ): Promise<ExpiringDocumentRow[]> {
    let q = this.db
      .selectFrom('enterprise_documents as d')
      .innerJoin('enterprises as e', 'e.id', 'd.tenant_id')
      .selectAll('d')
      .select(['e.name as enterprise_name', 'e.status as enterprise_status'])
      .where('d.expires_on', 'is not', null)
      .where('d.expires_on', '<=', untilDate)
      .where('d.status', '<>', 'rejected');
    if (scope.tenantId !== undefined) q = q.where('d.tenant_id', '=', scope.tenantId);
    if (scope.regionPrefix !== undefined) q = q.where('e.region_code', 'like', `${scope.regionPrefix}%`);
    return q.orderBy('d.expires_on').orderBy('d.id').limit(limit).execute();
  }
}
