/** How the scan screens write times, regions and clients. */
import dayjs from 'dayjs';
import type { MessageKey } from '../../i18n/index.js';

/** An epoch-ms time as 2026-11-27 18:05:09. */
export function dateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : dayjs(ms).format('YYYY-MM-DD HH:mm:ss');
}

/** A region's names from the province down (municipal "市辖区" levels left out), or undefined. */
export function regionText(
  region: { readonly names: readonly string[] } | null | undefined,
): string | undefined {
  if (region === null || region === undefined || region.names.length === 0) return undefined;
  return region.names.filter((n) => n !== '市辖区' && n !== '县').join(' ');
}

/** The client a consumer used, in words. */
export function clientKey(client: string): MessageKey {
  return `scanLog.client_${client}` as MessageKey;
}
