import type { BatchRow, FileRow } from '@tracemark/db';
import { presentFile } from '../products/presenter.js';

/** A batch on the wire, with its inspection report's facts and (in lists) the product name. */
export function presentBatch(b: BatchRow & { product_name?: string }, report: FileRow | undefined) {
  return {
    id: b.id,
    productId: b.product_id,
    ...(b.product_name !== undefined ? { productName: b.product_name } : {}),
    lot: b.lot,
    productionDate: b.production_date,
    expiryDate: b.expiry_date,
    line: b.line,
    quantity: b.quantity,
    inspectionReport: report === undefined ? null : presentFile(report),
    status: b.status,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  };
}
