/**
 * No route lets one enterprise read or change another's data.
 *
 * Two approved enterprises, A and B, each get a product with an image, a batch with an
 * inspection report, documents, a second user and an API key. Then every route of the app is
 * called as B (its administrator's session and its API key) and as regulators, aimed at A's
 * ids, and must answer 403 or 404; lists must carry none of A's data; and afterwards every
 * row of A, in every table that has a `tenant_id`, and every stored file of A is as before.
 *
 * The routes come from the app itself, so a new route fails this test until it is given a
 * rule in {@link rules} below — decide there how B would attack it.
 */
import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { newId, repositories } from '@tracemark/db';
import { dialects } from '@tracemark/testing';
import { PAGE_STYLE_PATH } from '../src/modules/scan/page-style.js';
import {
  approvedEnterprise,
  Client,
  files,
  harness,
  json,
  operatorClient,
  password,
  regulatorClient,
  type Harness,
} from './support/harness.js';

/** Path parameters the app uses; each maps to one of the enterprise's own ids. */
type Param =
  | 'enterpriseId'
  | 'productId'
  | 'batchId'
  | 'documentId'
  | 'userId'
  | 'keyId'
  | 'fileId'
  | 'spaceId'
  | 'jobId'
  | 'code'
  | 'exportId'
  | 'name'
  | 'captureId'
  | 'eventId'
  | 'queryName'
  | 'subscriptionId'
  | 'reportId'
  | 'alertId'
  | 'templateId'
  | 'lotId'
  | 'epc'
  | 'shareId';

/** One enterprise with one of everything. */
interface Tenant {
  readonly label: string;
  readonly admin: Client;
  /** A client that authenticates with the enterprise's API key only. */
  readonly key: Client;
  readonly enterpriseId: string;
  readonly name: string;
  readonly productName: string;
  readonly lot: string;
  /** Every id of this enterprise a path parameter can take, the main one first. */
  readonly ids: Readonly<Record<Param, readonly string[]>>;
  /** Strings that identify this enterprise's data: none may show up in another's answers. */
  readonly marks: readonly string[];
}

type Upload = {
  readonly fields: Record<string, string>;
  readonly file: { name: string; type: string; data: Buffer };
};

/** How B would attack a route, and what to expect. */
type Rule =
  /** Has path parameters: called with A's ids (and A's mixed with B's); must answer 403 or 404. */
  | { readonly kind: 'scoped'; readonly body?: (a: Tenant) => unknown; readonly upload?: Upload }
  /** Has no path parameters but its body names A's ids; must answer 403 or 404. */
  | {
      readonly kind: 'reference';
      readonly body: (a: Tenant) => unknown;
      /** Sent as a multipart upload instead of the JSON body. */
      readonly upload?: (a: Tenant) => Upload;
      /** Statuses besides 403 and 404 that refuse the request (an import's 422 naming each bad row). */
      readonly refusals?: readonly number[];
    }
  /** A read without path parameters: whatever it answers carries none of A's data. */
  | { readonly kind: 'list'; readonly queries: (a: Tenant) => readonly string[] }
  /** Changes only the caller's own enterprise: called; the answer carries none of A's data. */
  | { readonly kind: 'own'; readonly body: (n: number) => unknown }
  /** Not called here, for the reason given. */
  | { readonly kind: 'exempt'; readonly why: string };

const pdf: Upload['file'] = { name: 'report.pdf', type: 'application/pdf', data: files.pdf };
const png: Upload['file'] = { name: 'photo.png', type: 'image/png', data: files.png };

/**
 * Every route of the app, by `METHOD /url` as Fastify spells it. A route missing here fails
 * the test "every route of the app has an isolation rule".
 */
const rules: Readonly<Record<string, Rule>> = {
  // Probes and API documentation: public, no enterprise data.
  'GET /healthz': { kind: 'list', queries: () => [''] },
  'GET /readyz': { kind: 'list', queries: () => [''] },
  'GET /docs': { kind: 'exempt', why: 'Swagger UI page (static)' },
  'GET /docs/*': { kind: 'exempt', why: 'Swagger UI assets (static)' },
  'GET /docs/static/index.html': { kind: 'exempt', why: 'Swagger UI page (static)' },
  'GET /docs/static/swagger-initializer.js': { kind: 'exempt', why: 'Swagger UI script (static)' },
  'GET /docs/json': { kind: 'list', queries: () => [''] },
  'GET /docs/yaml': { kind: 'list', queries: () => [''] },
  // The web console (modules/console): static files of the build; its data comes from /api/.
  'GET /': { kind: 'exempt', why: 'redirect to /console/ (console-routes.test.ts)' },
  'GET /console': {
    kind: 'exempt',
    why: 'redirect to /console/, or its index.html (console-routes.test.ts)',
  },
  'GET /console/*': {
    kind: 'exempt',
    why: 'static console build, no enterprise data (console-routes.test.ts)',
  },

  // Accounts.
  'POST /api/v1/auth/login': {
    kind: 'exempt',
    why: 'public; opens a session for the credentials given (auth.test.ts)',
  },
  'POST /api/v1/auth/logout': { kind: 'exempt', why: "ends the caller's own session only (auth.test.ts)" },
  'POST /api/v1/auth/password': {
    kind: 'exempt',
    why: "changes the caller's own password only (auth.test.ts)",
  },
  'GET /api/v1/auth/me': { kind: 'list', queries: () => [''] },
  'GET /api/v1/users': {
    kind: 'list',
    queries: (a) => ['?pageSize=200', `?q=${a.label.toLowerCase()}`, '?role=enterprise_operator'],
  },
  'POST /api/v1/users': {
    kind: 'own',
    body: (n) => ({
      username: `b-made-${n}`,
      displayName: 'Made by B',
      password,
      role: 'enterprise_operator',
    }),
  },
  'GET /api/v1/users/:userId': { kind: 'scoped' },
  'PATCH /api/v1/users/:userId': {
    kind: 'scoped',
    body: () => ({ displayName: 'Hijacked', status: 'disabled', password: 'Hijacked-passw0rd' }),
  },
  'GET /api/v1/api-keys': { kind: 'list', queries: () => [''] },
  'POST /api/v1/api-keys': { kind: 'own', body: (n) => ({ name: `B key ${n}` }) },
  'DELETE /api/v1/api-keys/:keyId': { kind: 'scoped' },
  'GET /api/v1/audit-log': {
    kind: 'list',
    queries: (a) => [
      '?pageSize=200',
      `?pageSize=200&enterpriseId=${a.enterpriseId}`,
      `?targetId=${a.ids.productId[0] ?? ''}`,
      `?actorId=${a.ids.userId[0] ?? ''}`,
      '?action=product.created',
    ],
  },
  // Webhooks: B's list of subscriptions (with delivery state) never shows A's.
  'GET /api/v1/webhooks': { kind: 'list', queries: () => [''] },

  // Consumer verification: public by design — anyone holding a label sees what the label's scan
  // page shows; what stays private (documents, report photos, other codes) is tested in scan.test.ts.
  'GET /c': { kind: 'exempt', why: 'public manual-entry page; no enterprise data' },
  'POST /c': { kind: 'exempt', why: 'public verification of a code typed in (scan.test.ts)' },
  'GET /c/:code': { kind: 'exempt', why: 'public scan page of a label (scan.test.ts)' },
  'POST /c/:code': { kind: 'exempt', why: 'public scan page with the hidden PIN (scan.test.ts)' },
  'GET /01/:gtin/21/:code': { kind: 'exempt', why: 'public GS1 Digital Link scan page (scan.test.ts)' },
  'POST /c/:code/report': { kind: 'exempt', why: 'public counterfeit report for a label (scan.test.ts)' },
  'GET /c/:code/trace': {
    kind: 'exempt',
    why: "public journey of a label: what the label's scan page links to (scan-recall.test.ts)",
  },
  'GET /api/v1/verify/:code/trace': {
    kind: 'exempt',
    why: 'public journey of a label, as JSON for apps (scan-recall.test.ts)',
  },
  [`GET ${PAGE_STYLE_PATH}`]: { kind: 'exempt', why: 'the scan pages’ stylesheet; no enterprise data' },
  'GET /c/media/:fileId': {
    kind: 'exempt',
    why: 'public product images and inspection reports only; documents refused (scan.test.ts)',
  },
  'GET /api/v1/verify/:code': { kind: 'exempt', why: 'public verification of a label (scan.test.ts)' },
  'POST /api/v1/verify': { kind: 'exempt', why: 'public verification with the hidden PIN (scan.test.ts)' },
  'POST /api/v1/verify/:code/reports': {
    kind: 'exempt',
    why: 'public counterfeit report for a label (scan.test.ts)',
  },
  'POST /api/v1/scans/:scanId/position': {
    kind: 'exempt',
    why: 'public; the unguessable id of a query made in the last 15 minutes, once (scan.test.ts)',
  },

  // Enterprises and their documents.
  'POST /api/v1/registrations': {
    kind: 'exempt',
    why: 'public; creates a new enterprise and touches no existing one',
  },
  'GET /api/v1/supervision/overview': { kind: 'list', queries: () => ['', '?days=366'] },
  'GET /api/v1/supervision/enterprises': {
    kind: 'list',
    queries: (a) => ['?pageSize=200', `?q=${encodeURIComponent(a.name)}`, '?status=approved&days=7'],
  },
  // Regulators out of A's province and B get 404/403; the operator and A's regulator are not attackers.
  'GET /api/v1/supervision/enterprises/:enterpriseId/products': { kind: 'scoped' },
  'GET /api/v1/enterprises': {
    kind: 'list',
    queries: (a) => ['?pageSize=200', `?q=${encodeURIComponent(a.name)}`, '?status=approved'],
  },
  'GET /api/v1/enterprises/:enterpriseId': { kind: 'scoped' },
  'PATCH /api/v1/enterprises/:enterpriseId': {
    kind: 'scoped',
    body: () => ({ address: 'Hijacked road 1', contactPhone: '13900000000' }),
  },
  'POST /api/v1/enterprises/:enterpriseId/submit': { kind: 'scoped' },
  'POST /api/v1/enterprises/:enterpriseId/approve': { kind: 'scoped' },
  'POST /api/v1/enterprises/:enterpriseId/reject': { kind: 'scoped', body: () => ({ reason: 'hijacked' }) },
  'POST /api/v1/enterprises/:enterpriseId/suspend': { kind: 'scoped', body: () => ({ reason: 'hijacked' }) },
  'POST /api/v1/enterprises/:enterpriseId/reinstate': { kind: 'scoped' },
  'GET /api/v1/enterprises/:enterpriseId/documents': { kind: 'scoped' },
  'POST /api/v1/enterprises/:enterpriseId/documents': {
    kind: 'scoped',
    upload: { fields: { kind: 'other', number: 'HIJACK-1', expiresOn: '2030-01-01' }, file: pdf },
  },
  'DELETE /api/v1/enterprises/:enterpriseId/documents/:documentId': { kind: 'scoped' },
  'POST /api/v1/enterprises/:enterpriseId/documents/:documentId/review': {
    kind: 'scoped',
    body: () => ({ decision: 'rejected', reason: 'hijacked' }),
  },
  'GET /api/v1/enterprises/:enterpriseId/documents/:documentId/file': { kind: 'scoped' },
  'GET /api/v1/documents/expiring': { kind: 'list', queries: () => ['?withinDays=365', '?withinDays=0'] },

  // Products, their images and files.
  'GET /api/v1/products': {
    kind: 'list',
    queries: (a) => [
      '?pageSize=200',
      `?q=${encodeURIComponent(a.productName)}`,
      '?status=archived',
      '?sort=name&order=asc',
    ],
  },
  'POST /api/v1/products': { kind: 'own', body: (n) => ({ name: `B product ${n}` }) },
  'GET /api/v1/products/:productId': { kind: 'scoped' },
  'PATCH /api/v1/products/:productId': {
    kind: 'scoped',
    body: () => ({ name: 'Hijacked', description: 'Hijacked' }),
  },
  'POST /api/v1/products/:productId/archive': { kind: 'scoped' },
  'POST /api/v1/products/:productId/restore': { kind: 'scoped' },
  'POST /api/v1/products/:productId/images': { kind: 'scoped', upload: { fields: {}, file: png } },
  'DELETE /api/v1/products/:productId/images/:fileId': { kind: 'scoped' },
  'GET /api/v1/files/:fileId': { kind: 'scoped' },

  // Batches.
  'GET /api/v1/batches': {
    kind: 'list',
    queries: (a) => [
      '?pageSize=200',
      `?productId=${a.ids.productId[0] ?? ''}`,
      `?q=${a.lot}`,
      '?status=archived',
    ],
  },
  'POST /api/v1/batches': {
    kind: 'reference',
    body: (a) => ({ productId: a.ids.productId[0], lot: 'HIJACK-LOT', productionDate: '2026-03-01' }),
  },
  'GET /api/v1/batches/:batchId': { kind: 'scoped' },
  'PATCH /api/v1/batches/:batchId': { kind: 'scoped', body: () => ({ quantity: 1, line: 'Hijacked' }) },
  'POST /api/v1/batches/:batchId/archive': { kind: 'scoped' },
  'POST /api/v1/batches/:batchId/restore': { kind: 'scoped' },
  'PUT /api/v1/batches/:batchId/inspection-report': { kind: 'scoped', upload: { fields: {}, file: pdf } },

  // Trace codes: spaces, jobs, activation, line-side packing. ids.code = [active item, inactive item, box].
  'GET /api/v1/code-spaces': { kind: 'list', queries: () => [''] },
  'POST /api/v1/code-spaces': { kind: 'own', body: (n) => ({ name: `B space ${n}`, length: 17 }) },
  'GET /api/v1/code-spaces/:spaceId': { kind: 'scoped' },
  'GET /api/v1/code-jobs': {
    kind: 'list',
    queries: (a) => [
      '?pageSize=200',
      `?spaceId=${a.ids.spaceId[0] ?? ''}`,
      `?productId=${a.ids.productId[0] ?? ''}`,
    ],
  },
  'POST /api/v1/code-jobs': { kind: 'reference', body: (a) => ({ spaceId: a.ids.spaceId[0], count: 5 }) },
  'GET /api/v1/code-jobs/:jobId': { kind: 'scoped' },
  'GET /api/v1/code-jobs/:jobId/codes': { kind: 'scoped' },
  'POST /api/v1/code-activations': {
    kind: 'reference',
    body: (a) => ({ batchId: a.ids.batchId[0], codes: [a.ids.code[1]] }),
  },
  'POST /api/v1/line/activate': {
    kind: 'reference',
    body: (a) => ({ code: a.ids.code[1], batchId: a.ids.batchId[0] }),
  },
  'POST /api/v1/line/pack': {
    kind: 'reference',
    body: (a) => ({ parent: a.ids.code[2], children: [a.ids.code[0]] }),
  },
  'POST /api/v1/line/unpack': { kind: 'reference', body: (a) => ({ parent: a.ids.code[2] }) },
  'POST /api/v1/line/replace': {
    kind: 'reference',
    body: (a) => ({ old: a.ids.code[0], new: a.ids.code[1] }),
  },
  'GET /api/v1/codes/:code': { kind: 'scoped' },
  'POST /api/v1/code-jobs/:jobId/exports': { kind: 'scoped', body: () => ({ format: 'csv' }) },
  'GET /api/v1/code-jobs/:jobId/exports': { kind: 'scoped' },
  'GET /api/v1/code-exports/:exportId': { kind: 'scoped' },
  'GET /api/v1/code-exports/:exportId/files/:name': { kind: 'scoped' },
  'GET /api/v1/code-jobs/:jobId/labels.pdf': { kind: 'scoped' },

  // Consumer verification, the enterprise's side: scan settings, the query log, counterfeit
  // reports. Platform alerts are the operator's: B and regulators get 403.
  'GET /api/v1/scan-settings': { kind: 'list', queries: () => [''] },
  'PUT /api/v1/scan-settings': { kind: 'reference', body: (a) => ({ imageFileId: a.ids.fileId[0] }) },
  'POST /api/v1/scan-settings/image': { kind: 'own', body: () => ({}) },
  'POST /api/v1/scan-settings/preview': {
    kind: 'reference',
    body: (a) => ({ productId: a.ids.productId[0], enterprise: { imageFileId: a.ids.fileId[0] } }),
  },
  'GET /api/v1/products/:productId/scan-settings': { kind: 'scoped' },
  'PUT /api/v1/products/:productId/scan-settings': {
    kind: 'scoped',
    body: () => ({ queryLimit: 1, warningText: 'Hijacked' }),
  },
  'DELETE /api/v1/products/:productId/scan-settings': { kind: 'scoped' },
  'GET /api/v1/scans': {
    kind: 'list',
    queries: (a) => [
      '?pageSize=200',
      `?productId=${a.ids.productId[0] ?? ''}`,
      `?batchId=${a.ids.batchId[0] ?? ''}`,
      `?code=${a.ids.code[0] ?? ''}`,
    ],
  },
  'GET /api/v1/scans/summary': { kind: 'list', queries: () => [''] },
  'GET /api/v1/codes/:code/queries': { kind: 'scoped' },
  'GET /api/v1/counterfeit-reports': {
    kind: 'list',
    queries: (a) => ['?pageSize=200', `?productId=${a.ids.productId[0] ?? ''}`, '?status=new'],
  },
  'GET /api/v1/counterfeit-reports/:reportId': { kind: 'scoped' },
  'PATCH /api/v1/counterfeit-reports/:reportId': {
    kind: 'scoped',
    body: () => ({ status: 'dismissed', handlerNote: 'Hijacked' }),
  },
  'GET /api/v1/counterfeit-reports/:reportId/photo': { kind: 'scoped' },
  'GET /api/v1/platform-alerts': { kind: 'list', queries: () => ['', '?status=open'] },
  'POST /api/v1/platform-alerts/:alertId/acknowledge': { kind: 'scoped' },

  // EPCIS 2.0 event store. ids.eventId = [an event captured alone, one of a capture document].
  'GET /epcis/context/epcis-context.jsonld': { kind: 'list', queries: () => [''] },
  'GET /epcis': { kind: 'list', queries: () => [''] },
  'POST /epcis/capture': {
    kind: 'own',
    body: (n) => epcisDocument([epcisEvent(`urn:uuid:b-made-doc-${n}`)]),
  },
  'GET /epcis/capture': { kind: 'list', queries: () => ['', '?perPage=1000'] },
  'GET /epcis/capture/:captureId': { kind: 'scoped' },
  'POST /epcis/events': { kind: 'own', body: (n) => epcisEvent(`urn:uuid:b-made-${n}`) },
  'GET /epcis/events': {
    kind: 'list',
    queries: (a) => [
      '?perPage=1000',
      `?EQ_eventID=${encodeURIComponent(a.ids.eventId[0] ?? '')}`,
      `?MATCH_anyEPC=${encodeURIComponent(epcisEpc(a.label))}`,
      '?eventType=ObjectEvent&orderBy=eventTime',
    ],
  },
  'GET /epcis/events/:eventId': { kind: 'scoped' },
  'GET /epcis/eventTypes': { kind: 'list', queries: () => [''] },
  'GET /epcis/epcs': { kind: 'list', queries: () => ['?perPage=1000'] },
  'GET /epcis/bizSteps': { kind: 'list', queries: () => ['?perPage=1000'] },
  'GET /epcis/bizLocations': { kind: 'list', queries: () => ['?perPage=1000'] },
  'GET /epcis/readPoints': { kind: 'list', queries: () => ['?perPage=1000'] },
  'GET /epcis/dispositions': { kind: 'list', queries: () => ['?perPage=1000'] },
  'POST /epcis/queries': {
    kind: 'own',
    body: (n) => ({ name: `b-made-${n}`, query: { eventType: ['ObjectEvent'] } }),
  },
  'GET /epcis/queries': { kind: 'list', queries: () => [''] },
  // Trace: B names A's batch, code, lots and events; it must get none of A's graph or timeline.
  // (An identifier B names is echoed back as the trace's root, so A's EPC is not among these.)
  'GET /api/v1/trace': {
    kind: 'list',
    queries: (a) => [
      `?batchId=${a.ids.batchId[0] ?? ''}`,
      `?code=${a.ids.code[0] ?? ''}&direction=both`,
      `?code=${a.ids.code[2] ?? ''}&direction=forward`,
      `?lot=${encodeURIComponent(a.lot)}&direction=both`,
      `?lot=${encodeURIComponent(`${a.label}-RAW-1`)}&direction=forward`,
    ],
  },
  'GET /epcis/queries/:queryName': { kind: 'scoped' },
  'DELETE /epcis/queries/:queryName': { kind: 'scoped' },
  'GET /epcis/queries/:queryName/events': { kind: 'scoped' },
  'POST /epcis/queries/:queryName/subscriptions': {
    kind: 'scoped',
    body: () => ({ dest: 'http://127.0.0.1:9/hijack', stream: true }),
  },
  'GET /epcis/queries/:queryName/subscriptions': { kind: 'scoped' },
  'GET /epcis/queries/:queryName/subscriptions/:subscriptionId': { kind: 'scoped' },
  'DELETE /epcis/queries/:queryName/subscriptions/:subscriptionId': { kind: 'scoped' },
  // Per-resource sub-resources: an identifier only A's events carry is "no such resource" for B.
  'GET /epcis/epcs/:epc': { kind: 'scoped' },
  'GET /epcis/epcs/:epc/events': { kind: 'scoped' },
  // The rest are keyed by vocabulary both enterprises use (ObjectEvent, shipping…), not by ids:
  // they answer GET /epcis/events (a 'list' rule above) with one criterion added, over the
  // caller's own and shared events (epcis.test.ts, event-shares.test.ts).
  'GET /epcis/eventTypes/:eventType': { kind: 'exempt', why: 'a listing of the standard event types' },
  'GET /epcis/eventTypes/:eventType/events': { kind: 'exempt', why: '/epcis/events?eventType=… (see above)' },
  'GET /epcis/bizSteps/:bizStep': { kind: 'exempt', why: 'CBV vocabulary, not an id (see above)' },
  'GET /epcis/bizSteps/:bizStep/events': { kind: 'exempt', why: '/epcis/events?EQ_bizStep=… (see above)' },
  'GET /epcis/bizLocations/:bizLocation': { kind: 'exempt', why: 'a location URI, not an id (see above)' },
  'GET /epcis/bizLocations/:bizLocation/events': {
    kind: 'exempt',
    why: '/epcis/events?EQ_bizLocation=… (see above)',
  },
  'GET /epcis/readPoints/:readPoint': { kind: 'exempt', why: 'a location URI, not an id (see above)' },
  'GET /epcis/readPoints/:readPoint/events': {
    kind: 'exempt',
    why: '/epcis/events?EQ_readPoint=… (see above)',
  },
  'GET /epcis/dispositions/:disposition': { kind: 'exempt', why: 'CBV vocabulary, not an id (see above)' },
  'GET /epcis/dispositions/:disposition/events': {
    kind: 'exempt',
    why: '/epcis/events?EQ_disposition=… (see above)',
  },
  // Event sharing: ids.shareId = [A's share with the regulators of 110000, which no test regulator has].
  'POST /api/v1/event-shares': {
    kind: 'own',
    body: (n) => ({ grantee: { type: 'regulator', jurisdiction: '120000' }, note: `B share ${n}` }),
  },
  'GET /api/v1/event-shares': {
    kind: 'list',
    queries: () => ['', '?direction=given', '?direction=received'],
  },
  'DELETE /api/v1/event-shares/:shareId': { kind: 'scoped' },

  // Business actions and stage templates: every id in a body is A's; ids.lotId = [a raw-material lot].
  'POST /api/v1/trace-actions/receive-materials': {
    kind: 'reference',
    body: (a) => ({
      supplier: 'Hijack farm',
      lots: [{ material: 'm', lot: 'HIJACK', quantity: 1, unit: 'KGM', inspectionFileId: a.ids.fileId[1] }],
    }),
  },
  'POST /api/v1/trace-actions/produce': {
    kind: 'reference',
    body: (a) => ({ batchId: a.ids.batchId[0], inputs: [{ lotId: a.ids.lotId[0], quantity: 1 }] }),
  },
  'POST /api/v1/trace-actions/warehouse-in': {
    kind: 'reference',
    body: (a) => ({ codes: [a.ids.code[0]], warehouse: 'W' }),
  },
  'POST /api/v1/trace-actions/warehouse-out': {
    kind: 'reference',
    body: (a) => ({ batches: [{ batchId: a.ids.batchId[0] }], warehouse: 'W' }),
  },
  'POST /api/v1/trace-actions/ship': {
    kind: 'reference',
    body: (a) => ({ ranges: [{ jobId: a.ids.jobId[0], from: 1, to: 2 }], to: 'Hijacker' }),
  },
  'POST /api/v1/trace-actions/receive': {
    kind: 'reference',
    body: (a) => ({ codes: [a.ids.code[2]], at: 'Hijack store' }),
  },
  'POST /api/v1/trace-actions/retail-sale': {
    kind: 'reference',
    body: (a) => ({ lots: [{ lotId: a.ids.lotId[0] }], store: 'S' }),
  },
  'POST /api/v1/trace-actions/inspection': {
    kind: 'reference',
    body: (a) => ({ batches: [{ batchId: a.ids.batchId[0] }], result: 'fail', inspector: 'x' }),
  },
  'POST /api/v1/trace-actions/recall': {
    kind: 'reference',
    body: (a) => ({ batches: [{ batchId: a.ids.batchId[0] }], reason: 'hijacked' }),
  },
  'POST /api/v1/trace-actions/destroy': { kind: 'reference', body: (a) => ({ codes: [a.ids.code[0]] }) },
  'POST /api/v1/trace-actions/record-stage': {
    kind: 'reference',
    body: (a) => ({ templateId: a.ids.templateId[0], codes: [a.ids.code[0]], values: {} }),
  },
  'POST /api/v1/trace-actions/import': {
    kind: 'reference',
    body: () => null,
    upload: (a) => ({
      fields: {},
      file: {
        name: 'hijack.csv',
        type: 'text/csv',
        data: Buffer.from(
          `action,batch_id,codes,lot_id,reason\nrecall,${a.ids.batchId[0] ?? ''},,,x\n` +
            `recall,,${a.ids.code[0] ?? ''},,x\nrecall,,,${a.ids.lotId[0] ?? ''},x\n`,
        ),
      },
    }),
    refusals: [422],
  },
  'GET /api/v1/trace-actions/import-template.csv': { kind: 'list', queries: () => [''] },
  'GET /api/v1/trace-actions/raw-material-lots': {
    kind: 'list',
    queries: (a) => ['?pageSize=200', `?q=${encodeURIComponent(`${a.label}-RAW`)}`],
  },
  'GET /api/v1/trace-actions/raw-material-lots/:lotId': { kind: 'scoped' },
  'GET /api/v1/stage-templates': { kind: 'list', queries: () => ['?pageSize=200', '?status=archived'] },
  'POST /api/v1/stage-templates': {
    kind: 'own',
    body: (n) => ({ name: `B stage ${n}`, bizStep: 'other', fields: [] }),
  },
  'GET /api/v1/stage-templates/:templateId': { kind: 'scoped' },
  'PATCH /api/v1/stage-templates/:templateId': { kind: 'scoped', body: () => ({ name: 'Hijacked' }) },
  'DELETE /api/v1/stage-templates/:templateId': { kind: 'scoped' },
};

/** An identifier only one enterprise's events carry. */
function epcisEpc(label: string): string {
  return `https://id.gs1.org/01/10614141073464/21/${label}-item-1`;
}

/** An EPCIS ObjectEvent with its context. */
function epcisEvent(
  eventID: string,
  epc = 'https://id.gs1.org/01/10614141073464/21/b-own',
): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'ObjectEvent',
    eventID,
    eventTime: '2026-03-01T08:00:00+08:00',
    eventTimeZoneOffset: '+08:00',
    epcList: [epc],
    action: 'OBSERVE',
    bizStep: 'shipping',
  };
}

/** An EPCISDocument of events. */
function epcisDocument(events: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-03-01T00:00:00Z',
    epcisBody: { eventList: events.map(({ '@context': _c, ...e }) => e) },
  };
}

/** One route of the app. */
interface Route {
  readonly method: string;
  readonly url: string;
}

const routeKey = (r: Route) => `${r.method} ${r.url}`;

/**
 * Every route of the app, read from Fastify's own route tree (`printRoutes`), so routes hidden
 * from the OpenAPI document are found too. HEAD routes Fastify adds for GET ones are left out.
 */
function routesOf(h: Harness): Route[] {
  const found: Route[] = [];
  const path: string[] = [];
  for (const line of h.app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (line.trim() === '') continue;
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (m === null) throw new Error(`cannot read the route tree line ${JSON.stringify(line)}`);
    const depth = (m[1] ?? '').length / 4;
    path.length = depth;
    const parent = path.join('');
    const segment = m[2] ?? '';
    // The tree prints a parametric or wildcard child of a static node without its slash.
    path.push(/^[:*]/.test(segment) && !parent.endsWith('/') ? `/${segment}` : segment);
    const url = path.join('');
    const methods = (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const method of methods) {
      if (method === 'HEAD' && methods.includes('GET')) continue;
      // (`hasRoute` cannot look up wildcard routes, so those are taken as printed.)
      if (!url.includes('*') && !h.app.hasRoute({ method, url }))
        throw new Error(`read ${method} ${url} from the route tree, but the app has no such route`);
      found.push({ method, url });
    }
  }
  return found;
}

/** The path parameters of a route URL, in order. */
function paramsOf(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
}

/**
 * The URLs to try for a route: every combination of A's ids and B's main id for its
 * parameters, except B's ids everywhere (that is B's own resource). Mixed combinations catch a
 * child looked up without its parent's enterprise, e.g. B's product with A's image.
 */
function targetUrls(url: string, a: Tenant, b: Tenant): string[] {
  let combos: Array<{ url: string; touchesA: boolean }> = [{ url, touchesA: false }];
  for (const name of paramsOf(url)) {
    // Looked up by any name, so a parameter this test does not know is reported, not crashed on.
    const mine = (a.ids as Partial<Record<string, readonly string[]>>)[name];
    const theirs = (b.ids as Partial<Record<string, readonly string[]>>)[name];
    assert.ok(
      mine !== undefined && theirs !== undefined,
      `route ${url} has the parameter :${name}, which this test has no ids for; add it to Param`,
    );
    const values = [...mine.map((v) => ({ v, isA: true })), { v: theirs[0] ?? '', isA: false }];
    combos = combos.flatMap((c) =>
      values.map(({ v, isA }) => ({ url: c.url.replace(`:${name}`, v), touchesA: c.touchesA || isA })),
    );
  }
  return combos.filter((c) => c.touchesA).map((c) => c.url);
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Calls a route as `caller` with the rule's sample body or upload. */
function send(
  caller: Client,
  method: string,
  url: string,
  rule: Rule,
  a: Tenant,
): Promise<LightMyRequestResponse> {
  if (rule.kind === 'scoped' && rule.upload !== undefined) {
    assert.ok(method === 'POST' || method === 'PUT', `uploads go by POST or PUT, not ${method}`);
    return caller.upload(method, url, rule.upload.fields, rule.upload.file);
  }
  if (rule.kind === 'reference' && rule.upload !== undefined) {
    const upload = rule.upload(a);
    return caller.upload('POST', url, upload.fields, upload.file);
  }
  const body = rule.kind === 'scoped' || rule.kind === 'reference' ? rule.body?.(a) : undefined;
  return caller.call(method as Method, url, body);
}

/** Fails when an answer carries any of A's identifying strings. */
function assertNoMarks(res: LightMyRequestResponse, a: Tenant, what: string): void {
  const leaked = a.marks.filter((m) => res.body.includes(m));
  assert.deepEqual(leaked, [], `${what} answered ${res.statusCode} with A's data: ${leaked.join(', ')}`);
}

/** Every row of the enterprise in every table with a `tenant_id`, its sessions and its files on disk. */
async function snapshot(h: Harness, t: Tenant): Promise<Record<string, unknown>> {
  const db = h.db.kysely;
  const out: Record<string, unknown> = {};
  const tables = await db.introspection.getTables();
  let tenantTables = 0;
  for (const table of tables) {
    if (!table.columns.some((c) => c.name === 'tenant_id')) continue;
    tenantTables += 1;
    const rows = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table.name)} where tenant_id = ${t.enterpriseId}`.execute(db);
    out[table.name] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  assert.ok(tenantTables >= 7, `only ${tenantTables} tables with tenant_id found`);
  out['enterprise'] = await db
    .selectFrom('enterprises')
    .selectAll()
    .where('id', '=', t.enterpriseId)
    .execute();
  const users = await db.selectFrom('users').select('id').where('tenant_id', '=', t.enterpriseId).execute();
  out['sessions'] = (
    await db
      .selectFrom('sessions')
      .select(['id_hash', 'user_id'])
      .where(
        'user_id',
        'in',
        users.map((u) => u.id),
      )
      .execute()
  )
    .map((s) => `${s.user_id} ${s.id_hash}`)
    .sort();
  const dir = join(h.config.dataDir, 'files', t.enterpriseId);
  out['disk'] = readdirSync(dir)
    .sort()
    .map(
      (name) =>
        `${name} ${createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex')}`,
    );
  return out;
}

for (const dialect of dialects) {
  describe(`tenant isolation on ${dialect}`, () => {
    let h: Harness;
    let A: Tenant;
    let B: Tenant;
    let regulator440000: Client;
    let regulator310000: Client;
    let aBefore: Record<string, unknown>;

    /** Builds an approved enterprise with one of everything. */
    async function tenant(operator: Client, label: string, orgBody: string, region: string): Promise<Tenant> {
      const username = `${label.toLowerCase()}-admin`;
      const name = `${label} 食品有限公司`;
      const e = await approvedEnterprise(h, operator, { username, orgBody, region, name });
      const admin = e.admin;
      const ok = (res: LightMyRequestResponse, status = 201) => {
        assert.equal(res.statusCode, status, res.body);
        return json(res);
      };
      const productName = `${label} 酱油`;
      const productId = ok(
        await admin.call('POST', '/api/v1/products', { name: productName, brand: `${label} brand` }),
      ).id as string;
      const imageId =
        (
          ok(await admin.upload('POST', `/api/v1/products/${productId}/images`, {}, png))
            .imageFileIds as string[]
        )[0] ?? '';
      const lot = `LOT-${label.toUpperCase()}-1`;
      const batchId = ok(
        await admin.call('POST', '/api/v1/batches', {
          productId,
          lot,
          productionDate: '2026-01-15',
          quantity: 1000,
        }),
      ).id as string;
      const batch = ok(
        await admin.upload('PUT', `/api/v1/batches/${batchId}/inspection-report`, {}, pdf),
        200,
      );
      const reportId = (batch.inspectionReport as { id: string }).id;
      // A pending document (deletable, reviewable) lapsing soon, so lists of expiring documents would show it.
      const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
      const pending = ok(
        await admin.upload(
          'POST',
          `/api/v1/enterprises/${e.enterpriseId}/documents`,
          { kind: 'production_licence', number: `SC-${label}-001`, expiresOn: soon },
          pdf,
        ),
      ) as { id: string; file: { id: string } };
      const docs = json<{ items: Array<{ id: string; kind: string; file: { id: string } }> }>(
        await admin.call('GET', `/api/v1/enterprises/${e.enterpriseId}/documents`),
      ).items;
      const licence = docs.find((d) => d.kind === 'business_licence');
      assert.ok(licence !== undefined);
      const staffId = ok(
        await admin.call('POST', '/api/v1/users', {
          username: `${label.toLowerCase()}-staff`,
          displayName: `${label} staff`,
          password,
          role: 'enterprise_operator',
        }),
      ).id as string;
      const adminId = json<{ user: { id: string } }>(await admin.call('GET', '/api/v1/auth/me')).user.id;
      const created = ok(await admin.call('POST', '/api/v1/api-keys', { name: `${label} ERP` })) as {
        id: string;
        key: string;
        prefix: string;
      };
      const key = new Client(h.app);
      key.bearer = created.key;
      // Trace codes: a space, an item job (codes 1–5 active, packed into a box) and a box job.
      const spaceId = ok(
        await admin.call('POST', '/api/v1/code-spaces', { name: `${label} space`, length: 17 }),
      ).id as string;
      const itemJob = ok(await admin.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: 20 }))
        .id as string;
      const boxJob = ok(
        await admin.call('POST', '/api/v1/code-jobs', { spaceId, productId, count: 2, packingLevel: 'box' }),
      ).id as string;
      ok(
        await admin.call('POST', '/api/v1/code-activations', { batchId, jobId: itemJob, from: 1, to: 5 }),
        200,
      );
      const items = json<{ items: Array<{ code: string }> }>(
        await admin.call('GET', `/api/v1/code-jobs/${itemJob}/codes?count=20`),
      ).items.map((c) => c.code);
      const boxes = json<{ items: Array<{ code: string }> }>(
        await admin.call('GET', `/api/v1/code-jobs/${boxJob}/codes?count=2`),
      ).items.map((c) => c.code);
      ok(
        await admin.call('POST', '/api/v1/line/pack', { parent: boxes[0], children: items.slice(0, 5) }),
        200,
      );
      const exportId = ok(
        await admin.call('POST', `/api/v1/code-jobs/${itemJob}/exports`, {
          format: 'csv',
          compression: 'none',
        }),
        202,
      ).id as string;
      await h.app.exportRunner.drain();
      const exportFile = json<{ files: Array<{ name: string }> }>(
        await admin.call('GET', `/api/v1/code-exports/${exportId}`),
      ).files[0]?.name;
      assert.ok(exportFile !== undefined);
      // Consumer verification: a counted query, scan settings with a product override, a
      // counterfeit report (the product image stands in for its photo) and a platform alert.
      const scanned = await h.app.inject({ method: 'GET', url: `/api/v1/verify/${items[0] ?? ''}` });
      assert.equal(scanned.statusCode, 200, scanned.body);
      const warningText = `${label} 警示语`;
      ok(await admin.call('PUT', '/api/v1/scan-settings', { warningText, imageFileId: imageId }), 200);
      ok(await admin.call('PUT', `/api/v1/products/${productId}/scan-settings`, { queryLimit: 3 }), 200);
      const counterfeitId = newId();
      await repositories(h.db.kysely).scans.insertReport({
        tenant_id: e.enterpriseId,
        id: counterfeitId,
        code: items[0] ?? '',
        space_id: spaceId,
        serial: 1,
        product_id: productId,
        batch_id: batchId,
        verdict: 'genuine_repeat',
        where_bought: `${label} market`,
        price_cents: 100,
        note: null,
        contact: null,
        photo_file_id: imageId,
        region_code: null,
        status: 'new',
        handler_note: null,
        handled_by: null,
        handled_at: null,
        created_at: Date.now(),
      });
      const alertId = newId();
      await repositories(h.db.kysely).scans.raiseAlert({
        id: alertId,
        kind: 'invalid_lookups_network',
        subject: `${label} network`,
        details: '{}',
        count: 1,
        at: Date.now(),
      });
      // EPCIS: an event captured alone, a capture document, a named query with a subscription.
      const eventAlone = `urn:uuid:${label.toLowerCase()}-event-1`;
      const eventInDoc = `urn:uuid:${label.toLowerCase()}-event-2`;
      ok(await admin.call('POST', '/epcis/events', epcisEvent(eventAlone, epcisEpc(label))), 201);
      const captured = await key.call(
        'POST',
        '/epcis/capture',
        epcisDocument([epcisEvent(eventInDoc, epcisEpc(label))]),
      );
      assert.equal(captured.statusCode, 202, captured.body);
      const captureId = String(captured.headers['location']).split('/').pop() ?? '';
      await h.app.captureRunner.drain();
      const queryName = `${label.toLowerCase()}-query`;
      ok(
        await admin.call('POST', '/epcis/queries', { name: queryName, query: { EQ_bizStep: ['shipping'] } }),
      );
      const subscriptionId = ok(
        await admin.call('POST', `/epcis/queries/${queryName}/subscriptions`, {
          dest: `http://127.0.0.1:9/${label.toLowerCase()}`,
          stream: true,
        }),
      ).subscriptionID as string;
      // Business actions: a raw-material lot received from a supplier and a stage template.
      const rawLotId =
        (
          ok(
            await admin.call('POST', '/api/v1/trace-actions/receive-materials', {
              supplier: `${label} farm`,
              lots: [{ material: `${label} soy`, lot: `${label}-RAW-1`, quantity: 10, unit: 'KGM' }],
            }),
          ).lots as Array<{ id: string }>
        )[0]?.id ?? '';
      const templateId = ok(
        await admin.call('POST', '/api/v1/stage-templates', {
          name: `${label} planting`,
          bizStep: 'other',
          fields: [{ key: 'field', label: `${label} field`, type: 'text', required: true }],
        }),
      ).id as string;
      const shareId = ok(
        await admin.call('POST', '/api/v1/event-shares', {
          grantee: { type: 'regulator', jurisdiction: '110000' },
          bizSteps: ['shipping'],
        }),
      ).id as string;
      const ids: Record<Param, string[]> = {
        enterpriseId: [e.enterpriseId],
        productId: [productId],
        batchId: [batchId],
        documentId: [pending.id, licence.id],
        userId: [staffId, adminId],
        keyId: [created.id],
        fileId: [imageId, reportId, pending.file.id, licence.file.id],
        spaceId: [spaceId],
        jobId: [itemJob, boxJob],
        code: [items[0] ?? '', items[10] ?? '', boxes[0] ?? ''],
        exportId: [exportId],
        name: [exportFile],
        captureId: [captureId],
        eventId: [encodeURIComponent(eventAlone), encodeURIComponent(eventInDoc)],
        queryName: [queryName],
        subscriptionId: [subscriptionId],
        reportId: [counterfeitId],
        alertId: [alertId],
        templateId: [templateId],
        lotId: [rawLotId],
        epc: [encodeURIComponent(epcisEpc(label))],
        shareId: [shareId],
      };
      const marks = [
        ...new Set([
          ...Object.values(ids).flat(),
          e.uscc,
          name,
          productName,
          `${label} brand`,
          lot,
          `SC-${label}-001`,
          username,
          `${label.toLowerCase()}-staff`,
          created.prefix,
          created.key,
          eventAlone,
          eventInDoc,
          epcisEpc(label),
          warningText,
          `${label} market`,
          `${label}-RAW-1`,
          `${label} planting`,
          `${label} farm`,
        ]),
      ];
      return { label, admin, key, enterpriseId: e.enterpriseId, name, productName, lot, ids, marks };
    }

    before(async () => {
      // A's subscription is at 127.0.0.1 (never delivered here).
      h = await harness(dialect, { EPCIS_WEBHOOK_ALLOW_PRIVATE: 'true' });
      const operator = await operatorClient(h);
      A = await tenant(operator, 'Alpha', 'MA1ALPH0', '310115');
      B = await tenant(operator, 'Beta', 'MA1BETA0', '440106');
      regulator440000 = await regulatorClient(h, '440000');
      regulator310000 = await regulatorClient(h, '310000');
      // The fixture itself must not overlap: B's own data carries none of A's marks.
      for (const m of A.marks) assert.ok(!B.marks.includes(m), m);
      aBefore = await snapshot(h, A);
    });
    after(() => h.close());

    test('every route of the app has an isolation rule (add new routes to `rules`)', async () => {
      const routes = routesOf(h);
      assert.ok(routes.length >= 40, `only ${routes.length} routes read from the route tree`);
      // The tree reader finds every documented route, so it is not missing any.
      const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await h.app.inject('/docs/json'));
      const keys = new Set(routes.map(routeKey));
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const method of Object.keys(ops)) {
          const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
          assert.ok(keys.has(key), `the route tree lacks the documented ${key}`);
        }
      }
      const missing = routes.filter((r) => rules[routeKey(r)] === undefined).map(routeKey);
      assert.deepEqual(
        missing,
        [],
        `routes without an isolation rule — add each to \`rules\` in ${import.meta.url}:\n  ${missing.join('\n  ')}`,
      );
      const stale = Object.keys(rules).filter((k) => !keys.has(k));
      assert.deepEqual(stale, [], `rules for routes that no longer exist: ${stale.join(', ')}`);
      for (const r of routes) {
        const rule = rules[routeKey(r)];
        const hasParams = paramsOf(r.url).length > 0;
        if (rule === undefined || rule.kind === 'exempt') continue;
        assert.equal(
          rule.kind === 'scoped',
          hasParams,
          `${routeKey(r)}: routes with path parameters, and only they, are 'scoped'`,
        );
        if (rule.kind === 'list') assert.equal(r.method, 'GET', `${routeKey(r)}: 'list' is for reads`);
        if (hasParams) targetUrls(r.url, A, B);
      }
    });

    /** Calls every scoped and reference route at A's ids as `caller`; each must answer 403 or 404. */
    async function attackEverything(
      t: TestContext,
      caller: Client,
      who: string,
      onlyChanges = false,
    ): Promise<number> {
      let calls = 0;
      for (const r of routesOf(h)) {
        const rule = rules[routeKey(r)];
        if (rule === undefined || (rule.kind !== 'scoped' && rule.kind !== 'reference')) continue;
        if (onlyChanges && r.method === 'GET') continue;
        await t.test(`${who}: ${routeKey(r)}`, async () => {
          const urls = rule.kind === 'scoped' ? targetUrls(r.url, A, B) : [r.url];
          for (const url of urls) {
            const res = await send(caller, r.method, url, rule, A);
            calls += 1;
            const refusals = rule.kind === 'reference' ? (rule.refusals ?? []) : [];
            assert.ok(
              res.statusCode === 403 || res.statusCode === 404 || refusals.includes(res.statusCode),
              `${who} ${r.method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`,
            );
            // An error may name what was asked for; anything else of A's must not come back.
            const sent = rule.kind === 'reference' ? rule.upload?.(A).file.data.toString('utf8') : undefined;
            const asked = `${url} ${JSON.stringify(rule.body?.(A) ?? null)} ${sent ?? ''}`;
            assertNoMarks(
              res,
              { ...A, marks: A.marks.filter((m) => !asked.includes(m)) },
              `${who} ${r.method} ${url}`,
            );
          }
        });
      }
      return calls;
    }

    test("B's administrator cannot read or change A's data through any route", async (t) => {
      const calls = await attackEverything(t, B.admin, "B's admin");
      assert.ok(calls >= 50, `only ${calls} calls made`);
    });

    test("B's API key cannot read or change A's data through any route", async (t) => {
      await attackEverything(t, B.key, "B's API key");
    });

    test("a regulator of another province cannot read or change A's data", async (t) => {
      await attackEverything(t, regulator440000, 'regulator 440000');
      // It does see enterprises of its own province, so the 404s above are not blanket refusals.
      assert.equal(
        (await regulator440000.call('GET', `/api/v1/enterprises/${B.enterpriseId}`)).statusCode,
        200,
      );
      assert.equal(
        (await regulator440000.call('GET', `/api/v1/enterprises/${B.enterpriseId}/documents`)).statusCode,
        200,
      );
      const products = await regulator440000.call(
        'GET',
        `/api/v1/supervision/enterprises/${B.enterpriseId}/products`,
      );
      assert.equal(products.statusCode, 200, products.body);
    });

    test("a regulator of A's province reads A's profile and documents but cannot change anything", async (t) => {
      const profile = await regulator310000.call('GET', `/api/v1/enterprises/${A.enterpriseId}`);
      assert.equal(profile.statusCode, 200, profile.body);
      assert.equal(json<{ name: string }>(profile).name, A.name);
      const docs = await regulator310000.call('GET', `/api/v1/enterprises/${A.enterpriseId}/documents`);
      assert.equal(docs.statusCode, 200);
      const docIds = json<{ items: Array<{ id: string }> }>(docs).items.map((d) => d.id);
      assert.deepEqual([...docIds].sort(), [...A.ids.documentId].sort());
      const file = await regulator310000.call(
        'GET',
        `/api/v1/enterprises/${A.enterpriseId}/documents/${A.ids.documentId[0] ?? ''}/file`,
      );
      assert.equal(file.statusCode, 200);
      assert.deepEqual(file.rawPayload, files.pdf);
      const list = await regulator310000.call('GET', '/api/v1/enterprises?pageSize=200');
      const listed = json<{ items: Array<{ id: string }> }>(list).items.map((e) => e.id);
      assert.ok(listed.includes(A.enterpriseId));
      assert.ok(!listed.includes(B.enterpriseId), 'B is in another province');
      // Nothing of B's either, nor any change to A.
      assert.equal(
        (await regulator310000.call('GET', `/api/v1/enterprises/${B.enterpriseId}`)).statusCode,
        404,
      );
      await attackEverything(t, regulator310000, 'regulator 310000', true);
    });

    test("lists read by B, B's key or another province's regulator carry none of A's data", async (t) => {
      for (const [who, caller] of [
        ["B's admin", B.admin],
        ["B's API key", B.key],
        ['regulator 440000', regulator440000],
      ] as const) {
        for (const r of routesOf(h)) {
          const rule = rules[routeKey(r)];
          if (rule?.kind !== 'list') continue;
          await t.test(`${who}: ${routeKey(r)}`, async () => {
            for (const query of rule.queries(A)) {
              const res = await caller.call('GET', `${r.url}${query}`);
              assert.ok(res.statusCode < 500, `${r.url}${query}: ${res.body}`);
              assertNoMarks(res, A, `${who} GET ${r.url}${query}`);
            }
          });
        }
      }
      // B's lists are not empty: B does see its own data where A's is missing.
      const products = await B.admin.call('GET', '/api/v1/products');
      assert.ok(products.body.includes(B.ids.productId[0] ?? '-'));
      const batches = await B.admin.call('GET', `/api/v1/batches?q=${B.lot}`);
      assert.ok(batches.body.includes(B.ids.batchId[0] ?? '-'));
    });

    test("what B makes for itself stays B's and shows none of A's data", async (t) => {
      let n = 0;
      for (const [who, caller] of [
        ["B's admin", B.admin],
        ["B's API key", B.key],
      ] as const) {
        for (const r of routesOf(h)) {
          const rule = rules[routeKey(r)];
          if (rule?.kind !== 'own') continue;
          await t.test(`${who}: ${routeKey(r)}`, async () => {
            n += 1;
            const res = await caller.call(r.method as Method, r.url, rule.body(n));
            assert.ok(res.statusCode < 500, res.body);
            assertNoMarks(res, A, `${who} ${routeKey(r)}`);
          });
        }
      }
    });

    test("afterwards every row and file of A is as it was, and A's people and key still work", async () => {
      assert.deepEqual(await snapshot(h, A), aBefore);
      assert.equal((await A.admin.call('GET', '/api/v1/auth/me')).statusCode, 200);
      const product = await A.key.call('GET', `/api/v1/products/${A.ids.productId[0] ?? ''}`);
      assert.equal(product.statusCode, 200);
      assert.equal(json<{ name: string }>(product).name, A.productName);
      const image = await A.admin.call('GET', `/api/v1/files/${A.ids.fileId[0] ?? ''}`);
      assert.equal(image.statusCode, 200);
      assert.deepEqual(image.rawPayload, files.png);
      const staff = new Client(h.app);
      await staff.login('alpha-staff', password);
    });
  });
}
