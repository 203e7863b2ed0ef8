import type { Messages } from '../index.js';

export const common: Messages['common'] = {
  actions: 'Actions',
  archive: 'Archive',
  back: 'Back',
  backHome: 'Back to start',
  cancel: 'Cancel',
  delete: 'Delete',
  edit: 'Edit',
  forbiddenTitle: 'Not allowed',
  forbiddenText: 'Your role cannot open this page.',
  noMatch: 'Nothing matches; try other words.',
  notFoundTitle: 'Page not found',
  notFoundText: 'The address may be wrong, or the page has moved.',
  preview: 'Preview',
  regionPlaceholder: 'Province / city / county',
  restore: 'Restore',
  save: 'Save',
  saved: 'Saved',
  selectToPreview: 'Choose a document on the left to see it here',
  status: 'Status',
  total: '{total} in all',
  updatedAt: 'Updated',
  yes: 'Yes',
  no: 'No',
  view: 'View',
};

export const menu: Messages['menu'] = {
  onboarding: 'Qualification',
  products: 'Products',
  codes: 'Trace codes',
  batches: 'Batches',
  reviews: 'Applications',
  enterprises: 'Enterprises',
  regulators: 'Regulators',
};

export const shell: Messages['shell'] = {
  product: 'Tracemark',
  slogan: 'Source checked · destination traced · responsibility assigned',
  platform: 'Platform operations',
  jurisdiction: 'Jurisdiction: ',
  changePassword: 'Change password',
  logout: 'Log out',
};

export const roles: Messages['roles'] = {
  platform_operator: 'Platform operator',
  enterprise_admin: 'Enterprise admin',
  enterprise_operator: 'Enterprise operator',
  distributor_user: 'Distributor',
  regulator: 'Regulator',
};

export const status: Messages['status'] = {
  draft: 'Draft',
  pending_review: 'Pending review',
  approved: 'Approved',
  rejected: 'Rejected',
  suspended: 'Suspended',
  pending: 'Pending',
  verified: 'Verified',
  active: 'Active',
  archived: 'Archived',
  retired: 'Retired',
  disabled: 'Disabled',
};

export const documentKinds: Messages['documentKinds'] = {
  business_licence: 'Business licence',
  trademark: 'Trademark registration or authorisation',
  production_licence: 'Production / hygiene licence',
  quality_inspection: 'Quality inspection / test report',
  product_specification: 'Product specification',
  foreign_equivalent: 'Foreign equivalent document',
  other: 'Other certificate',
};

export const rules: Messages['rules'] = {
  required: 'Please fill this in',
  length: '{min}–{max} characters',
  maxLength: 'At most {max} characters',
  passwordWeak: 'At least 10 characters, with letters and digits',
  confirmMismatch: 'The two passwords differ',
  usccInvalid: 'Not a valid unified social credit code (18 characters, check character)',
  gtinInvalid: 'Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit',
  email: 'Not an email address',
  phone: 'Not a phone number',
  url: 'An address starting with http:// or https://',
};

export const errors: Messages['errors'] = {
  network: 'The server cannot be reached; check the network and try again.',
  fieldInvalid: 'Not accepted',
  TRACE_HTTP_VALIDATION: 'Some fields are not accepted; see the ones marked in red.',
  TRACE_HTTP_RATE_LIMITED: 'Too many attempts; try again later.',
  TRACE_INTERNAL: 'The server failed; try again later.',
  TRACE_AUTH_REQUIRED: 'Your session has ended; please log in again.',
  TRACE_AUTH_INVALID_CREDENTIALS: 'Wrong username or password.',
  TRACE_AUTH_FORBIDDEN: 'Your role may not do this.',
  TRACE_AUTH_CSRF: 'The page is out of date; reload it and try again.',
  TRACE_AUTH_ACCOUNT_DISABLED: 'This account is disabled.',
  TRACE_AUTH_WEAK_PASSWORD: 'The password is too weak: at least 10 characters with letters and digits.',
  TRACE_AUTH_WRONG_PASSWORD: 'The current password is wrong.',
  TRACE_USER_USERNAME_TAKEN: 'This username is taken.',
  TRACE_USER_JURISDICTION_INVALID: 'The jurisdiction is not a GB/T 2260 region code.',
  TRACE_ENTERPRISE_USCC_INVALID: 'The unified social credit code is invalid.',
  TRACE_ENTERPRISE_USCC_TAKEN: 'An enterprise with this credit code is already registered.',
  TRACE_ENTERPRISE_REGION_INVALID: 'The region is not a valid division.',
  TRACE_ENTERPRISE_STATE: 'The enterprise is not in a state that allows this.',
  TRACE_ENTERPRISE_DOCUMENTS_MISSING: 'Upload the business licence before submitting for review.',
  TRACE_ENTERPRISE_SUSPENDED: 'The enterprise is suspended and cannot change data.',
  TRACE_ENTERPRISE_NOT_APPROVED: 'This needs an approved enterprise.',
  TRACE_DOCUMENT_LOCKED: 'A verified document cannot be deleted; upload a newer one.',
  TRACE_DOCUMENT_DATE_INVALID: 'The expiry date is not a real date.',
  TRACE_FILE_MISSING: 'Choose a file.',
  TRACE_FILE_TYPE: 'Only PDF, JPEG or PNG files are accepted.',
  TRACE_FILE_TOO_LARGE: 'The file is larger than the upload limit.',
  TRACE_PRODUCT_GTIN_INVALID: 'The GTIN is invalid (length or GS1 check digit).',
  TRACE_PRODUCT_GTIN_TAKEN: 'Another product of yours has this GTIN.',
  TRACE_PRODUCT_ARCHIVED: 'The product is archived.',
  TRACE_BATCH_LOT_TAKEN: 'This product already has a batch with this lot number.',
  TRACE_BATCH_DATES_INVALID: 'The expiry date cannot be before the production date.',
  TRACE_BATCH_ARCHIVED: 'The batch is archived.',
};
