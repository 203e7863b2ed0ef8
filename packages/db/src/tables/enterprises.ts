/** Where an enterprise's application stands. Only `approved` may issue codes. */
export type EnterpriseStatus = 'draft' | 'pending_review' | 'approved' | 'rejected' | 'suspended';

/** `enterprises`: the tenants. Each enterprise's own rows carry its id as `tenant_id`. */
export interface EnterprisesTable {
  id: string;
  name: string;
  /** 统一社会信用代码, validated (GB 32100) and stored upper-case. */
  uscc: string;
  legal_representative: string;
  address: string;
  /** GB/T 2260 region code (6 digits) of the registered address. */
  region_code: string;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  status: EnterpriseStatus;
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  submitted_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The seven kinds of qualification document of PRODUCT.md §1. */
export type DocumentKind =
  | 'business_licence'
  | 'trademark'
  | 'production_licence'
  | 'quality_inspection'
  | 'product_specification'
  | 'foreign_equivalent'
  | 'other';

/** `enterprise_documents`: a qualification document with its number, expiry and file. */
export interface EnterpriseDocumentsTable {
  tenant_id: string;
  id: string;
  kind: DocumentKind;
  title: string;
  number: string;
  /** ISO date `YYYY-MM-DD`; null when the document does not lapse. */
  expires_on: string | null;
  file_id: string;
  status: 'pending' | 'verified' | 'rejected';
  review_reason: string | null;
  reviewed_at: number | null;
  created_by: string;
  created_at: number;
}

/** `files`: an uploaded file, stored under `DATA_DIR/files/`; the row holds its metadata. */
export interface FilesTable {
  tenant_id: string;
  id: string;
  purpose: 'document' | 'product_image' | 'inspection_report' | 'report_photo';
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  sha256: string;
  original_name: string;
  created_by: string;
  created_at: number;
}
