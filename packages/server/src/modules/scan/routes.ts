import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidGtin, toGtin14 } from '@tracemark/codes';
import { AppError } from '../../errors.js';
import type { App } from '../../lib/fastify-types.js';
import { errorResponses } from '../../lib/schemas.js';
import { contextOf } from '../../lib/service-context.js';
import { readOptionalUpload } from '../../lib/uploads.js';
import { classifyRequest } from './client-kind.js';
import { PAGE_STYLE, PAGE_STYLE_PATH } from './page-style.js';
import {
  renderEntryPage,
  renderJourneyPage,
  renderProblemPage,
  renderReportThanks,
  scanPageBytes,
} from './page.js';
import { presentPlace, presentTrace, verificationBody } from './presenter.js';
import {
  CodeParams,
  CodeJourney,
  DigitalLinkParams,
  MediaParams,
  PageQuery,
  PositionAnswer,
  PositionBody,
  ReportCreated,
  ReportFields,
  ScanParams,
  Verification,
  VerifyBody,
  VerifyQuery,
} from './schemas.js';
import { fileReport, openPublicMedia, reportTarget, setPosition } from './service.js';
import type { VerifyRequest, VerifyResult } from './verifier.js';
import type { Lang } from './view-model.js';

/** Cookie that remembers the consumer's language choice. */
const langCookie = 'tm_lang';

/**
 * The consumer side of verification: the scan page (`/c/{code}` and the GS1 Digital Link form
 * `/01/{gtin}/21/{code}`), manual entry (`/c`), the PIN and report forms, the JSON verify
 * endpoint for apps, and the consented-position call. All public; the scan guard refuses
 * addresses that look up too many invalid codes.
 */
export function scanRoutes(app: App): void {
  const open = { public: true } as const;
  const tags = ['verification'];
  const verifier = app.verifier;
  const geo = app.geo;

  /** A counterfeit report from the page's form or an app: the code's enterprise, fields, photo. */
  const receiveReport = async (
    request: FastifyRequest,
    rawCode: string,
  ): Promise<{ id: string; code: string }> => {
    const ctx = contextOf(request);
    const target = await reportTarget(ctx, rawCode);
    const upload = await readOptionalUpload(request, target.enterpriseId, ReportFields);
    const photo =
      upload.file === undefined ? undefined : { file: upload.file, originalName: upload.originalName };
    const { id } = await fileReport(ctx, geo, target, upload.fields, photo);
    return { id, code: target.code };
  };

  // Plain HTML forms post urlencoded bodies (the PIN, manual entry); small, so parse them here.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  /** Consumer pages answer errors with a page, not JSON. */
  const pageErrors = {
    errorHandler: (error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
      const lang = langOf(request, reply);
      const status = error instanceof AppError ? error.statusCode : (error.statusCode ?? 500);
      if (status >= 500) {
        request.log.error({ err: error }, 'scan page failed');
        return problem(reply, lang, 503, 'unavailable');
      }
      if (status === 429) return problem(reply, lang, 429, 'rate_limited');
      return problem(reply, lang, status === 404 ? 404 : 400, status === 404 ? 'not_found' : 'bad_request');
    },
  };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    pin: string | undefined,
    gtin?: string,
  ): Promise<FastifyReply> => {
    const lang = langOf(request, reply);
    const kind = classifyRequest('page', request.method, request.headers);
    const result = await verifier.verify(verifyRequest(request, code, pin, 'page', kind, gtin));
    if (result.type === 'blocked') return problem(reply, lang, 429, 'rate_limited', result.retryAfterSeconds);
    const nonce = newNonce();
    const path = request.url.split('?')[0] ?? `/c/${code}`;
    const body = scanPageBytes(result.view, {
      lang,
      path,
      positionEndpoint: result.view.scanId === null ? null : `/api/v1/scans/${result.view.scanId}/position`,
      reportAction: result.view.reportable ? `/c/${encodeURIComponent(result.view.code)}/report` : null,
      pinAction: `/c/${encodeURIComponent(result.view.code)}`,
      nonce,
      entryUrl: '/c',
      styleHref: PAGE_STYLE_PATH,
      traceUrl: result.view.batch === null ? null : `/c/${encodeURIComponent(result.view.code)}/trace`,
    });
    return sendPage(reply, body, nonce);
  };

  app.get(
    '/c',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, querystring: PageQuery },
    },
    async (request, reply) => {
      const code = request.query.code;
      if (code !== undefined && code.trim() !== '')
        return reply.redirect(`/c/${encodeURIComponent(code.replace(/[\s-]/g, ''))}`, 303);
      const lang = langOf(request, reply);
      const nonce = newNonce();
      return sendPage(
        reply,
        renderEntryPage({ lang, action: '/c', nonce, styleHref: PAGE_STYLE_PATH }),
        nonce,
      );
    },
  );

  app.post(
    '/c',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, querystring: PageQuery },
    },
    async (request, reply) => {
      const form = formOf(request.body);
      const code = (form.code ?? '').trim();
      if (code === '') {
        const lang = langOf(request, reply);
        const nonce = newNonce();
        return sendPage(
          reply.code(400),
          renderEntryPage({ lang, action: '/c', error: 'invalid_code', nonce, styleHref: PAGE_STYLE_PATH }),
          nonce,
        );
      }
      return page(request, reply, code, form.pin);
    },
  );

  app.get(
    '/c/:code',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, params: CodeParams, querystring: PageQuery },
    },
    async (request, reply) => page(request, reply, request.params.code, undefined),
  );

  app.post(
    '/c/:code',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, params: CodeParams, querystring: PageQuery },
    },
    async (request, reply) => page(request, reply, request.params.code, formOf(request.body).pin),
  );

  app.get(
    '/01/:gtin/21/:code',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, params: DigitalLinkParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const gtin = gtinOf(request.params.gtin);
      // A GTIN that is no GTIN makes the whole link invalid; pass a value no product has.
      return page(request, reply, request.params.code, undefined, gtin ?? 'invalid');
    },
  );

  app.get(
    '/c/:code/trace',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open },
      schema: { hide: true, params: CodeParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const lang = langOf(request, reply);
      const result = await verifier.journey(request.params.code, request.ip);
      if (result.type === 'blocked')
        return problem(reply, lang, 429, 'rate_limited', result.retryAfterSeconds);
      if (result.type === 'invalid') return problem(reply, lang, 404, 'not_found');
      const nonce = newNonce();
      const back = `/c/${encodeURIComponent(result.code)}`;
      return sendPage(
        reply,
        renderJourneyPage({
          lang,
          code: result.code,
          journey: result.journey,
          backUrl: back,
          nonce,
          styleHref: PAGE_STYLE_PATH,
        }),
        nonce,
      );
    },
  );

  app.post(
    '/c/:code/report',
    {
      ...pageErrors,
      logLevel: 'warn',
      config: { access: open, rateLimit: { max: 10, timeWindow: '10 minutes' } },
      schema: { hide: true, params: CodeParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const lang = langOf(request, reply);
      const { code } = await receiveReport(request, request.params.code);
      const nonce = newNonce();
      return sendPage(
        reply.code(201),
        renderReportThanks({
          lang,
          backUrl: `/c/${encodeURIComponent(code)}`,
          nonce,
          styleHref: PAGE_STYLE_PATH,
        }),
        nonce,
      );
    },
  );

  // The pages' stylesheet: its hash is in its name, so browsers keep it for good.
  const stylesheet = Buffer.from(PAGE_STYLE);
  app.get(
    PAGE_STYLE_PATH,
    { logLevel: 'warn', config: { access: open }, schema: { hide: true } },
    async (_request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .send(stylesheet),
  );

  app.get(
    '/c/media/:fileId',
    { logLevel: 'warn', config: { access: open }, schema: { hide: true, params: MediaParams } },
    async (request, reply) => {
      const { row, stream } = await openPublicMedia(contextOf(request), request.params.fileId);
      return reply
        .type(row.media_type)
        .header('content-length', String(row.size))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'public, max-age=86400')
        .send(stream);
    },
  );

  const verifyJson = async (
    request: FastifyRequest,
    reply: FastifyReply,
    code: string,
    pin: string | undefined,
  ) => {
    const kind = classifyRequest('api', request.method, request.headers);
    const result: VerifyResult = await verifier.verify(verifyRequest(request, code, pin, 'api', kind));
    if (result.type === 'blocked') {
      reply.header('retry-after', String(result.retryAfterSeconds));
      throw new AppError('TRACE_SCAN_BLOCKED');
    }
    // Written by the presenter (cached parts), so the route's schema documents it but does not
    // serialise it: a Buffer goes out as it is.
    return reply
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(verificationBody(result.view, app.config.publicUrl));
  };

  app.get(
    '/api/v1/verify/:code',
    {
      logLevel: 'warn',
      config: { access: open },
      schema: {
        tags,
        summary: 'Verify a trace code (counts as a consumer query, like opening the scan page)',
        description:
          'The verdict and everything the scan page shows. The first query of a genuine code locks its first query ' +
          'time. Invalid codes answer 200 with verdict "invalid"; an address that looks up too many invalid codes gets ' +
          '429 TRACE_SCAN_BLOCKED with Retry-After.',
        params: CodeParams,
        querystring: VerifyQuery,
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (request, reply) => verifyJson(request, reply, request.params.code, request.query.pin),
  );

  app.post(
    '/api/v1/verify',
    {
      logLevel: 'warn',
      config: { access: open },
      schema: {
        tags,
        summary: 'Verify a trace code with its hidden PIN in the body',
        body: VerifyBody,
        response: { 200: Verification, ...errorResponses },
      },
    },
    async (request, reply) => verifyJson(request, reply, request.body.code, request.body.pin),
  );

  app.get(
    '/api/v1/verify/:code/trace',
    {
      logLevel: 'warn',
      config: { access: open },
      schema: {
        tags,
        summary: "A code's journey: its containers, batch and raw materials (not counted as a query)",
        description:
          'The steps of the EPCIS trace backward from the code, oldest first, with readable places. An unknown code ' +
          'answers 404 TRACE_SCAN_CODE_UNKNOWN and counts as an invalid lookup of the address.',
        params: CodeParams,
        response: { 200: CodeJourney, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await verifier.journey(request.params.code, request.ip);
      if (result.type === 'blocked') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        throw new AppError('TRACE_SCAN_BLOCKED');
      }
      if (result.type === 'invalid') throw new AppError('TRACE_SCAN_CODE_UNKNOWN');
      reply.header('cache-control', 'no-store');
      return { code: result.code, ...presentTrace(result.journey) };
    },
  );

  app.post(
    '/api/v1/verify/:code/reports',
    {
      logLevel: 'warn',
      config: { access: open, rateLimit: { max: 10, timeWindow: '10 minutes' } },
      schema: {
        tags,
        summary: 'Report a suspected counterfeit (multipart: where, price, note, contact, optional photo)',
        consumes: ['multipart/form-data'],
        params: CodeParams,
        response: { 201: ReportCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = await receiveReport(request, request.params.code);
      return reply.code(201).send({ id });
    },
  );

  app.post(
    '/api/v1/scans/:scanId/position',
    {
      logLevel: 'warn',
      config: { access: open, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: "Attach the consumer's consented browser position (WGS-84) to a query just made",
        description:
          'Within 15 minutes of the query, once. The region it falls in replaces the IP region; the position is kept ' +
          'rounded to 0.01° (about 1 km).',
        params: ScanParams,
        body: PositionBody,
        response: { 200: PositionAnswer, ...errorResponses },
      },
    },
    async (request) => ({
      place: presentPlace(await setPosition(contextOf(request), geo, request.params.scanId, request.body)),
    }),
  );
}

/** The verification request of an HTTP request. */
function verifyRequest(
  request: FastifyRequest,
  code: string,
  pin: string | undefined,
  channel: VerifyRequest['channel'],
  kind: ReturnType<typeof classifyRequest>,
  gtin?: string,
): VerifyRequest {
  return { code, pin, ip: request.ip, channel, client: kind.client, countable: kind.countable, gtin };
}

/** The page language: `?lang=` (remembered in a cookie), the cookie, the browser, else Chinese. */
function langOf(request: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (request.query as { lang?: string } | undefined)?.lang;
  if (asked === 'en' || asked === 'zh') {
    reply.setCookie(langCookie, asked, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true });
    return asked;
  }
  const saved = request.cookies[langCookie];
  if (saved === 'en' || saved === 'zh') return saved;
  const accept = request.headers['accept-language'] ?? '';
  return /^\s*en\b/i.test(accept) ? 'en' : 'zh';
}

function formOf(body: unknown): { code?: string; pin?: string } {
  if (body === null || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  return {
    ...(typeof b.code === 'string' ? { code: b.code.slice(0, 200) } : {}),
    ...(typeof b.pin === 'string' ? { pin: b.pin.slice(0, 32) } : {}),
  };
}

/** A GTIN-14 from a Digital Link path segment, or undefined when it is no GTIN. */
function gtinOf(raw: string): string | undefined {
  if (!/^\d{8}$|^\d{12,14}$/.test(raw) || !isValidGtin(raw)) return undefined;
  return toGtin14(raw);
}

/** A fresh nonce for the inline style and script of one page. */
function newNonce(): string {
  if (noncePool.length - nonceOffset < 12) {
    noncePool = randomBytes(12 * 512);
    nonceOffset = 0;
  }
  nonceOffset += 12;
  return noncePool.toString('base64', nonceOffset - 12, nonceOffset);
}
// Drawn from the system 512 nonces at a time.
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

/** Sends a consumer page: no caching (counts change), a strict content security policy. */
function sendPage(reply: FastifyReply, html: string | Buffer, nonce: string): FastifyReply {
  return (
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header(
        'content-security-policy',
        `default-src 'none'; img-src 'self' data:; style-src 'self' 'nonce-${nonce}'; script-src 'nonce-${nonce}'; ` +
          "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      )
      // A Buffer, so Fastify does not measure the string's UTF-8 length a second time.
      .send(typeof html === 'string' ? Buffer.from(html) : html)
  );
}

function problem(
  reply: FastifyReply,
  lang: Lang,
  status: number,
  kind: 'rate_limited' | 'bad_request' | 'not_found' | 'unavailable',
  retryAfterSeconds?: number,
): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  const nonce = newNonce();
  return sendPage(
    reply.code(status),
    renderProblemPage({
      lang,
      kind,
      nonce,
      styleHref: PAGE_STYLE_PATH,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    }),
    nonce,
  );
}
