import type { ScanChannel, ScanClient } from '@tracemark/db';

/**
 * Link previews, crawlers and scripts: user agents of software that fetches a URL without a
 * person looking at the product. Sharing a scan link in a chat makes the chat's server fetch
 * it; that must not lock the first query time of the code.
 */
const NOT_A_PERSON =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|facebot|embedly|whatsapp|telegram|slack|discord|skypeuripreview|linkedin|twitter|pinterest|vkshare|qwantify|bitlybot|redditbot|applebot|yandex|baidu|sogou|360spider|bytespider|petalbot|headlesschrome|phantomjs|lighthouse|pagespeed|curl\/|wget\/|python-|go-http-client|java\/|libwww|httpclient|node-fetch|undici|axios|postman|insomnia|monitor|uptime|pingdom|statuscake/i;

const PURPOSE_HEADERS = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'] as const;
const PREFETCH = /prefetch|preview|prerender/i;

/** Headers with which browsers announce a prefetch or prerender nobody asked to see. */
function isPrefetch(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  for (const name of PURPOSE_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'string' ? PREFETCH.test(value) : value.some((v) => PREFETCH.test(v))) return true;
  }
  return false;
}

/**
 * Classifications by channel and user agent: a phone's browser sends the same few user agents
 * over and over, and the crawler pattern is long. Bounded; cleared when full.
 */
const known = new Map<string, RequestKind>();
const KNOWN_MAX = 4096;

/** How a request is counted: whether it is a consumer query, and from which kind of client. */
export interface RequestKind {
  readonly countable: boolean;
  readonly client: ScanClient;
}

/**
 * Classifies a verification request. The scan page counts only what looks like a person's
 * browser (a user agent, not a known preview/crawler/script, not a prefetch, not HEAD); the
 * JSON endpoint is for apps and mini-programs, so only declared crawlers and prefetches are
 * left out there.
 */
export function classifyRequest(
  channel: ScanChannel,
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): RequestKind {
  const ua = typeof headers['user-agent'] === 'string' ? headers['user-agent'] : '';
  if (method === 'HEAD' || isPrefetch(headers)) return { countable: false, client: clientOf(channel, ua) };
  const key = `${channel}\u0000${ua}`;
  let kind = known.get(key);
  if (kind === undefined) {
    kind = byUserAgent(channel, ua);
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(key, kind);
  }
  return kind;
}

function byUserAgent(channel: ScanChannel, ua: string): RequestKind {
  const client = clientOf(channel, ua);
  if (channel === 'page') return Object.freeze({ countable: ua !== '' && !NOT_A_PERSON.test(ua), client });
  return Object.freeze({ countable: !/bot\b|bot\/|crawl|spider|preview/i.test(ua), client });
}

function clientOf(channel: ScanChannel, ua: string): ScanClient {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (channel === 'api') return 'app';
  if (/Mozilla\//.test(ua)) return 'browser';
  return 'other';
}
