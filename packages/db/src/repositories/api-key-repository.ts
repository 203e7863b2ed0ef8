import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../schema.js';
import type { ApiKeysTable } from '../tables/accounts.js';

/** A stored API key row (the secret itself is never stored). */
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** API keys of enterprises. */
export class ApiKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new key. */
  async insert(row: Insertable<ApiKeysTable>): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute();
  }

  /** Finds an unrevoked key by the hash of its secret. */
  async findActiveBySecretHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('secret_hash', '=', secretHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** Finds one key of an enterprise. */
  async find(tenantId: string, id: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Lists an enterprise's keys, newest first. */
  async list(tenantId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Revokes a key. */
  async revoke(tenantId: string, id: string, by: string, at: number): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ revoked_at: at, revoked_by: by })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** Records use of a key (at most once a minute per key, so hot keys do not write on every call). */
  async markUsed(tenantId: string, id: string, at: number): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at - 60_000)]))
      .execute();
  }
}
