import path from 'node:path'
import os from 'node:os'
import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { parseConfig, type Config } from '../../src/config.ts'
import { startApp, type App } from '../../src/main.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { PuppetWecom, type PuppetWecomOptions } from '../../src/puppet-wecom/mod.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { createBroadcastChannels } from '../../src/channels/broadcast-channels.ts'
import type { Messenger } from '../../src/bot/messenger.ts'
import { openLibrary } from '../../src/cli/library.ts'
import { defaultWelcome, wecomPlatform } from '../../src/bot/choose-puppet.ts'
import { repoRoot } from './harness.ts'
import { captureLog, testDeps, type LogLine } from './deps.ts'
import type { FakeWecom } from './fake-wecom.ts'

/** The bot's WeCom identity on the fake server. */
export const WECOM_BOT = { botId: 'aib_e2e', secret: 'e2e-secret', botName: '学习助手' }

/** Userids of the fake groups' people, as WeCom sends them, and their configured names. */
export const people = {
  zhangsan: '张三',
  lisi: '李四',
  zhangshuji: '张书记',
  liweiyuan: '李委员',
  wangshuji: '王书记',
} as const

/**
 * Config of a WeCom deployment: groups named by chatid, names from `members:`, roles by userid.
 * `config` overrides top-level keys.
 */
export function wecomConfig(dataDir: string, config: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bot: { name: WECOM_BOT.botName, puppet: 'wecom', sendIntervalMs: 0 },
    console: { enabled: false },
    materials: path.join(repoRoot, 'materials'),
    dataDir,
    groups: [
      { id: 'wrGroupOne', secretaries: ['zhangshuji'], organizers: ['liweiyuan'] },
      { id: 'wrGroupTwo', secretaries: ['wangshuji'], organizers: [] },
    ],
    members: { ...people },
    // the thinking frame only where a test asks for it (a slow machine must not add frames elsewhere)
    wecom: { thinkingAfterMs: 600_000 },
    ...config,
  }
}

/** The whole bot (`startApp`, as `studybot start` wires it, platform extras included) on a PuppetWecom connected to the fake. */
export interface WecomBot {
  app: App
  puppet: PuppetWecom
  config: Config
  redis: Redis
  keys: Keys
  /** Log lines (parsed JSON) written so far. */
  logs: LogLine[]
  stop(): Promise<void>
}

/** Start the bot for a test against `fake`; backoffs are short so retries happen quickly. */
export async function startWecomBot(o: {
  fake: FakeWecom
  redisUrl: string
  config?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  puppet?: Partial<PuppetWecomOptions>
  /** Reuse another bot's key space, as a restarted bot on the same Redis would. */
  keys?: Keys
}): Promise<WecomBot> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-wecom-'))
  const config = parseConfig(wecomConfig(dataDir, o.config), path.join(repoRoot, 'config', 'test.yaml'), o.env ?? {})
  const redis = await connectRedis(o.redisUrl)
  const keys = o.keys ?? createKeys(`wecom${randomBytes(4).toString('hex')}`)
  const capture = captureLog()
  const { log } = capture
  const { deps, logs } = await testDeps({ config, redis, keys, library: await openLibrary(config, log), capture })
  const puppet = new PuppetWecom({
    ...WECOM_BOT, wsUrl: o.fake.wsUrl, members: { ...config.members }, log: log.child({ puppet: 'wecom' }),
    welcome: config.wecom.welcome ?? defaultWelcome(config),
    reconnectBaseMs: 10, retryBaseMs: 10, ...o.puppet,
  })
  let messenger: Messenger | undefined
  const app = await startApp({
    deps, puppet, platform: wecomPlatform(puppet, config),
    // the same channels main.ts builds, with a short 45009 backoff
    channels: createBroadcastChannels(config, log, () => messenger!, { retryBaseMs: 10 }),
    jobs: (deps, m) => [new Scheduler(deps, m, { retryBaseMs: 10 })],
  })
  messenger = app.messenger
  return {
    app, puppet, config, redis, keys, logs,
    async stop() {
      await app.stop().catch(() => undefined)
      await puppet.stop().catch(() => undefined)
      await redis.quit().catch(() => redis.disconnect())
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
