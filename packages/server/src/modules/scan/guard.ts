import { isIPv4, isIPv6 } from 'node:net';
import type { ScanGuardConfig } from '../../config.js';

/** Something the operator should hear about, raised by {@link ScanGuard}. */
export type GuardAlert =
  | {
      readonly kind: 'invalid_lookups_network';
      readonly subject: string;
      readonly details: { readonly invalidLookups: number; readonly windowSeconds: number };
    }
  | {
      readonly kind: 'invalid_lookups_rate';
      readonly subject: 'platform';
      readonly details: { readonly lastMinute: number; readonly hourlyAveragePerMinute: number };
    };

interface Counter {
  windowStart: number;
  count: number;
  blockedUntil: number;
}

/** Most addresses and networks remembered at once; beyond it, idle entries are forgotten first. */
const MAX_ENTRIES = 200_000;

/**
 * Enumeration defence: counts invalid lookups (bad or never-issued codes, wrong PINs) per IP
 * address and per network (IPv4 /24, IPv6 /48) in a fixed window, and refuses an address or
 * network that passes its limit for a while — so firing random codes finds nothing. Valid
 * lookups are never counted. It also watches the platform-wide rate of invalid lookups per
 * minute and raises an alert when it jumps.
 *
 * The counters live in this process's memory only (addresses are never written to the
 * database by the guard; only a blocked network's prefix goes into the operator's alert). With
 * several server processes each counts on its own, so the effective limit is per process —
 * a proxy in front (the usual deployment) hashes clients to processes.
 */
export class ScanGuard {
  readonly #config: ScanGuardConfig;
  readonly #onAlert: (alert: GuardAlert) => void;
  readonly #counters = new Map<string, Counter>();
  /** Invalid lookups per minute over the last hour, newest last. */
  readonly #minutes: number[] = [];
  #minuteStart = 0;
  #minuteCount = 0;
  /** When the last block set ends: until then someone may be blocked, after it no one is. */
  #blocksEnd = 0;

  constructor(config: ScanGuardConfig, onAlert: (alert: GuardAlert) => void) {
    this.#config = config;
    this.#onAlert = onAlert;
  }

  /** Milliseconds until the address may look up codes again; 0 when it may now. */
  blockedFor(ip: string, now: number = Date.now()): number {
    // Nearly always no one is blocked: then nothing is looked up (or parsed) for the address.
    if (now >= this.#blocksEnd) return 0;
    const a = this.#counters.get(ip)?.blockedUntil ?? 0;
    const n = this.#counters.get(networkOf(ip))?.blockedUntil ?? 0;
    return Math.max(0, Math.max(a, n) - now);
  }

  /** Counts one invalid lookup from `ip`. */
  failure(ip: string, now: number = Date.now()): void {
    this.#tickMinute(now);
    this.#minuteCount += 1;
    this.#count(ip, this.#config.perAddress, now);
    const network = networkOf(ip);
    if (this.#count(network, this.#config.perNetwork, now)) {
      this.#onAlert({
        kind: 'invalid_lookups_network',
        subject: network,
        details: {
          invalidLookups: this.#counters.get(network)?.count ?? 0,
          windowSeconds: this.#config.windowMs / 1000,
        },
      });
    }
  }

  /** Counts in a window; returns true when this lookup is the one that blocked the key. */
  #count(key: string, limit: number, now: number): boolean {
    let c = this.#counters.get(key);
    if (c === undefined) {
      if (this.#counters.size >= MAX_ENTRIES) this.#prune(now);
      c = { windowStart: now, count: 0, blockedUntil: 0 };
      this.#counters.set(key, c);
    } else if (now - c.windowStart >= this.#config.windowMs) {
      c.windowStart = now;
      c.count = 0;
    }
    c.count += 1;
    if (c.count >= limit && c.blockedUntil <= now) {
      c.blockedUntil = now + this.#config.blockMs;
      this.#blocksEnd = Math.max(this.#blocksEnd, c.blockedUntil);
      return true;
    }
    return false;
  }

  /** Forgets entries whose window and block are over; if none are, the oldest half. */
  #prune(now: number): void {
    for (const [key, c] of this.#counters) {
      if (c.blockedUntil <= now && now - c.windowStart >= this.#config.windowMs) this.#counters.delete(key);
    }
    if (this.#counters.size < MAX_ENTRIES) return;
    let drop = this.#counters.size / 2;
    for (const [key, c] of this.#counters) {
      if (drop-- <= 0) break;
      if (c.blockedUntil <= now) this.#counters.delete(key);
    }
  }

  /** Closes finished minutes; checks the one just closed against the last hour. */
  #tickMinute(now: number): void {
    const minute = Math.floor(now / 60_000) * 60_000;
    if (this.#minuteStart === 0) this.#minuteStart = minute;
    if (minute === this.#minuteStart) return;
    const closed = this.#minuteCount;
    const history = this.#minutes;
    const average = history.length === 0 ? 0 : history.reduce((s, x) => s + x, 0) / history.length;
    if (closed >= this.#config.alertPerMinute && closed >= 5 * average) {
      this.#onAlert({
        kind: 'invalid_lookups_rate',
        subject: 'platform',
        details: { lastMinute: closed, hourlyAveragePerMinute: Math.round(average * 10) / 10 },
      });
    }
    history.push(closed);
    // Minutes with no invalid lookup at all count as zeros.
    const gap = Math.min(60, (minute - this.#minuteStart) / 60_000 - 1);
    for (let i = 0; i < gap; i++) history.push(0);
    while (history.length > 60) history.shift();
    this.#minuteStart = minute;
    this.#minuteCount = 0;
  }
}

/**
 * The network an address belongs to for rate limiting: IPv4 /24, IPv6 /48 (one customer site),
 * IPv4-mapped IPv6 as IPv4. Anything unparsable is its own network.
 */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped?.[1] ?? ip;
  if (isIPv4(v4)) {
    const parts = v4.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip);
    return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return ip;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}
