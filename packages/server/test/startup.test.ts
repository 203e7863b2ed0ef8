/**
 * What loading the server and the test support costs: the heavy libraries that only one feature
 * uses are loaded by that feature, not at start (every server start and every test file, a
 * process of its own, paid for them: ExcelJS ~0.3 s, PDFKit ~0.1 s, playwright-core ~0.7 s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/** The CommonJS modules a fresh process has loaded after importing `specifiers`. */
function loadedBy(specifiers: readonly string[]): string[] {
  const script =
    specifiers.map((s) => `await import(${JSON.stringify(s)});`).join('') +
    "const { createRequire } = await import('node:module');" +
    'console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));';
  const out = execFileSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: new URL('../../..', import.meta.url), encoding: 'utf8' },
  );
  return JSON.parse(out) as string[];
}

test('the server and the test support load without ExcelJS, PDFKit or playwright-core, which load on first use', () => {
  const loaded = loadedBy(['@tracemark/server', '@tracemark/testing']);
  assert.ok(loaded.length > 100, `${loaded.length} modules: the check sees what was loaded`);
  const heavy = loaded.filter((path) => /node_modules\/(exceljs|pdfkit|playwright-core)\//.test(path));
  assert.deepEqual(heavy, []);
  // The same check sees them once something uses them.
  const withExcel = loadedBy(['@tracemark/server', 'exceljs']);
  assert.ok(withExcel.some((path) => path.includes('node_modules/exceljs/')));
});
