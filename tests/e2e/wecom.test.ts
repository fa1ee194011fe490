import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { startTestRedis } from '../support/redis.ts'
import { startFakeWecom, type FakeWecom, type ReceivedFrame } from '../support/fake-wecom.ts'
import { startWecomBot, wecomConfig, WECOM_BOT, type WecomBot } from '../support/wecom-bot.ts'
import { repoRoot } from '../support/harness.ts'
import { createReflectionStore } from '../../src/store/reflection-store.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { PuppetWecom } from '../../src/puppet-wecom/mod.ts'
import pino from 'pino'

/** Poll until `pick` finds something (for things the fake does not see, like log lines). */
async function eventually<T>(pick: () => T | undefined, what = 'the expected state'): Promise<T> {
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    const found = pick()
    if (found !== undefined) return found
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/**
 * The real bot (startApp, the route chain, the scheduler) on the WeCom puppet, against the fake
 * WeCom server: what a member, a secretary and an organizer see in WeCom.
 */
describe('the bot on WeCom, end to end', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>
  let fake: FakeWecom
  const bots: WecomBot[] = []
  const extra: PuppetWecom[] = []

  beforeAll(async () => { redis = await startTestRedis() })
  afterAll(async () => { await redis.stop() })
  beforeEach(async () => {
    fake = await startFakeWecom({ botId: WECOM_BOT.botId, secret: WECOM_BOT.secret, webhookKeys: ['robot-two'] })
  })
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop()
    for (const p of extra.splice(0)) await p.stop().catch(() => undefined)
    await fake.close()
  })

  const start = async (o: Omit<Parameters<typeof startWecomBot>[0], 'fake' | 'redisUrl'> = {}) => {
    const bot = await startWecomBot({ fake, redisUrl: redis.url, ...o })
    bots.push(bot)
    return bot
  }

  /** A member @-mentions the bot in a group; resolves with the finished stream reply to that message. */
  const askInGroup = async (chatid: string, userid: string, text: string): Promise<ReceivedFrame> => {
    const { reqId } = fake.pushGroupText({ chatid, userid, text, botName: WECOM_BOT.botName })
    return fake.waitForFrame('aibot_respond_msg', (f) => f.headers?.req_id === reqId && f.body?.stream?.finish === true && f.ack?.errcode === 0)
  }

  it('answers a member\'s @ in a group from the materials as a finished stream reply', async () => {
    await start()
    const reply = await askInGroup('wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    expect(reply.body.msgtype).toBe('stream')
    // <@userid> in the bot's markdown notifies nobody (and shows as raw text): the name, plainly
    expect(reply.body.stream.content).toMatch(/^@张三 /)
    expect(reply.body.stream.content).not.toContain('<@')
    expect(reply.body.stream.content).toContain('一年')
    expect(reply.body.stream.content).toContain('第七条')
    // a reply, not a proactive message
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
  })

  it('confirms a #心得 with a stream reply and stores it under the member\'s userid and name', async () => {
    const bot = await start()
    const text = '今天学习了党章关于预备党员的规定，深刻认识到预备期是对党员的严格考察和教育过程。'
    const reply = await askInGroup('wrGroupOne', 'lisi', `#心得 ${text}`)
    expect(reply.body.stream.content).toContain('已收到李四的心得')

    const store = createReflectionStore(bot.redis, bot.keys, bot.app.deps.clock, bot.config.timezone)
    const stored = await store.listMember('wrGroupOne', 'lisi')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ memberId: 'lisi', memberName: '李四', text })
  })

  it('logs the chatid when @-mentioned in a group it does not serve, and does not answer there', async () => {
    const bot = await start()
    const { reqId } = fake.pushGroupText({ chatid: 'wrStranger', userid: 'zhangsan', text: '你好', botName: WECOM_BOT.botName })
    const line = await eventually(() => bot.logs.find((l) => l.msg === 'mentioned in a room that is not configured'))
    expect(line.roomId).toBe('wrStranger')
    await bot.app.settled()
    expect(fake.received.filter((f) => f.headers?.req_id === reqId || f.body?.chatid === 'wrStranger')).toHaveLength(0)
  })

  it('sends a scheduled prompt proactively to a group that has @-ed the bot, and through the group robot for a group with a webhook', async () => {
    // WeCom lets the bot push only where a member has messaged it: someone in group one asks first
    await start({
      config: {
        groups: [
          { id: 'wrGroupOne', secretaries: ['张书记'], organizers: ['李委员'] },
          { id: 'wrGroupTwo', secretaries: ['王书记'], webhook: 'WECOM_WEBHOOK_TWO' },
        ],
        schedules: [{ id: 'weekly', group: '*', cron: '*/1 * * * * *', kind: 'reflection-prompt', text: '本周请学习党章第一章' }],
      },
      env: { WECOM_WEBHOOK_TWO: fake.webhookUrl('robot-two') },
    })
    await askInGroup('wrGroupOne', 'zhangsan', '党员的权利有哪些？')
    const proactive = await fake.waitForFrame('aibot_send_msg', (f) => f.body.chatid === 'wrGroupOne' && f.ack?.errcode === 0)
    expect(proactive.body.msgtype).toBe('markdown')
    expect(proactive.body).not.toHaveProperty('chat_type') // as the SDK sends it
    expect(proactive.body.markdown.content).toContain('本周请学习党章第一章')
    expect(proactive.body.markdown.content).toContain('#心得')

    const hook = await fake.waitFor(() => fake.webhookCalls.find((c) => c.key === 'robot-two' && c.errcode === 0), 'a webhook call')
    expect(hook.body.msgtype).toBe('text')
    expect(hook.body.text.content).toContain('本周请学习党章第一章')
    // the group with a webhook never gets the broadcast over the long connection
    expect(fake.framesOf('aibot_send_msg').filter((f) => f.body.chatid === 'wrGroupTwo')).toHaveLength(0)
  })

  it('sends the organizer\'s #导出 as an uploaded file in the private chat, never in the group', async () => {
    await start()
    // WeCom lets the bot write privately only to someone who has written to it
    const hello = fake.pushPrivate({ userid: 'liweiyuan', text: '你好' })
    await fake.waitForReply(hello.reqId)
    await askInGroup('wrGroupOne', 'zhangsan', '#心得 今天学习了党章总纲，认识到党的性质和宗旨是我们一切工作的出发点和落脚点。')
    const reply = await askInGroup('wrGroupOne', 'liweiyuan', '#导出')
    expect(reply.body.stream.content).toContain('已将导出文件私信发给你（共 1 篇心得）')

    const init = await fake.waitForFrame('aibot_upload_media_init')
    expect(init.body).toMatchObject({ type: 'file' })
    expect(init.body.filename).toMatch(/^心得汇总-.*\.xlsx$/)
    expect(fake.framesOf('aibot_upload_media_chunk').length).toBe(init.body.total_chunks)
    const finish = await fake.waitForFrame('aibot_upload_media_finish', (f) => f.ack?.errcode === 0)
    const mediaId = (finish.ack as { body?: { media_id?: string } }).body?.media_id
    expect(mediaId).toBeTruthy()

    const file = await fake.waitForFrame('aibot_send_msg', (f) => f.body.msgtype === 'file')
    expect(file.body).toEqual({ chatid: 'liweiyuan', msgtype: 'file', file: { media_id: mediaId } })
    expect(file.ack?.errcode).toBe(0)
    const stored = fake.media.get(file.body.file.media_id)!
    expect(stored.data.subarray(0, 2).toString()).toBe('PK') // an xlsx is a zip
    // nothing file-like went to the group
    const toGroup = fake.received.filter((f) => f.body?.chatid === 'wrGroupOne' && f.cmd === 'aibot_send_msg')
    expect(toGroup).toHaveLength(0)
  })

  it('answers an organizer\'s private #导出 with the file, before the organizer ever spoke in the group', async () => {
    await start()
    const { reqId } = fake.pushPrivate({ userid: 'liweiyuan', text: '#导出' })
    const file = await fake.waitForFrame('aibot_send_msg', (f) => f.body.msgtype === 'file')
    expect(file.body).toEqual({ chatid: 'liweiyuan', msgtype: 'file', file: { media_id: expect.any(String) } })
    expect(fake.media.get(file.body.file.media_id)?.filename).toMatch(/^心得汇总-wrGroupOne-.*\.xlsx$/)
    const reply = await fake.waitForFrame('aibot_respond_msg', (f) => f.headers?.req_id === reqId)
    expect(reply.body.stream.content).toContain('导出文件已发送')
  })

  it('after a restart, serves the private chat of a member who has spoken in a group before', async () => {
    const first = await start()
    await askInGroup('wrGroupOne', 'wangwu', '党员的权利有哪些？')
    await first.stop()
    bots.splice(bots.indexOf(first), 1)
    // WeCom lists no group members; the bot remembers in Redis who spoke where
    await start({ keys: first.keys })
    const text = '重启之后私聊提交心得：学习了党员的权利，要正确行使权利，认真履行义务。'
    const { reqId } = fake.pushPrivate({ userid: 'wangwu', text: `#心得 ${text}` })
    const reply = await fake.waitForFrame('aibot_respond_msg', (f) => f.headers?.req_id === reqId && f.body?.stream?.finish === true)
    expect(reply.body.stream.content).toContain('已收到')
  })

  it('after a restart, #统计 still counts members who spoke in the group before (WeCom lists none)', async () => {
    const first = await start()
    await askInGroup('wrGroupOne', 'zhangsan', '党员的权利有哪些？')
    await askInGroup('wrGroupOne', 'lisi', '党费什么时候交？')
    await first.stop()
    bots.splice(bots.indexOf(first), 1)
    const second = await start({ keys: first.keys })
    const now = second.app.deps.clock.now()
    await createAssignmentStore(second.redis, second.keys, second.app.deps.clock)
      .open({ id: 'a1', group: 'wrGroupOne', title: '学习党章', dueAt: now + 86400000, openedAt: now - 1000 })
    const reply = await askInGroup('wrGroupOne', 'zhangshuji', '#统计')
    expect(reply.body.stream.content).toMatch(/未提交（\d+ 人）：.*张三/)
    expect(reply.body.stream.content).toContain('李四')
  })

  it('backs off and retries a 45009 on the long connection and on the group robot', async () => {
    await start({
      config: {
        groups: [
          { id: 'wrGroupOne', secretaries: ['张书记'], organizers: ['李委员'] },
          { id: 'wrGroupTwo', secretaries: ['王书记'], webhook: 'WECOM_WEBHOOK_TWO' },
        ],
        schedules: [{ id: 'notice', group: 'wrGroupTwo', cron: '*/1 * * * * *', kind: 'text', text: '今晚七点支部学习会' }],
      },
      env: { WECOM_WEBHOOK_TWO: fake.webhookUrl('robot-two') },
    })
    fake.failNext('webhook:robot-two', 45009)
    fake.failNext('aibot_respond_msg', 45009)

    const reply = await askInGroup('wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    const attempts = fake.framesOf('aibot_respond_msg').filter((f) => f.headers?.req_id === reply.headers?.req_id)
    expect(attempts.map((f) => f.ack?.errcode)).toEqual([45009, 0])
    expect(reply.body.stream.content).toContain('一年')

    await fake.waitFor(() => fake.webhookCalls.find((c) => c.errcode === 0), 'a delivered webhook call')
    const [first, second] = fake.webhookCalls
    expect(first.errcode).toBe(45009)
    expect(second.errcode).toBe(0)
    expect(second.body).toEqual(first.body)
  })

  it('does not retry a 93000 from the group robot and tells the group\'s secretary privately', async () => {
    const bot = await start({
      config: {
        groups: [
          { id: 'wrGroupOne', secretaries: ['张书记'], organizers: ['李委员'] },
          { id: 'wrGroupTwo', secretaries: ['王书记'], webhook: 'WECOM_WEBHOOK_TWO' },
        ],
        schedules: [{ id: 'notice', group: 'wrGroupTwo', cron: '*/1 * * * * *', kind: 'text', text: '今晚七点支部学习会' }],
      },
      env: { WECOM_WEBHOOK_TWO: fake.webhookUrl('robot-removed') },
    })
    // the secretary has written to the bot before, so WeCom lets it write back privately
    fake.pushPrivate({ userid: 'wangshuji', text: '你好' })
    const told = await fake.waitFor(() => fake.deliveries.find((d) => d.conversation === 'wangshuji' && d.content.includes('群机器人已被移出群聊或 key 不正确')), 'the notice to the secretary')
    expect(told.msgtype).toMatch(/markdown|stream/)
    // each firing (one per second) ends after its one attempt: one webhook call per failed slot
    await eventually(() => bot.logs.find((l) => l.msg === 'schedule firing failed' && l.scheduleId === 'notice'))
    await bot.app.stop()
    const failed = bot.logs.filter((l) => l.msg === 'schedule firing failed' && l.scheduleId === 'notice')
    expect(new Set(failed.map((l) => l.slot)).size).toBe(failed.length)
    expect(fake.webhookCalls.map((c) => c.errcode)).toEqual(failed.map(() => 93000))
    expect(bot.logs.filter((l) => l.msg === 'scheduled send failed, retrying')).toHaveLength(0)
    expect(fake.framesOf('aibot_send_msg').filter((f) => f.body.chatid === 'wrGroupTwo')).toHaveLength(0)
  })

  it('stops for good when a second connection takes over the bot: logged out, no reconnect', async () => {
    const bot = await start()
    expect(bot.app.bot.isLoggedIn).toBe(true)

    const other = new PuppetWecom({ ...WECOM_BOT, wsUrl: fake.wsUrl, log: pino({ level: 'silent' }) })
    extra.push(other)
    await other.start()

    const loggedOut = await eventually(() => bot.logs.find((l) => l.msg === 'logged out'), 'the bot to log out')
    expect(loggedOut.level).toBe(40) // a warning: nobody asked it to stop
    expect(bot.logs.some((l) => l.level === 50 && /another instance/.test(l.msg))).toBe(true)
    await fake.waitFor(() => (fake.openConnections() === 1 ? true : undefined), 'the first connection to close')
    // give a would-be reconnect (10 ms backoff) ample opportunity, then count subscriptions
    await new Promise((r) => setTimeout(r, 300))
    expect(bot.app.bot.isLoggedIn).toBe(false)
    expect(fake.framesOf('aibot_subscribe').map((f) => f.connection)).toEqual([1, 2])
    expect(other.isLoggedIn).toBe(true)
  })

  it('`studybot start` exits 1 with the Chinese credentials message and subscribes only once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-wecom-cli-'))
    try {
      const config = path.join(dir, 'studybot.yaml')
      fs.writeFileSync(config, stringify(wecomConfig(path.join(dir, 'data'))))
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
        cwd: dir,
        env: {
          PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redis.url,
          WECHATY_PUPPET: 'wecom', WECOM_BOT_ID: WECOM_BOT.botId, WECOM_BOT_SECRET: 'wrong-secret', WECOM_WS_URL: fake.wsUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      child.stdout.on('data', (d) => { out += String(d) })
      child.stderr.on('data', (d) => { out += String(d) })
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
      expect(code).toBe(1)
      expect(out).toContain('企业微信机器人 ID 或 Secret 不正确')
      expect(fake.framesOf('aibot_subscribe')).toHaveLength(1)
      expect(fake.framesOf('aibot_subscribe')[0].ack?.errcode).toBe(853000)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
