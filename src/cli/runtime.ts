import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { configPath, hasExternalRedis, loadConfig, ConfigError, type Config } from '../config.ts'
import type { Logger } from '../log.ts'
import { createDeps, type Deps } from '../deps.ts'
import type { MaterialLibrary } from '../materials/types.ts'
import { connectRedis, connectTarget, describeTarget, RedisUnavailableError, type Redis, type RedisTarget } from '../store/redis.ts'
import { hasRedisServer, startLocalRedis } from '../store/local-redis-server.ts'
import { FolderLockedError, lockFolder, type FolderLock } from '../util/folder-lock.ts'
import { formatInZone } from '../clock.ts'

/** Raised for a problem the user must fix before a command can run; printed as is, exit 1. */
export class UsageError extends Error {}

/** Load the config named by --config / STUDYBOT_CONFIG, turning problems into a UsageError. */
export function loadCliConfig(flag: string | undefined, env: NodeJS.ProcessEnv): Config {
  try {
    return loadConfig(configPath(flag, env), env)
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message)
    throw err
  }
}

/**
 * Take the data folder for this process (the running bot): a second process on the same folder
 * would replay and lose the other's journal. Held by another live process: a UsageError naming it.
 */
export function lockDataDir(config: Config, log: Logger): FolderLock {
  try {
    const lock = lockFolder(config.dataDir)
    if (lock.takenOver) log.warn({ dataDir: config.dataDir, stalePid: lock.takenOver.pid }, 'stale data folder lock taken over')
    return lock
  } catch (err) {
    if (!(err instanceof FolderLockedError)) throw err
    const { pid, host, since } = err.holder
    const where = host === os.hostname() ? '' : `，主机 ${host}`
    throw new UsageError([
      `数据目录 ${config.dataDir} 正被另一个学习助手进程使用（pid ${pid}${where}，${formatInZone(Date.parse(since), config.timezone)} 启动）。`,
      `同一个数据目录同一时间只能由一个进程使用：请先停止该进程（如 kill ${pid}）；`,
      '若要同时运行多个实例，请在每个实例的配置文件里设置各自的 dataDir（例如 dataDir: .studybot-第二支部）。',
    ].join('\n'))
  }
}

/**
 * Redis for `start` and `play`: REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS if set; otherwise a private redis-server under the
 * data folder (persistent for `start`, throwaway for `play`); otherwise a UsageError saying how.
 */
export async function openRedis(config: Config, log: Logger, o: { persistent: boolean }): Promise<{ redis: Redis; url: string; close(): Promise<void> }> {
  if (hasExternalRedis(config.secrets)) {
    const redis = await connect(config.secrets.redis)
    return { redis, url: describeTarget(config.secrets.redis), close: async () => { await redis.quit().catch(() => redis.disconnect()) } }
  }
  if (!hasRedisServer()) {
    throw new UsageError('没有可用的 Redis：请设置环境变量 REDIS_URL（如 redis://127.0.0.1:6379），或安装 redis-server（Debian/Ubuntu：sudo apt-get install redis-server）。')
  }
  const dir = o.persistent ? path.join(config.dataDir, 'redis') : path.join(config.dataDir, `redis-play-${process.pid}`)
  if (o.persistent) {
    // the bot (or another command) may already run the private server: share it
    const running = await connectRedis(`unix://${path.join(dir, 'redis.sock')}`).catch(() => undefined)
    if (running) return { redis: running, url: `unix://${path.join(dir, 'redis.sock')}`, close: async () => { await running.quit().catch(() => running.disconnect()) } }
  }
  const server = await startLocalRedis({ dir, persistent: o.persistent })
  log.info({ socket: server.socket, persistent: o.persistent }, 'started private redis-server')
  const redis = await connect({ url: server.url })
  return {
    redis,
    url: server.url,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect())
      await server.stop()
      if (!o.persistent) fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Deps on the Redis of openRedis, with the materials `library` loads (once Redis is up);
 * `close()` closes Redis and a private server (the running bot closes the library).
 */
export async function openDeps(config: Config, log: Logger, o: { persistent: boolean; library?: () => MaterialLibrary | Promise<MaterialLibrary> }): Promise<{ deps: Deps; close(): Promise<void> }> {
  const { redis, close } = await openRedis(config, log, o)
  try {
    const deps = await createDeps({ config, log, redis, library: await o.library?.() })
    const moved = await deps.stores.schedules.migrateLegacyKeys(config.schedules.map((s) => s.id))
    if (moved) log.info({ moved }, 'schedule keys moved under the {schedules} hash tag')
    return { deps, close }
  } catch (err) {
    await close()
    throw err
  }
}

async function connect(target: RedisTarget): Promise<Redis> {
  try {
    return await connectTarget(target)
  } catch (err) {
    if (err instanceof RedisUnavailableError) throw new UsageError(`${err.message}\n请确认 Redis 已启动，且 REDIS_URL（或 REDIS_CLUSTER_NODES、REDIS_SENTINELS）正确。`)
    throw err
  }
}
