import type { Kysely, Selectable, Insertable, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { EnterprisesTable, EnterpriseStatus } from '../tables/enterprises.js';
import { containsText, pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored enterprise row. */
export type EnterpriseRow = Selectable<EnterprisesTable>;

/** Filters for listing enterprises. */
export interface EnterpriseFilter {
  readonly status?: EnterpriseStatus;
  /** Only enterprises whose region code starts with this prefix (a regulator's jurisdiction). */
  readonly regionPrefix?: string;
  /** Only this enterprise (an enterprise user sees just its own). */
  readonly id?: string;
  readonly search?: string;
}

/** Enterprises (the tenants). */
export class EnterpriseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds an enterprise by id. */
  async findById(id: string): Promise<EnterpriseRow | undefined> {
    return this.db.selectFrom('enterprises').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Finds an enterprise by its unified social credit code. */
  async findByUscc(uscc: string): Promise<EnterpriseRow | undefined> {
    return this.db.selectFrom('enterprises').selectAll().where('uscc', '=', uscc).executeTakeFirst();
  }

  /** Inserts an enterprise. */
  async insert(row: Insertable<EnterprisesTable>): Promise<void> {
    await this.db.insertInto('enterprises').values(row).execute();
  }

  /** Updates fields of an enterprise. */
  async update(id: string, patch: Updateable<EnterprisesTable>): Promise<void> {
    await this.db.updateTable('enterprises').set(patch).where('id', '=', id).execute();
  }

  /**
   * Moves an enterprise from one status to another only if it is still in `from`; returns
   * false when someone else changed it first (two reviewers clicking at once).
   */
  async transition(
    id: string,
    from: readonly EnterpriseStatus[],
    patch: Updateable<EnterprisesTable> & { status: EnterpriseStatus },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('enterprises')
      .set(patch)
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Lists enterprises; pending applications oldest first, everything else newest first. */
  async list(filter: EnterpriseFilter, page: PageRequest): Promise<Page<EnterpriseRow>> {
    let q = this.db.selectFrom('enterprises');
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.id !== undefined) q = q.where('id', '=', filter.id);
    if (filter.regionPrefix !== undefined) q = q.where('region_code', 'like', `${filter.regionPrefix}%`);
    if (filter.search !== undefined && filter.search !== '') {
      const text = filter.search;
      q = q.where((eb) => eb.or([containsText('name', text), containsText('uscc', text)]));
    }
    const direction = filter.status === 'pending_review' ? 'asc' : 'desc';
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy(filter.status === 'pending_review' ? 'submitted_at' : 'created_at', direction)
        .orderBy('id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }
}
