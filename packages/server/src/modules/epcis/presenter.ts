import { contextPrefixes, msToEpcisTime, type JsonObject } from '@tracemark/core';
import type { CaptureJobRow, EpcisEventRow, EpcisQueryRow, EpcisSubscriptionRow } from '@tracemark/db';
import type { EventOwner } from './service.js';

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

/** The namespace of Tracemark's EPCIS extension fields (prefix `tm:`). */
export function extensionNamespace(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/ns/epcis/`;
}

/**
 * Events as a reader sees them: its own exactly as captured; another enterprise's, read through
 * a grant (adr/0007), with `tm:sharedBy` naming the enterprise that captured it, so a regulator
 * or partner reading several owners' events can tell them apart. `standalone`: the event is
 * answered on its own, so it declares the `tm` prefix itself (in a query document the document
 * does).
 */
export function presentEvents(
  rows: readonly EpcisEventRow[],
  owners: ReadonlyMap<string, EventOwner>,
  namespace: string,
  standalone = false,
): JsonObject[] {
  return rows.map((row) => {
    const event = presentEvent(row);
    const owner = owners.get(row.tenant_id);
    return owner === undefined ? event : withOwner(event, owner, namespace, standalone);
  });
}

function withOwner(event: JsonObject, owner: EventOwner, namespace: string, standalone: boolean): JsonObject {
  const declared = contextPrefixes(event['@context'], {})['tm'];
  // An event whose own context gives `tm` another meaning gets the mark in full IRIs.
  const key = (name: string) =>
    declared === undefined || declared === namespace ? `tm:${name}` : `${namespace}${name}`;
  const own: unknown = event['@context'];
  const context: unknown[] =
    own === undefined ? [EPCIS_CONTEXT_URL] : Array.isArray(own) ? [...(own as unknown[])] : [own];
  return {
    ...event,
    ...(standalone && declared === undefined ? { '@context': [...context, { tm: namespace }] } : {}),
    [key('sharedBy')]: {
      [key('enterpriseId')]: owner.id,
      [key('name')]: owner.name,
      [key('uscc')]: owner.uscc,
    },
  };
}

/**
 * An EPCISQueryDocument holding events (query results and subscription deliveries).
 * `namespace`: declare the `tm` prefix (when events carry `tm:` marks, see {@link presentEvents}).
 */
export function queryDocument(
  events: readonly JsonObject[],
  opts: { queryName?: string; subscriptionID?: string; namespace?: string } = {},
): JsonObject {
  return {
    '@context':
      opts.namespace === undefined ? [EPCIS_CONTEXT_URL] : [EPCIS_CONTEXT_URL, { tm: opts.namespace }],
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
