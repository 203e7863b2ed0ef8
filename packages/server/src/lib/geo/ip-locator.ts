import { isIPv6 } from 'node:net';
import { Header, HeaderInfoLength, IPv4, loadContentFromFile, versionFromHeader } from 'ip2region.js';
import type { RegionGuess } from './index.js';
import { RegionNameIndex } from './region-name-index.js';

// The xdb layout (ip2region "structure 2.0", IPv4): a 256-byte header, a 256×256 vector index of
// (first, last) segment-index pointers by the first two bytes of the address, region strings,
// then the sorted segment index: 14-byte rows of start ip (u32 LE), end ip (u32 LE), region
// length (u16 LE) and region pointer (u32 LE).
const VECTOR_COLUMNS = 256;
const VECTOR_ENTRY_BYTES = 8;
const SEGMENT_BYTES = 14;

const UNKNOWN: RegionGuess = Object.freeze({ regionCode: undefined, country: undefined });

/**
 * Address blocks that name no place (RFC 6890 special-purpose, multicast, reserved): this host,
 * private, shared (CGNAT), loopback, link-local, IETF protocol, documentation, benchmarking,
 * multicast and reserved. `[first address, prefix length]`.
 */
const SPECIAL_V4: readonly (readonly [number, number])[] = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 3], // 224/4 multicast and 240/4 reserved, broadcast included
];

/**
 * Parses dotted-quad IPv4 strictly (four decimal parts 0–255, no leading zeros, no spaces) into
 * an unsigned 32-bit number, or `undefined`. Stricter than the reader's own parser, which takes
 * `1.2.3.4.5` and `1x.2.3.4`.
 */
export function parseIpv4(text: string): number | undefined {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255) return undefined;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits > 0 && part === 0) return undefined; // leading zero: octal in some parsers
      part = part * 10 + (c - 0x30);
      if (++digits > 3) return undefined;
    } else return undefined;
  }
  return parts === 4 ? value : undefined;
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`, `::ffff:102:304`, any
 * spelling), or `undefined`. The WHATWG URL parser writes every IPv6 host in one canonical form
 * (RFC 5952 compression, lower case, mapped addresses as `::ffff:hhhh:hhhh`), so one pattern
 * covers every spelling.
 */
export function mappedIpv4(text: string): number | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined; // zone ids: link-local anyway
  let canonical: string;
  try {
    canonical = new URL(`http://[${text}]/`).hostname;
  } catch {
    return undefined; // not expected after isIPv6, but locate() must never throw
  }
  const match = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(canonical);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return parseInt(match[1], 16) * 0x10000 + parseInt(match[2], 16);
}

function isSpecial(ip: number): boolean {
  for (const [base, bits] of SPECIAL_V4) {
    if (ip >>> (32 - bits) === base >>> (32 - bits)) return true;
  }
  return false;
}

const known = (field: string | undefined): string | undefined =>
  field === undefined || field === '' || field === '0' ? undefined : field;

/**
 * IPv4 → region over an ip2region xdb (v2 structure) held in memory: the file is read once with
 * the official reader's `loadContentFromFile` and its header checked with the reader's `Header`
 * and `versionFromHeader`. The lookup itself is the reader's buffer search written out
 * synchronously: `Searcher.search()` of ip2region.js 3.1 is `async` (its `.d.ts` says it returns a
 * string; it returns a promise) and allocates two buffers per call, while this runs in the request
 * path. The tests check both agree on every segment boundary of a sample.
 *
 * A region string reads `国家|区域|省份|城市|ISP` with `0` for unknown, e.g.
 * `中国|0|江苏省|南京市|电信`, `中国|0|北京|北京市|联通`, `美国|0|华盛顿|0|谷歌`. Each of the ~2,700
 * distinct strings is resolved to a {@link RegionGuess} once and cached by its offset.
 */
export class IpLocator {
  private readonly guesses = new Map<number, RegionGuess>();
  private readonly names = new RegionNameIndex();

  private constructor(private readonly content: Buffer) {}

  /** Loads and checks an xdb file; throws when it is missing or not an IPv4 xdb. */
  static load(file: string): IpLocator {
    const content = loadContentFromFile(file);
    if (content.length < HeaderInfoLength + VECTOR_COLUMNS * VECTOR_COLUMNS * VECTOR_ENTRY_BYTES) {
      throw new Error(`${file} is too short to be an ip2region xdb file`);
    }
    const header = new Header(content.subarray(0, HeaderInfoLength));
    if (versionFromHeader(header) !== IPv4) {
      throw new Error(`${file} is not an ip2region IPv4 xdb file (structure ${header.version})`);
    }
    return new IpLocator(content);
  }

  /** Where an IP address is, as far as the data knows; never throws. */
  locate(ip: string): RegionGuess {
    if (typeof ip !== 'string' || ip.length > 64) return UNKNOWN;
    const text = ip.trim();
    const v4 = parseIpv4(text) ?? mappedIpv4(text);
    // Other IPv6 addresses: the xdb has no IPv6 data (see SOURCES.md), so nothing is known.
    if (v4 === undefined || isSpecial(v4)) return UNKNOWN;
    const row = this.rowOf(v4);
    if (row === undefined) return UNKNOWN;
    const pointer = this.content.readUInt32LE(row + 10);
    let guess = this.guesses.get(pointer);
    if (guess === undefined) {
      guess = this.resolve(
        this.content.toString('utf8', pointer, pointer + this.content.readUInt16LE(row + 8)),
      );
      this.guesses.set(pointer, guess);
    }
    return guess;
  }

  /** The raw region string the data holds for an IPv4 address (for tests and diagnostics). */
  regionString(ip: number): string | undefined {
    const row = this.rowOf(ip);
    if (row === undefined) return undefined;
    const pointer = this.content.readUInt32LE(row + 10);
    return this.content.toString('utf8', pointer, pointer + this.content.readUInt16LE(row + 8));
  }

  /** The offset of the segment-index row holding `ip`, or `undefined` when no segment does. */
  private rowOf(ip: number): number | undefined {
    const buf = this.content;
    const slot =
      HeaderInfoLength + ((ip >>> 24) * VECTOR_COLUMNS + ((ip >>> 16) & 0xff)) * VECTOR_ENTRY_BYTES;
    const start = buf.readUInt32LE(slot);
    const end = buf.readUInt32LE(slot + 4);
    if (start === 0 || end === 0) return undefined;
    let low = 0;
    let high = (end - start) / SEGMENT_BYTES;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const row = start + mid * SEGMENT_BYTES;
      if (ip < buf.readUInt32LE(row)) high = mid - 1;
      else if (ip > buf.readUInt32LE(row + 4)) low = mid + 1;
      else return buf.readUInt16LE(row + 8) === 0 ? undefined : row;
    }
    return undefined;
  }

  private resolve(region: string): RegionGuess {
    const [countryField, , provinceField, cityField, ispField] = region.split('|');
    const country = known(countryField);
    const isp = known(ispField);
    if (country !== '中国') return Object.freeze({ regionCode: undefined, country, isp });
    const provinceName = known(provinceField);
    const cityName = known(cityField);
    const province = provinceName === undefined ? undefined : this.names.province(provinceName);
    const city =
      province === undefined || cityName === undefined ? undefined : this.names.city(province, cityName);
    return Object.freeze({ regionCode: city ?? province, country, isp });
  }
}
