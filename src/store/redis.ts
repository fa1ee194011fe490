import { Redis } from 'ioredis'

export type { Redis }

/** Raised when Redis cannot be reached at start. */
export class RedisUnavailableError extends Error {}

/**
 * Connect to REDIS_URL (redis://, rediss:// or unix:///path/to.sock). Commands fail fast while
 * Redis is down instead of queueing, so callers can fail open or fall back to the journal.
 */
export async function connectRedis(url: string, opts: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  const common = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: opts.connectTimeoutMs ?? 3000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  }
  const redis = url.startsWith('unix://')
    ? new Redis({ ...common, path: url.slice('unix://'.length) })
    : new Redis(url, common)
  redis.on('error', () => { /* reported through failed commands; avoids unhandled 'error' events */ })
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    redis.disconnect()
    throw new RedisUnavailableError(`无法连接 Redis（${url}）：${(err as Error).message}`)
  }
  return redis
}
