import type { Deps } from '../deps.ts'
import { groupName } from '../config.ts'
import type { Messenger } from './messenger.ts'
import { tellSecretaries } from './tell-secretaries.ts'
import { checkDataMarker, readPersistence, type Persistence } from '../store/redis-health.ts'

/** The operator's warning (Chinese) when Redis would lose everything in a restart; undefined when it keeps data. */
export function persistenceWarning(p: Persistence): string | undefined {
  if (p.aof || p.rdb) return undefined
  const state = p.rdb === false ? 'AOF 和 RDB 快照都没有开启' : 'AOF 没有开启，且无法读取配置确认 RDB 快照'
  return `警告：Redis 没有开启持久化（${state}）：Redis 一旦重启，已告诉成员“已收到”的心得和定时任务都会丢失。请为 Redis 开启 AOF（appendonly yes），或不设置 REDIS_URL，使用机器人自带的 Redis。`
}

/** What the secretaries of a group are told when Redis came back empty. */
const emptiedNotice = (group: string) =>
  `【学习助手提醒】数据库（Redis）重启后数据已被清空：“${group}”此前保存的心得、定时任务等可能已经丢失，成员可能会被误告知没有提交。请尽快联系管理员检查 Redis 的持久化设置（需开启 AOF），必要时从备份恢复。`

/**
 * Check Redis now and whenever the client becomes ready again: warn when it keeps nothing across a
 * restart, and when it came back empty (its data marker is gone) log an error and tell every
 * group's secretaries privately, once logged in. `stop()` waits for a check in flight.
 */
export function startRedisWatch(o: {
  deps: Pick<Deps, 'redis' | 'keys' | 'config' | 'log' | 'clock'>
  messenger: Messenger
  /** Resolves once the bot can send (logged in). */
  loggedIn: () => Promise<void>
  /** Where the operator reads warnings (the terminal of `studybot start`). */
  warnOperator?: (text: string) => void
}): { stop(): Promise<void> } {
  const { redis, keys, config, log, clock } = o.deps
  let running: Promise<void> | undefined
  let stopped = false
  const check = async () => {
    const persistence = await readPersistence(redis)
    log.debug({ ...persistence }, 'redis persistence checked')
    const warning = persistenceWarning(persistence)
    if (warning) {
      log.warn({ ...persistence }, 'redis keeps no data across a restart')
      o.warnOperator?.(warning)
    }
    if (await checkDataMarker(redis, keys, config.dataDir, clock.now()) !== 'emptied') return
    log.error({ dataDir: config.dataDir }, 'redis came back empty: data stored before is gone')
    // told once the bot can send; a check does not wait for it
    void o.loggedIn().then(async () => {
      if (stopped) return
      for (const group of config.groups) await tellSecretaries(o.messenger, config, group, emptiedNotice(groupName(group)), log)
    }).catch((err: unknown) => log.error({ err }, 'secretaries not told that redis came back empty'))
  }
  const kick = () => {
    if (stopped || running) return
    running = check()
      .catch((err: unknown) => log.warn({ err }, 'redis persistence not checked'))
      .finally(() => { running = undefined })
  }
  redis.on('ready', kick)
  kick()
  return {
    async stop() {
      stopped = true
      redis.off('ready', kick)
      await running
    },
  }
}
