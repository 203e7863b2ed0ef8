import { errorCatalogue, type ErrorCode, type ErrorDetail } from '../errors.js';

/**
 * Errors on the EPCIS 2.0 REST binding (`/epcis/…`) are RFC 7807 problems as the binding says
 * (`type: "epcisException:ValidationException"`, `title`, `status`), served as
 * `application/problem+json`, with our catalogue code, request id and field details as
 * extension members, so one client can handle both APIs.
 */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly code: ErrorCode;
  readonly requestId: string;
  readonly details?: readonly ErrorDetail[];
}

// The GS1 exception of each EPCIS error; other codes by their status below.
const exceptionOf: Partial<Record<ErrorCode, string>> = {
  TRACE_EPCIS_VALIDATION: 'ValidationException',
  TRACE_EPCIS_QUERY_PARAMETER: 'QueryParameterException',
  TRACE_EPCIS_PAGE_TOKEN: 'QueryParameterException',
  TRACE_EPCIS_QUERY_TOO_LARGE: 'QueryTooLargeException',
  TRACE_EPCIS_CAPTURE_LIMIT: 'CaptureLimitExceededException',
  TRACE_EPCIS_VERSION: 'NotAcceptableException',
  TRACE_EPCIS_EVENT_NOT_FOUND: 'NoSuchResourceException',
  TRACE_EPCIS_CAPTURE_NOT_FOUND: 'NoSuchResourceException',
  TRACE_EPCIS_QUERY_NOT_FOUND: 'NoSuchNameException',
  TRACE_EPCIS_SUBSCRIPTION_NOT_FOUND: 'NoSuchSubscriptionException',
  TRACE_EPCIS_QUERY_EXISTS: 'ResourceAlreadyExistsException',
  TRACE_EPCIS_SUBSCRIPTION_INVALID: 'SubscriptionControlsException',
  TRACE_EPCIS_WEBHOOK_REFUSED: 'SubscriptionControlsException',
  TRACE_HTTP_VALIDATION: 'QueryParameterException',
  TRACE_HTTP_BAD_JSON: 'ValidationException',
  TRACE_HTTP_BODY_TOO_LARGE: 'CaptureLimitExceededException',
};

const byStatus: Readonly<Record<number, string>> = {
  400: 'ValidationException',
  401: 'SecurityException',
  403: 'SecurityException',
  404: 'NoSuchResourceException',
  406: 'NotAcceptableException',
  409: 'ResourceAlreadyExistsException',
  413: 'QueryTooLargeException',
  414: 'URITooLongException',
  415: 'UnsupportedMediaTypeException',
  429: 'ImplementationException',
};

/** The GS1 exception type of a catalogue code (`epcisException:…`). */
export function epcisExceptionType(code: ErrorCode): string {
  const status = errorCatalogue[code].status;
  return `epcisException:${exceptionOf[code] ?? byStatus[status] ?? 'ImplementationException'}`;
}

/** Whether a URL is on the EPCIS binding, whose errors are RFC 7807 problems. */
export function isEpcisUrl(url: string): boolean {
  return url === '/epcis' || url.startsWith('/epcis/') || url.startsWith('/epcis?');
}

/** The problem body of a catalogue error. */
export function problemBody(
  code: ErrorCode,
  requestId: string,
  message?: string,
  details?: readonly ErrorDetail[],
): ProblemBody {
  const status = errorCatalogue[code].status;
  return {
    type: epcisExceptionType(code),
    title: errorCatalogue[code].message,
    status,
    detail: message ?? errorCatalogue[code].message,
    instance: `urn:uuid:${requestId}`,
    code,
    requestId,
    ...(details !== undefined && details.length > 0 ? { details } : {}),
  };
}
