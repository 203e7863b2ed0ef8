import { isUniqueViolation } from '@tracemark/db';

/**
 * Runs `work` (which inserts or changes a row under a unique index). Services check for a
 * duplicate first, but two concurrent requests can both pass that check; the index then rejects
 * the second. In that case `recheck` runs again outside the failed transaction, where the other
 * row is now visible, and throws the catalogue's "taken" error (409) instead of a 500. Any other
 * failure, or a violation `recheck` cannot explain, is rethrown unchanged.
 */
export async function withUniqueRecheck<T>(work: () => Promise<T>, recheck: () => Promise<void>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) await recheck();
    throw error;
  }
}
