import { randomBytes } from 'node:crypto'
import { startLocalRedis } from '../../src/store/local-redis-server.ts'
import { connectTarget, type Redis, type RedisTarget } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { startTestCluster } from './redis-cluster.ts'
import { tempDir } from './temp-dir.ts'

/**
 * Which Redis the test files get: one node (default), or with STUDYBOT_TEST_REDIS=cluster (the
 * `cluster` project in vitest.config.ts) a local Redis Cluster of three masters, so the same
 * test files run unchanged on both.
 */
export const testRedisKind: 'single' | 'cluster' = process.env.STUDYBOT_TEST_REDIS === 'cluster' ? 'cluster' : 'single'

/** A throwaway Redis this test process started (never a server the test did not start). */
export interface TestRedis {
  /** One node's url; `startHarness({ redisUrl })` and `testClient()` resolve it to the whole cluster. */
  url: string
  /** Where it is, as `connectTarget()` takes it. */
  target: RedisTarget
  /** REDIS_URL or REDIS_CLUSTER_NODES, as the CLI reads them. */
  env: Record<string, string>
  dir: string
  /** Stop it (an outage: with `persistent`, data survives a restart). */
  stop(): Promise<void>
  /** Start it again (after stop(), or stop and start). */
  restart(): Promise<void>
}

// test-cluster urls handed out in this process → their cluster
const clusters = new Map<string, RedisTarget>()

/** The target a test server's url stands for (a cluster's node url stands for the cluster). */
export function testTarget(url: string): RedisTarget {
  return clusters.get(url) ?? { url }
}

/**
 * Start a throwaway Redis for one test file: a redis-server on a unix socket, or three cluster
 * nodes on free ports (testRedisKind). `--save ""` always; `persistent` keeps an append-only file
 * so a restart keeps the data. Files go to `dir` or a temp folder removed after the test file;
 * the servers die with this process.
 */
export async function startTestRedis(o: { dir?: string; persistent?: boolean } = {}): Promise<TestRedis> {
  const dir = o.dir ?? tempDir('redis')
  const persistent = o.persistent ?? false
  if (testRedisKind === 'cluster') {
    // as the single server: an append-only file fsynced every second, and a SIGTERM stop that flushes it
    const cluster = await startTestCluster({ root: dir, persistence: persistent ? 'graceful' : 'none' })
    const target = { clusterNodes: cluster.nodes }
    const url = `redis://${cluster.nodes[0]}`
    clusters.set(url, target)
    return {
      url, target, env: { REDIS_CLUSTER_NODES: cluster.nodes.join(',') }, dir,
      stop: () => cluster.killAll('SIGTERM'),
      restart: async () => { await cluster.killAll('SIGTERM'); await cluster.startAll() },
    }
  }
  const server = await startLocalRedis({ dir, persistent })
  return { url: server.url, target: { url: server.url }, env: { REDIS_URL: server.url }, dir, stop: server.stop, restart: server.restart }
}

/** A client on the test server and a key factory under a random prefix. */
export async function testClient(server: { url: string }): Promise<{ redis: Redis; keys: ReturnType<typeof createKeys> }> {
  const redis = await connectTarget(testTarget(server.url))
  return { redis, keys: createKeys(`t${randomBytes(4).toString('hex')}`) }
}
