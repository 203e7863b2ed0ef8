/**
 * `raw_material_lots`: a lot of raw material received from a supplier (原料批次). Its EPCIS
 * identity is `epc_class`: the supplier's GTIN + lot as an LGTIN when known, else a platform URI.
 */
export interface RawMaterialLotsTable {
  tenant_id: string;
  id: string;
  supplier_name: string;
  /** The supplier as it appears in events (PGLN or platform party URI). */
  supplier_party: string;
  material_name: string;
  /** GTIN-14 of the material, when the supplier labels it with one. */
  material_gtin: string | null;
  lot: string;
  quantity: number;
  /** How much production has used so far (in `unit`). */
  used_quantity: number;
  /** UN/CEFACT Rec. 20 unit code (KGM, LTR, H87 …). */
  unit: string;
  /** ISO date `YYYY-MM-DD`. */
  received_date: string;
  inspection_file_id: string | null;
  /** Canonical class identifier of the lot in events. */
  epc_class: string;
  /** eventID of the receiving event that brought the lot in. */
  event_id: string;
  created_by: string;
  created_at: number;
}

/** The type of a stage template field. */
export type StageFieldType = 'text' | 'number' | 'date' | 'select' | 'file';

/** One custom field of a stage template. */
export interface StageField {
  readonly key: string;
  readonly label: string;
  readonly type: StageFieldType;
  readonly required: boolean;
  /** The choices of a `select` field. */
  readonly options?: readonly string[];
  /** The unit shown beside a number (free text, e.g. 公斤). */
  readonly unit?: string;
}

/** `stage_templates`: an enterprise's own production stage (环节模板) with its custom fields. */
export interface StageTemplatesTable {
  tenant_id: string;
  id: string;
  name: string;
  description: string | null;
  /** CBV bizStep: the bare word of a standard step or a custom URI. */
  biz_step: string;
  /** JSON array of {@link StageField}. */
  fields: string;
  status: 'active' | 'archived';
  created_by: string;
  created_at: number;
  updated_at: number;
}
