#!/usr/bin/env node
// Entry of the `tracemark` command. Runs the compiled CLI; on a fresh checkout (no dist/ yet)
// it first builds the workspace with the TypeScript compiler, once.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const compiled = join(here, '..', 'dist', 'main.js');
if (!existsSync(compiled)) {
  const root = join(here, '..', '..', '..');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  process.stderr.write('tracemark: first run, building the workspace (tsc -b)…\n');
  execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.json')], { stdio: 'inherit' });
}
const { main } = await import(compiled);
process.exitCode = await main(process.argv, process.env);
