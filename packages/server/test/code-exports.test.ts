import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { dialects } from '@tracemark/testing';
import {
  approvedEnterprise,
  errorCode,
  harness,
  json,
  operatorClient,
  type Client,
  type Harness,
} from './support/harness.js';

interface ExportBody {
  id: string;
  status: string;
  codesWritten: number;
  total: number;
  progress: number;
  files: Array<{ name: string; codes: number; bytes: number; sha256: string; url: string }>;
}

for (const dialect of dialects) {
  describe(`code exports on ${dialect}`, () => {
    let h: Harness;
    let admin: Client;
    let jobId: string;
    let codes: string[];

    before(async () => {
      h = await harness(dialect, { PUBLIC_URL: 'https://trace.example.cn' });
      const operator = await operatorClient(h);
      admin = (await approvedEnterprise(h, operator, { username: 'exporter', orgBody: 'MA1EXP00' })).admin;
      const space = json<{ id: string }>(
        await admin.call('POST', '/api/v1/code-spaces', { name: 'S', length: 17 }),
      );
      jobId = json<{ id: string }>(
        await admin.call('POST', '/api/v1/code-jobs', { spaceId: space.id, count: 2500, withPin: true }),
      ).id;
      codes = json<{ items: Array<{ code: string }> }>(
        await admin.call('GET', `/api/v1/code-jobs/${jobId}/codes?count=2500`),
      ).items.map((c) => c.code);
    });
    after(() => h.close());

    async function exportOf(body: Record<string, unknown>): Promise<ExportBody> {
      const res = await admin.call('POST', `/api/v1/code-jobs/${jobId}/exports`, body);
      assert.equal(res.statusCode, 202, res.body);
      const queued = json<ExportBody>(res);
      assert.equal(queued.status, 'queued');
      await h.app.exportRunner.drain();
      return json<ExportBody>(await admin.call('GET', `/api/v1/code-exports/${queued.id}`));
    }

    test('a gzip CSV export is split into parts holding every code of the job with its URL and PIN', async () => {
      const done = await exportOf({
        format: 'csv',
        compression: 'gzip',
        codesPerFile: 1000,
        includePin: true,
      });
      assert.equal(done.status, 'done');
      assert.equal(done.progress, 1);
      assert.deepEqual(
        done.files.map((f) => f.codes),
        [1000, 1000, 500],
      );
      const rows: string[] = [];
      for (const f of done.files) {
        const res = await admin.app.inject({ url: f.url, headers: { cookie: admin.cookie } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'application/gzip');
        const text = gunzipSync(res.rawPayload)
          .toString('utf8')
          .replace(/^\uFEFF/, '');
        const lines = text.trim().split(/\r?\n/);
        assert.equal(lines[0], 'code,url,pin');
        rows.push(...lines.slice(1));
      }
      assert.equal(rows.length, 2500);
      const [code, url, pin] = (rows[0] ?? '').split(',');
      assert.equal(code, codes[0]);
      assert.equal(url, `https://trace.example.cn/c/${codes[0] ?? ''}`);
      assert.match(pin ?? '', /^\d{8}$/);
      assert.deepEqual(
        rows.map((r) => r.split(',')[0]),
        codes,
      );
    });

    test('a ZIP of TXT parts is one download', async () => {
      const done = await exportOf({
        format: 'txt',
        compression: 'zip',
        codesPerFile: 1000,
        includeUrl: false,
      });
      assert.equal(done.files.length, 1);
      assert.match(done.files[0]?.name ?? '', /\.zip$/);
      const res = await admin.app.inject({
        url: done.files[0]?.url ?? '',
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.rawPayload.subarray(0, 2).toString(), 'PK');
      assert.equal(res.rawPayload.length, done.files[0]?.bytes);
    });

    test('an export whose process died is picked up again and finished', async () => {
      const res = await admin.call('POST', `/api/v1/code-jobs/${jobId}/exports`, {
        format: 'csv',
        compression: 'none',
        codesPerFile: 2500,
      });
      const id = json<ExportBody>(res).id;
      // As if another process had claimed it and then died a minute ago.
      await h.db.kysely
        .updateTable('code_exports')
        .set({ status: 'running', claimed_by: 'dead-worker', heartbeat_at: Date.now() - 60_000 })
        .where('id', '=', id)
        .execute();
      await h.app.exportRunner.drain();
      const done = json<ExportBody>(await admin.call('GET', `/api/v1/code-exports/${id}`));
      assert.equal(done.status, 'done');
      assert.equal(done.codesWritten, 2500);
    });

    test('PINs cannot be exported from a job without them, and unfinished or unknown files are refused', async () => {
      const spaceId = json<{ items: Array<{ id: string }> }>(await admin.call('GET', '/api/v1/code-spaces'))
        .items[0]?.id;
      const plain = json<{ id: string }>(
        await admin.call('POST', '/api/v1/code-jobs', { spaceId, count: 10 }),
      ).id;
      const bad = await admin.call('POST', `/api/v1/code-jobs/${plain}/exports`, {
        format: 'csv',
        includePin: true,
      });
      assert.equal(bad.statusCode, 400);
      const queued = json<ExportBody>(
        await admin.call('POST', `/api/v1/code-jobs/${plain}/exports`, { format: 'csv' }),
      );
      const early = await admin.call('GET', `/api/v1/code-exports/${queued.id}/files/x.csv`);
      assert.equal(errorCode(early), 'TRACE_CODE_EXPORT_NOT_READY');
      await h.app.exportRunner.drain();
      const missing = await admin.call('GET', `/api/v1/code-exports/${queued.id}/files/nothing.csv`);
      assert.equal(errorCode(missing), 'TRACE_CODE_EXPORT_NOT_FOUND');
    });

    test('labels of a job come as a PDF with the Chinese font embedded, and bad label sizes are refused', async () => {
      const res = await admin.app.inject({
        url: `/api/v1/code-jobs/${jobId}/labels.pdf?count=60&colour=green&layout=framed`,
        headers: { cookie: admin.cookie },
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.headers['content-type'], 'application/pdf');
      const pdf = res.rawPayload.toString('latin1');
      assert.ok(pdf.startsWith('%PDF'));
      assert.ok(pdf.trimEnd().endsWith('%%EOF'));
      assert.match(pdf, /NotoSansSC/);
      const roll = await admin.app.inject({
        url: `/api/v1/code-jobs/${jobId}/labels.pdf?count=3&sheet=roll`,
        headers: { cookie: admin.cookie },
      });
      assert.equal((roll.rawPayload.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length, 3);
      const square = await admin.call('GET', `/api/v1/code-jobs/${jobId}/labels.pdf?width=30&height=30`);
      assert.equal(square.statusCode, 400);
      assert.equal(errorCode(square), 'TRACE_CODE_LABEL_SPEC');
      const beyond = await admin.call('GET', `/api/v1/code-jobs/${jobId}/labels.pdf?offset=2500`);
      assert.equal(errorCode(beyond), 'TRACE_CODE_RANGE_INVALID');
    });
  });
}
