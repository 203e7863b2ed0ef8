// Writes docs/errors.md and docs/configuration.md from the code (the error catalogue and the
// settings list), so the docs cannot drift: `npm run docs` rewrites them, and a test fails when
// the committed files differ from what this produces.
import { writeFileSync } from 'node:fs';
import { errorCatalogue, settings } from '@tracemark/server';

/** The text of docs/errors.md. */
export function errorsDoc(): string {
  const rows = Object.entries(errorCatalogue)
    .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.message.replace(/\|/g, '\\|')} |`)
    .join('\n');
  return `# Errors

Every error the HTTP API returns has the same JSON body, whatever went wrong:

\`\`\`json
{
  "error": {
    "code": "TRACE_PRODUCT_GTIN_INVALID",
    "message": "The GTIN is invalid (length or GS1 check digit).",
    "statusCode": 400,
    "requestId": "0b6f8f4e-5b7a-4f59-9a43-7c1a3f0f2d11",
    "details": [{ "field": "body.gtin", "message": "must match pattern" }]
  }
}
\`\`\`

- \`code\` is stable and comes from the catalogue below (\`TRACE_<AREA>_<WHAT>\`); clients branch on it,
  and the console shows its own translation of it. \`message\` is English, for developers and logs.
- \`requestId\` is also in the \`x-request-id\` response header and in every log line of the request.
- \`details\` lists the fields at fault for validation errors.
- A request that fails changes nothing.

This file is generated from \`packages/server/src/errors.ts\` by \`npm run docs\`; a test fails when
the two differ.

| code | HTTP status | meaning |
|---|---|---|
${rows}
`;
}

/** The text of docs/configuration.md. */
export function configurationDoc(): string {
  const rows = settings.map((s) => `| \`${s.env}\` | ${s.description} | \`${s.default}\` |`).join('\n');
  return `# Configuration

Tracemark reads its settings from environment variables, in the entry point only
(\`tracemark serve\`, \`npm start\` and every other command). All of them are checked at start;
if any is wrong, every problem is reported at once and nothing starts.

This file is generated from \`packages/server/src/config.ts\` by \`npm run docs\`; a test fails when
the two differ.

| variable | meaning | default |
|---|---|---|
${rows}

Tests use \`TEST_DATABASE_URL\` (default \`postgres://postgres@127.0.0.1:5432/test\`) as the
PostgreSQL server on which each suite creates and drops its own database.
`;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/^.*\/scripts\//, 'scripts/'))
) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), errorsDoc());
  writeFileSync(new URL('../docs/configuration.md', import.meta.url), configurationDoc());
  console.log('wrote docs/errors.md and docs/configuration.md');
}
