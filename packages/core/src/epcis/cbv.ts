/**
 * GS1 Core Business Vocabulary (CBV) 2.0: the standard business steps, dispositions, business
 * transaction types, source/destination types and error reasons, and the three spellings each
 * may arrive in — the bare word of JSON-LD (`shipping`), the Web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`) and the CBV 1.x URN
 * (`urn:epcglobal:cbv:bizstep:shipping`).
 *
 * We store the bare word for standard values (what JSON-LD documents carry and what queries
 * send) and any other value as the URI it is.
 */

/** The kinds of CBV vocabulary the event model uses. */
export type CbvVocabulary = 'BizStep' | 'Disp' | 'BTT' | 'SDT' | 'ER';

/** Standard business steps (CBV 2.0 §7.1). */
export const CBV_BIZ_STEPS: readonly string[] = Object.freeze([
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
  'sensor_reporting',
  'sampling',
]);

/** Standard dispositions (CBV 2.0 §7.2). */
export const CBV_DISPOSITIONS: readonly string[] = Object.freeze([
  'active',
  'container_closed',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'no_pedigree_match',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unknown',
  'available',
  'completeness_verified',
  'completeness_inferred',
  'conformant',
  'container_open',
  'mismatch_instance',
  'mismatch_class',
  'mismatch_quantity',
  'needs_replacement',
  'non_conformant',
  'unavailable',
]);

/** Standard business transaction types (CBV 2.0 §7.3). */
export const CBV_BIZ_TRANSACTION_TYPES: readonly string[] = Object.freeze([
  'bol',
  'cert',
  'desadv',
  'inv',
  'pedigree',
  'po',
  'poc',
  'prodorder',
  'recadv',
  'rma',
  'testprd',
  'testres',
  'upevt',
]);

/** Standard source/destination types (CBV 2.0 §7.4). */
export const CBV_SOURCE_DEST_TYPES: readonly string[] = Object.freeze([
  'owning_party',
  'possessing_party',
  'location',
]);

/** Standard error reasons (CBV 2.0 §7.5). */
export const CBV_ERROR_REASONS: readonly string[] = Object.freeze(['did_not_occur', 'incorrect_data']);

const standard: Readonly<Record<CbvVocabulary, ReadonlySet<string>>> = Object.freeze({
  BizStep: new Set(CBV_BIZ_STEPS),
  Disp: new Set(CBV_DISPOSITIONS),
  BTT: new Set(CBV_BIZ_TRANSACTION_TYPES),
  SDT: new Set(CBV_SOURCE_DEST_TYPES),
  ER: new Set(CBV_ERROR_REASONS),
});

// CBV 1.x URN segment of each vocabulary.
const urnSegment: Readonly<Record<CbvVocabulary, string>> = Object.freeze({
  BizStep: 'bizstep',
  Disp: 'disp',
  BTT: 'btt',
  SDT: 'sdt',
  ER: 'er',
});

/** The GS1 Web URI base of the CBV. */
export const CBV_WEB_URI = 'https://ref.gs1.org/cbv/';

/**
 * A CBV value in its stored form: the bare word when it is a standard value in any spelling
 * (bare, Web URI, `gs1.org/voc` URI, `cbv:` CURIE or CBV 1.x URN), otherwise the value as
 * given (trimmed) — a custom vocabulary URI stays a URI.
 *
 * @example
 * normaliseCbv('BizStep', 'urn:epcglobal:cbv:bizstep:shipping'); // 'shipping'
 * normaliseCbv('Disp', 'https://ref.gs1.org/cbv/Disp-in_transit'); // 'in_transit'
 * normaliseCbv('BizStep', 'https://example.com/steps/planting'); // unchanged
 */
export function normaliseCbv(vocabulary: CbvVocabulary, value: string): string {
  const v = value.trim();
  const words = standard[vocabulary];
  if (words.has(v)) return v;
  const prefixes = [
    `${CBV_WEB_URI}${vocabulary}-`,
    `https://gs1.org/voc/${vocabulary}-`,
    `http://gs1.org/voc/${vocabulary}-`,
    `cbv:${vocabulary}-`,
    `gs1:${vocabulary}-`,
    `urn:epcglobal:cbv:${urnSegment[vocabulary]}:`,
  ];
  for (const p of prefixes) {
    if (v.startsWith(p)) {
      const word = v.slice(p.length);
      if (words.has(word)) return word;
    }
  }
  return v;
}

/**
 * The GS1 Web URI of a CBV value (what the event hash uses): standard values in any spelling
 * become `https://ref.gs1.org/cbv/{Vocabulary}-{word}`; other values are returned trimmed.
 */
export function cbvWebUri(vocabulary: CbvVocabulary, value: string): string {
  const n = normaliseCbv(vocabulary, value);
  return standard[vocabulary].has(n) ? `${CBV_WEB_URI}${vocabulary}-${n}` : n;
}

/** Whether a value (any spelling) is a standard value of the vocabulary. */
export function isStandardCbv(vocabulary: CbvVocabulary, value: string): boolean {
  return standard[vocabulary].has(normaliseCbv(vocabulary, value));
}
