/** The kinds of qualification documents (PRODUCT.md §1), in the order an applicant needs them. */
export const documentKinds = [
  'business_licence',
  'trademark',
  'production_licence',
  'quality_inspection',
  'product_specification',
  'foreign_equivalent',
  'other',
] as const;

/** One kind of qualification document. */
export type DocumentKind = (typeof documentKinds)[number];

/** The URL of a document's file (PDF or image, served inline). */
export function documentFileUrl(enterpriseId: string, documentId: string): string {
  return `/api/v1/enterprises/${encodeURIComponent(enterpriseId)}/documents/${encodeURIComponent(documentId)}/file`;
}
