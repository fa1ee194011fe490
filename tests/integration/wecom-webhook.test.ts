import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import { createWebhookSender, webhookUrl, WebhookRemovedError } from '../../src/channels/wecom-webhook/mod.ts'
import { createManualClock } from '../../src/clock.ts'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.ts'

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

describe('group-robot webhook sender against the fake server', () => {
  let fake: FakeWecom
  // One manual clock for sender and server; the sender's waits advance it instead of sleeping.
  let clock: ReturnType<typeof createManualClock>
  let waits: number[]
  const sleep = async (ms: number) => { waits.push(ms); clock.advance(ms) }
  const log = pino({ level: 'silent' })

  beforeEach(async () => {
    clock = createManualClock(Date.parse('2026-03-01T09:00:00+08:00'))
    waits = []
    fake = await startFakeWecom({ botId: 'b', secret: 's', clock, webhookKeys: ['KEY1'] })
  })
  afterEach(async () => { await fake.close() })

  const sender = (key = 'KEY1') => createWebhookSender({ urlOrKey: fake.webhookUrl(key), log, clock, sleep, retryBaseMs: 1000 })

  it('expands a bare key to the WeCom URL and keeps a full URL', () => {
    expect(webhookUrl('abc-123')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123')
    expect(webhookUrl('http://127.0.0.1:9/cgi-bin/webhook/send?key=x')).toBe('http://127.0.0.1:9/cgi-bin/webhook/send?key=x')
  })

  it('sends text with mentions, and splits long text and markdown at paragraph boundaries within the byte limits', async () => {
    const s = sender()
    await s.send('请大家完成本周学习。', { mentions: ['zhangsan'] })
    const paragraph = '学习贯彻党的二十大精神，'.repeat(30) + '。' // about 1 KB
    const long = Array.from({ length: 6 }, () => paragraph).join('\n\n')
    await s.send(long)
    await s.send(long + '\n\n' + long, { markdown: true })

    const calls = fake.webhookCalls
    expect(calls.every((c) => c.errcode === 0)).toBe(true)
    expect(calls[0].body).toEqual({ msgtype: 'text', text: { content: '请大家完成本周学习。', mentioned_list: ['zhangsan'] } })
    const texts = calls.filter((c, i) => i > 0 && c.body.msgtype === 'text').map((c) => c.body.text.content as string)
    expect(texts.length).toBeGreaterThan(1)
    expect(texts.every((t) => bytes(t) <= 2048 && t.endsWith('。'))).toBe(true)
    expect(texts.join('')).toBe(long.replace(/\n\n/g, ''))
    const markdowns = calls.filter((c) => c.body.msgtype === 'markdown').map((c) => c.body.markdown.content as string)
    expect(markdowns.length).toBeGreaterThan(1)
    expect(markdowns.every((t) => bytes(t) <= 4096 && t.endsWith('。'))).toBe(true)
  })

  it('waits to stay within 20 messages a minute instead of being refused', async () => {
    const s = sender()
    for (let i = 0; i < 25; i++) await s.send(`第${i + 1}条`)
    expect(fake.webhookCalls).toHaveLength(25)
    expect(fake.webhookCalls.every((c) => c.errcode === 0)).toBe(true)
    expect(waits.length).toBeGreaterThan(0)
  })

  it('backs off and retries after 45009', async () => {
    fake.failNext('webhook:KEY1', 45009, 2)
    await sender().send('学习提醒')
    expect(fake.webhookCalls.map((c) => c.errcode)).toEqual([45009, 45009, 0])
    expect(fake.webhookCalls.every((c) => c.body.text.content === '学习提醒')).toBe(true)
  })

  it('gives up after a bounded number of 45009 answers', async () => {
    fake.failNext('webhook:KEY1', 45009, 10)
    await expect(sender().send('学习提醒')).rejects.toThrow(/45009/)
    expect(fake.webhookCalls).toHaveLength(4) // the first try and 3 retries
  })

  it('reports a removed robot with 93000 and does not retry', async () => {
    const err = await sender('REMOVED').send('学习提醒').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WebhookRemovedError)
    expect((err as Error).message).toBe('群机器人已被移出群聊或 key 不正确')
    expect(fake.webhookCalls).toHaveLength(1)
  })
})
