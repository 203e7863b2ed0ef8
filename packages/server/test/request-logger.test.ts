/**
 * Each request's logger (`RequestLogger`, Fastify's `childLoggerFactory`): the pino child that
 * carries the request id is made only when the request logs a line at an enabled level, and then
 * the lines are the ones the eager child wrote.
 */
import { describe, test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { RequestLogger } from '../src/lib/request-logger.js';
import { harness, type Harness } from './support/harness.js';

/**
 * A pino logger at `level` whose lines land in `lines`, parsed; `counted` is the same logger with
 * its `child()` counted in `children()` (the parent handed to the request loggers under test).
 */
function capturing(level: string): {
  logger: pino.Logger;
  counted: pino.Logger;
  lines: Record<string, unknown>[];
  children: () => number;
} {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level }, stream);
  let made = 0;
  const counted = Object.create(logger, {
    child: {
      value: (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => {
        made += 1;
        return logger.child(bindings, options);
      },
    },
  }) as pino.Logger;
  return { logger, counted, lines, children: () => made };
}

/** Lets pino's stream write what it was given. */
const flushed = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('request loggers', () => {
  test('a line below the level makes no child logger and writes nothing', async () => {
    const { counted, lines, children } = capturing('warn');
    const log = new RequestLogger(counted, { reqId: 'r-1' }, {});
    log.info('incoming request');
    log.debug('details');
    await flushed();
    assert.equal(children(), 0);
    assert.deepEqual(lines, []);
  });

  test('a line at the level is written with the request id, and later lines use the same child', async () => {
    const { counted, lines, children } = capturing('warn');
    const log = new RequestLogger(counted, { reqId: 'r-2' }, {});
    log.warn({ code: 'X' }, 'first');
    log.error('second');
    await flushed();
    assert.equal(children(), 1);
    assert.deepEqual(
      lines.map((l) => [l.reqId, l.msg, l.level]),
      [
        ['r-2', 'first', 40],
        ['r-2', 'second', 50],
      ],
    );
    assert.equal(lines[0]?.code, 'X');
  });

  test("the route's level decides, not the app's", async () => {
    const { counted, lines, children } = capturing('warn');
    const chatty = new RequestLogger(counted, { reqId: 'r-3' }, { level: 'debug' });
    chatty.debug('shown');
    const quiet = new RequestLogger(counted, { reqId: 'r-4' }, { level: 'error' });
    quiet.warn('hidden');
    await flushed();
    assert.deepEqual(
      lines.map((l) => [l.reqId, l.msg]),
      [['r-3', 'shown']],
    );
    assert.equal(children(), 1, 'only the request that logged made a child');
    assert.equal(quiet.level, 'error');
    assert.equal(chatty.level, 'debug');
  });

  test("a child of the request's logger carries the request id and its own bindings", async () => {
    const { counted, lines } = capturing('info');
    const log = new RequestLogger(counted, { reqId: 'r-5' }, {});
    log.child({ job: 'j-1' }).info('from the child');
    await flushed();
    assert.deepEqual(
      lines.map((l) => [l.reqId, l.job, l.msg]),
      [['r-5', 'j-1', 'from the child']],
    );
  });

  describe('in the app', () => {
    const captured = capturing('info');
    let h: Harness;
    before(async () => {
      h = await harness('sqlite', {}, { logger: captured.logger });
    });
    after(() => h.close());

    test("a request's log lines carry the id its answer names", async () => {
      const res = await h.app.inject('/api/v1/nothing-here');
      await flushed();
      const id = res.headers['x-request-id'];
      assert.match(String(id), /^[0-9a-f-]{36}$/);
      const mine = captured.lines.filter((l) => l.reqId === id);
      assert.ok(mine.length > 0, 'the request logged lines with its id');
      assert.ok(mine.some((l) => l.msg === 'request completed'));
    });
  });
});
