import { Cluster, Redis as SingleRedis, type RedisOptions } from 'ioredis'

/** A client of one Redis node, a Sentinel-managed master or a Redis Cluster; stores use only what all three share. */
export type Redis = SingleRedis | Cluster

/** Raised when Redis cannot be reached at start. */
export class RedisUnavailableError extends Error {}

/** Where Redis is: one node (REDIS_URL), a Cluster (REDIS_CLUSTER_NODES) or a master behind Sentinels (REDIS_SENTINELS). */
export interface RedisTarget {
  url?: string
  /** `host:port` of some cluster nodes; the client discovers the rest. */
  clusterNodes?: string[]
  /** `host:port` of the Sentinels, with the master's name. */
  sentinels?: string[]
  sentinelName?: string
  username?: string
  password?: string
  sentinelPassword?: string
  /** TLS to every node (rediss:// URLs turn it on by themselves). */
  tls?: boolean
}

// Replies that mean "ask again, elsewhere or later": the client reconnects or redirects.
const READONLY = /^READONLY\b/

/**
 * Options every connection shares. Commands fail fast while Redis is down instead of queueing,
 * so callers can fail open or fall back to the journal. A READONLY reply (this node became a
 * replica after a failover) reconnects and resends, so a Sentinel client finds the new master.
 */
function common(o: { connectTimeoutMs?: number } = {}): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: o.connectTimeoutMs ?? 3000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
    reconnectOnError: (err) => (READONLY.test(err.message) ? 2 : false),
  }
}

const hostPort = (s: string) => {
  const i = s.lastIndexOf(':')
  return { host: s.slice(0, i) || '127.0.0.1', port: Number(s.slice(i + 1)) }
}

/** A human label of the target for messages (never a password). */
export function describeTarget(t: RedisTarget): string {
  if (t.clusterNodes?.length) return `Redis Cluster ${t.clusterNodes.join(',')}`
  if (t.sentinels?.length) return `Sentinel ${t.sentinels.join(',')}（主节点 ${t.sentinelName}）`
  return (t.url ?? '').replace(/\/\/[^@/]*@/, '//***@')
}

/** Build a client for the target without connecting. */
export function createRedisClient(t: RedisTarget, o: { connectTimeoutMs?: number } = {}): Redis {
  const auth = {
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
  }
  let redis: Redis
  if (t.clusterNodes?.length) {
    const { lazyConnect, enableOfflineQueue, ...nodeOptions } = common(o)
    redis = new Cluster(t.clusterNodes.map(hostPort), {
      lazyConnect,
      enableOfflineQueue,
      redisOptions: { ...nodeOptions, ...auth },
      // a node that restarts or a slot moving: retry the command a few times, then fail
      clusterRetryStrategy: (times: number) => Math.min(times * 200, 2000),
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 200,
      maxRedirections: 16,
    })
  } else if (t.sentinels?.length) {
    redis = new SingleRedis({
      ...common(o), ...auth,
      sentinels: t.sentinels.map(hostPort),
      name: t.sentinelName ?? 'mymaster',
      ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
      ...(t.tls ? { enableTLSForSentinelMode: true } : {}),
    })
  } else {
    const url = t.url ?? ''
    redis = url.startsWith('unix://')
      ? new SingleRedis({ ...common(o), ...auth, path: url.slice('unix://'.length) })
      : new SingleRedis(url, { ...common(o), ...auth })
  }
  redis.on('error', () => { /* reported through failed commands; avoids unhandled 'error' events */ })
  return redis
}

/** Connect to the target and check it answers; RedisUnavailableError (in Chinese) otherwise. */
export async function connectTarget(t: RedisTarget, o: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  const redis = createRedisClient(t, o)
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    redis.disconnect()
    throw new RedisUnavailableError(`无法连接 Redis（${describeTarget(t)}）：${(err as Error).message}`)
  }
  return redis
}

/** Connect to one node: redis://, rediss:// or unix:///path/to.sock. */
export function connectRedis(url: string, opts: { connectTimeoutMs?: number } = {}): Promise<Redis> {
  return connectTarget({ url }, opts)
}

/** True for a Cluster client (pub/sub and key scans differ). */
export function isCluster(redis: Redis): redis is Cluster {
  return redis instanceof Cluster
}

/** A second connection with the same settings (for pub/sub, which takes a connection for itself). */
export function duplicateClient(redis: Redis): Redis {
  const copy: Redis = isCluster(redis) ? redis.duplicate() : redis.duplicate()
  copy.on('error', () => { /* as the original: reported through failed commands */ })
  return copy
}
