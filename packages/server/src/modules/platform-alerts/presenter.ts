import type { AlertView } from './service.js';

/** A platform alert on the wire. */
export function presentAlert({ alert: a, acknowledgedByName }: AlertView) {
  return {
    id: a.id,
    kind: a.kind,
    subject: a.subject,
    details: detailsOf(a.details),
    count: a.count,
    status: a.status,
    firstAt: a.first_at,
    lastAt: a.last_at,
    acknowledgedBy: a.acknowledged_by,
    acknowledgedByName,
    acknowledgedAt: a.acknowledged_at === null ? null : a.acknowledged_at,
  };
}

function detailsOf(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return {};
  }
}
