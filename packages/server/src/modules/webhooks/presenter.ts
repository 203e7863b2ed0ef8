import type { WebhookStatusRow } from '@tracemark/db';

/** A webhook on the wire, with a status word the console can colour. */
export function presentWebhook(w: WebhookStatusRow) {
  return {
    subscriptionId: w.id,
    queryName: w.query_name,
    query: JSON.parse(w.query) as Record<string, unknown>,
    dest: w.dest,
    createdAt: w.created_at,
    lastDeliveredAt: w.last_notified_at,
    pending: w.pending,
    failing: w.failing,
    attempts: w.attempts,
    lastError: w.pending > 0 ? w.last_error : null,
    nextAttemptAt: w.pending > 0 ? w.next_attempt_at : null,
    status: w.pending === 0 ? 'idle' : w.failing > 0 ? 'failing' : 'delivering',
  } as const;
}
