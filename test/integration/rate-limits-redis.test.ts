/**
 * The Redis rate-limit store (RATE_LIMIT_REDIS_URL) on a real redis-server: two API servers draw on one budget
 * kept in Redis, and when Redis goes away each process counts on its own (with a warning) rather than refusing
 * every request or counting nothing.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { createLogger } from '../../common/logger';
import { startApiServer, type RunningApi } from '../../api/server';
import { startHarness, type Harness } from '../support/harness';
import { CHEAP_GET, cheapGets, expectRefused, limitHeaders, tenantWithTier } from '../support/rate-limits';
import { startRedisServer, type RunningRedis } from '../support/redis-server';
import { http } from '../support/tenant-client';

let h: Harness;
let redis: RunningRedis;
let apis: RunningApi[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  [h, redis] = await Promise.all([startHarness('rate_limits_redis', { withWorker: false }), startRedisServer()]);
  const config = { ...h.config, RATE_LIMIT_REDIS_URL: redis.url };
  const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
  apis = await Promise.all([0, 1].map(() => startApiServer(config, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('warn', 'test', sink) }, 0)));
});
afterAll(async () => {
  await Promise.all(apis.map((api) => api.close()));
  await redis?.stop();
  await h?.close();
});

it('counts a STARTER tenant in Redis across two API servers: 100 served, the 101st refused', async () => {
  const [a, b] = apis;
  const starter = await tenantWithTier(h, 'STARTER', a.url);
  const served = await cheapGets([a.url, b.url], starter.headers, 100);
  expect(served.map((res) => res.status)).toEqual(Array(100).fill(200));
  expect(served.map((res) => Number(res.headers.get('ratelimit-remaining'))).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expectRefused(await http(b.url, 'GET', CHEAP_GET, { headers: starter.headers }), 100);

  // The count is Redis's, not the database's.
  const client = new Redis(redis.url);
  try {
    expect(Number(await client.get(`rl:tenant:${starter.tenantId}`))).toBe(101);
  } finally {
    client.disconnect();
  }
  expect(await h.db('rate_limits').where('key', 'like', `%${starter.tenantId}`).count('* as n').first()).toEqual({ n: '0' });
});

it('counts in each process, with a warning, while Redis is unreachable', async () => {
  const [a] = apis;
  const starter = await tenantWithTier(h, 'STARTER', a.url);
  await redis.stop();
  const served = await cheapGets([a.url], starter.headers, 100);
  expect(served.map((res) => res.status)).toEqual(Array(100).fill(200));
  expect(limitHeaders(served[0])).toMatchObject({ limit: '100' });
  expectRefused(await http(a.url, 'GET', CHEAP_GET, { headers: starter.headers }), 100);
  const warnings = logLines.filter((line) => line.includes('rate-limit store unreachable'));
  expect(warnings.length).toBeGreaterThanOrEqual(1);
  expect(warnings.join('')).not.toContain(starter.tenantId);
});
