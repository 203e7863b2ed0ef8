import { msToEpcisTime, type JsonObject } from '@tracemark/core';
import type { CaptureJobRow, EpcisEventRow, EpcisQueryRow, EpcisSubscriptionRow } from '@tracemark/db';

/** The URL of the EPCIS 2.0 JSON-LD context (documents reference it; we serve a copy). */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** The versions this binding speaks, sent in GS1-EPCIS-Version and GS1-CBV-Version. */
export const EPCIS_VERSION = '2.0.0';
export const CBV_VERSION = '2.0.0';

/**
 * An event as captured, plus what the repository adds: `recordTime`, the `eventID` when the
 * capturer gave none (the CBV event hash), and the `errorDeclaration` when it was declared
 * erroneous later.
 */
export function presentEvent(row: EpcisEventRow): JsonObject {
  const event = JSON.parse(row.body) as Record<string, unknown>;
  if (event['eventID'] === undefined) event['eventID'] = row.event_id;
  event['recordTime'] = msToEpcisTime(row.record_time);
  if (row.error_declaration !== null && event['errorDeclaration'] === undefined) {
    event['errorDeclaration'] = JSON.parse(row.error_declaration) as unknown;
  }
  return event;
}

/** An EPCISQueryDocument holding events (query results and subscription deliveries). */
export function queryDocument(
  events: readonly JsonObject[],
  opts: { queryName?: string; subscriptionID?: string } = {},
): JsonObject {
  return {
    '@context': [EPCIS_CONTEXT_URL],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: {
        queryName: opts.queryName ?? 'SimpleEventQuery',
        ...(opts.subscriptionID !== undefined ? { subscriptionID: opts.subscriptionID } : {}),
        resultsBody: { eventList: events },
      },
    },
  };
}

/** A capture job as the binding's CaptureJob. */
export function presentJob(row: Omit<CaptureJobRow, 'document' | 'prepared'>) {
  const running = row.status === 'queued' || row.status === 'running';
  const errors = JSON.parse(row.errors) as Array<{
    eventIndex?: number;
    eventID?: string | null;
    message: string;
  }>;
  return {
    captureID: row.id,
    createdAt: msToEpcisTime(row.created_at),
    ...(row.finished_at !== null ? { finishedAt: msToEpcisTime(row.finished_at) } : {}),
    running,
    success: row.status === 'failed' ? false : errors.length === 0,
    captureErrorBehaviour: row.error_behaviour,
    eventCount: row.event_count,
    capturedEvents: row.captured,
    duplicateEvents: row.duplicates,
    errors,
  };
}

/** A named query. */
export function presentQuery(row: EpcisQueryRow) {
  return {
    name: row.name,
    query: JSON.parse(row.query) as Record<string, unknown>,
    createdAt: msToEpcisTime(row.created_at),
  };
}

/** A subscription, without its secret. */
export function presentSubscription(row: EpcisSubscriptionRow) {
  return {
    subscriptionID: row.id,
    queryName: row.query_name,
    dest: row.dest,
    stream: row.stream === 1,
    reportIfEmpty: row.report_if_empty === 1,
    createdAt: msToEpcisTime(row.created_at),
    ...(row.last_notified_at !== null ? { lastNotifiedAt: msToEpcisTime(row.last_notified_at) } : {}),
    ...(row.initial_record_time !== null
      ? { initialRecordTime: msToEpcisTime(row.initial_record_time) }
      : {}),
    ...(row.schedule !== null ? { schedule: JSON.parse(row.schedule) as Record<string, string> } : {}),
    ...(row.next_run_at !== null ? { nextRunAt: msToEpcisTime(row.next_run_at) } : {}),
  };
}
