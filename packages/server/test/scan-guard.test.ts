import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRequest } from '../src/modules/scan/client-kind.js';
import { networkOf, ScanGuard, type GuardAlert } from '../src/modules/scan/guard.js';

const config = { perAddress: 5, perNetwork: 12, windowMs: 60_000, blockMs: 120_000, alertPerMinute: 50 };
const t0 = Date.UTC(2026, 10, 27, 8, 0, 0);

test('networks: IPv4 /24, IPv6 /48, IPv4-mapped IPv6 as IPv4', () => {
  assert.equal(networkOf('203.0.113.77'), '203.0.113.0/24');
  assert.equal(networkOf('::ffff:203.0.113.77'), '203.0.113.0/24');
  assert.equal(networkOf('2001:db8:abcd:12::1'), '2001:db8:abcd::/48');
  assert.equal(networkOf('2001:db8::1'), '2001:db8:0::/48');
  assert.equal(networkOf('not an ip'), 'not an ip');
});

test('an address is refused after its limit of invalid lookups, for the block time, then allowed again', () => {
  const guard = new ScanGuard(config, () => undefined);
  for (let i = 0; i < 4; i++) guard.failure('198.51.100.1', t0 + i);
  assert.equal(guard.blockedFor('198.51.100.1', t0 + 10), 0);
  guard.failure('198.51.100.1', t0 + 10);
  assert.equal(guard.blockedFor('198.51.100.1', t0 + 10), 120_000);
  assert.equal(guard.blockedFor('198.51.100.2', t0 + 10), 0, 'a neighbour is not refused yet');
  assert.equal(guard.blockedFor('198.51.100.1', t0 + 130_011), 0);
});

test('blocks that overlap each end at their own time, and a block after all ended is seen at once', () => {
  const guard = new ScanGuard(config, () => undefined);
  const block = (ip: string, at: number): void => {
    for (let i = 0; i < config.perAddress; i++) guard.failure(ip, at);
  };
  block('198.51.100.20', t0);
  block('203.0.113.20', t0 + 60_000);
  // The first block ended; the second, set later, still runs.
  assert.equal(guard.blockedFor('198.51.100.20', t0 + 150_000), 0);
  assert.equal(guard.blockedFor('203.0.113.20', t0 + 150_000), 30_000);
  assert.equal(guard.blockedFor('203.0.113.20', t0 + 180_000), 0);
  // Long after every block ended, a new one holds from its first moment.
  block('198.51.100.20', t0 + 600_000);
  assert.equal(guard.blockedFor('198.51.100.20', t0 + 600_000), 120_000);
  assert.equal(guard.blockedFor('198.51.100.21', t0 + 600_000), 0);
});

test('failures counted in an old window do not add up with new ones', () => {
  const guard = new ScanGuard(config, () => undefined);
  for (let i = 0; i < 4; i++) guard.failure('198.51.100.9', t0);
  for (let i = 0; i < 4; i++) guard.failure('198.51.100.9', t0 + 61_000);
  assert.equal(guard.blockedFor('198.51.100.9', t0 + 61_000), 0);
});

test('a network whose addresses together pass its limit is refused and raises one alert', () => {
  const alerts: GuardAlert[] = [];
  const guard = new ScanGuard(config, (a) => alerts.push(a));
  for (let host = 1; host <= 3; host++) for (let i = 0; i < 4; i++) guard.failure(`192.0.2.${host}`, t0);
  assert.ok(guard.blockedFor('192.0.2.200', t0) > 0);
  assert.deepEqual(
    alerts.map((a) => [a.kind, a.subject]),
    [['invalid_lookups_network', '192.0.2.0/24']],
  );
});

test('a jump of the platform-wide invalid rate above five times the last hour raises a rate alert', () => {
  const alerts: GuardAlert[] = [];
  const guard = new ScanGuard({ ...config, perAddress: 1e6, perNetwork: 1e6 }, (a) => alerts.push(a));
  // A quiet hour: 5 invalid lookups a minute.
  for (let m = 0; m < 60; m++) for (let i = 0; i < 5; i++) guard.failure(`10.0.${m}.${i}`, t0 + m * 60_000);
  assert.equal(alerts.length, 0);
  // Then a minute of 80 (≥ 50 and ≥ 5 × 5), noticed when the next minute starts.
  for (let i = 0; i < 80; i++) guard.failure(`10.1.0.${i}`, t0 + 60 * 60_000 + i);
  guard.failure('10.2.0.1', t0 + 61 * 60_000);
  assert.deepEqual(
    alerts.map((a) => a.kind),
    ['invalid_lookups_rate'],
  );
  assert.deepEqual(alerts[0]?.details, { lastMinute: 80, hourlyAveragePerMinute: 5 });
});

test('previews, crawlers and prefetches are not counted on the page; apps are counted on the API', () => {
  const wechat = { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.47' };
  assert.deepEqual(classifyRequest('page', 'GET', wechat), { countable: true, client: 'wechat' });
  assert.equal(classifyRequest('page', 'HEAD', wechat).countable, false);
  assert.equal(
    classifyRequest('page', 'GET', { ...wechat, 'sec-purpose': 'prefetch;prerender' }).countable,
    false,
  );
  assert.equal(classifyRequest('page', 'GET', { 'user-agent': 'facebookexternalhit/1.1' }).countable, false);
  assert.equal(classifyRequest('page', 'GET', { 'user-agent': 'curl/8.5.0' }).countable, false);
  assert.equal(classifyRequest('page', 'GET', {}).countable, false);
  assert.deepEqual(classifyRequest('api', 'GET', { 'user-agent': 'okhttp/4.12.0' }), {
    countable: true,
    client: 'app',
  });
  assert.equal(classifyRequest('api', 'GET', { 'user-agent': 'Googlebot/2.1' }).countable, false);
  assert.equal(
    classifyRequest('api', 'GET', { 'user-agent': 'Mozilla/5.0 AlipayClient/10.5' }).client,
    'alipay',
  );
});
