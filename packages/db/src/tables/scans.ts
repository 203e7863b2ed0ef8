import type { Verdict } from '@tracemark/core';

/** `code_queries`: one row per code ever queried — the locked first query and the count. */
export interface CodeQueriesTable {
  tenant_id: string;
  space_id: string;
  serial: number;
  /** The first query time, locked when the row is created and never changed. */
  first_at: number;
  first_region: string | null;
  count: number;
  last_at: number;
  last_region: string | null;
  /** The query before the last one (null while there was only one). */
  prev_at: number | null;
  prev_region: string | null;
  /** The code's latest query (`scans.id`): the head of its chain of queries. */
  last_scan_id: string | null;
  /**
   * The latest query before the last upsert (null after a code's first), which the upsert's
   * RETURNING hands the new query as its predecessor. Read by nothing else.
   */
  prev_scan_id: string | null;
}

/** How a query reached us: the scan page or the JSON endpoint (apps, mini-programs). */
export type ScanChannel = 'page' | 'api';

/** The consumer's browser family, from the user agent (no fingerprinting beyond this). */
export type ScanClient = 'wechat' | 'alipay' | 'browser' | 'app' | 'other';

/** `scans`: every counted consumer query of an issued code. Raw IP addresses are not kept. */
export interface ScansTable {
  tenant_id: string;
  id: string;
  space_id: string;
  serial: number;
  code: string;
  product_id: string | null;
  batch_id: string | null;
  at: number;
  verdict: Verdict;
  /** Comma-separated warning reasons, '' when none. */
  warnings: string;
  /** GB/T 2260 code of where the query came from, when known. */
  region_code: string | null;
  region_source: 'ip' | 'position' | null;
  /** A consented browser position, coarsened to 0.01° (about 1 km). */
  latitude: number | null;
  longitude: number | null;
  channel: ScanChannel;
  client: ScanClient;
  pin_verified: 0 | 1;
  /** The same code's query before this one (null for its first): a code's history is this chain. */
  prev_scan_id: string | null;
}

/** `scan_settings`: scan-page settings of an enterprise ('*') or one product (its id). */
export interface ScanSettingsTable {
  tenant_id: string;
  scope: string;
  query_limit: number | null;
  warning_text: string | null;
  prompt_text: string | null;
  image_file_id: string | null;
  popup: 0 | 1 | null;
  /** JSON array of `{kind, url, label}`; null inherits. */
  links: string | null;
  updated_by: string;
  updated_at: number;
}

/** Where a counterfeit report stands in the enterprise's handling. */
export type ReportStatus = 'new' | 'investigating' | 'confirmed' | 'dismissed';

/** `counterfeit_reports`: a consumer's report of a suspected fake. */
export interface CounterfeitReportsTable {
  tenant_id: string;
  id: string;
  code: string;
  space_id: string;
  serial: number;
  product_id: string | null;
  batch_id: string | null;
  /** The verdict the consumer saw when reporting. */
  verdict: Verdict;
  where_bought: string;
  price_cents: number | null;
  note: string | null;
  contact: string | null;
  photo_file_id: string | null;
  region_code: string | null;
  status: ReportStatus;
  handler_note: string | null;
  handled_by: string | null;
  handled_at: number | null;
  created_at: number;
}

/** What a platform alert is about. */
export type PlatformAlertKind =
  /** One network (IPv4 /24, IPv6 /48) was blocked for too many invalid code lookups. */
  | 'invalid_lookups_network'
  /** The platform-wide rate of invalid lookups rose well above its recent average. */
  | 'invalid_lookups_rate';

/** `platform_alerts`: things the operator should look at; repeats update one open alert. */
export interface PlatformAlertsTable {
  id: string;
  kind: PlatformAlertKind;
  /** What it is about: a network for `invalid_lookups_network`, 'platform' for the rate. */
  subject: string;
  /** JSON: the figures that raised it. */
  details: string;
  count: number;
  status: 'open' | 'acknowledged';
  first_at: number;
  last_at: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}
