import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main, type DemoResult } from '@tracemark/cli';
import { createTestDatabase, dialects, type TestDatabase } from '@tracemark/testing';
import { buildApp, loadConfig } from '@tracemark/server';
import { openDatabase } from '@tracemark/db';
import pino from 'pino';

/** Runs the CLI in-process and captures what it prints. */
async function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'tracemark', ...args],
    { LOG_LEVEL: 'silent', ...env },
    { out: (t) => (out += t), err: (t) => (err += t) },
  );
  return { code, out, err };
}

test('--help lists the commands', async () => {
  const r = await run(['--help'], {});
  for (const command of ['serve', 'migrate', 'user', 'demo'])
    assert.match(r.out, new RegExp(`\\b${command}\\b`));
});

test('invalid settings are all reported and the command exits 2 without doing anything', async () => {
  const r = await run(['migrate'], { PORT: 'x', DATABASE_URL: 'oracle://db' });
  assert.equal(r.code, 2);
  assert.match(r.err, /PORT/);
  assert.match(r.err, /DATABASE_URL/);
});

for (const dialect of dialects) {
  describe(`commands on ${dialect}`, () => {
    let t: TestDatabase;
    let env: Record<string, string>;
    before(async () => {
      t = await createTestDatabase(dialect);
      env = { DATA_DIR: t.dataDir, DATABASE_URL: t.url };
    });
    after(() => t.dispose());

    test('migrate creates the schema, and --check then reports it up to date', async () => {
      const first = await run(['migrate'], env);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /Applied/);
      if (dialect === 'sqlite') assert.ok(existsSync(join(t.dataDir, 'test.db')));
      const check = await run(['migrate', '--check'], env);
      assert.equal(check.code, 0);
      assert.match(check.out, /up to date/);
    });

    test('user create makes a platform operator and refuses enterprise roles', async () => {
      const ok = await run(
        [
          'user',
          'create',
          '--username',
          'root-op',
          '--role',
          'platform_operator',
          '--password',
          'Sup3rSecretPass',
        ],
        env,
      );
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /root-op/);
      const dup = await run(['user', 'create', '--username', 'root-op', '--role', 'platform_operator'], env);
      assert.equal(dup.code, 1);
      assert.match(dup.err, /TRACE_USER_USERNAME_TAKEN/);
      const bad = await run(['user', 'create', '--username', 'x-admin', '--role', 'enterprise_admin'], env);
      assert.equal(bad.code, 2);
    });

    test('demo --json prints working logins and an API key, and a second run refreshes them', async () => {
      const first = await run(['demo', '--json'], env);
      assert.equal(first.code, 0, first.err);
      const demo = JSON.parse(first.out) as DemoResult;
      assert.deepEqual(demo.accounts.map((a) => a.role).sort(), [
        'enterprise_admin',
        'enterprise_operator',
        'platform_operator',
        'regulator',
      ]);
      assert.ok(demo.products.length >= 3);
      assert.ok(demo.batches.length >= 3);
      assert.match(demo.apiKey, /^tmk_/);

      const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
      const db = openDatabase(config.database);
      const app = await buildApp({ config, db, logger: pino({ level: 'silent' }) });
      try {
        const products = await app.inject({
          url: '/api/v1/products',
          headers: { authorization: `Bearer ${demo.apiKey}` },
        });
        assert.equal(products.statusCode, 200);
        assert.equal((JSON.parse(products.body) as { total: number }).total, demo.products.length);
        const enterprise = await app.inject({
          url: `/api/v1/enterprises/${demo.enterprise.id}`,
          headers: { authorization: `Bearer ${demo.apiKey}` },
        });
        assert.equal((JSON.parse(enterprise.body) as { status: string }).status, 'approved');
        for (const account of demo.accounts) {
          const login = await app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: account.username, password: account.password },
          });
          assert.equal(login.statusCode, 200, `${account.username}: ${login.body}`);
        }

        // The demo's scan codes open as genuine at once, first query then repeat.
        assert.equal(demo.scanCodes.length, 5);
        const scan = demo.scanCodes[0];
        assert.ok(scan !== undefined);
        const path = new URL(scan.url).pathname;
        const page = await app.inject({ url: path, headers: { 'user-agent': 'Mozilla/5.0 Mobile' } });
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /五常有机大米/);
        const verdict = await app.inject({ url: `/api/v1/verify/${scan.code}` });
        assert.equal((JSON.parse(verdict.body) as { verdict: string }).verdict, 'genuine_repeat');

        const second = await run(['demo', '--json'], env);
        assert.equal(second.code, 0, second.err);
        const again = JSON.parse(second.out) as DemoResult;
        assert.equal(again.enterprise.id, demo.enterprise.id);
        assert.equal(again.products.length, demo.products.length);
        assert.deepEqual(
          again.scanCodes.map((c) => c.code),
          demo.scanCodes.map((c) => c.code),
          'a second run lists the same demo codes',
        );
        assert.notEqual(again.apiKey, demo.apiKey);
        const admin = again.accounts.find((a) => a.role === 'enterprise_admin');
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: admin?.username, password: admin?.password },
        });
        assert.equal(login.statusCode, 200);
      } finally {
        await app.close();
        await db.close();
      }
    });

    test('codes generate writes the codes of a new job to a file, and codes verify knows them', async () => {
      const demo = JSON.parse((await run(['demo', '--json'], env)).out) as DemoResult;
      assert.deepEqual(
        demo.codeSpaces.map((s) => s.length),
        [15, 17, 21],
      );
      const space = demo.codeSpaces[1];
      assert.ok(space !== undefined);
      const out = join(t.dataDir, 'job.csv');
      const gen = await run(
        ['codes', 'generate', '--space', space.id, '--count', '2000', '--out', out, '--pin'],
        env,
      );
      assert.equal(gen.code, 0, gen.err);
      const lines = readFileSync(out, 'utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/);
      assert.equal(lines[0], 'code,url,pin');
      assert.equal(lines.length, 2001);
      const first = (lines[1] ?? '').split(',')[0] ?? '';
      assert.equal(first.length, 17);
      assert.ok(first.startsWith(space.prefix));
      const verify = await run(['codes', 'verify', first, '--json'], env);
      assert.equal(verify.code, 0, verify.err);
      const facts = JSON.parse(verify.out) as { status: string; spaceId: string };
      assert.equal(facts.status, 'issued');
      assert.equal(facts.spaceId, space.id);
      const typo = `${first.slice(0, 16)}${(Number(first.at(-1)) + 1) % 10}`;
      const bad = await run(['codes', 'verify', typo, '--json'], env);
      assert.equal(bad.code, 1);
      assert.equal((JSON.parse(bad.out) as { status: string }).status, 'invalid');
      const jobId = /Issued job ([0-9a-f-]{36})/.exec(gen.out)?.[1] ?? '';
      const pdfPath = join(t.dataDir, 'labels.pdf');
      const labels = await run(
        ['codes', 'labels', '--job', jobId, '--out', pdfPath, '--count', '24', '--colour', 'blue'],
        env,
      );
      assert.equal(labels.code, 0, labels.err);
      assert.match(labels.out, /Wrote 24 labels/);
      assert.ok(readFileSync(pdfPath).subarray(0, 4).toString() === '%PDF');
      const badSize = await run(
        ['codes', 'labels', '--job', jobId, '--out', pdfPath, '--size', '30x30'],
        env,
      );
      assert.equal(badSize.code, 1);
      assert.match(badSize.err, /TRACE_CODE_LABEL_SPEC/);
      const wrong = await run(['codes', 'generate', '--space', space.id, '--count', '0', '--out', out], env);
      assert.equal(wrong.code, 2);
    });

    test('keys rotate re-seals every space key under a new master key, after which the old one can go', async () => {
      const k1 = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
      const k2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;
      const t2 = await createTestDatabase(dialect);
      const e2 = { DATA_DIR: t2.dataDir, DATABASE_URL: t2.url };
      try {
        const demo = JSON.parse((await run(['demo', '--json'], { ...e2, MASTER_KEY: k1 })).out) as DemoResult;
        const space = demo.codeSpaces[0];
        assert.ok(space !== undefined);
        const out = join(t2.dataDir, 'one.txt');
        assert.equal(
          (
            await run(['codes', 'generate', '--space', space.id, '--count', '1', '--out', out, '--no-url'], {
              ...e2,
              MASTER_KEY: k1,
            })
          ).code,
          0,
        );
        const code = readFileSync(out, 'utf8').trim();
        const rotate = await run(['keys', 'rotate'], { ...e2, MASTER_KEY: `${k2},${k1}` });
        assert.equal(rotate.code, 0, rotate.err);
        assert.match(rotate.out, /Re-sealed 3 code-space key/);
        const again = await run(['keys', 'rotate'], { ...e2, MASTER_KEY: `${k2},${k1}` });
        assert.match(again.out, /Re-sealed 0 code-space key\(s\); 3 already/);
        const verify = await run(['codes', 'verify', code, '--json'], { ...e2, MASTER_KEY: k2 });
        assert.equal(verify.code, 0, verify.err);
        assert.equal((JSON.parse(verify.out) as { status: string }).status, 'issued');
      } finally {
        await t2.dispose();
      }
    });
  });
}
