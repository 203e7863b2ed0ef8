import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '@tracemark/testing';
import { harness, json, errorCode, type Harness } from './support/harness.js';

for (const dialect of dialects) {
  describe(`health and the HTTP edge on ${dialect}`, () => {
    let h: Harness;
    before(async () => {
      h = await harness(dialect);
    });
    after(() => h.close());

    test('healthz answers ok and readyz reports the migrated database', async () => {
      assert.equal((await h.app.inject('/healthz')).statusCode, 200);
      const ready = await h.app.inject('/readyz');
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(json(ready), { status: 'ready', database: dialect });
    });

    test('every response carries a request id, echoing the caller’s when given', async () => {
      const res = await h.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
      assert.equal(res.headers['x-request-id'], 'abc-123');
      const fresh = await h.app.inject('/healthz');
      assert.match(String(fresh.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    });

    test('an unknown route is a 404 with the catalogue error body', async () => {
      const res = await h.app.inject('/api/v1/nothing-here');
      assert.equal(res.statusCode, 404);
      const body = json<{ error: { code: string; requestId: string; statusCode: number } }>(res);
      assert.equal(body.error.code, 'TRACE_HTTP_NOT_FOUND');
      assert.equal(body.error.statusCode, 404);
      assert.equal(body.error.requestId, res.headers['x-request-id']);
    });

    test('malformed JSON is a 400 TRACE_HTTP_BAD_JSON, not a 500', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"username": ',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(errorCode(res), 'TRACE_HTTP_BAD_JSON');
    });

    test('wrong types and unknown fields are a 400 naming the field', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 5, password: 'x', extra: true },
      });
      assert.equal(res.statusCode, 400);
      const body = json<{ error: { code: string; details: Array<{ field: string }> } }>(res);
      assert.equal(body.error.code, 'TRACE_HTTP_VALIDATION');
      const fields = body.error.details.map((d) => d.field);
      assert.ok(fields.includes('body.username'), fields.join());
      assert.ok(fields.includes('body.extra'), fields.join());
    });

    test('an oversize body is a 413 TRACE_HTTP_BODY_TOO_LARGE', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024), password: 'y' }),
      });
      assert.equal(res.statusCode, 413);
      assert.equal(errorCode(res), 'TRACE_HTTP_BODY_TOO_LARGE');
    });

    test('an unsupported content type is a 415', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'text/csv' },
        payload: 'a,b',
      });
      assert.equal(res.statusCode, 415);
      assert.equal(errorCode(res), 'TRACE_HTTP_UNSUPPORTED_MEDIA_TYPE');
    });

    test('the OpenAPI document lists the API routes and the docs UI is served', async () => {
      const res = await h.app.inject('/docs/json');
      assert.equal(res.statusCode, 200);
      const doc = json<{ openapi: string; paths: Record<string, unknown> }>(res);
      assert.match(doc.openapi, /^3\./);
      for (const path of [
        '/api/v1/auth/login',
        '/api/v1/products',
        '/api/v1/enterprises/{enterpriseId}/documents',
        '/healthz',
      ]) {
        assert.ok(path in doc.paths, `missing ${path}`);
      }
      const ui = await h.app.inject('/docs/');
      assert.equal(ui.statusCode, 200);
      assert.match(ui.body, /swagger/i);
    });
  });
}
