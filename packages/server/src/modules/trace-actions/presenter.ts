import type { RawMaterialLotRow, StageTemplateRow } from '@tracemark/db';
import { fieldsOf } from './service.js';

/** A raw-material lot on the wire. */
export function presentLot(l: RawMaterialLotRow) {
  return {
    id: l.id,
    supplierName: l.supplier_name,
    supplierParty: l.supplier_party,
    material: l.material_name,
    materialGtin: l.material_gtin,
    lot: l.lot,
    quantity: l.quantity,
    usedQuantity: l.used_quantity,
    unit: l.unit,
    receivedDate: l.received_date,
    inspectionFileId: l.inspection_file_id,
    epcClass: l.epc_class,
    eventId: l.event_id,
    createdAt: l.created_at,
  };
}

/** A stage template on the wire. */
export function presentTemplate(t: StageTemplateRow) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    bizStep: t.biz_step,
    fields: fieldsOf(t).map(({ options, ...f }) =>
      options === undefined ? f : { ...f, options: [...options] },
    ),
    status: t.status,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}
