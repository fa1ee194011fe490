import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { baseConfig, startHarness, type Harness } from '../support/harness.ts'

const MAX = 200
const bytes = (s: string) => Buffer.byteLength(s, 'utf8')
let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness

beforeAll(async () => {
  server = await startTestRedis()
  h = await startHarness({ redisUrl: server.url, config: { bot: { ...baseConfig().bot as object, maxMessageBytes: MAX } } })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
})

describe('long replies', () => {
  it('splits after "@名字 " is added: no part the platform receives exceeds maxMessageBytes', async () => {
    // a long name makes the mention add 20 bytes to the first part; 原文 asks for the whole article (answers are short)
    for (const [from, text, mention] of [['欧阳明月同志', '#帮助', false], ['欧阳明月同志', '党员有哪些权利？原文', true]] as const) {
      const sent = await h.say(from, text, { mention })
      expect(sent.length).toBeGreaterThan(1)
      expect(sent[0]!.text.startsWith(`@${from}`)).toBe(true)
      expect(sent[0]!.mentions).toEqual([from])
      for (const m of sent) expect(bytes(m.text)).toBeLessThanOrEqual(MAX)
      // nothing lost: the parts without the mention are the whole reply
      const joined = sent.map((m, i) => (i === 0 ? m.text.slice(`@${from}`.length + 1) : m.text)).join('')
      expect(joined.replace(/\s/g, '').length).toBeGreaterThan(MAX)
    }
  })
})
