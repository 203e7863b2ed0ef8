import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, errorCatalogue, loadConfig, settings } from '@tracemark/server';
import { configurationDoc, errorsDoc } from '../../../scripts/reference-docs.js';

test('with no settings the server uses SQLite under ./data on port 8080', () => {
  const config = loadConfig({}, '/srv/app');
  assert.equal(config.port, 8080);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.dataDir, '/srv/app/data');
  assert.deepEqual(config.database, {
    type: 'sqlite',
    file: '/srv/app/data/tracemark.db',
    synchronous: 'normal',
  });
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.equal(config.cookieSecure, false);
  assert.ok(Object.isFrozen(config));
});

test('DATABASE_URL switches to PostgreSQL with the pool size applied', () => {
  const config = loadConfig({ DATABASE_URL: 'postgres://u@db:5432/x', DATABASE_POOL_SIZE: '25' }, '/srv');
  assert.deepEqual(config.database, { type: 'postgres', url: 'postgres://u@db:5432/x', poolSize: 25 });
});

test('an https PUBLIC_URL makes cookies secure by default', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://trace.example.cn' }).cookieSecure, true);
});

test('every invalid setting is reported at once', () => {
  const env = {
    PORT: 'eighty',
    DATABASE_URL: 'mysql://x',
    PUBLIC_URL: 'ftp://x/y',
    LOG_LEVEL: 'loud',
    COOKIE_SECURE: 'maybe',
    UPLOAD_MAX_MB: '0',
  };
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      for (const name of Object.keys(env)) assert.match(text, new RegExp(name), `${name} not reported`);
      assert.equal(error.problems.length, 6);
      return true;
    },
  );
});

test('docs/configuration.md lists exactly the settings the code reads', () => {
  const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(doc, configurationDoc(), 'docs/configuration.md is stale: run npm run docs');
  for (const s of settings) assert.ok(doc.includes(`| \`${s.env}\` |`), s.env);
});

test('docs/errors.md lists exactly the codes of the error catalogue', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  assert.equal(doc, errorsDoc(), 'docs/errors.md is stale: run npm run docs');
});

test('every catalogue code reads TRACE_<AREA>_<WHAT> and has a 4xx or 5xx status', () => {
  for (const [code, e] of Object.entries(errorCatalogue)) {
    assert.match(code, /^TRACE_[A-Z]+(_[A-Z0-9]+)*$/);
    assert.ok(e.status >= 400 && e.status < 600, code);
  }
});
