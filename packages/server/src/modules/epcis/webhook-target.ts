import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../errors.js';

// Addresses a webhook may not reach unless the operator allows private receivers
// (EPCIS_WEBHOOK_ALLOW_PRIVATE): otherwise a subscription would let any enterprise make the
// server POST into its own network or the cloud's metadata service (SSRF).
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (also AWS's fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** An IPv4 address carried in an IPv6 one (`::ffff:10.0.0.1`, `::ffff:a00:1`), or undefined. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (m === null) return undefined;
  const rest = m[1] ?? '';
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (hex === null) return undefined;
  const hi = parseInt(hex[1] ?? '0', 16);
  const lo = parseInt(hex[2] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * Whether an IP address is one a webhook may not reach: loopback, link-local (with the cloud
 * metadata address), private (RFC 1918, fc00::/7), CGNAT, multicast, reserved or unspecified.
 * IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
 *
 * @example
 * isForbiddenAddress('169.254.169.254'); // true
 * isForbiddenAddress('::ffff:127.0.0.1'); // true
 * isForbiddenAddress('203.0.113.7'); // false
 */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(bare);
  if (v4 !== undefined) return blocked.check(v4, 'ipv4');
  return blocked.check(bare, 'ipv6');
}

/** How a host name is resolved (injectable for tests). */
export type Resolver = (host: string) => Promise<readonly string[]>;

/** Every address of a host name, by the system resolver (as connections use it). */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => {
      if (error !== null) reject(error);
      else resolve(addresses.map((a) => a.address));
    });
  });

function refused(message: string): AppError {
  return new AppError('TRACE_EPCIS_WEBHOOK_REFUSED', message);
}

/**
 * Checks a subscription's `dest` when it is created: an http(s) URL without credentials whose
 * host (an IP literal, or every address its name resolves to) is not a forbidden address —
 * unless `allowPrivate`. Throws TRACE_EPCIS_WEBHOOK_REFUSED; delivery checks again on the
 * address it connects to ({@link guardedLookup}), so a name that resolves elsewhere later
 * (DNS rebinding) is refused then.
 */
export async function checkWebhookDest(
  dest: string,
  options: { readonly allowPrivate: boolean; readonly resolve?: Resolver },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    throw refused('dest is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refused(`dest must be an http or https URL (got ${url.protocol}).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw refused('dest may not carry a user name or password; use the signatureToken.');
  }
  if (options.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    if (isForbiddenAddress(host)) throw refused(`dest ${host} is a private, local or reserved address.`);
    return url;
  }
  let addresses: readonly string[];
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    throw refused(`dest host ${host} does not resolve.`);
  }
  if (addresses.length === 0) throw refused(`dest host ${host} does not resolve.`);
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined) {
    throw refused(`dest host ${host} resolves to ${bad}, a private, local or reserved address.`);
  }
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that refuses forbidden addresses: the check is made on the
 * very addresses the socket will connect to, so DNS rebinding between the subscription and
 * the delivery gains nothing. (Node does not call `lookup` for IP literals: check those first.)
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error !== null) {
      callback(error, []);
      return;
    }
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad !== undefined) {
      const e: NodeJS.ErrnoException = new Error(
        `webhook refused: ${hostname} resolves to ${bad.address}, a private, local or reserved address`,
      );
      e.code = 'EWEBHOOKREFUSED';
      callback(e, []);
      return;
    }
    const first = addresses[0];
    if (options.all === true) callback(null, addresses);
    else if (first === undefined) callback(Object.assign(new Error(`${hostname} has no address`), {}), []);
    else callback(null, first.address, first.family);
  });
}
