import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const consoleDir = join(root, 'packages', 'console');

/** What the console's build is made of: its own sources and the pure packages it bundles. */
const inputs = [
  join(consoleDir, 'src'),
  join(consoleDir, 'index.html'),
  join(consoleDir, 'vite.config.ts'),
  join(consoleDir, 'package.json'),
  join(root, 'packages', 'core', 'src'),
  join(root, 'packages', 'codes', 'src'),
];

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

/**
 * Makes sure `packages/console/dist` is a build of the current sources, building it (`vite
 * build`, a few seconds) when it is missing or older than any source, so browser tests never
 * depend on a manual `npm run build`. Returns the dist folder.
 */
export function ensureConsoleBuilt(): string {
  const dist = join(consoleDir, 'dist');
  const index = join(dist, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...inputs.map(newest))) return dist;
  // Built beside dist/ and swapped in, so test files building at the same time (node's runner
  // runs two at once) never serve each other's half-written folder.
  const staging = join(consoleDir, `dist-build-${process.pid}`);
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--logLevel', 'warn', '--outDir', staging, '--emptyOutDir'],
    { cwd: consoleDir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (run.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`vite build of the console failed:\n${run.stdout}\n${run.stderr}`);
  }
  const old = join(consoleDir, `dist-old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
  return dist;
}
