import type { Kysely, Selectable, Insertable } from 'kysely';
import type { Database } from '../schema.js';
import type { SessionsTable } from '../tables/accounts.js';

/** A stored session row. */
export type SessionRow = Selectable<SessionsTable>;

/** Login sessions, looked up by the SHA-256 of the cookie token. */
export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new session. */
  async insert(row: Insertable<SessionsTable>): Promise<void> {
    await this.db.insertInto('sessions').values(row).execute();
  }

  /** Finds a live session (not expired at `now`). */
  async findLive(idHash: string, now: number): Promise<SessionRow | undefined> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Slides a session's expiry forward. */
  async touch(idHash: string, now: number, expiresAt: number): Promise<void> {
    await this.db
      .updateTable('sessions')
      .set({ last_seen_at: now, expires_at: expiresAt })
      .where('id_hash', '=', idHash)
      .execute();
  }

  /** Ends one session (logout). */
  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  /** Ends every session of a user except, optionally, one (after a password change). */
  async deleteForUser(userId: string, exceptIdHash?: string): Promise<void> {
    let q = this.db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptIdHash !== undefined) q = q.where('id_hash', '<>', exceptIdHash);
    await q.execute();
  }

  /** Removes expired sessions; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
