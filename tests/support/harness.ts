import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { parseConfig, type Config } from '../../src/config.ts'
import type { App } from '../../src/main.ts'
import type { Job } from '../../src/jobs/lifecycle.ts'
import type { MockWorld, SentMessage } from '../../src/bot/mock-world.ts'
import { connectTarget, type Redis } from '../../src/store/redis.ts'
import { testTarget } from './redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import type { Clock } from '../../src/clock.ts'
import type { Deps } from '../../src/deps.ts'
import type { Messenger } from '../../src/bot/messenger.ts'
import type { MaterialLibrary } from '../../src/materials/types.ts'
import { openLibrary } from '../../src/cli/library.ts'
import { startSimulation, type SayOptions } from '../../src/cli/simulation.ts'
import { captureLog, testDeps, type LogLine } from './deps.ts'

export const repoRoot = path.resolve(import.meta.dirname, '..', '..')

/** The config every end-to-end test starts from: two groups, the project's sample materials. */
export function baseConfig(): Record<string, unknown> {
  return {
    // tests send many commands per minute; tests/e2e/floods.test.ts sets the limit it checks
    bot: { name: '学习助手', sendIntervalMs: 0, commandsPerMemberPerMinute: 1000 },
    // test files run in parallel: only the console's own tests serve it, on a free port
    console: { enabled: false },
    materials: path.join(repoRoot, 'materials'),
    groups: [
      { topic: '第一党支部学习群', secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }], organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] },
      { topic: '第二党支部学习群', secretaries: [{ id: 'wxid_wangshuji', name: '王书记' }], organizers: [{ id: 'wxid_zhaoweiyuan', name: '赵委员' }] },
    ],
  }
}

/** A real Wechaty bot on the mock puppet, wired exactly as `npm start`, on the test's own Redis. */
export interface Harness {
  app: App
  config: Config
  world: MockWorld
  /** Each account's world by account id (one without `accounts:`). */
  worlds: Map<string, MockWorld>
  redis: Redis
  keys: Keys
  /** Everything the bot has sent so far, in order. */
  sent: SentMessage[]
  /** Log lines (parsed JSON) written so far. */
  logs: LogLine[]
  /** Say something and wait until the bot has handled it and sent every reply; returns the replies. */
  say(from: string, text: string, o?: SayOptions): Promise<SentMessage[]>
  /** Wait until the bot has sent a message matching `pred` (for scheduled jobs). */
  waitForSent(pred: (m: SentMessage) => boolean, timeoutMs?: number): Promise<SentMessage>
  stop(): Promise<void>
}

/** Start the bot for a test; `config` overrides top-level keys of baseConfig(). */
export async function startHarness(o: {
  /** One node, or a test cluster's url (tests/support/redis.ts); without it, the Redis the config's environment names (REDIS_CLUSTER_NODES, REDIS_SENTINELS), as `studybot start` reads it. */
  redisUrl?: string
  config?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  clock?: Clock
  keys?: Keys
  library?: MaterialLibrary
  jobs?: (deps: Deps, messenger: Messenger) => Job[]
  /** Check Redis persistence as `studybot start` does (off by default: test servers keep nothing). */
  redisWatch?: boolean
  /** Pace the outboxes by a manual clock (see startApp). */
  pace?: { clock: Clock; sleep: (ms: number) => Promise<void> }
}): Promise<Harness> {
  // each bot gets its own data folder, so no two test processes share a reflection journal
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-'))
  const config = parseConfig({ ...baseConfig(), dataDir, ...o.config }, path.join(repoRoot, 'config', 'test.yaml'), o.env ?? {})
  const redis = await connectTarget(o.redisUrl ? testTarget(o.redisUrl) : config.secrets.redis)
  const keys = o.keys ?? createKeys(`e2e${randomBytes(4).toString('hex')}`)
  const capture = captureLog()
  const library = o.library ?? await openLibrary(config, capture.log)
  const { deps, logs } = await testDeps({ config, redis, keys, clock: o.clock, library, capture })
  const sent: SentMessage[] = []
  const sim = await startSimulation({ deps, jobs: o.jobs, onSent: (m) => sent.push(m), redisWatch: o.redisWatch ? {} : undefined, pace: o.pace })

  return {
    app: sim.app, config, world: sim.world, worlds: sim.worlds, redis, keys, sent, logs,
    async say(from, text, opts = {}) {
      const before = sent.length
      await sim.say(from, text, opts)
      return sent.slice(before)
    },
    async waitForSent(pred, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = sent.find(pred)
        if (found) return found
        if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms; sent: ${JSON.stringify(sent)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop() {
      await sim.stop()
      await redis.quit().catch(() => redis.disconnect())
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
