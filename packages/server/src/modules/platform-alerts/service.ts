import type { Page, PlatformAlertRow, PlatformAlertsTable } from '@tracemark/db';
import { AppError } from '../../errors.js';
import { inTransaction, reader, requireActor, type ServiceContext } from '../../lib/context.js';

/** Platform alerts, most recent first. */
export async function listAlerts(
  ctx: ServiceContext,
  query: { page: number; pageSize: number; status?: PlatformAlertsTable['status'] | undefined },
): Promise<Page<PlatformAlertRow>> {
  return reader(ctx).scans.listAlerts(query.status !== undefined ? { status: query.status } : {}, query);
}

/**
 * Acknowledges an open alert. The same problem seen again later opens a new alert, so
 * acknowledging says "handled up to now"; an alert acknowledged already is a 409.
 */
export async function acknowledgeAlert(ctx: ServiceContext, alertId: string): Promise<PlatformAlertRow> {
  const actor = requireActor(ctx);
  return inTransaction(ctx, async (repos, audit) => {
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
}
