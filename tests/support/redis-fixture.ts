import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { connectTarget, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { startTestRedis, type TestRedis } from './redis.ts'

/** A test file's Redis, ready inside its tests: one client, and a fresh key prefix for each test. */
export interface TestRedisFixture {
  readonly redis: Redis
  readonly keys: Keys
  /** Another client on the same Redis (a second bot instance); closed after the file. */
  connect(): Promise<Redis>
}

/**
 * Start a throwaway Redis for the calling test file (tests/support/redis.ts) before its tests,
 * give each test its own random key prefix, and stop it with every client after the file.
 */
export function useTestRedis(): TestRedisFixture {
  let server: TestRedis | undefined
  let redis: Redis | undefined
  let keys: Keys | undefined
  const clients: Redis[] = []
  beforeAll(async () => {
    server = await startTestRedis()
    redis = await connectTarget(server.target)
  })
  afterAll(async () => {
    for (const c of [redis, ...clients]) c?.disconnect()
    await server?.stop()
  })
  beforeEach(() => { keys = createKeys(`t${randomBytes(4).toString('hex')}`) })
  return {
    get redis() { return redis! },
    get keys() { return keys! },
    async connect() {
      const c = await connectTarget(server!.target)
      clients.push(c)
      return c
    },
  }
}
