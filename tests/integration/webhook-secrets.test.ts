import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config.ts'
import { createWebhookSender } from '../../src/channels/wecom-webhook/mod.ts'
import { runFiring } from '../../src/schedules/firing.ts'
import { createManualClock } from '../../src/clock.ts'
import { startTestRedis, testClient } from '../support/redis.ts'
import { captureLog, testDeps } from '../support/deps.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import type { Redis } from '../../src/store/redis.ts'
import type { Keys } from '../../src/store/keys.ts'

const SECRET = 'a1b2c3d4-SECRET-5678'
// port 123456 does not exist: fetch throws "Failed to parse URL from <the whole URL>"
const MALFORMED = `https://qyapi.weixin.qq.com:123456/cgi-bin/webhook/send?key=${SECRET}`

const problemsFor = (value: string): string[] => {
  try {
    parseConfig({ groups: [{ topic: '一支部', webhook: 'HOOK_ONE' }] }, '/tmp/studybot.yaml', { HOOK_ONE: value })
    return []
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
}

describe('webhook secrets', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let keys: Keys
  beforeAll(async () => {
    server = await startTestRedis()
    ;({ redis, keys } = await testClient(server))
  })
  afterAll(async () => {
    redis.disconnect()
    await server.stop()
  })

  it('a malformed webhook value is refused at start, naming the variable and never the value', () => {
    for (const bad of [MALFORMED, `qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${SECRET}`, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?token=${SECRET}`, `${SECRET} 换行`]) {
      const list = problemsFor(bad).join('\n')
      expect(list).toMatch(/环境变量 HOOK_ONE 的值不是有效的群机器人 webhook/)
      expect(list).not.toContain(SECRET)
    }
    expect(problemsFor(SECRET)).toEqual([])
    expect(problemsFor(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${SECRET}`)).toEqual([])
  })

  it('the key never reaches a log line or the firing record, even when the URL itself is what failed', async () => {
    const config = parseConfig({ groups: [{ topic: '一支部' }], schedules: [{ id: 'notice', group: '一支部', cron: '0 9 * * 1', kind: 'text', text: '周一学习' }] }, '/tmp/studybot.yaml', {})
    const capture = captureLog()
    const { deps } = await testDeps({ config, redis, keys, clock: createManualClock(Date.UTC(2026, 2, 2, 1)), capture })
    // a sender built from a value that bypassed the config check (a library caller)
    const webhook = createWebhookSender({ urlOrKey: MALFORMED, log: deps.log, retries: 0 })
    const messenger = { ...createRecordingMessenger(), toGroup: (_g: string, text: string) => webhook.send(text) }
    const [def] = config.schedules
    const f = await runFiring({ deps, messenger, sendAttempts: 1, retryBaseMs: 1 }, { ...def, source: 'config' } as never, config.groups[0], Date.UTC(2026, 2, 2, 1))

    expect(f.outcome).toBe('failed')
    const stored = JSON.stringify(await deps.stores.schedules.firings(config.groups[0].key, 'notice'))
    expect(stored).toContain('key=***')
    expect(stored).not.toContain(SECRET)
    const logged = JSON.stringify(capture.lines)
    expect(logged).toContain('key=***')
    expect(logged).not.toContain(SECRET)
    expect(f.error).not.toContain(SECRET)
  })
})
