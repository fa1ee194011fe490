import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { baseConfig, startHarness, type Harness } from '../support/harness.ts'

const G1 = '第一党支部学习群'
const body = (m: { text: string }) => m.text.replace(/^(@\S+\s)+/, '')

let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness

beforeAll(async () => {
  server = await startTestRedis()
  h = await startHarness({
    redisUrl: server.url,
    config: { ask: { perMemberPerMinute: 2, answerChars: 300 }, bot: { ...baseConfig().bot as object, commandsPerMemberPerMinute: 3 } },
  })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
})

describe('floods', () => {
  it('questions past the limit: "提问有点频繁" once per member per window, then silence', async () => {
    const replies = []
    for (let i = 0; i < 6; i++) replies.push(...await h.say('小明', `预备党员的预备期是多久？（第${i + 1}次）`, { room: G1, mention: true }))
    const notices = replies.filter((m) => body(m).includes('提问有点频繁'))
    expect(notices).toHaveLength(1)
    expect(replies).toHaveLength(3)
    // another member has a window of their own
    const [other] = await h.say('小红', '预备党员的预备期是多久？', { room: G1, mention: true })
    expect(body(other)).not.toContain('频繁')
  })

  it('every command counts against a limit: told once, then silence', async () => {
    const replies = []
    for (let i = 0; i < 8; i++) replies.push(...await h.say('小刚', i % 2 ? '#帮助' : '#我的心得', { room: G1 }))
    const notices = replies.filter((m) => body(m).includes('命令发得有点频繁'))
    expect(notices).toHaveLength(1)
    expect(replies.length).toBeLessThanOrEqual(3 * 2 + 1)
    expect(replies.filter((m) => m.room === G1 && /我是学习助手/.test(m.text)).length).toBeLessThanOrEqual(2)
  })

  it('a command never echoes more than a short prefix of a huge argument', async () => {
    const huge = '暂'.repeat(26_000) // 78 KB of UTF-8
    for (const [who, text] of [
      ['张书记', `#定时 暂停 ${huge}`],
      ['张书记', `#定时 恢复 ${huge}`],
      ['张书记', `#统计 ${huge}`],
      ['王书记', `#出题 删除 ${huge}`],
      ['李委员', `#不存在${huge}`],
    ] as const) {
      const replies = await h.say(who, text, { room: who === '王书记' ? '第二党支部学习群' : G1 })
      expect(replies.length, text.slice(0, 10)).toBeLessThanOrEqual(2)
      for (const m of replies) expect(Buffer.byteLength(m.text), text.slice(0, 10)).toBeLessThan(600)
    }
  })
})
