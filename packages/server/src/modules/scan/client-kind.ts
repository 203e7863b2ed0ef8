import type { ScanChannel, ScanClient } from '@tracemark/db';

/**
 * Link previews, crawlers and scripts: user agents of software that fetches a URL without a
 * person looking at the product. Sharing a scan link in a chat makes the chat's server fetch
 * it; that must not lock the first query time of the code.
 */
const NOT_A_PERSON =
  /bot\b|bot\/|crawl|spider|slurp|preview|facebookexternalhit|facebot|embedly|whatsapp|telegram|slack|discord|skypeuripreview|linkedin|twitter|pinterest|vkshare|qwantify|bitlybot|redditbot|applebot|yandex|baidu|sogou|360spider|bytespider|petalbot|headlesschrome|phantomjs|lighthouse|pagespeed|curl\/|wget\/|python-|go-http-client|java\/|libwww|httpclient|node-fetch|undici|axios|postman|insomnia|monitor|uptime|pingdom|statuscake/i;

/** Headers with which browsers announce a prefetch or prerender nobody asked to see. */
function isPrefetch(headers: Readonly<Record<string, string | string[] | undefined>>): boolean {
  const purpose = [headers['sec-purpose'], headers['purpose'], headers['x-purpose'], headers['x-moz']]
    .flat()
    .filter((v): v is string => typeof v === 'string')
    .join(',')
    .toLowerCase();
  return purpose.includes('prefetch') || purpose.includes('preview') || purpose.includes('prerender');
}

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
  const client = clientOf(channel, ua);
  if (method === 'HEAD' || isPrefetch(headers)) return { countable: false, client };
  if (channel === 'page') return { countable: ua !== '' && !NOT_A_PERSON.test(ua), client };
  return { countable: !/bot\b|bot\/|crawl|spider|preview/i.test(ua), client };
}

function clientOf(channel: ScanChannel, ua: string): ScanClient {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (channel === 'api') return 'app';
  if (/Mozilla\//.test(ua)) return 'browser';
  return 'other';
}
