import type { ScanSettingsRow } from '@tracemark/db';
import type { ScanLink } from '../scan/view-model.js';
import { scanLinksOf, type EffectiveScanSettings, type ProductScanSettingsView } from './service.js';

/** Settings in force on the wire. */
export function presentScanSettings(s: EffectiveScanSettings) {
  return {
    queryLimit: s.queryLimit,
    warningText: s.warningText,
    promptText: s.promptText,
    imageFileId: s.imageFileId,
    antiCounterfeitPopup: s.antiCounterfeitPopup,
    links: s.links.map(presentLink),
  };
}

function presentLink(l: ScanLink) {
  return { kind: l.kind, url: l.url, label: l.label };
}

/** A product's override row on the wire: null fields inherit, `'none'` lifts the query limit. */
export function presentOverride(row: ScanSettingsRow) {
  return {
    queryLimit: row.query_limit === null ? null : row.query_limit === 0 ? ('none' as const) : row.query_limit,
    warningText: row.warning_text,
    promptText: row.prompt_text,
    imageFileId: row.image_file_id,
    antiCounterfeitPopup: row.popup === null ? null : row.popup === 1,
    links: row.links === null ? null : scanLinksOf(row).map(presentLink),
  };
}

/** A product's override and the settings in force for it, on the wire. */
export function presentProductScanSettings(v: ProductScanSettingsView) {
  return {
    override: v.override === undefined ? null : presentOverride(v.override),
    effective: presentScanSettings(v.effective),
  };
}
