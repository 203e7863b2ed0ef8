import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, dialects } from '@tracemark/testing';

const runCli = fileURLToPath(new URL('./support/run-cli.ts', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `tracemark serve` as a real process and waits until it prints its URL. */
async function startServe(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', runCli, 'serve'], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Tracemark is ready at')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output };
}

for (const dialect of dialects) {
  test(`on ${dialect}, SIGTERM lets an in-flight request finish, then closes and exits 0`, async () => {
    const t = await createTestDatabase(dialect);
    const port = await freePort();
    const { child, output } = await startServe({
      DATA_DIR: t.dataDir,
      DATABASE_URL: t.url,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    try {
      // Open a request and send only half of its body, so it is in flight when the signal comes.
      const body = JSON.stringify({ username: 'nobody', password: 'not-the-password' });
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let response = '';
      socket.on('data', (d: Buffer) => (response += d.toString()));
      socket.write(
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(child.exitCode, null, 'the server must wait for the in-flight request');
      socket.write(body.slice(10));
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.match(response, /^HTTP\/1\.1 401/, `in-flight request got: ${response}`);
      assert.match(response, /TRACE_AUTH_INVALID_CREDENTIALS/);
      assert.equal(code, 0, output());
      assert.match(output(), /shutting down/);
      socket.destroy();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await t.dispose();
    }
  });
}
