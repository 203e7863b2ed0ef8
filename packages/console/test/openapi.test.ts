/**
 * The console is typed from the server's OpenAPI document: the committed copy and the types made
 * from it must be what the server answers today. After changing a route, run `npm run openapi`
 * (and fix what the console's typecheck then says).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiDir, openapiDocument, openapiTypes } from '../../../scripts/openapi.js';

test('openapi.json and schema.ts are those of the current server (npm run openapi)', async () => {
  const document = await openapiDocument();
  assert.ok(
    readFileSync(join(apiDir, 'openapi.json'), 'utf8') === document,
    'packages/console/src/api/openapi.json is out of date: run `npm run openapi`',
  );
  assert.ok(
    readFileSync(join(apiDir, 'schema.ts'), 'utf8') === (await openapiTypes(document)),
    'packages/console/src/api/schema.ts is out of date: run `npm run openapi`',
  );
});
