import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'

/** Start a throwaway redis-server for one test file (never a server the test did not start). */
export async function startTestRedis(): Promise<LocalRedisServer & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-test-'))
  const server = await startLocalRedis({ dir, persistent: false })
  return { ...server, dir, stop: async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }) } }
}

/** A client on the test server and a key factory under a random prefix. */
export async function testClient(server: { url: string }): Promise<{ redis: Redis; keys: ReturnType<typeof createKeys> }> {
  const redis = await connectRedis(server.url)
  return { redis, keys: createKeys(`t${randomBytes(4).toString('hex')}`) }
}
