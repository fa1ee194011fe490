import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { startTestRedis } from '../support/redis.ts'
import { startHarness, type Harness } from '../support/harness.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness
const rejections: unknown[] = []
const onRejection = (reason: unknown) => { rejections.push(reason) }

beforeAll(async () => {
  process.on('unhandledRejection', onRejection)
  server = await startTestRedis()
  h = await startHarness({ redisUrl: server.url, config: { ask: { perMemberPerMinute: 100000, answerChars: 300 } } })
})
afterAll(async () => {
  process.off('unhandledRejection', onRejection)
  await h?.stop()
  await server?.stop()
})

const commands = ['#帮助', '#心得', '#修改心得', '#撤回心得', '#我的心得', '#统计', '#提醒', '#导出', '#定时', '#定时 添加', '#定时 添加 每周一', '#定时 暂停', '#', '＃', '#导出 本月', '#导出 2026-13-40']
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.constantFrom('', ' ', '\u0000\u0007\u001b[31m', '👍🏻👨‍👩‍👧‍👦🇨🇳', '？？？', '预备党员的预备期是多久？', '党费'),
  fc.tuple(fc.constantFrom(...commands), fc.string({ unit: 'grapheme', maxLength: 80 })).map(([c, rest]) => `${c}${rest}`),
  fc.string({ unit: 'grapheme', minLength: 3000, maxLength: 6000 }),
)

describe('pipeline under random input', () => {
  it('never crashes, never rejects unhandled, and every reply is non-empty Chinese text', async () => {
    const members = ['小明', '张书记', '李委员', '小红']
    let checked = 0
    await fc.assert(fc.asyncProperty(
      text, fc.constantFrom(...members), fc.constantFrom('mention', 'room', 'private'),
      async (said, from, where) => {
        const replies = await h.say(from, said, where === 'private' ? { private: true } : { mention: where === 'mention' })
        for (const r of replies) {
          if (r.file) continue
          expect(r.text.trim().length).toBeGreaterThan(0)
          expect(r.text).toMatch(/[\u4e00-\u9fff]/)
          checked++
        }
      },
    ), { numRuns: 1500 })
    // most inputs are commands, mentions or private messages, which always get a reply
    expect(checked).toBeGreaterThan(500)
    expect(rejections).toEqual([])
    expect(h.logs.filter((l) => l.msg === 'message handler failed')).toEqual([])
  }, 600_000)
})
