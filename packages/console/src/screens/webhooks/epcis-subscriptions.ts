/**
 * The EPCIS 2.0 routes the webhook screen changes (named queries and their subscriptions), which
 * the generated client leaves out (it covers `/api/v1`). Same conventions as `api`: the session
 * cookie, `X-CSRF-Token` on every change, an {@link ApiError} of the catalogue code (the binding
 * answers RFC 7807 problems with `code`), and a lost session sends the console back to login.
 */
import { api, ApiError, csrfToken } from '../../api/client.js';

/** EPCIS query parameters of a named query: each a list of values (or a single value). */
export type EpcisQuery = Readonly<Record<string, readonly string[] | string>>;

/** What subscribing answers: the id and, when the server made it, the signing secret (once). */
export interface CreatedSubscription {
  readonly subscriptionID: string;
  readonly queryName: string;
  readonly dest: string;
  readonly createdAt: string;
  readonly signatureToken?: string;
}

async function send(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'X-CSRF-Token': csrfToken(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new TypeError('network');
  }
  const answer: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) {
    // The typed client notices the lost session and returns the console to login.
    if (response.status === 401) void api.GET('/api/v1/auth/me');
    const p = answer as
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
    throw ApiError.of(response.status, answer);
  }
  return answer;
}

const queryPath = (name: string): string => `/epcis/queries/${encodeURIComponent(name)}`;

/** Saves a named query (`POST /epcis/queries`). */
export async function createQuery(name: string, query: EpcisQuery): Promise<void> {
  await send('POST', '/epcis/queries', { name, query });
}

/** Deletes a named query with any subscriptions left on it. */
export async function deleteQuery(name: string): Promise<void> {
  await send('DELETE', queryPath(name));
}

/**
 * How a subscription delivers: each event as it is captured (a stream), or what arrived since the
 * last run on a schedule (the standard's fields, in UTC), optionally also when nothing arrived.
 */
export type Delivery =
  | { readonly stream: true }
  | { readonly schedule: Readonly<Record<string, string>>; readonly reportIfEmpty: boolean };

/**
 * Subscribes a webhook to a named query; the server makes the signing secret and answers it this
 * once. `initialRecordTime` also queues the matching events stored since then.
 */
export async function subscribe(
  queryName: string,
  dest: string,
  delivery: Delivery,
  initialRecordTime?: string,
): Promise<CreatedSubscription> {
  return (await send('POST', `${queryPath(queryName)}/subscriptions`, {
    dest,
    ...delivery,
    ...(initialRecordTime === undefined ? {} : { initialRecordTime }),
  })) as CreatedSubscription;
}

/**
 * The delivery of a form choice: a stream, hourly on the hour, or daily at an hour of Beijing time
 * (UTC+8, no daylight saving), which the standard's schedule takes in UTC.
 */
export function deliveryOf(
  mode: 'stream' | 'hourly' | 'daily',
  beijingHour: number,
  reportIfEmpty: boolean,
): Delivery {
  if (mode === 'stream') return { stream: true };
  if (mode === 'hourly') return { schedule: { minute: '0' }, reportIfEmpty };
  return { schedule: { hour: String((beijingHour + 16) % 24), minute: '0' }, reportIfEmpty };
}

/** Ends a subscription; what it still had to deliver is dropped. */
export async function unsubscribe(queryName: string, subscriptionId: string): Promise<void> {
  await send('DELETE', `${queryPath(queryName)}/subscriptions/${encodeURIComponent(subscriptionId)}`);
}
