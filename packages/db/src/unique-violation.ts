/**
 * Whether `error` is a unique-constraint violation, on either engine: PostgreSQL's SQLSTATE
 * 23505 or better-sqlite3's `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY`. Recognised by the
 * driver's error code, never by the message.
 *
 * Services check for duplicates before inserting, but two requests can pass that check at
 * once; the unique index then decides, and this lets the loser answer 409 instead of 500.
 *
 * @example
 * try {
 *   await repos.products.insert(row);
 * } catch (error) {
 *   if (isUniqueViolation(error)) throw new AppError('TRACE_PRODUCT_GTIN_TAKEN');
 *   throw error;
 * }
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
