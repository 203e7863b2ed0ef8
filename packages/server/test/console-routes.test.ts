/**
 * The console is served at /console/: hashed assets cached for a year, every other path the
 * client's index.html without caching, `/` redirected, and a clear 503 page when not built.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { consoleRoutes } from '../src/modules/console/routes.js';
import type { App } from '@tracemark/server';

async function appFor(dist: string): Promise<App> {
  const app = Fastify({
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();
  consoleRoutes(app, dist);
  await app.ready();
  return app;
}

describe('console routes', () => {
  let dir: string;
  let app: App;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracemark-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    app = await appFor(dir);
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/ and /console redirect to /console/', async () => {
    for (const url of ['/', '/console']) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 302, url);
      assert.equal(res.headers.location, '/console/');
    }
  });

  test('client routes answer index.html without caching', async () => {
    for (const url of ['/console/', '/console/products', '/console/enterprises/0193-x']) {
      const res = await app.inject(url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /id="root"/);
      assert.match(String(res.headers['content-type']), /text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
  });

  test('hashed assets are cached for a year; a missing asset is 404, not index.html', async () => {
    const js = await app.inject('/console/assets/index-abc123.js');
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.equal((await app.inject('/console/assets/gone-000.js')).statusCode, 404);
    const icon = await app.inject('/console/favicon.svg');
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  test('paths outside the build are never served', async () => {
    for (const url of [
      '/console/../package.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/assets/..%2f..%2fpackage.json',
    ]) {
      const res = await app.inject(url);
      assert.ok(!res.body.includes('"name"'), url);
    }
  });

  test('without a build, the console answers 503 with how to build it', async () => {
    const missing = await appFor(join(dir, 'nothing-here'));
    try {
      const res = await missing.inject('/console/products');
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /npm run build/);
      assert.match(res.body, /控制台尚未构建/);
    } finally {
      await missing.close();
    }
  });
});
