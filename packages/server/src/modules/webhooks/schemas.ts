import { Type } from 'typebox';
import { Timestamp } from '../../lib/schemas.js';

/**
 * An EPCIS subscription as the console's webhook screen shows it: the named query it follows,
 * where deliveries go, and how its outbox stands. Never the signing secret.
 */
export const Webhook = Type.Object({
  subscriptionId: Type.String(),
  queryName: Type.String(),
  query: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The named query’s EPCIS parameters (eventType, EQ_bizStep, MATCH_epc …).',
  }),
  dest: Type.String({ description: 'The webhook URL deliveries are POSTed to.' }),
  createdAt: Timestamp,
  lastDeliveredAt: Type.Union([Timestamp, Type.Null()], {
    description: 'When a delivery last succeeded (a 2xx from the webhook).',
  }),
  pending: Type.Integer({ description: 'Events queued for this webhook, not yet delivered.' }),
  failing: Type.Integer({
    description: 'Of the queued events, those whose delivery has failed at least once.',
  }),
  attempts: Type.Integer({ description: 'The most delivery attempts any queued event has had.' }),
  lastError: Type.Union([Type.String(), Type.Null()], {
    description: 'What the last failed attempt got (e.g. "HTTP 503"), while events are queued.',
  }),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()], {
    description: 'When the next attempt is due, while events are queued.',
  }),
  status: Type.Union([Type.Literal('idle'), Type.Literal('delivering'), Type.Literal('failing')], {
    description: 'idle: nothing queued; delivering: events queued, none failed yet; failing: retrying.',
  }),
});
