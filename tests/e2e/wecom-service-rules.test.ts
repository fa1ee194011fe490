import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { startFakeWecom, type FakeWecom } from '../support/fake-wecom.ts'
import { startWecomBot, wecomConfig, WECOM_BOT, type WecomBot } from '../support/wecom-bot.ts'
import { repoRoot } from '../support/harness.ts'

/**
 * WeCom as the real service behaves (issue 16), through the real bot against the stricter fake:
 * broadcasts in quiet groups, mentions that notify, streams, reconnects, late acks, redelivery,
 * and the welcome and feedback events.
 */

/** A small OpenAI-compatible server; a test can hold its answers until it has seen the thinking frame. */
function startFakeLlm() {
  let content = '预备党员的预备期为一年[1]。'
  let gate: Promise<void> = Promise.resolve()
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => { body += c })
    req.on('end', () => {
      const json = JSON.parse(body || '{}')
      if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end()
      void gate.then(() => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({
          id: 'c1', object: 'chat.completion', created: 0, model: json.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        }))
      })
    })
  })
  return {
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
    },
    reply(text: string) { content = text },
    /** Hold every answer until the returned function is called. */
    hold(): () => void {
      let release!: () => void
      gate = new Promise((resolve) => { release = resolve })
      return release
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('the bot on WeCom as the service really behaves', () => {
  let redis: Awaited<ReturnType<typeof startTestRedis>>
  let fake: FakeWecom
  const llm = startFakeLlm()
  let llmUrl: string
  const bots: WecomBot[] = []

  beforeAll(async () => { redis = await startTestRedis(); llmUrl = await llm.listen() })
  afterAll(async () => { await redis.stop(); await llm.close() })
  beforeEach(async () => {
    fake = await startFakeWecom({ botId: WECOM_BOT.botId, secret: WECOM_BOT.secret, webhookKeys: ['robot-two'] })
  })
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.stop()
    await fake.close()
  })

  const start = async (o: Omit<Parameters<typeof startWecomBot>[0], 'fake' | 'redisUrl'> = {}) => {
    const bot = await startWecomBot({ fake, redisUrl: redis.url, ...o })
    bots.push(bot)
    return bot
  }

  /** Two groups: one with a group robot (robot-two), one without; `schedules` to both. */
  const withRobot = (extra: Record<string, unknown> = {}) => ({
    config: {
      groups: [
        { id: 'wrGroupOne', secretaries: ['张书记'], organizers: ['李委员'] },
        { id: 'wrGroupTwo', secretaries: ['王书记'], webhook: 'WECOM_WEBHOOK_TWO' },
      ],
      ...extra,
    },
    env: { WECOM_WEBHOOK_TWO: fake.webhookUrl('robot-two') },
  })

  const askInGroup = async (chatid: string, userid: string, text: string) => {
    const pushed = fake.pushGroupText({ chatid, userid, text, botName: WECOM_BOT.botName })
    return { ...pushed, bubble: await fake.waitForReply(pushed.reqId) }
  }

  const noMentionMarkup = () => {
    const shown = [...fake.deliveries.filter((d) => d.via !== 'webhook').map((d) => d.content)]
    expect(shown.filter((c) => c.includes('<@'))).toEqual([])
  }

  it('sends a scheduled prompt to a never-activated group through its group robot; without one, records the refusal and tells the secretary how to fix it', async () => {
    const bot = await start(withRobot({
      schedules: [{ id: 'weekly', group: '*', cron: '*/1 * * * * *', kind: 'reflection-prompt', text: '本周请学习党章第一章' }],
    }))
    // the secretary has written to the bot before, so it may write back privately
    const hello = fake.pushPrivate({ userid: 'zhangshuji', text: '你好' })
    await fake.waitForReply(hello.reqId)

    // nobody ever messaged the bot in group two: the group robot posts anyway
    const hook = await fake.waitFor(() => fake.webhookCalls.find((c) => c.key === 'robot-two' && c.errcode === 0), 'the prompt by webhook')
    expect(hook.body.text.content).toContain('本周请学习党章第一章')

    // group one has no robot: WeCom refuses the bot, the firing says why, the secretary is told
    const firing = await eventually(async () => (await bot.app.deps.stores.schedules.firings('wrGroupOne', 'weekly', 1))[0])
    expect(firing.outcome).toBe('failed')
    expect(firing.error).toContain('主动发言')
    const notice = await fake.waitFor(() => fake.deliveries.find((d) => d.conversation === 'zhangshuji' && d.content.includes('定时通知没有发出去')), 'the notice')
    expect(notice.content).toContain('群机器人')
    expect(notice.content).toContain(`@${WECOM_BOT.botName}`)
    expect(fake.framesOf('aibot_send_msg').filter((f) => f.body.chatid === 'wrGroupOne').every((f) => f.ack?.errcode !== 0)).toBe(true)
    expect(fake.framesOf('aibot_send_msg').filter((f) => f.body.chatid === 'wrGroupTwo')).toHaveLength(0)
  })

  it('#提醒 notifies the members who have not submitted through the group robot\'s mentioned_list', async () => {
    const bot = await start(withRobot())
    await askInGroup('wrGroupTwo', 'zhangsan', '党员的权利有哪些？')
    await askInGroup('wrGroupTwo', 'lisi', '党费什么时候交？')
    const now = bot.app.deps.clock.now()
    await bot.app.deps.stores.assignments.open({ id: 'a1', group: 'wrGroupTwo', title: '学习党章', dueAt: now + 86400000, openedAt: now - 1000 })
    fake.pushGroupText({ chatid: 'wrGroupTwo', userid: 'wangshuji', text: '#提醒', botName: WECOM_BOT.botName })
    const hook = await fake.waitFor(() => fake.webhookCalls.find((c) => c.body?.text?.content?.includes('学习党章')), 'the reminder')
    expect(hook.errcode).toBe(0)
    expect(hook.body.msgtype).toBe('text')
    expect(hook.body.text.mentioned_list).toEqual(expect.arrayContaining(['zhangsan', 'lisi']))
    const delivered = fake.deliveries.find((d) => d.via === 'webhook')!
    expect(delivered.notified).toEqual(expect.arrayContaining(['zhangsan', 'lisi']))
    noMentionMarkup()
  })

  it('without a group robot, #提醒 names the members in plain text (the bot\'s <@userid> would notify nobody)', async () => {
    const bot = await start()
    await askInGroup('wrGroupOne', 'zhangsan', '党员的权利有哪些？')
    const now = bot.app.deps.clock.now()
    await bot.app.deps.stores.assignments.open({ id: 'a1', group: 'wrGroupOne', title: '学习党章', dueAt: now + 86400000, openedAt: now - 1000 })
    fake.pushGroupText({ chatid: 'wrGroupOne', userid: 'zhangshuji', text: '#提醒', botName: WECOM_BOT.botName })
    const reminder = await fake.waitFor(() => fake.deliveries.find((d) => d.content.includes('学习党章')), 'the reminder')
    expect(reminder.content).toContain('@张三')
    noMentionMarkup()
  })

  it('a slow LLM answer shows 正在查找… at once, then the answer, in one stream', async () => {
    await start({ config: { llm: { baseURL: llmUrl, model: 'test-model', timeoutMs: 120_000 }, wecom: { thinkingAfterMs: 200 } } })
    llm.reply('预备党员的预备期为一年[1]。')
    const release = llm.hold()
    const { reqId } = fake.pushGroupText({ chatid: 'wrGroupOne', userid: 'zhangsan', text: '预备党员的预备期是多久？', botName: WECOM_BOT.botName })
    await fake.waitFor(() => fake.bubble(reqId), 'the thinking frame')
    expect(fake.bubble(reqId)!.frames).toEqual([{ content: '正在查找…', finish: false }])
    release()
    const bubble = await fake.waitForReply(reqId)
    expect(bubble.frames).toHaveLength(2)
    expect(bubble.content).toContain('预备党员的预备期为一年')
    expect(fake.framesOf('aibot_respond_msg').every((f) => f.body.stream.id === bubble.streamId)).toBe(true)
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
  })

  it('a 5,000-byte answer arrives as one stream, not as parts sent proactively', async () => {
    await start({ config: { llm: { baseURL: llmUrl, model: 'test-model', timeoutMs: 120_000 } } })
    llm.reply('预备党员的预备期为一年，预备期从支部大会通过他为预备党员之日算起[1]。'.repeat(50))
    const { bubble } = await askInGroup('wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    expect(Buffer.byteLength(bubble.content)).toBeGreaterThan(5000)
    expect(bubble.frames).toHaveLength(1)
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
  })

  it('comes back by itself after an outage longer than the SDK\'s retry budget, and answers the next question', async () => {
    const bot = await start({ puppet: { maxReconnectAttempts: 2, reconnectEveryMs: 50 } })
    fake.refuseConnections(true)
    fake.dropConnections()
    await fake.waitFor(() => (fake.refusedConnections() >= 6 ? true : undefined), 'refused reconnects')
    expect(bot.app.bot.isLoggedIn).toBe(true) // jobs keep running; sends wait for the connection
    expect(bot.logs.filter((l) => l.level === 50 && /stopped retrying/.test(l.msg))).toHaveLength(1)
    fake.refuseConnections(false)
    await fake.waitFor(() => bot.logs.find((l) => l.msg === 'wecom connection recovered'), 'the recovery')
    const { bubble } = await askInGroup('wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    expect(bubble.content).toContain('一年')
  })

  it('does not resend an answer whose ack came too late, and does not apologise for it', async () => {
    const bot = await start()
    const held = fake.holdAcks('aibot_respond_msg') // the SDK gives up waiting after 5 s
    const { reqId } = fake.pushGroupText({ chatid: 'wrGroupOne', userid: 'zhangsan', text: '预备党员的预备期是多久？', botName: WECOM_BOT.botName })
    await fake.waitFor(() => bot.logs.find((l) => l.msg === 'reply delivery unconfirmed; not resent'), 'the unconfirmed reply')
    held.release()
    await bot.app.settled()
    expect(fake.framesOf('aibot_respond_msg').filter((f) => f.headers?.req_id === reqId)).toHaveLength(1)
    expect(fake.bubble(reqId)?.content).toContain('一年')
    expect(fake.framesOf('aibot_send_msg')).toHaveLength(0)
    expect(fake.deliveries.some((d) => d.content.includes('抱歉'))).toBe(false)
  }, 30_000)

  it('answers a redelivered msgid once, also after a restart', async () => {
    const first = await start()
    const text = '#心得 今天学习了党章总纲，认识到党的性质和宗旨是我们一切工作的出发点和落脚点。'
    const { msgid, bubble } = await askInGroup('wrGroupOne', 'lisi', text)
    expect(bubble.content).toContain('已收到李四的心得')
    const again = fake.redeliver(msgid)
    await askInGroup('wrGroupOne', 'lisi', '党员的义务有哪些？') // processed after the redelivery
    expect(fake.bubble(again.reqId)).toBeUndefined()

    // a restarted bot has forgotten the msgid; Redis has not
    await first.stop()
    bots.splice(bots.indexOf(first), 1)
    const second = await start({ keys: first.keys })
    const late = fake.redeliver(msgid)
    const next = await askInGroup('wrGroupOne', 'lisi', '党费怎么交？')
    expect(next.bubble.content).toMatch(/党费|没有找到/)
    expect(fake.bubble(late.reqId)).toBeUndefined()
    expect(await second.app.deps.stores.reflections.listMember('wrGroupOne', 'lisi')).toHaveLength(1)
  })

  it('welcomes a member who opens the private chat, and records an answer marked inaccurate', async () => {
    const bot = await start()
    fake.pushEnterChat({ userid: 'zhangsan' })
    const welcome = await fake.waitFor(() => fake.deliveries.find((d) => d.via === 'welcome'), 'the welcome')
    expect(welcome.conversation).toBe('zhangsan')
    expect(welcome.content).toContain('#帮助')
    expect(welcome.content).toContain(`@${WECOM_BOT.botName}`)

    const { msgid, bubble } = await askInGroup('wrGroupOne', 'zhangsan', '预备党员的预备期是多久？')
    fake.pushFeedback({ userid: 'zhangsan', chatid: 'wrGroupOne', id: msgid, type: 2, content: '没答到点子上', reasons: [1] })
    const [mark] = await eventually(async () => {
      const marks = await bot.app.deps.stores.answerMarks.recent('wrGroupOne')
      return marks.length ? marks : undefined
    })
    expect(mark).toMatchObject({ messageId: msgid, memberId: 'zhangsan', question: '预备党员的预备期是多久？', via: 'wecom-feedback', comment: '没答到点子上' })
    expect(mark.answer).toBe(bubble.content)
    // withdrawn: the mark goes
    fake.pushFeedback({ userid: 'zhangsan', chatid: 'wrGroupOne', id: msgid, type: 3 })
    await eventually(async () => ((await bot.app.deps.stores.answerMarks.recent('wrGroupOne')).length === 0 ? true : undefined))
  })

  it('explains, instead of a bare apology, when WeCom will not let it write to an organizer privately yet', async () => {
    await start()
    await askInGroup('wrGroupOne', 'zhangsan', '#心得 今天学习了党章总纲，认识到党的性质和宗旨是我们一切工作的出发点和落脚点。')
    const { bubble } = await askInGroup('wrGroupOne', 'liweiyuan', '#导出')
    expect(bubble.content).toContain('请先私聊我一次')
  })

  it('`studybot start` warns in Chinese about every group with schedules but no group robot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-wecom-warn-'))
    try {
      const config = path.join(dir, 'studybot.yaml')
      fs.writeFileSync(config, stringify({
        ...wecomConfig(path.join(dir, 'data'), {
          groups: [
            { id: 'wrGroupOne', secretaries: ['张书记'] },
            { id: 'wrGroupTwo', secretaries: ['王书记'], webhook: 'WECOM_WEBHOOK_TWO' },
            { id: 'wrGroupThree', secretaries: ['王书记'] },
          ],
          schedules: [{ id: 'weekly', group: '*', cron: '0 9 * * 1', kind: 'text', text: '周一学习' }],
        }),
        console: { enabled: false },
      }))
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), 'start', '--config', config], {
        cwd: dir,
        env: {
          PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: redis.url, WECOM_WEBHOOK_TWO: fake.webhookUrl('robot-two'),
          WECHATY_PUPPET: 'wecom', WECOM_BOT_ID: WECOM_BOT.botId, WECOM_BOT_SECRET: WECOM_BOT.secret, WECOM_WS_URL: fake.wsUrl,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let err = ''
      child.stderr.on('data', (d) => { err += String(d) })
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
      await eventually(() => (err.includes('wrGroupThree') && err.includes('wrGroupOne') ? true : undefined), 'both warnings', 60_000)
      child.kill('SIGTERM') // at once: the bot may still be building its index
      expect(await exited).toBe(0)
      const warnings = err.split('\n').filter((l) => l.startsWith('提醒：'))
      expect(warnings).toHaveLength(2)
      expect(warnings.join('\n')).not.toContain('wrGroupTwo')
      expect(warnings[0]).toContain('群机器人')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)
})

/** Poll until `pick` finds something (Redis state, log lines, output). */
async function eventually<T>(pick: () => T | undefined | Promise<T | undefined>, what = 'the expected state', timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const found = await pick()
    if (found !== undefined) return found
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
