import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WechatyBuilder, type Message, type Wechaty } from 'wechaty'
import { FileBox } from 'file-box'
import pino from 'pino'
import { PuppetWecom, WecomAuthError, type PuppetWecomOptions } from '../../src/puppet-wecom/mod.ts'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.ts'
import { createManualClock } from '../../src/clock.ts'

const BOT = { botId: 'aib_test', secret: 's3cret', botName: '学习助手' }
const members = { zhangsan: '张三', lisi: '李四' }

/** pino logger whose lines tests can read. */
function capturedLog() {
  const lines: Array<Record<string, any>> = []
  const log = pino({ level: 'trace', base: undefined }, { write: (s: string) => { lines.push(JSON.parse(s)) } })
  return { log, lines }
}

describe('WeCom puppet against the fake server', () => {
  let fake: FakeWecom
  const bots: Wechaty[] = []
  const puppets: PuppetWecom[] = []

  beforeEach(async () => { fake = await startFakeWecom({ botId: BOT.botId, secret: BOT.secret }) })
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop().catch(() => undefined)
    for (const p of puppets.splice(0)) await p.stop().catch(() => undefined)
    await fake.close()
  })

  const puppet = (o: Partial<PuppetWecomOptions> = {}) => {
    const p = new PuppetWecom({
      ...BOT, members, wsUrl: fake.wsUrl, log: pino({ level: 'silent' }),
      reconnectBaseMs: 10, retryBaseMs: 10, ...o,
    })
    puppets.push(p)
    return p
  }

  const startBot = async (o: Partial<PuppetWecomOptions> = {}) => {
    const bot = WechatyBuilder.build({ puppet: puppet(o) })
    bots.push(bot)
    const messages: Message[] = []
    const waiting: Array<(m: Message) => void> = []
    bot.on('message', (m) => { messages.push(m); waiting.splice(0).forEach((w) => w(m)) })
    await bot.start()
    const nextMessage = () => new Promise<Message>((resolve) => waiting.push(resolve))
    return { bot, messages, nextMessage }
  }

  it('logs in as the bot once WeCom acknowledges the subscription', async () => {
    const { bot } = await startBot()
    expect(bot.isLoggedIn).toBe(true)
    expect(bot.currentUser.id).toBe(BOT.botId)
    expect(bot.currentUser.name()).toBe(BOT.botName)
    expect(fake.framesOf('aibot_subscribe')).toHaveLength(1)
  })

  it('turns a group @ into a room message that mentions the bot and answers it as a finished stream', async () => {
    const { nextMessage } = await startBot()
    const arrived = nextMessage()
    const { reqId, msgid } = fake.pushGroupText({ chatid: 'wrGroup1', userid: 'zhangsan', text: '什么是初心使命？', botName: BOT.botName })
    const msg = await arrived

    expect(msg.id).toBe(msgid)
    expect(msg.text()).toBe('什么是初心使命？')
    expect(msg.room()?.id).toBe('wrGroup1')
    expect(await msg.mentionSelf()).toBe(true)
    expect(msg.talker().id).toBe('zhangsan')
    expect(msg.talker().name()).toBe('张三')
    expect(await msg.room()!.topic()).toBe('wrGroup1')

    await msg.room()!.say('初心使命是……', msg.talker())
    const reply = await fake.waitForFrame('aibot_respond_msg')
    expect(reply.headers?.req_id).toBe(reqId)
    expect(reply.body.msgtype).toBe('stream')
    expect(reply.body.stream.finish).toBe(true)
    expect(reply.body.stream.content).toBe('<@zhangsan> 初心使命是……')
    expect(reply.ack?.errcode).toBe(0)

    // One reply per req_id: a second message in the same group goes out proactively.
    await msg.room()!.say('补充一句。')
    const proactive = await fake.waitForFrame('aibot_send_msg')
    expect(proactive.body).toMatchObject({ chatid: 'wrGroup1', chat_type: 2, msgtype: 'markdown', markdown: { content: '补充一句。' } })
    expect(proactive.ack?.errcode).toBe(0)
  })

  it('keeps the connection alive with heartbeats and reconnects after a network failure', async () => {
    const { bot, nextMessage } = await startBot({ heartbeatIntervalMs: 20 })
    await fake.waitForFrame('ping')
    fake.dropConnections()
    // The message follows the subscription ack on the same socket, so the client sees them in order.
    await fake.waitForFrame('aibot_subscribe', (f) => f.connection === 2 && f.ack?.errcode === 0)
    expect(bot.isLoggedIn).toBe(true)
    const arrived = nextMessage()
    fake.pushPrivate({ userid: 'lisi', text: '重连后还在吗' })
    expect((await arrived).text()).toBe('重连后还在吗')
  })

  it('makes a round trip in a private chat, voice arriving as text', async () => {
    const { nextMessage } = await startBot()
    const arrived = nextMessage()
    const { reqId } = fake.pushPrivate({ userid: 'lisi', text: '我要交心得', msgtype: 'voice' })
    const msg = await arrived
    expect(msg.room()).toBeUndefined()
    expect(msg.text()).toBe('我要交心得')
    expect(msg.talker().name()).toBe('李四')

    await msg.say('好的，请发送心得内容。')
    const reply = await fake.waitForFrame('aibot_respond_msg')
    expect(reply.headers?.req_id).toBe(reqId)
    expect(reply.body.stream).toMatchObject({ finish: true, content: '好的，请发送心得内容。' })
  })

  it('sends proactively once the reply window has passed', async () => {
    const clock = createManualClock(Date.now())
    const { nextMessage, bot } = await startBot({ clock, replyWindowMs: 5 * 60_000 })
    const arrived = nextMessage()
    fake.pushPrivate({ userid: 'lisi', text: '你好' })
    const msg = await arrived
    clock.advance(6 * 60_000)
    await msg.say('迟到的回复')
    const sent = await fake.waitForFrame('aibot_send_msg')
    expect(sent.body).toMatchObject({ chatid: 'lisi', chat_type: 1, msgtype: 'markdown', markdown: { content: '迟到的回复' } })
    expect(fake.framesOf('aibot_respond_msg')).toHaveLength(0)

    // A configured group that has not spoken yet is still sent to as a group.
    const room = await bot.Room.find({ id: 'wrConfigured' })
    await room!.say('本周学习提醒')
    const toGroup = await fake.waitForFrame('aibot_send_msg', (f) => f.body.chatid === 'wrConfigured')
    expect(toGroup.body.chat_type).toBe(2)
  })

  it('uploads a file and sends it by media_id in the private chat', async () => {
    const { bot } = await startBot()
    const contact = await bot.Contact.find({ id: 'zhangsan' })
    const data = Buffer.alloc(700 * 1024, 7) // two chunks
    await contact!.say(FileBox.fromBuffer(data, '心得汇总.xlsx'))
    const sent = await fake.waitForFrame('aibot_send_msg')
    expect(sent.body).toMatchObject({ chatid: 'zhangsan', chat_type: 1, msgtype: 'file' })
    const stored = fake.media.get(sent.body.file.media_id)
    expect(stored?.filename).toBe('心得汇总.xlsx')
    expect(stored?.data.equals(data)).toBe(true)
    expect(fake.framesOf('aibot_upload_media_chunk')).toHaveLength(2)
  })

  it('rejects start with a clear Chinese error on wrong credentials, without retrying', async () => {
    const p = puppet({ secret: 'wrong' })
    const err = await p.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WecomAuthError)
    expect((err as Error).message).toContain('企业微信机器人 ID 或 Secret 不正确')
    // Give a would-be reconnect (10 ms backoff) ample opportunity, then count subscriptions.
    await new Promise((r) => setTimeout(r, 300))
    expect(fake.framesOf('aibot_subscribe')).toHaveLength(1)
    expect(p.isLoggedIn).toBe(false)
  })

  it('leaves a Wechaty bot logged out with the reason on the puppet on wrong credentials', async () => {
    const p = puppet({ secret: 'wrong' })
    const bot = WechatyBuilder.build({ puppet: p })
    bots.push(bot)
    const errors: Error[] = []
    bot.on('error', (e) => { errors.push(e) })
    await bot.start() // Wechaty's start() swallows the puppet's failure and emits it as 'error'
    expect(bot.isLoggedIn).toBe(false)
    expect(p.startError).toBeInstanceOf(WecomAuthError)
    expect(errors.map((e) => e.message)).toContainEqual(expect.stringContaining('企业微信机器人 ID 或 Secret 不正确'))
    expect(fake.framesOf('aibot_subscribe')).toHaveLength(1)
  })

  it('stops for good when a second connection takes over the bot', async () => {
    const { log, lines } = capturedLog()
    const first = puppet({ log })
    const loggedOut = new Promise((resolve) => first.once('logout', resolve))
    await first.start()
    expect(first.isLoggedIn).toBe(true)

    const second = puppet()
    await second.start()
    await loggedOut
    expect(second.isLoggedIn).toBe(true)
    await fake.waitFor(() => (fake.openConnections() === 1 ? true : undefined), 'the first connection to close')

    await new Promise((r) => setTimeout(r, 300))
    expect(fake.framesOf('aibot_subscribe')).toHaveLength(2)
    expect(first.isLoggedIn).toBe(false)
    expect(lines.some((l) => l.level === 50 && /another instance/.test(l.msg))).toBe(true)
  })

  it('retries a send refused with 6000 and gives up at once on 93000', async () => {
    const { bot } = await startBot()
    const contact = await bot.Contact.find({ id: 'lisi' })
    fake.failNext('aibot_send_msg', 6000)
    await contact!.say('第一条')
    expect(fake.framesOf('aibot_send_msg').map((f) => f.ack?.errcode)).toEqual([6000, 0])

    fake.failNext('aibot_send_msg', 93000)
    await expect(contact!.say('第二条')).rejects.toThrow()
    expect(fake.framesOf('aibot_send_msg').map((f) => f.ack?.errcode)).toEqual([6000, 0, 93000])
  })

  it('queues sends over the per-conversation limit instead of dropping them', async () => {
    await fake.close()
    fake = await startFakeWecom({ botId: BOT.botId, secret: BOT.secret, conversationLimit: { count: 3, windowMs: 200 } })
    const { bot } = await startBot({ sendLimit: { count: 3, windowMs: 200 }, retries: 0 })
    const contact = await bot.Contact.find({ id: 'lisi' })
    await Promise.all(Array.from({ length: 7 }, (_, i) => contact!.say(`第${i + 1}条`)))
    const sent = fake.framesOf('aibot_send_msg')
    expect(sent.map((f) => f.body.markdown.content)).toEqual(Array.from({ length: 7 }, (_, i) => `第${i + 1}条`))
    expect(sent.every((f) => f.ack?.errcode === 0)).toBe(true)
  })
})
