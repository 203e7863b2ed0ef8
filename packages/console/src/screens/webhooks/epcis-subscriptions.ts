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
 * Subscribes a webhook to a named query as a stream; the server makes the signing secret and
 * answers it this once. `initialRecordTime` also queues the matching events stored since then.
 */
export async function subscribe(
  queryName: string,
  dest: string,
  initialRecordTime?: string,
): Promise<CreatedSubscription> {
  return (await send('POST', `${queryPath(queryName)}/subscriptions`, {
    dest,
    stream: true,
    ...(initialRecordTime === undefined ? {} : { initialRecordTime }),
  })) as CreatedSubscription;
}

/** Ends a subscription; what it still had to deliver is dropped. */
export async function unsubscribe(queryName: string, subscriptionId: string): Promise<void> {
  await send('DELETE', `${queryPath(queryName)}/subscriptions/${encodeURIComponent(subscriptionId)}`);
}
