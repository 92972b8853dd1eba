/**
 * Where rate-limit counts live: the `rate_limits` table in the API's PostgreSQL by default, Redis when
 * RATE_LIMIT_REDIS_URL is set. Either is shared by every API process, so replicas draw on one budget. Windows are
 * fixed: a key's first request opens a window of `windowSeconds`, and its count starts again after it.
 *
 * rate-limiter-flexible keeps the count in the store and compares it with its own `points` in the process, so one
 * limiter per limit value, all on the same key prefix, read one counter: a tenant whose limit changes mid-window
 * keeps what it has used and is held to the new limit from its next request.
 *
 * If the store cannot be reached the counter falls back to counting in this process's memory, and says so in the
 * log (once a minute). Refusing every request (503) would turn a counter outage into an API outage; counting
 * nothing would let one tenant flood the API while the store is down. Per process, each replica enforces the full
 * limit on its own, so the budget is at most the limit times the replica count until the store answers again.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Knex } from '../../common/db';
import type { Logger } from '../../common/logger';

export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again (at least 1). */
  resetSeconds: number;
}

export interface RateLimitCounter {
  /** Counts one request against `key`'s budget of `limit` requests per `windowSeconds`. */
  consume(key: string, limit: number, windowSeconds: number): Promise<RateLimitState>;
}

export const RATE_LIMIT_TABLE = 'rate_limits';
const KEY_PREFIX = 'rl';
const WARNING_INTERVAL_MS = 60_000;

export type RateLimitStore = { kind: 'postgres'; db: Knex } | { kind: 'redis'; redis: Redis };

/** The store the configuration names: Redis at `redisUrl`, else the API's database. `close` ends a Redis connection. */
export function rateLimitStoreFor(redisUrl: string | undefined, db: Knex): { store: RateLimitStore; close(): Promise<void> } {
  if (!redisUrl) return { store: { kind: 'postgres', db }, close: async () => undefined };
  // No offline queue and one retry: while Redis is away a count fails at once (and falls back) instead of waiting.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  // The counter logs the outage; without a listener ioredis would print every reconnection error itself.
  redis.on('error', () => undefined);
  return { store: { kind: 'redis', redis }, close: async () => void (await redis.quit().catch(() => redis.disconnect())) };
}

export function createRateLimitCounter(store: RateLimitStore, logger: Logger): RateLimitCounter {
  const shared = limiterCache((points, duration, first) =>
    store.kind === 'postgres'
      ? new RateLimiterPostgres({
          storeClient: store.db,
          storeType: 'knex',
          tableName: RATE_LIMIT_TABLE,
          // The migration creates it; the library must not try (the API's database user may lack CREATE).
          tableCreated: true,
          // One limiter sweeps expired rows for all of them: they share the table.
          clearExpiredByTimeout: first,
          keyPrefix: KEY_PREFIX,
          points,
          duration,
        })
      : new RateLimiterRedis({ storeClient: store.redis, rejectIfRedisNotReady: true, keyPrefix: KEY_PREFIX, points, duration }),
  );
  const local = limiterCache((points, duration) => new RateLimiterMemory({ keyPrefix: KEY_PREFIX, points, duration }));
  let lastWarning = 0;

  return {
    async consume(key, limit, windowSeconds) {
      try {
        return stateOf(limit, await consumeOne(shared(limit, windowSeconds), key));
      } catch (error) {
        if (Date.now() - lastWarning > WARNING_INTERVAL_MS) {
          lastWarning = Date.now();
          logger.warn({ store: store.kind, err: { type: (error as Error).name, message: (error as Error).message } }, 'rate-limit store unreachable: counting in this process until it answers');
        }
        return stateOf(limit, await consumeOne(local(limit, windowSeconds), key));
      }
    },
  };
}

/** One limiter per (limit, window), made on first use. */
function limiterCache(make: (points: number, duration: number, first: boolean) => RateLimiterAbstract) {
  const limiters = new Map<string, RateLimiterAbstract>();
  return (points: number, duration: number) => {
    const id = `${points}/${duration}`;
    let limiter = limiters.get(id);
    if (!limiter) limiters.set(id, (limiter = make(points, duration, limiters.size === 0)));
    return limiter;
  };
}

/** The library rejects with a RateLimiterRes when over the limit, and with an Error when the store fails. */
async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<{ res: RateLimiterRes; allowed: boolean }> {
  try {
    return { res: await limiter.consume(key), allowed: true };
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return { res: outcome, allowed: false };
    throw outcome;
  }
}

function stateOf(limit: number, { res, allowed }: { res: RateLimiterRes; allowed: boolean }): RateLimitState {
  return {
    allowed,
    limit,
    remaining: allowed ? res.remainingPoints : 0,
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
