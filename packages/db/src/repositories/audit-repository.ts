import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../schema.js';
import type { AuditLogTable } from '../tables/accounts.js';
import { containsText, pageOffset, type Page, type PageRequest } from './paging.js';

/** A stored audit entry. */
export type AuditRow = Selectable<AuditLogTable>;

/** Filters for reading the audit log. */
export interface AuditFilter {
  /** Only this enterprise's entries; undefined means all (platform operator). */
  readonly tenantId?: string;
  readonly action?: string;
  readonly actorId?: string;
  /** Part of the actor's name (a username or an API key's name), case-insensitive. */
  readonly actorName?: string;
  readonly targetId?: string;
  readonly from?: number;
  readonly to?: number;
}

/** The append-only audit log. */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends one entry. */
  async append(row: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(row).execute();
  }

  /** Reads entries, newest first. */
  async list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditRow>> {
    let q = this.db.selectFrom('audit_log');
    if (filter.tenantId !== undefined) q = q.where('tenant_id', '=', filter.tenantId);
    if (filter.action !== undefined) q = q.where('action', '=', filter.action);
    if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
    if (filter.actorName !== undefined && filter.actorName !== '')
      q = q.where(containsText('actor_name', filter.actorName));
    if (filter.targetId !== undefined) q = q.where('target_id', '=', filter.targetId);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }
}
