import type { ApiKeysTable, AuditLogTable, SessionsTable, UsersTable } from './tables/accounts.js';
import type { EnterpriseDocumentsTable, EnterprisesTable, FilesTable } from './tables/enterprises.js';
import type {
  CodeActivationsTable,
  CodeExportsTable,
  CodeJobsTable,
  CodePackingTable,
  CodeSpacesTable,
  CodeVoidsTable,
} from './tables/codes.js';
import type { BatchesTable, ProductImagesTable, ProductsTable } from './tables/products.js';
import type {
  CodeQueriesTable,
  CounterfeitReportsTable,
  PlatformAlertsTable,
  ScanSettingsTable,
  ScansTable,
} from './tables/scans.js';
import type {
  EpcisCaptureJobsTable,
  EpcisDeliveriesTable,
  EpcisEventsTable,
  EpcisQueriesTable,
  EpcisSubscriptionsTable,
  EventEpcsTable,
  EventSharesTable,
} from './tables/events.js';
import type { RawMaterialLotsTable, StageTemplatesTable } from './tables/trace-actions.js';
import type { TraceEdgesTable, TraceHoldingsTable, TraceParentTable } from './tables/trace.js';

/**
 * Every table Kysely knows, by name. Times are epoch milliseconds (integers), calendar dates
 * ISO `YYYY-MM-DD` text, ids UUIDv7 text, JSON documents text — the same on both engines.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  enterprises: EnterprisesTable;
  enterprise_documents: EnterpriseDocumentsTable;
  files: FilesTable;
  products: ProductsTable;
  product_images: ProductImagesTable;
  batches: BatchesTable;
  code_spaces: CodeSpacesTable;
  code_jobs: CodeJobsTable;
  code_activations: CodeActivationsTable;
  code_packing: CodePackingTable;
  code_voids: CodeVoidsTable;
  code_exports: CodeExportsTable;
  code_queries: CodeQueriesTable;
  scans: ScansTable;
  scan_settings: ScanSettingsTable;
  counterfeit_reports: CounterfeitReportsTable;
  platform_alerts: PlatformAlertsTable;
  epcis_events: EpcisEventsTable;
  event_epcs: EventEpcsTable;
  epcis_capture_jobs: EpcisCaptureJobsTable;
  epcis_queries: EpcisQueriesTable;
  epcis_subscriptions: EpcisSubscriptionsTable;
  event_shares: EventSharesTable;
  epcis_deliveries: EpcisDeliveriesTable;
  raw_material_lots: RawMaterialLotsTable;
  stage_templates: StageTemplatesTable;
  trace_edges: TraceEdgesTable;
  trace_parent: TraceParentTable;
  trace_holdings: TraceHoldingsTable;
}
