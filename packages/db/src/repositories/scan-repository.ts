import { sql, type Insertable, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../schema.js';
import { idFloor } from '../ids.js';
import type {
  CodeQueriesTable,
  CounterfeitReportsTable,
  PlatformAlertKind,
  PlatformAlertsTable,
  ReportStatus,
  ScanSettingsTable,
  ScansTable,
} from '../tables/scans.js';
import { pageOffset, type Page, type PageRequest } from './paging.js';

export type ScanRow = Selectable<ScansTable>;
export type CodeQueryRow = Selectable<CodeQueriesTable>;
export type ScanSettingsRow = Selectable<ScanSettingsTable>;
export type CounterfeitReportRow = Selectable<CounterfeitReportsTable>;
export type PlatformAlertRow = Selectable<PlatformAlertsTable>;

/** Filters for an enterprise's list of consumer queries. */
export interface ScanFilter {
  readonly from?: number;
  readonly to?: number;
  readonly verdict?: ScansTable['verdict'];
  readonly productId?: string;
  readonly batchId?: string;
  readonly spaceId?: string;
  readonly serial?: number;
}

/** Counts of queries of an enterprise in a time window, for dashboards and regulators. */
export interface ScanCounts {
  readonly total: number;
  readonly warnings: number;
  readonly suspicious: number;
}

/**
 * Consumer verification outside the hot path (which is {@link ScanStore}): settings, the query
 * log for enterprises, counterfeit reports, platform alerts.
 */
export class ScanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The enterprise's settings ('*') and a product's override, whichever exist. */
  async settingsFor(tenantId: string, productId: string | null): Promise<ScanSettingsRow[]> {
    return this.db
      .selectFrom('scan_settings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('scope', 'in', productId === null ? ['*'] : ['*', productId])
      .execute();
  }

  /** One settings row. */
  async findSettings(tenantId: string, scope: string): Promise<ScanSettingsRow | undefined> {
    return this.db
      .selectFrom('scan_settings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('scope', '=', scope)
      .executeTakeFirst();
  }

  /** Writes a settings row whole (insert or replace). */
  async putSettings(row: Insertable<ScanSettingsTable>): Promise<void> {
    const { tenant_id: _t, scope: _s, ...rest } = row;
    await this.db
      .insertInto('scan_settings')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'scope']).doUpdateSet(rest))
      .execute();
  }

  /** Removes a product's override; returns whether there was one. */
  async deleteSettings(tenantId: string, scope: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('scan_settings')
      .where('tenant_id', '=', tenantId)
      .where('scope', '=', scope)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The query summary of one code. */
  async codeSummary(tenantId: string, spaceId: string, serial: number): Promise<CodeQueryRow | undefined> {
    return this.db
      .selectFrom('code_queries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('space_id', '=', spaceId)
      .where('serial', '=', serial)
      .executeTakeFirst();
  }

  /** One logged query. */
  async findScan(tenantId: string, id: string): Promise<ScanRow | undefined> {
    return this.db
      .selectFrom('scans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A logged query by id alone (the consumer attaching a position knows only the id). */
  async findScanById(id: string): Promise<ScanRow | undefined> {
    return this.db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Attaches a consented, coarsened position and the region it falls in to a query. */
  async setScanPosition(
    tenantId: string,
    id: string,
    place: { regionCode: string | null; latitude: number; longitude: number },
  ): Promise<void> {
    await this.db
      .updateTable('scans')
      .set({
        region_code: place.regionCode,
        region_source: place.regionCode === null ? null : 'position',
        latitude: place.latitude,
        longitude: place.longitude,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** An enterprise's queries, newest first. */
  async listScans(tenantId: string, filter: ScanFilter, page: PageRequest): Promise<Page<ScanRow>> {
    let q = this.db.selectFrom('scans').where('tenant_id', '=', tenantId);
    if (filter.from !== undefined) q = q.where('id', '>=', idFloor(filter.from));
    if (filter.to !== undefined) q = q.where('id', '<', idFloor(filter.to));
    if (filter.verdict !== undefined) q = q.where('verdict', '=', filter.verdict);
    if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
    if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
    if (filter.spaceId !== undefined) q = q.where('space_id', '=', filter.spaceId);
    if (filter.serial !== undefined) q = q.where('serial', '=', filter.serial);
    const oneCode = filter.spaceId !== undefined && filter.serial !== undefined;
    if (oneCode)
      q = q.where('id', 'in', codeChain(tenantId, filter.spaceId, filter.serial, CODE_CHAIN_LIMIT));
    const [items, count] = await Promise.all([
      (oneCode ? newestOfCode(q.selectAll()) : q.selectAll().orderBy('id', 'desc'))
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** Counts of an enterprise's queries in `[from, to)`. */
  async countScans(tenantId: string, from: number, to: number): Promise<ScanCounts> {
    const r = await this.db
      .selectFrom('scans')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number | null>(sql<number>`case when verdict = 'warning' then 1 else 0 end`).as('warnings'),
        eb.fn
          .sum<number | null>(
            sql<number>`case when verdict in ('not_activated', 'voided', 'pin_wrong') then 1 else 0 end`,
          )
          .as('suspicious'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('id', '>=', idFloor(from))
      .where('id', '<', idFloor(to))
      .executeTakeFirstOrThrow();
    return {
      total: r.total,
      warnings: r.warnings ?? 0,
      suspicious: r.suspicious ?? 0,
    };
  }

  /**
   * Counts of an enterprise's queries in `[from, to)` per calendar day of a time zone `offsetMs`
   * east of UTC (no daylight saving): `day` is the day's number since 1970-01-01 in that zone.
   * Days without queries are absent. One walk of the primary-key range.
   */
  async countScansByDay(
    tenantId: string,
    from: number,
    to: number,
    offsetMs: number,
  ): Promise<Array<{ day: number; total: number; warnings: number; suspicious: number }>> {
    // A literal, not a parameter: PostgreSQL matches the GROUP BY to the select list by text.
    const day = sql<number>`(at + ${sql.lit(Math.trunc(offsetMs))}) / 86400000`;
    const rows = await this.db
      .selectFrom('scans')
      .select((eb) => [
        day.as('day'),
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number | null>(sql<number>`case when verdict = 'warning' then 1 else 0 end`).as('warnings'),
        eb.fn
          .sum<number | null>(
            sql<number>`case when verdict in ('not_activated', 'voided', 'pin_wrong') then 1 else 0 end`,
          )
          .as('suspicious'),
      ])
      .where('tenant_id', '=', tenantId)
      .where('id', '>=', idFloor(from))
      .where('id', '<', idFloor(to))
      .groupBy(day)
      .orderBy(day)
      .execute();
    return rows.map((r) => ({
      day: r.day,
      total: r.total,
      warnings: r.warnings ?? 0,
      suspicious: r.suspicious ?? 0,
    }));
  }

  /**
   * An enterprise's latest queries in `[from, to)` answered with a warning or found suspicious
   * (code not activated or voided, wrong PIN), newest first. A backward walk of the primary-key
   * range, stopping at `limit` or at the window's start.
   */
  async recentFlaggedScans(tenantId: string, from: number, to: number, limit: number): Promise<ScanRow[]> {
    return this.db
      .selectFrom('scans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '>=', idFloor(from))
      .where('id', '<', idFloor(to))
      .where('verdict', 'in', ['warning', 'not_activated', 'voided', 'pin_wrong'])
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** The most queried products of an enterprise in `[from, to)`, most first (codes without a product left out). */
  async topScannedProducts(
    tenantId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ productId: string; count: number }>> {
    const rows = await this.db
      .selectFrom('scans')
      .select((eb) => ['product_id', eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('id', '>=', idFloor(from))
      .where('id', '<', idFloor(to))
      .where('product_id', 'is not', null)
      .groupBy('product_id')
      .orderBy('n', 'desc')
      .orderBy('product_id')
      .limit(limit)
      .execute();
    return rows.flatMap((r) => (r.product_id === null ? [] : [{ productId: r.product_id, count: r.n }]));
  }

  /**
   * Queries of an enterprise in `[from, to)` per province (the first two digits of the GB/T 2260
   * code), most first; queries of unknown region left out.
   */
  async countScansByProvince(
    tenantId: string,
    from: number,
    to: number,
    limit: number,
  ): Promise<Array<{ province: string; count: number }>> {
    const province = sql<string>`substr(region_code, 1, 2)`;
    const rows = await this.db
      .selectFrom('scans')
      .select((eb) => [province.as('province'), eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .where('id', '>=', idFloor(from))
      .where('id', '<', idFloor(to))
      .where('region_code', 'is not', null)
      .groupBy(province)
      .orderBy('n', 'desc')
      .orderBy(province)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ province: r.province, count: r.n }));
  }

  /** The latest queries of one code, newest first (a walk of the code's chain of queries). */
  async recentScansOfCode(
    tenantId: string,
    spaceId: string,
    serial: number,
    limit: number,
  ): Promise<ScanRow[]> {
    return this.db
      .selectFrom('scans')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', codeChain(tenantId, spaceId, serial, limit))
      .$call(newestOfCode)
      .limit(limit)
      .execute();
  }

  /** Stores a counterfeit report. */
  async insertReport(row: Insertable<CounterfeitReportsTable>): Promise<void> {
    await this.db.insertInto('counterfeit_reports').values(row).execute();
  }

  /** One report. */
  async findReport(tenantId: string, id: string): Promise<CounterfeitReportRow | undefined> {
    return this.db
      .selectFrom('counterfeit_reports')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** An enterprise's reports, newest first. */
  async listReports(
    tenantId: string,
    filter: { readonly status?: ReportStatus; readonly productId?: string },
    page: PageRequest,
  ): Promise<Page<CounterfeitReportRow>> {
    let q = this.db.selectFrom('counterfeit_reports').where('tenant_id', '=', tenantId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** Records the enterprise's handling of a report. */
  async updateReport(
    tenantId: string,
    id: string,
    patch: { status: ReportStatus; handler_note: string | null; handled_by: string; handled_at: number },
  ): Promise<void> {
    await this.db
      .updateTable('counterfeit_reports')
      .set(patch)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /**
   * Raises an alert, or adds to the open one of the same kind and subject: the operator sees
   * one line per problem with a count, not a flood.
   */
  async raiseAlert(alert: {
    id: string;
    kind: PlatformAlertKind;
    subject: string;
    details: string;
    count: number;
    at: number;
  }): Promise<void> {
    const open = await this.db
      .selectFrom('platform_alerts')
      .select(['id', 'count'])
      .where('kind', '=', alert.kind)
      .where('subject', '=', alert.subject)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open !== undefined) {
      await this.db
        .updateTable('platform_alerts')
        .set({ count: open.count + alert.count, last_at: alert.at, details: alert.details })
        .where('id', '=', open.id)
        .execute();
      return;
    }
    await this.db
      .insertInto('platform_alerts')
      .values({
        id: alert.id,
        kind: alert.kind,
        subject: alert.subject,
        details: alert.details,
        count: alert.count,
        status: 'open',
        first_at: alert.at,
        last_at: alert.at,
        acknowledged_by: null,
        acknowledged_at: null,
      })
      .execute();
  }

  /** Platform alerts, most recent first. */
  async listAlerts(
    filter: { readonly status?: PlatformAlertsTable['status'] },
    page: PageRequest,
  ): Promise<Page<PlatformAlertRow>> {
    let q = this.db.selectFrom('platform_alerts');
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    const [items, count] = await Promise.all([
      q
        .selectAll()
        .orderBy('last_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.pageSize)
        .offset(pageOffset(page))
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: count.n, page: page.page, pageSize: page.pageSize };
  }

  /** One alert. */
  async findAlert(id: string): Promise<PlatformAlertRow | undefined> {
    return this.db.selectFrom('platform_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Marks an open alert as seen; false when it is not open (already acknowledged, or gone), so
   * of two operators acknowledging at once exactly one succeeds.
   */
  async acknowledgeAlert(id: string, by: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('platform_alerts')
      .set({ status: 'acknowledged', acknowledged_by: by, acknowledged_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

/** Most queries of one code the scan log lists (its latest; the count is in `code_queries`). */
export const CODE_CHAIN_LIMIT = 10_000;

/**
 * The ids of a code's latest `limit` queries: from `code_queries.last_scan_id` back along each
 * query's `prev_scan_id` (migration 0012), one primary-key lookup per query — no per-code index
 * on `scans`, so a consumer query writes no random index page.
 */
function codeChain(tenantId: string, spaceId: string, serial: number, limit: number) {
  return sql<string>`(WITH RECURSIVE chain(id, n) AS (
      SELECT last_scan_id, 1 FROM code_queries
      WHERE tenant_id = ${tenantId} AND space_id = ${spaceId} AND serial = ${serial} AND last_scan_id IS NOT NULL
      UNION ALL
      SELECT s.prev_scan_id, chain.n + 1 FROM chain JOIN scans s ON s.tenant_id = ${tenantId} AND s.id = chain.id
      WHERE s.prev_scan_id IS NOT NULL AND chain.n < ${limit})
    SELECT id FROM chain)`;
}

/**
 * Newest first for the queries of one code. `at` leads the order (it is the time in the id) so
 * that no index provides the order: SQLite, which has no statistics here, would otherwise walk
 * the whole tenant's primary key backwards instead of the few rows of the code's chain.
 */
function newestOfCode<Q extends SelectQueryBuilder<Database, 'scans', ScanRow>>(q: Q): Q {
  return q.orderBy('at', 'desc').orderBy('id', 'desc') as Q;
}
