import { gs1CheckDigit, parseGtin } from '@tracemark/codes';
import { canonicalIdentifier, GS1_DIGITAL_LINK_BASE, type IdentifierOptions } from '@tracemark/core';
import { AppError } from '../../errors.js';

/**
 * How business actions name things in the events they write (docs/adr/0005): always the
 * canonical form, so what is written is what `event_epcs` stores and what trace walks.
 *
 * - an item, case or pallet code: the GS1 Digital Link SGTIN `https://id.gs1.org/01/{gtin}/21/{code}`
 *   when its product has a GTIN and the code fits AI 21 (≤ 20 characters), else the short
 *   link `{PUBLIC_URL}/c/{code}` — the same rule as the URL printed in the code's QR;
 * - a batch: the LGTIN `https://id.gs1.org/01/{gtin}/10/{lot}` when the product has a GTIN, else
 *   `{PUBLIC_URL}/id/batch/{batchId}`;
 * - a raw-material lot: the supplier's LGTIN when the material has a GTIN, else
 *   `{PUBLIC_URL}/id/raw-lot/{lotId}`;
 * - a party or location given as a 13-digit GLN: PGLN `https://id.gs1.org/417/{gln}` or SGLN
 *   `https://id.gs1.org/414/{gln}`; as a URI: that URI (canonical); as a name: a platform URI of
 *   the enterprise's own site or partner, `{PUBLIC_URL}/id/{enterpriseId}/{party|site}/{name}`;
 * - the enterprise itself as a party: `{PUBLIC_URL}/id/enterprise/{enterpriseId}`.
 */

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '');
}

function segment(text: string): string {
  return encodeURIComponent(text.trim()).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The identifier of one of the platform's codes in events. */
export function codeEpc(publicUrl: string, code: string, gtin: string | null): string {
  return gtin !== null && code.length <= 20
    ? `${GS1_DIGITAL_LINK_BASE}/01/${gtin}/21/${code}`
    : `${base(publicUrl)}/c/${code}`;
}

/** The class identifier of a batch. */
export function batchClass(
  publicUrl: string,
  batch: { id: string; lot: string },
  gtin: string | null,
): string {
  return gtin !== null
    ? `${GS1_DIGITAL_LINK_BASE}/01/${gtin}/10/${segment(batch.lot)}`
    : `${base(publicUrl)}/id/batch/${batch.id}`;
}

/** The class identifier of a raw-material lot. */
export function rawLotClass(
  publicUrl: string,
  lot: { id: string; lot: string },
  materialGtin: string | null,
): string {
  return materialGtin !== null
    ? `${GS1_DIGITAL_LINK_BASE}/01/${materialGtin}/10/${segment(lot.lot)}`
    : `${base(publicUrl)}/id/raw-lot/${lot.id}`;
}

/** The enterprise itself as a party of events. */
export function enterpriseParty(publicUrl: string, enterpriseId: string): string {
  return `${base(publicUrl)}/id/enterprise/${enterpriseId}`;
}

/** What a party or location reference resolves to: its URI and, for a name, the name. */
export interface NamedRef {
  readonly uri: string;
  readonly name: string | null;
}

/**
 * A party (`party`) or place (`site`) given by a caller: a 13-digit GLN (check digit verified),
 * a URI (kept canonical), or a name of the enterprise's own site or partner (a platform URI).
 * `field` names the input for the error.
 */
export function partyOrSite(
  kind: 'party' | 'site',
  value: string,
  ctx: { publicUrl: string; enterpriseId: string; options: IdentifierOptions },
  field: string,
): NamedRef {
  const v = value.trim();
  if (/^\d{13}$/.test(v)) {
    if (gs1CheckDigit(v.slice(0, 12)) !== Number(v[12]))
      throw invalid(field, `${v} is not a GLN: wrong GS1 check digit.`);
    return { uri: `${GS1_DIGITAL_LINK_BASE}/${kind === 'party' ? '417' : '414'}/${v}`, name: null };
  }
  if (/^(https?:\/\/|urn:)/i.test(v)) {
    const c = canonicalIdentifier(v, ctx.options);
    if (!c.ok) throw invalid(field, c.message);
    return { uri: c.uri, name: null };
  }
  return { uri: `${base(ctx.publicUrl)}/id/${ctx.enterpriseId}/${kind}/${segment(v)}`, name: v };
}

/** A business transaction (发货单, order …) number as a URI: kept when it is one. */
export function bizTransactionUri(publicUrl: string, enterpriseId: string, value: string): string {
  const v = value.trim();
  if (/^(https?:\/\/|urn:)/i.test(v)) return v;
  return `${base(publicUrl)}/id/${enterpriseId}/bt/${segment(v)}`;
}

/** A GTIN-14 or a 400 naming the field. */
export function gtin14(value: string, field: string): string {
  const g = parseGtin(value.trim());
  if (g.type === 'error') throw invalid(field, `${value} is not a GTIN: ${g.message}`);
  return g.gtin14;
}

/** TRACE_ACTION_INVALID about one field. */
export function invalid(field: string, message: string): AppError {
  return new AppError('TRACE_ACTION_INVALID', message, [{ field, message }]);
}
