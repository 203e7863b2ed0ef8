import { regionPath } from '@tracemark/core';
import type { DocumentRow, EnterpriseRow, FileRow } from '@tracemark/db';

/** An enterprise on the wire. */
export function presentEnterprise(e: EnterpriseRow) {
  return {
    id: e.id,
    name: e.name,
    uscc: e.uscc,
    legalRepresentative: e.legal_representative,
    address: e.address,
    regionCode: e.region_code,
    regionPath: [...(regionPath(e.region_code) ?? [])],
    contactName: e.contact_name,
    contactPhone: e.contact_phone,
    contactEmail: e.contact_email,
    status: e.status,
    reviewReason: e.review_reason,
    reviewedAt: e.reviewed_at,
    submittedAt: e.submitted_at,
    createdAt: e.created_at,
    updatedAt: e.updated_at,
  };
}

/** A qualification document on the wire, with its file's facts. */
export function presentDocument(d: DocumentRow, f: FileRow | undefined) {
  return {
    id: d.id,
    enterpriseId: d.tenant_id,
    kind: d.kind,
    title: d.title,
    number: d.number,
    expiresOn: d.expires_on,
    status: d.status,
    reviewReason: d.review_reason,
    file: {
      id: d.file_id,
      mediaType: f?.media_type ?? 'application/octet-stream',
      size: f?.size ?? 0,
      name: f?.original_name ?? '',
      sha256: f?.sha256 ?? '',
    },
    createdAt: d.created_at,
  };
}
