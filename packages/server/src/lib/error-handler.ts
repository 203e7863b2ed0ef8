import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCatalogue, type ErrorBody, type ErrorCode, type ErrorDetail } from '../errors.js';
import { isEpcisUrl, problemBody } from './problem.js';

// Fastify's own error codes, mapped onto our catalogue so every error has one shape.
const fastifyCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'TRACE_HTTP_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'TRACE_HTTP_BAD_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'TRACE_HTTP_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'TRACE_HTTP_BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'TRACE_HTTP_BAD_REQUEST',
  FST_ERR_BAD_URL: 'TRACE_HTTP_BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'TRACE_HTTP_BAD_REQUEST',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE',
  FST_REQ_FILE_TOO_LARGE: 'TRACE_FILE_TOO_LARGE',
  FST_PARTS_LIMIT: 'TRACE_HTTP_BODY_TOO_LARGE',
  FST_FILES_LIMIT: 'TRACE_HTTP_BODY_TOO_LARGE',
  FST_FIELDS_LIMIT: 'TRACE_HTTP_BODY_TOO_LARGE',
  FST_PROTO_VIOLATION: 'TRACE_HTTP_BAD_REQUEST',
};

/** Builds the one error body. */
export function errorBody(
  code: ErrorCode,
  requestId: string,
  message?: string,
  details?: readonly ErrorDetail[],
): ErrorBody {
  return {
    error: {
      code,
      message: message ?? errorCatalogue[code].message,
      statusCode: errorCatalogue[code].status,
      requestId,
      ...(details !== undefined && details.length > 0 ? { details } : {}),
    },
  };
}

/** Sends a catalogue error. */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message?: string,
  details?: readonly ErrorDetail[],
): FastifyReply {
  if (isEpcisUrl(reply.request.url)) {
    return reply
      .code(errorCatalogue[code].status)
      .type('application/problem+json; charset=utf-8')
      .send(problemBody(code, reply.request.id, message, details));
  }
  return reply
    .code(errorCatalogue[code].status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, reply.request.id, message, details));
}

function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((v) => {
    const base = `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`;
    const missing =
      v.keyword === 'required' ? (v.params as { missingProperty?: string }).missingProperty : undefined;
    const extra =
      v.keyword === 'additionalProperties'
        ? (v.params as { additionalProperty?: string }).additionalProperty
        : undefined;
    const field =
      missing !== undefined ? `${base}.${missing}` : extra !== undefined ? `${base}.${extra}` : base;
    const message = extra !== undefined ? 'is not an accepted field' : (v.message ?? 'is invalid');
    return { field, message };
  });
}

/**
 * Turns every error into the catalogue's body: our {@link AppError}s as they are, Fastify's
 * and plugins' errors by their code, anything else as TRACE_INTERNAL (logged with its stack,
 * never shown). Unknown routes answer TRACE_HTTP_NOT_FOUND.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, 'TRACE_HTTP_NOT_FOUND', `No route ${request.method} ${request.url.slice(0, 200)}.`),
  );

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, error.code, error.message, error.details);
    }
    if (error.validation !== undefined) {
      return sendError(reply, 'TRACE_HTTP_VALIDATION', undefined, validationDetails(error));
    }
    if (error.statusCode === 429) return sendError(reply, 'TRACE_HTTP_RATE_LIMITED');
    const mapped = fastifyCodes[error.code];
    if (mapped !== undefined) return sendError(reply, mapped);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'client error without a catalogue code');
      return sendError(
        reply,
        error.statusCode === 413 ? 'TRACE_HTTP_BODY_TOO_LARGE' : 'TRACE_HTTP_BAD_REQUEST',
      );
    }
    request.log.error({ err: error }, 'unexpected error');
    return sendError(reply, 'TRACE_INTERNAL');
  });
}
