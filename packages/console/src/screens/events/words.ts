/**
 * Readable words for EPCIS values, shared by the traceability screens: CBV words in the
 * console's language (i18n `bizStep`, `disposition` …), times in Beijing time, and identifiers
 * (GS1 Digital Links, our short links and the platform's own party / site / batch URIs) as people
 * name them.
 */
import { hasMessage, type MessageKey, type Translate } from '../../i18n/index.js';

/** The CBV vocabularies with Chinese and English names. */
export type Vocabulary = 'bizStep' | 'disposition' | 'eventType' | 'eventAction' | 'stage' | 'btt' | 'unit';

/**
 * A CBV value in words: the translation of a standard value; a custom URI by its last part;
 * an em dash for nothing.
 */
export function cbvWord(t: Translate, vocabulary: Vocabulary, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const bare = value.replace(/^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-/, '');
  const key = `${vocabulary}.${bare}`;
  if (hasMessage(key)) return t(key as MessageKey);
  const tail = /[/#:]([^/#:]+)\/?$/.exec(bare)?.[1];
  return decodeURIComponent(tail ?? bare);
}

const beijing = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A time (epoch ms or ISO 8601) in Beijing time, `2026-11-27 17:05:09`. */
export function beijingTime(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = Object.fromEntries(beijing.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}`;
}

/** What an identifier names, for its icon and colour. */
export type IdKind = 'item' | 'lot' | 'case' | 'party' | 'location' | 'batch' | 'transaction' | 'other';

/** An identifier in words: a short label, what it is, and the identifier itself. */
export interface ReadableId {
  readonly label: string;
  readonly kind: IdKind;
  readonly id: string;
}

const segment = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * Names an identifier: `https://id.gs1.org/01/{gtin}/21/{serial}` → the serial (our code),
 * `…/10/{lot}` → the lot number, `…/414/{gln}` / `…/417/{gln}` → GLN, our short link → the
 * code, `…/party/{name}` and `…/site/{name}` → the name, the enterprise's own URI → “本企业”.
 */
export function readableId(t: Translate, id: string, ownEnterpriseId?: string): ReadableId {
  let m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/21\/([^/?]+)/.exec(id);
  if (m !== null) return { label: segment(m[2] ?? ''), kind: 'item', id };
  m = /^https:\/\/id\.gs1\.org\/01\/(\d{14})\/10\/([^/?]+)/.exec(id);
  if (m !== null) return { label: t('events.lotOf', { lot: segment(m[2] ?? '') }), kind: 'lot', id };
  m = /^https:\/\/id\.gs1\.org\/00\/(\d{18})/.exec(id);
  if (m !== null) return { label: `SSCC ${m[1] ?? ''}`, kind: 'case', id };
  m = /^https:\/\/id\.gs1\.org\/414\/(\d{13})/.exec(id);
  if (m !== null) return { label: `GLN ${m[1] ?? ''}`, kind: 'location', id };
  m = /^https:\/\/id\.gs1\.org\/417\/(\d{13})/.exec(id);
  if (m !== null) return { label: `GLN ${m[1] ?? ''}`, kind: 'party', id };
  m = /\/id\/[^/]+\/party\/([^/?]+)$/.exec(id);
  if (m !== null) return { label: segment(m[1] ?? ''), kind: 'party', id };
  m = /\/id\/[^/]+\/site\/([^/?]+)$/.exec(id);
  if (m !== null) return { label: segment(m[1] ?? ''), kind: 'location', id };
  m = /\/id\/[^/]+\/bt\/([^/?]+)$/.exec(id);
  if (m !== null) return { label: segment(m[1] ?? ''), kind: 'transaction', id };
  m = /\/id\/enterprise\/([^/?]+)$/.exec(id);
  if (m !== null) {
    const own = ownEnterpriseId !== undefined && m[1] === ownEnterpriseId;
    return { label: own ? t('events.ownEnterprise') : t('events.enterprise'), kind: 'party', id };
  }
  m = /\/id\/batch\/([^/?]+)$/.exec(id);
  if (m !== null) return { label: t('events.batchId', { id: (m[1] ?? '').slice(0, 8) }), kind: 'batch', id };
  m = /\/id\/raw-lot\/([^/?]+)$/.exec(id);
  if (m !== null) return { label: t('events.rawLotId', { id: (m[1] ?? '').slice(0, 8) }), kind: 'lot', id };
  m = /\/c\/(\d{10,30})(?:\.\.(\d{10,30}))?$/.exec(id);
  if (m !== null) return { label: m[2] === undefined ? (m[1] ?? '') : `${m[1]} … ${m[2]}`, kind: 'item', id };
  return { label: id, kind: 'other', id };
}

/**
 * Codes as a clerk scans or pastes them: one per line, or separated by spaces, commas,
 * semicolons or bars; a scanned QR link (`…/c/{code}`, `…/01/{gtin}/21/{code}`) counts as its code.
 */
export function parseCodes(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\s,;，；|]+/)
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .map((s) => /\/(?:c|21)\/(\d{10,30})(?:[/?#]|$)/.exec(s)?.[1] ?? s),
    ),
  ];
}
