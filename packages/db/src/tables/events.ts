import type { EpcRole } from '@tracemark/core';
import type { ColumnType } from 'kysely';

/**
 * `epcis_events`: one EPCIS 2.0 event, kept as captured (`body`, the JSON-LD text) plus the
 * normalised columns queries filter on. `event_id` is the eventID the capturer gave or, without
 * one, the CBV event hash (`hash`), so a repeated event is recognised either way.
 */
export interface EpcisEventsTable {
  tenant_id: string;
  /** Internal key (UUIDv7, in capture order). */
  id: string;
  event_id: string;
  type: string;
  event_time: number;
  record_time: number;
  event_time_zone_offset: string;
  action: string | null;
  /** CBV bare word for standard values, else the URI. */
  biz_step: string | null;
  disposition: string | null;
  /** Canonical identifiers (docs/adr/0005-epcis-identifiers.md). */
  read_point: string | null;
  biz_location: string | null;
  /** CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`). */
  hash: string;
  capture_id: string;
  /** The event's JSON text exactly as captured. */
  body: string;
  /** JSON of the errorDeclaration, when the event was declared erroneous (then excluded from trace). */
  error_declaration: string | null;
  error_declared_at: number | null;
  error_reason: string | null;
}

/** `event_epcs`: every identifier of an event with its role — MATCH_* queries and trace walk this. */
export interface EventEpcsTable {
  tenant_id: string;
  epc: string;
  role: EpcRole;
  event_pk: string;
}

/** Status of a capture job. */
export type CaptureJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** `epcis_capture_jobs`: an EPCISDocument accepted by `POST /epcis/capture`, stored before the 202. */
export interface EpcisCaptureJobsTable {
  tenant_id: string;
  id: string;
  status: CaptureJobStatus;
  error_behaviour: 'rollback' | 'proceed';
  /** The document text; emptied once the job has finished. */
  document: string;
  /** The events as prepared when the job was accepted (JSON), so the runner does not prepare them again; null for jobs of before. */
  prepared: string | null;
  event_count: number;
  captured: number;
  duplicates: number;
  /** JSON array of { eventIndex, eventID, message }. */
  errors: string;
  claimed_by: string | null;
  heartbeat_at: number | null;
  created_by: string;
  created_at: number;
  finished_at: number | null;
}

/** `epcis_queries`: a named query of an enterprise. */
export interface EpcisQueriesTable {
  tenant_id: string;
  name: string;
  /** JSON of the query parameters (EPCISEventsQuery). */
  query: string;
  created_by: string;
  created_at: number;
}

/** `epcis_subscriptions`: a webhook that receives the events a named query matches. */
export interface EpcisSubscriptionsTable {
  tenant_id: string;
  id: string;
  query_name: string;
  dest: string;
  /** HMAC-SHA256 key for the GS1-Signature header (the client's signatureToken or one we made). */
  secret: string;
  stream: number;
  report_if_empty: number;
  initial_record_time: number | null;
  created_by: string;
  created_at: number;
  last_notified_at: number | null;
  /** Which process delivers it now, until when. */
  claimed_by: string | null;
  lease_until: number | null;
  /** The binding's QuerySchedule as JSON (second … dayOfWeek); null for a streaming subscription. */
  schedule: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a scheduled subscription runs next (UTC epoch ms); null for a streaming one. */
  next_run_at: ColumnType<number | null, number | null | undefined, number | null>;
}

/** `epcis_deliveries`: events waiting to be sent to a subscription (an outbox, written with the capture). */
export interface EpcisDeliveriesTable {
  tenant_id: string;
  subscription_id: string;
  event_pk: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/**
 * `event_shares`: the owner (`tenant_id`) lets another enterprise (`grantee_type` `enterprise`,
 * its id) or the regulators of a jurisdiction (`regulator`, the GB/T 2260 code) read its events:
 * all, or those of `biz_steps` (JSON array of CBV bare words or URIs), with eventTime in
 * [`event_time_from`, `event_time_to`) where given. A revoked grant keeps its row.
 */
export interface EventSharesTable {
  tenant_id: string;
  id: string;
  grantee_type: 'enterprise' | 'regulator';
  grantee_id: string;
  biz_steps: string | null;
  event_time_from: number | null;
  event_time_to: number | null;
  note: string | null;
  created_by: string;
  created_at: number;
  revoked_by: string | null;
  revoked_at: number | null;
}
