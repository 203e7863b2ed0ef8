/**
 * The few EPCIS 2.0 query routes the console reads (`GET /epcis/events`, `GET /epcis/events/{id}`),
 * which the generated client leaves out (it covers `/api/v1`). Same conventions as `api`: the
 * session cookie, an {@link ApiError} of the catalogue code (the binding answers RFC 7807
 * problems with `code`), and a lost session sends the console back to login.
 */
import { api, ApiError } from '../../api/client.js';

/** An EPCIS 2.0 event as JSON-LD (the fields the console reads are typed; the rest is kept). */
export interface EpcisEvent {
  readonly type: string;
  readonly eventID?: string;
  readonly eventTime: string;
  readonly eventTimeZoneOffset?: string;
  readonly recordTime?: string;
  readonly action?: string;
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly epcList?: readonly string[];
  readonly parentID?: string;
  readonly childEPCs?: readonly string[];
  readonly inputEPCList?: readonly string[];
  readonly outputEPCList?: readonly string[];
  readonly quantityList?: readonly Quantity[];
  readonly childQuantityList?: readonly Quantity[];
  readonly inputQuantityList?: readonly Quantity[];
  readonly outputQuantityList?: readonly Quantity[];
  readonly readPoint?: { readonly id: string };
  readonly bizLocation?: { readonly id: string };
  readonly bizTransactionList?: readonly { readonly type?: string; readonly bizTransaction: string }[];
  readonly sourceList?: readonly { readonly type: string; readonly source: string }[];
  readonly destinationList?: readonly { readonly type: string; readonly destination: string }[];
  readonly errorDeclaration?: { readonly declarationTime: string; readonly reason?: string };
  readonly [extension: string]: unknown;
}

/** A quantity element of an event. */
export interface Quantity {
  readonly epcClass: string;
  readonly quantity?: number;
  readonly uom?: string;
}

/** A page of events and the token of the next page, if any. */
export interface EventsPage {
  readonly events: readonly EpcisEvent[];
  readonly nextPageToken?: string;
}

async function get(url: string): Promise<{ body: unknown; response: Response }> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  } catch {
    throw new TypeError('network');
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    // The typed client notices the lost session and returns the console to login.
    if (response.status === 401) void api.GET('/api/v1/auth/me');
    const p = body as
      | {
          code?: string;
          title?: string;
          detail?: string;
          requestId?: string;
          details?: { field: string; message: string }[];
        }
      | undefined;
    if (typeof p?.code === 'string') {
      throw new ApiError(p.code, response.status, p.detail ?? p.title ?? '', p.details ?? [], p.requestId);
    }
    throw ApiError.of(response.status, body);
  }
  return { body, response };
}

/**
 * Queries events with EPCIS query parameters (`eventType`, `GE_eventTime`, `EQ_bizStep`,
 * `MATCH_anyEPC` …), a page at a time; the next page is asked for with its token alone.
 *
 * @example
 * const page = await queryEvents({ EQ_bizStep: 'shipping' }, { perPage: 20 });
 */
export async function queryEvents(
  params: Readonly<Record<string, string | undefined>>,
  paging: { readonly perPage?: number; readonly nextPageToken?: string } = {},
): Promise<EventsPage> {
  const q = new URLSearchParams();
  if (paging.nextPageToken !== undefined) q.set('nextPageToken', paging.nextPageToken);
  else for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  if (paging.perPage !== undefined) q.set('perPage', String(paging.perPage));
  const { body, response } = await get(`/epcis/events?${q.toString()}`);
  const events =
    (body as { epcisBody?: { queryResults?: { resultsBody?: { eventList?: EpcisEvent[] } } } } | undefined)
      ?.epcisBody?.queryResults?.resultsBody?.eventList ?? [];
  const link = response.headers.get('link') ?? '';
  const next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link)?.[1];
  const token =
    next === undefined
      ? undefined
      : new URL(next, globalThis.location.origin).searchParams.get('nextPageToken');
  return { events, ...(token === null || token === undefined ? {} : { nextPageToken: token }) };
}

/** One event by its eventID. */
export async function getEvent(eventId: string): Promise<EpcisEvent> {
  const { body } = await get(`/epcis/events/${encodeURIComponent(eventId)}`);
  return body as EpcisEvent;
}
