import type { CounterfeitReportRow } from '@tracemark/db';
import { presentRegion } from '../scan-log/presenter.js';

/** A counterfeit report on the wire. */
export function presentReport(r: CounterfeitReportRow) {
  return {
    id: r.id,
    code: r.code,
    productId: r.product_id,
    batchId: r.batch_id,
    verdict: r.verdict,
    whereBought: r.where_bought,
    priceCents: r.price_cents === null ? null : r.price_cents,
    note: r.note,
    contact: r.contact,
    photoUrl: r.photo_file_id === null ? null : `/api/v1/counterfeit-reports/${r.id}/photo`,
    region: presentRegion(r.region_code),
    status: r.status,
    handlerNote: r.handler_note,
    handledBy: r.handled_by,
    handledAt: r.handled_at === null ? null : r.handled_at,
    createdAt: r.created_at,
  };
}
