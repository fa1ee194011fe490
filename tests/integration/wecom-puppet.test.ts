import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WechatyBuilder, type Message, type Wechaty } from 'wechaty'
import { FileBox } from 'file-box'
import pino from 'pino'
import {
  PuppetWecom, WecomAuthError, WecomNotActivatedError, WecomUnconfirmedError, type AnswerFeedback, type PuppetWecomOptions,
} from '../../src/puppet-wecom/mod.ts'
import { captureLog } from '../support/deps.ts'
import { startFakeWecom, INVALID_CHATID_CODE, NOT_ACTIVATED_CODE, type FakeWecom } from '../support/fake-wecom.ts'
import { createManualClock } from '../../src/clock.ts'

const BOT = { botId: 'aib_test', secret: 's3cret', botName: '学习助手' }
const members = { zhangsan: '张三', lisi: '李四' }

const capturedLog = () => captureLog('trace')

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
    const p = puppet(o)
    const bot = WechatyBuilder.build({ puppet: p })
    bots.push(bot)
    const messages: Message[] = []
    const waiting: Array<(m: Message) => void> = []
    bot.on('message', (m) => { messages.push(m); waiting.splice(0).forEach((w) => w(m)) })
    await bot.start()
    const nextMessage = () => new Promise<Message>((resolve) => waiting.push(resolve))
    /** A member writes to the bot privately and the message arrives (this also lets the bot write to them). */
    const privateMessage = async (userid: string, text: string) => {
      const arrived = nextMessage()
      const pushed = fake.pushPrivate({ userid, text })
      return { ...pushed, message: await arrived }
    }
    return { bot, puppet: p, messages, nextMessage, privateMessage }
  }

  it('logs in as the bot once WeCom acknowledges the subscription', async () => {
    const { bot } = await startBot()
    expect(bot.isLoggedIn).toBe(true)
    expect(bot.currentUser.id).toBe(BOT.botId)
    expect(bot.currentUser.name()).toBe(BOT.botName)
    expect(fake.framesOf('aibot_subscribe')).toHaveLength(1)
  })

  it('turns a group @ into a room message and answers it as one stream, mentioning by name, without chat_type', async () => {
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
    const reply = await fake.waitForReply(reqId)
    // <@userid> in the bot's markdown notifies nobody and shows as raw text: names stay plain
    expect(reply.content).toBe('@张三 初心使命是……')
    expect(reply.frames).toHaveLength(1)
    const frame = fake.framesOf('aibot_respond_msg')[0]
    expect(frame.body.stream.feedback).toEqual({ id: msgid }) // so a feedback_event names the question

    // One reply per req_id: a second message in the same (now active) group goes out proactively.
    await msg.room()!.say('补充一句。')
    const proactive = await fake.waitForFrame('aibot_send_msg')
    expect(proactive.body).toEqual({ chatid: 'wrGroup1', msgtype: 'markdown', markdown: { content: '补充一句。' } })
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

  it('keeps reconnecting after the SDK gives up, stays logged in, and logs the outage once', async () => {
    const { log, lines } = capturedLog()
    const { bot, puppet: p, privateMessage } = await startBot({ log, maxReconnectAttempts: 2, reconnectEveryMs: 50 })
    const logouts: unknown[] = []
    p.on('logout', (e) => { logouts.push(e) })
    fake.refuseConnections(true)
    fake.dropConnections()
    // the SDK's own two attempts, then ours, one every 50 ms
    await fake.waitFor(() => (fake.refusedConnections() >= 6 ? true : undefined), 'several refused reconnects')
    expect(bot.isLoggedIn).toBe(true)
    expect(logouts).toHaveLength(0)
    fake.refuseConnections(false)
    await fake.waitFor(() => lines.find((l) => l.msg === 'wecom connection recovered'), 'the recovery log line')
    const lost = lines.filter((l) => l.level === 50 && /stopped retrying/.test(l.msg))
    expect(lost).toHaveLength(1)
    expect(bot.isLoggedIn).toBe(true)

    const { reqId, message } = await privateMessage('lisi', '恢复了吗')
    await message.say('恢复了。')
    expect((await fake.waitForReply(reqId)).content).toBe('恢复了。')
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
    expect((await fake.waitForReply(reqId)).content).toBe('好的，请发送心得内容。')
  })

  it('sends proactively once the reply window has passed; a group nobody has spoken in refuses the bot', async () => {
    const clock = createManualClock(Date.now())
    const { bot, privateMessage } = await startBot({ clock, replyWindowMs: 5 * 60_000 })
    const { message } = await privateMessage('lisi', '你好')
    clock.advance(6 * 60_000)
    await message.say('迟到的回复')
    const sent = await fake.waitForFrame('aibot_send_msg')
    expect(sent.body).toEqual({ chatid: 'lisi', msgtype: 'markdown', markdown: { content: '迟到的回复' } })
    expect(fake.framesOf('aibot_respond_msg')).toHaveLength(0)

    // WeCom lets the bot speak only where a member has messaged it: a configured, quiet group refuses
    const room = await bot.Room.find({ id: 'wrConfigured' })
    const err = await room!.say('本周学习提醒').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WecomNotActivatedError)
    const refused = fake.framesOf('aibot_send_msg').find((f) => f.body.chatid === 'wrConfigured')
    expect(refused?.ack?.errcode).toBe(INVALID_CHATID_CODE)
    expect(refused?.body.chat_type).toBeUndefined()
  })

  it('is refused in a group that has been quiet for longer than the activation window', async () => {
    await fake.close()
    const clock = createManualClock(Date.now())
    fake = await startFakeWecom({ botId: BOT.botId, secret: BOT.secret, clock })
    const { bot, nextMessage } = await startBot({ clock })
    const arrived = nextMessage()
    fake.pushGroupText({ chatid: 'wrWeekend', userid: 'zhangsan', text: '周五的问题', botName: BOT.botName })
    await arrived
    clock.advance(3 * 86400_000) // a weekend
    const room = await bot.Room.find({ id: 'wrWeekend' })
    const err = await room!.say('周一 09:00 学习提醒').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(WecomNotActivatedError)
    expect((err as Error).message).toContain('主动发言')
    expect(fake.framesOf('aibot_send_msg').map((f) => f.ack?.errcode)).toEqual([NOT_ACTIVATED_CODE])
  })

  it('uploads a file and sends it by media_id in the private chat', async () => {
    const { bot, privateMessage } = await startBot()
    await privateMessage('zhangsan', '#导出')
    const contact = await bot.Contact.find({ id: 'zhangsan' })
    const data = Buffer.alloc(700 * 1024, 7) // two chunks
    await contact!.say(FileBox.fromBuffer(data, '心得汇总.xlsx'))
    const sent = await fake.waitForFrame('aibot_send_msg')
    expect(sent.body).toEqual({ chatid: 'zhangsan', msgtype: 'file', file: { media_id: sent.body.file.media_id } })
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
    const first = puppet({ log, reconnectEveryMs: 10 })
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
    const { bot, privateMessage } = await startBot()
    await privateMessage('lisi', '你好')
    const contact = await bot.Contact.find({ id: 'lisi' })
    await contact!.say('先回复这一条') // answers the waiting message
    fake.failNext('aibot_send_msg', 6000)
    await contact!.say('第一条')
    expect(fake.framesOf('aibot_send_msg').map((f) => f.ack?.errcode)).toEqual([6000, 0])

    fake.failNext('aibot_send_msg', 93000)
    await expect(contact!.say('第二条')).rejects.toThrow()
    expect(fake.framesOf('aibot_send_msg').map((f) => f.ack?.errcode)).toEqual([6000, 0, 93000])
  })

  it('queues sends over the per-conversation limit instead of dropping them', async () => {
    await fake.close()
    fake = await startFakeWecom({ botId: BOT.botId, secret: BOT.secret, conversationLimits: [{ count: 3, windowMs: 100 }] })
    // the puppet paces far more strictly than the fake refuses, so a busy machine's jitter (up to
    // 1.9 s between the puppet's send and the fake's receipt) cannot bunch four sends into the
    // fake's window
    const { bot, privateMessage } = await startBot({ sendLimit: { count: 3, windowMs: 2000 }, retries: 0 })
    const { reqId } = await privateMessage('lisi', '请把通知发给我')
    const contact = await bot.Contact.find({ id: 'lisi' })
    await Promise.all(Array.from({ length: 7 }, (_, i) => contact!.say(`第${i + 1}条`)))
    expect(fake.bubble(reqId)?.content).toBe('第1条')
    const sent = fake.framesOf('aibot_send_msg')
    expect(sent.map((f) => f.body.markdown.content)).toEqual(Array.from({ length: 6 }, (_, i) => `第${i + 2}条`))
    expect(sent.every((f) => f.ack?.errcode === 0)).toBe(true)
  })

  it('shows the thinking frame, then the answer in the same stream; a whole long answer is one stream', async () => {
    const { privateMessage } = await startBot()
    const { reqId, message } = await privateMessage('lisi', '党费怎么交？')
    await (message.wechaty.puppet as PuppetWecom).showThinking(message.id)
    const answer = '按月交纳党费。'.repeat(240) // about 5,000 bytes
    expect(Buffer.byteLength(answer)).toBeGreaterThan(5000)
    await message.say(answer)
    const bubble = await fake.waitForReply(reqId)
    expect(bubble.frames.map((f) => [f.content, f.finish])).toEqual([['正在查找…', false], [answer, true]])
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
  })

  it('never sends a blank finish frame, and closes a thinking stream that gets no answer', async () => {
    const { privateMessage, puppet: p } = await startBot()
    const { reqId, message } = await privateMessage('lisi', '在吗')
    await p.showThinking(message.id)
    await message.say('   ')
    await p.doneWith(message.id)
    const bubble = await fake.waitForReply(reqId)
    expect(bubble.frames.every((f) => !f.finish || f.content.trim())).toBe(true)
    expect(bubble.finished).toBe(true)
    expect(bubble.content).toBe('已处理完毕。')
  })

  it('falls back to a proactive send once a stream is past its 6 minutes', async () => {
    await fake.close()
    const clock = createManualClock(Date.now())
    fake = await startFakeWecom({ botId: BOT.botId, secret: BOT.secret, clock })
    const { privateMessage, puppet: p } = await startBot({ clock })
    const { reqId, message } = await privateMessage('lisi', '一个很难的问题')
    await p.showThinking(message.id)
    clock.advance(7 * 60_000)
    await message.say('终于查到了')
    const sent = await fake.waitForFrame('aibot_send_msg')
    expect(sent.body.markdown.content).toBe('终于查到了')
    expect(fake.bubble(reqId)?.frames).toHaveLength(1)
  })

  it('records an answer whose ack never came as unconfirmed, and does not send it again', async () => {
    const { privateMessage } = await startBot()
    const { reqId, message } = await privateMessage('lisi', '预备期多久？')
    const held = fake.holdAcks('aibot_respond_msg') // the SDK gives up on an ack after 5 s
    const err = await message.say('预备期为一年。').catch((e: unknown) => e)
    held.release()
    expect(err).toBeInstanceOf(WecomUnconfirmedError)
    expect((err as WecomUnconfirmedError).retryable).toBe(false)
    // the member saw it once: one frame, delivered, nothing repeated proactively
    expect(fake.framesOf('aibot_respond_msg')).toHaveLength(1)
    expect(fake.bubble(reqId)?.content).toBe('预备期为一年。')
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
  }, 30_000)

  it('hands a redelivered msgid to the bot only once', async () => {
    const { messages, privateMessage } = await startBot()
    const { msgid, message } = await privateMessage('lisi', '#心得 只交一次')
    const { reqId: again } = fake.redeliver(msgid)
    // something after the redelivery, on the same socket, proves it was processed
    await privateMessage('lisi', '下一条')
    expect(messages.map((m) => m.id)).toEqual([msgid, expect.any(String)])
    await message.say('已收到')
    expect(fake.bubble(again)).toBeUndefined()
  })

  it('welcomes a member who opens the private chat, within the 5 s WeCom allows', async () => {
    await startBot({ welcome: '你好，我是学习助手。' })
    fake.pushEnterChat({ userid: 'lisi' })
    const welcome = await fake.waitFor(() => fake.deliveries.find((d) => d.via === 'welcome'), 'the welcome')
    expect(welcome).toMatchObject({ conversation: 'lisi', msgtype: 'text', content: '你好，我是学习助手。' })
  })

  it('reports an inaccurate feedback_event with the question and the answer it was about', async () => {
    const { puppet: p, nextMessage } = await startBot()
    const feedback: AnswerFeedback[] = []
    p.onFeedback((f) => { feedback.push(f) })
    const arrived = nextMessage()
    const { reqId, msgid } = fake.pushGroupText({ chatid: 'wrGroup1', userid: 'zhangsan', text: '党费怎么交？', botName: BOT.botName })
    const msg = await arrived
    await msg.room()!.say('每月交一次。', msg.talker())
    await fake.waitForReply(reqId)
    fake.pushFeedback({ userid: 'zhangsan', chatid: 'wrGroup1', id: msgid, type: 2, content: '没答到点子上', reasons: [2] })
    const f = await fake.waitFor(() => feedback[0], 'the feedback')
    expect(f).toMatchObject({
      messageId: msgid, userid: 'zhangsan', conversationId: 'wrGroup1', verdict: 'inaccurate',
      reasons: [2], comment: '没答到点子上', question: '党费怎么交？', answer: '@张三 每月交一次。',
    })
  })
})
