import type { Page, PlatformAlertRow, PlatformAlertsTable } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';

/** An alert with the display name of the operator who acknowledged it. */
export interface AlertView {
  readonly alert: PlatformAlertRow;
  readonly acknowledgedByName: string | null;
}

/** The display names of the operators who acknowledged `alerts` (a page: a few lookups at most). */
async function withNames(ctx: ServiceContext, alerts: readonly PlatformAlertRow[]): Promise<AlertView[]> {
  const users = reader(ctx).users;
  const ids = [...new Set(alerts.flatMap((a) => (a.acknowledged_by === null ? [] : [a.acknowledged_by])))];
  const names = new Map(
    await Promise.all(ids.map(async (id) => [id, (await users.findById(id))?.display_name ?? null] as const)),
  );
  return alerts.map((alert) => ({
    alert,
    acknowledgedByName: alert.acknowledged_by === null ? null : (names.get(alert.acknowledged_by) ?? null),
  }));
}

/** Platform alerts, most recent first. */
export async function listAlerts(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; status?: PlatformAlertsTable['status'] | undefined },
): Promise<Page<AlertView>> {
  const page = await reader(ctx).scans.listAlerts(
    query.status !== undefined ? { status: query.status } : {},
    query,
  );
  return { ...page, items: await withNames(ctx, page.items) };
}

/**
 * Acknowledges an open alert. The same problem seen again later opens a new alert, so
 * acknowledging says "handled up to now"; an alert acknowledged already is a 409.
 */
export async function acknowledgeAlert(ctx: ServiceContext, alertId: string): Promise<AlertView> {
  const actor = requireActor(ctx);
  const updated = await inTransaction(ctx, async (repos, audit) => {
    const alert = await repos.scans.findAlert(alertId);
    if (alert === undefined) throw new AppError('TRACE_ALERT_NOT_FOUND');
    if (!(await repos.scans.acknowledgeAlert(alert.id, actor.id, Date.now())))
      throw new AppError('TRACE_ALERT_ACKNOWLEDGED');
    await audit({
      tenantId: null,
      action: 'platform_alert.acknowledged',
      targetType: 'platform_alert',
      targetId: alert.id,
      details: { kind: alert.kind, subject: alert.subject, count: alert.count },
    });
    const updated = await repos.scans.findAlert(alert.id);
    if (updated === undefined) throw new AppError('TRACE_ALERT_NOT_FOUND');
    return updated;
  });
  const [view] = await withNames(ctx, [updated]);
  if (view === undefined) throw new AppError('TRACE_ALERT_NOT_FOUND');
  return view;
}
