/**
 * The error catalogue: every error the API returns has a stable code from this list, an HTTP
 * status and an English message (the console shows its own translation per code).
 * `docs/errors.md` lists the same codes; a test keeps the two in step.
 */
export const errorCatalogue = Object.freeze({
  // HTTP edge
  TRACE_HTTP_NOT_FOUND: { status: 404, message: 'No such route.' },
  TRACE_HTTP_BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  TRACE_HTTP_VALIDATION: { status: 400, message: 'The request does not match the schema.' },
  TRACE_HTTP_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here.' },
  TRACE_HTTP_RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  TRACE_HTTP_BAD_REQUEST: { status: 400, message: 'The request is malformed.' },
  TRACE_INTERNAL: { status: 500, message: 'Internal error; it has been logged with the request id.' },
  TRACE_UNAVAILABLE: { status: 503, message: 'The service is not ready.' },
  // Authentication and authorisation
  TRACE_AUTH_REQUIRED: { status: 401, message: 'Log in or send an API key.' },
  TRACE_AUTH_INVALID_CREDENTIALS: { status: 401, message: 'Wrong username or password.' },
  TRACE_AUTH_INVALID_API_KEY: { status: 401, message: 'The API key is unknown or revoked.' },
  TRACE_AUTH_FORBIDDEN: { status: 403, message: 'Your role may not do this.' },
  TRACE_AUTH_CSRF: { status: 403, message: 'Missing or wrong X-CSRF-Token header.' },
  TRACE_AUTH_ACCOUNT_DISABLED: { status: 403, message: 'This account is disabled.' },
  TRACE_AUTH_WEAK_PASSWORD: {
    status: 400,
    message: 'The password is too weak: at least 10 characters with letters and digits.',
  },
  TRACE_AUTH_WRONG_PASSWORD: { status: 400, message: 'The current password is wrong.' },
  // Users and API keys
  TRACE_USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  TRACE_USER_USERNAME_TAKEN: { status: 409, message: 'This username is taken.' },
  TRACE_USER_ROLE_NOT_ALLOWED: { status: 403, message: 'You may not give this role.' },
  TRACE_USER_JURISDICTION_INVALID: {
    status: 400,
    message: 'A regulator needs a valid GB/T 2260 region code as jurisdiction.',
  },
  TRACE_USER_SELF_CHANGE: {
    status: 409,
    message:
      'You cannot disable yourself, change your own role or reset your own password (change it with the current one).',
  },
  TRACE_APIKEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  // Enterprises and documents
  TRACE_ENTERPRISE_NOT_FOUND: { status: 404, message: 'No such enterprise.' },
  TRACE_ENTERPRISE_USCC_INVALID: {
    status: 400,
    message: 'The unified social credit code is invalid (GB 32100).',
  },
  TRACE_ENTERPRISE_USCC_TAKEN: {
    status: 409,
    message: 'An enterprise with this unified social credit code is already registered.',
  },
  TRACE_ENTERPRISE_REGION_INVALID: { status: 400, message: 'The region is not a GB/T 2260 code.' },
  TRACE_ENTERPRISE_STATE: { status: 409, message: 'The enterprise is not in a state that allows this.' },
  TRACE_ENTERPRISE_FIELD_LOCKED: {
    status: 409,
    message: 'Name, credit code and legal representative change only through a new review.',
  },
  TRACE_ENTERPRISE_DOCUMENTS_MISSING: {
    status: 409,
    message: 'Upload the business licence before submitting for review.',
  },
  TRACE_ENTERPRISE_SUSPENDED: {
    status: 403,
    message: 'The enterprise is suspended by the platform operator; only reading is allowed.',
  },
  TRACE_ENTERPRISE_NO_TENANT: { status: 403, message: 'This account belongs to no enterprise.' },
  TRACE_DOCUMENT_NOT_FOUND: { status: 404, message: 'No such document.' },
  TRACE_DOCUMENT_LOCKED: {
    status: 409,
    message: 'A verified document cannot be deleted; upload a newer one instead.',
  },
  TRACE_DOCUMENT_DATE_INVALID: { status: 400, message: 'The expiry date must be a real date (YYYY-MM-DD).' },
  // Files
  TRACE_FILE_MISSING: { status: 400, message: 'The upload has no file part.' },
  TRACE_FILE_TYPE: {
    status: 415,
    message: 'Only PDF, JPEG and PNG files are accepted (checked by content).',
  },
  TRACE_FILE_TOO_LARGE: { status: 413, message: 'The file is larger than the upload limit.' },
  TRACE_FILE_NOT_FOUND: { status: 404, message: 'No such file.' },
  // Products and batches
  TRACE_PRODUCT_NOT_FOUND: { status: 404, message: 'No such product.' },
  TRACE_PRODUCT_GTIN_INVALID: { status: 400, message: 'The GTIN is invalid (length or GS1 check digit).' },
  TRACE_PRODUCT_GTIN_TAKEN: { status: 409, message: 'Another product of this enterprise has this GTIN.' },
  TRACE_PRODUCT_ARCHIVED: { status: 409, message: 'The product is archived.' },
  TRACE_PRODUCT_IMAGE_NOT_FOUND: { status: 404, message: 'The product has no such image.' },
  TRACE_BATCH_NOT_FOUND: { status: 404, message: 'No such batch.' },
  TRACE_BATCH_LOT_TAKEN: { status: 409, message: 'This product already has a batch with this lot number.' },
  TRACE_BATCH_DATES_INVALID: {
    status: 400,
    message: 'Dates must be real dates (YYYY-MM-DD) and expiry after production.',
  },
  TRACE_BATCH_ARCHIVED: { status: 409, message: 'The batch is archived.' },
  // Trace codes
  TRACE_ENTERPRISE_NOT_APPROVED: {
    status: 403,
    message: 'Only an approved enterprise can do this; finish onboarding first.',
  },
  TRACE_CODE_SPACE_NOT_FOUND: { status: 404, message: 'No such code space.' },
  TRACE_CODE_SPACE_FULL: {
    status: 409,
    message: 'The code space has not enough serials left; create another space.',
  },
  TRACE_CODE_SPACE_RETIRED: { status: 409, message: 'The code space is retired and issues no more codes.' },
  TRACE_CODE_PREFIXES_EXHAUSTED: { status: 503, message: 'No free prefix is left for this code length.' },
  TRACE_CODE_JOB_NOT_FOUND: { status: 404, message: 'No such generation job.' },
  TRACE_CODE_COUNT_RANGE: { status: 400, message: 'A job issues from 1 to 100,000,000 codes.' },
  TRACE_CODE_INVALID: {
    status: 400,
    message: 'Not a trace code: wrong length, not digits, or wrong check digit.',
  },
  TRACE_CODE_NOT_FOUND: {
    status: 404,
    message: 'No such code among yours (never issued, or of another enterprise).',
  },
  TRACE_CODE_RANGE_INVALID: {
    status: 400,
    message: 'The range must lie inside the job, first position not after the last.',
  },
  TRACE_CODE_ALREADY_ACTIVE: { status: 409, message: 'Some of these codes are already active.' },
  TRACE_CODE_NOT_ACTIVE: { status: 409, message: 'The code is not active; activate it for a batch first.' },
  TRACE_CODE_VOIDED: { status: 409, message: 'The code was taken out of use (replaced or destroyed).' },
  TRACE_CODE_PRODUCT_MISMATCH: { status: 409, message: "The batch is of another product than the job's." },
  TRACE_CODE_PACKING_LEVEL: {
    status: 409,
    message:
      'A parent code must be of a higher packing level than its children (item → box → case → pallet).',
  },
  TRACE_CODE_MIXED_BATCHES: {
    status: 409,
    message: 'The children are of several batches; activate the parent code for a batch first.',
  },
  TRACE_CODE_PACK_CYCLE: {
    status: 409,
    message: 'A code cannot be packed into itself or into one of its own contents.',
  },
  TRACE_CODE_NOT_PACKED: { status: 409, message: 'The code is not packed in this parent.' },
  TRACE_CODE_EXPORT_NOT_FOUND: { status: 404, message: 'No such export or file.' },
  TRACE_CODE_EXPORT_NOT_READY: { status: 409, message: 'The export is not finished yet.' },
  TRACE_CODE_LABEL_SPEC: { status: 400, message: 'The label size, layout or colour is not supported.' },
  TRACE_CODE_TOO_MANY: { status: 400, message: 'Too many codes for one request; split it.' },
  // Trace (genealogy and timeline)
  TRACE_TRACE_START_INVALID: {
    status: 400,
    message: 'Give exactly one of code, epc, batchId or lot, as a valid identifier.',
  },
  // Consumer verification (scan page, verify API)
  TRACE_SCAN_BLOCKED: {
    status: 429,
    message: 'Too many invalid codes were looked up from your network; try again later.',
  },
  TRACE_SCAN_NOT_OURS: {
    status: 404,
    message: 'This is not a code issued on this platform, so it cannot be reported to an enterprise.',
  },
  TRACE_SCAN_CODE_UNKNOWN: { status: 404, message: 'This is not a code issued on this platform.' },
  TRACE_SCAN_NOT_FOUND: { status: 404, message: 'No such query, or it is too old to change.' },
  TRACE_SCAN_POSITION_SET: { status: 409, message: 'A position was already given for this query.' },
  TRACE_SCAN_POSITION_INVALID: { status: 400, message: 'The latitude or longitude is out of range.' },
  TRACE_SCAN_REPORT_INVALID: {
    status: 400,
    message:
      'The report is incomplete: say where you bought it; the price is in yuan with at most two decimals.',
  },
  TRACE_SCAN_MEDIA_NOT_FOUND: { status: 404, message: 'No such public image or report.' },
  // Consumer verification, the enterprise's and operator's side (settings, query log, reports, alerts)
  TRACE_SCAN_IMAGE_NOT_FOUND: {
    status: 404,
    message: 'No such image among your files; upload it with POST /api/v1/scan-settings/image.',
  },
  TRACE_SCAN_IMAGE_INVALID: {
    status: 400,
    message:
      'The scan-page image must be a JPEG or PNG uploaded as a scan-page or product image (documents and report photos are never public).',
  },
  TRACE_REPORT_NOT_FOUND: { status: 404, message: 'No such counterfeit report.' },
  TRACE_REPORT_PHOTO_NOT_FOUND: { status: 404, message: 'This counterfeit report has no photo.' },
  TRACE_ALERT_NOT_FOUND: { status: 404, message: 'No such platform alert.' },
  TRACE_ALERT_ACKNOWLEDGED: { status: 409, message: 'The alert was already acknowledged.' },
  // EPCIS 2.0 event store (/epcis/…; bodies there are RFC 7807 problems with the GS1 exception type)
  TRACE_EPCIS_VALIDATION: {
    status: 400,
    message:
      'The EPCIS document or event does not meet the EPCIS 2.0 JSON Schema or rules; nothing was stored.',
  },
  TRACE_EPCIS_QUERY_PARAMETER: {
    status: 400,
    message: 'A query parameter is unknown, malformed or not allowed here.',
  },
  TRACE_EPCIS_QUERY_TOO_LARGE: { status: 413, message: 'More events match than maxEventCount allows.' },
  TRACE_EPCIS_CAPTURE_LIMIT: {
    status: 413,
    message: 'The document has more events than GS1-EPCIS-Capture-Limit allows; split it.',
  },
  TRACE_EPCIS_VERSION: { status: 406, message: 'Only EPCIS 2.0 and CBV 2.0 are served.' },
  TRACE_EPCIS_EVENT_NOT_FOUND: { status: 404, message: 'No such event among yours.' },
  TRACE_EPCIS_CAPTURE_NOT_FOUND: { status: 404, message: 'No such capture job.' },
  TRACE_EPCIS_RESOURCE_NOT_FOUND: {
    status: 404,
    message:
      'No event you can see has this event type, identifier, bizStep, location, read point or disposition.',
  },
  TRACE_EPCIS_QUERY_NOT_FOUND: { status: 404, message: 'No such named query.' },
  TRACE_EPCIS_QUERY_EXISTS: { status: 409, message: 'A named query with this name exists.' },
  TRACE_EPCIS_SUBSCRIPTION_NOT_FOUND: { status: 404, message: 'No such subscription.' },
  TRACE_EPCIS_SUBSCRIPTION_INVALID: {
    status: 400,
    message:
      'The subscription is invalid: give stream: true or a schedule (second, minute, hour, dayOfMonth, month, dayOfWeek: numbers, [low-high] ranges, comma-separated), not both.',
  },
  TRACE_EPCIS_WEBHOOK_REFUSED: {
    status: 400,
    message:
      'The subscription dest is refused: it must be an http(s) URL whose host is not a loopback, link-local, private, CGNAT, multicast, reserved or metadata address (EPCIS_WEBHOOK_ALLOW_PRIVATE lifts this).',
  },
  TRACE_EPCIS_PAGE_TOKEN: {
    status: 400,
    message: 'The nextPageToken is invalid or belongs to another query.',
  },
  // Event sharing (/api/v1/event-shares)
  TRACE_SHARE_INVALID: {
    status: 400,
    message:
      'The share is invalid: name an enterprise id or a regulator jurisdiction (six digits), bizSteps as CBV steps or URIs, and from before to.',
  },
  TRACE_SHARE_GRANTEE_NOT_FOUND: { status: 404, message: 'No such enterprise to share with.' },
  TRACE_SHARE_NOT_FOUND: { status: 404, message: 'No such event share of yours.' },
  // Business actions (/api/v1/trace-actions/…) and stage templates
  TRACE_ACTION_INVALID: { status: 400, message: 'The business action is invalid; see details.' },
  TRACE_ACTION_NO_TARGETS: {
    status: 400,
    message: 'Name what the action is about: codes, code ranges, batches or raw-material lots.',
  },
  TRACE_ACTION_LOT_NOT_FOUND: { status: 404, message: 'No such raw-material lot among yours.' },
  TRACE_ACTION_LOT_EXHAUSTED: {
    status: 409,
    message: 'The raw-material lot has less left than production uses (in its own unit).',
  },
  TRACE_ACTION_CODE_BATCH: {
    status: 409,
    message: 'A code is not active for the batch produced; activate it for this batch first.',
  },
  TRACE_ACTION_TEMPLATE_NOT_FOUND: { status: 404, message: 'No such stage template.' },
  TRACE_ACTION_TEMPLATE_INVALID: {
    status: 400,
    message:
      'The stage template is invalid: field keys must be unique, select fields need options, the bizStep must be a CBV step or a URI.',
  },
  TRACE_ACTION_TEMPLATE_ARCHIVED: { status: 409, message: 'The stage template is archived.' },
  TRACE_ACTION_STAGE_VALUES: {
    status: 400,
    message: 'The values do not meet the stage template (required, type, options or unknown fields).',
  },
  TRACE_ACTION_IMPORT_FORMAT: {
    status: 400,
    message: 'The import is not a CSV or XLSX file with a header row and an action column.',
  },
  TRACE_ACTION_IMPORT_TOO_MANY_ROWS: {
    status: 413,
    message: 'The import has more rows than one file may hold; split it.',
  },
  TRACE_ACTION_IMPORT_REJECTED: {
    status: 422,
    message: 'Some rows are invalid, so nothing was stored; details list each (row, column, code).',
  },
} as const);

/** A code of the catalogue. */
export type ErrorCode = keyof typeof errorCatalogue;

/** One problem inside a validation error: where and what. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
  /** For a row of an import: its number (1 = the first row after the header). */
  readonly row?: number;
  /** For a row of an import: the column at fault. */
  readonly column?: string;
  /** For a row of an import: the catalogue code of the row's problem. */
  readonly code?: string;
}

/**
 * An expected failure with a catalogue code. Throw it anywhere below a route; the error
 * handler turns it into the one error body.
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.statusCode = errorCatalogue[code].status;
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly statusCode: number;
    readonly requestId: string;
    readonly details?: readonly ErrorDetail[];
  };
}
