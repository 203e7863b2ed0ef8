import type { Kysely, Selectable, Insertable, Updateable } from 'kysely';
import type { Database } from '../schema.js';
import type { UsersTable } from '../tables/accounts.js';
import { pageOffset, containsText, type Page, type PageRequest } from './paging.js';

/** A stored user row. */
export type UserRow = Selectable<UsersTable>;

/** Filters for listing users. */
export interface UserFilter {
  readonly tenantId?: string | null;
  readonly roles?: readonly string[];
  readonly search?: string;
}

/** Users: people who log in. */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Finds a user by id. */
  async findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Finds a user by username (case-insensitive: usernames are stored lower-case). */
  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username.toLowerCase())
      .executeTakeFirst();
  }

  /** Inserts a user. */
  async insert(row: Insertable<UsersTable>): Promise<void> {
    await this.db.insertInto('users').values(row).execute();
  }

  /** Updates a user's fields. */
  async update(id: string, patch: Updateable<UsersTable>): Promise<void> {
    await this.db.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  /** Counts users, e.g. to know whether a first operator exists. */
  async countByRole(role: UsersTable['role']): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', role)
      .executeTakeFirstOrThrow();
    return r.n;
  }

  /** Lists users, newest first. */
  async list(filter: UserFilter, page: PageRequest): Promise<Page<UserRow>> {
    let q = this.db.selectFrom('users');
    if (filter.tenantId !== undefined) {
      q =
        filter.tenantId === null
          ? q.where('tenant_id', 'is', null)
          : q.where('tenant_id', '=', filter.tenantId);
    }
    if (filter.roles !== undefined && filter.roles.length > 0)
      q = q.where('role', 'in', filter.roles as UsersTable['role'][]);
    if (filter.search !== undefined && filter.search !== '') {
      const text = filter.search;
      q = q.where((eb) => eb.or([containsText('username', text), containsText('display_name', text)]));
    }
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }
}
