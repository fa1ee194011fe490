import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { createManualClock, dateInZone, wallClockIn } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { QuizCloser } from '../../src/jobs/quiz-closer.ts'
import { OrgLifeJob } from '../../src/jobs/org-life-job.ts'
import { createLedgerStore } from '../../src/store/ledger-store.ts'
import { parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { startHarness, type Harness } from '../support/harness.ts'

const G1 = '第一党支部学习群'
/** Reply text without the @-mention WeChat puts in front. */
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''

let dir: string
let server: LocalRedisServer
let h: Harness
let orgLife: OrgLifeJob
// a fake clock near real time (messages older than maxMessageAgeSeconds would be ignored)
const clock = createManualClock(Date.now())
// a 党课 twelve hours from now (by the manual clock): its notice, a day ahead, is due at once
const lesson = wallClockIn(clock.now() + 12 * 3600_000, 'Asia/Shanghai')

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-org-'))
  server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    clock,
    config: { dataDir: path.join(dir, 'data'), bot: { name: '学习助手', sendIntervalMs: 0, maxMessageAgeSeconds: 7 * 86_400 }, birthdays: { time: '08:30' },
      schedules: [{ id: 'lesson', group: G1, cron: `${lesson.minute} ${lesson.hour} ${lesson.day} ${lesson.month} *`, kind: 'meeting', meeting: '党课', topic: '学习党章', place: '党员活动室', signIn: '2h' },
        // Feb 29 only: real time never reaches the slot; the test posts it with #定时 立即
        { id: 'dues', group: G1, cron: '0 9 29 2 *', kind: 'dues', text: '请按支部核定的数额缴纳本月党费。', due: '20d' }],
    },
    jobs: (deps, messenger) => {
      // polled by hand below, so the test decides when a window has closed
      orgLife = new OrgLifeJob(deps, messenger, 3_600_000)
      return [new Scheduler(deps, messenger), new QuizCloser(deps, messenger), orgLife]
    },
  })
  const header = ['姓名', '微信ID', '入党日期', '转正日期', '党小组']
  // 小明 joined ten years ago today (by the manual clock)
  const today = dateInZone(clock.now(), 'Asia/Shanghai')
  const joined = `${Number(today.slice(0, 4)) - 10}${today.slice(4)}`.replace(/-02-29$/, '-02-28')
  const { members } = parseLedgerRows([header, ['小明', '', joined, '', '一组'], ['小红', '', '2018-07-01', '2019-07-01', '一组'], ['老周', '', '2000-07-01', '2001-07-01', '二组'], ['小刚', '', '2019-07-01', '2020-07-01', '二组']]
    .map((cells, i) => ({ row: i + 1, cells })), today)
  await createLedgerStore(h.redis, h.keys, clock).replace(G1, members, '台账.xlsx')
  h.world.member('小明')
  h.world.member('小红')
  // the job's first pass at login posts the 党课 notice (due at once); let it land before the chat starts
  await h.waitForSent((m) => m.room === G1 && m.text.startsWith('【会议通知】'))
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('组织生活 through the real bot', () => {
  it('shows a secretary privately how the ledger matches the group; refuses a member', async () => {
    const replies = await h.say('张书记', '#台账', { room: G1 })
    const report = replies.find((m) => m.room === null && m.to === '张书记')
    expect(body(report)).toContain('台账 4 人中，2 人已对应到群成员')
    expect(body(report)).toContain('未能对应的 2 人：老周、小刚')
    expect(replies.filter((m) => m.room === G1).map(body)).toContain('已私信发给你。')

    const [refused] = await h.say('小明', '#台账', { room: G1 })
    expect(body(refused)).toBe('抱歉，这个操作只有书记或组织委员可以使用。')
    const [how] = await h.say('李委员', '#导入台账', { private: true })
    expect(body(how)).toContain('暂不支持在聊天中发送台账文件导入')
    expect(body(how)).toContain('studybot members import 台账.xlsx --group 第一党支部学习群')
  })

  it('greets the member whose 入党日期 is today with the oath and a mention; the secretary is told privately and records the talk', async () => {
    await h.say('张书记', '#定时 立即 political-birthdays', { room: G1 })
    const greeting = await h.waitForSent((m) => m.room === G1 && m.text.includes('【政治生日】'))
    expect(greeting.mentions).toEqual(['小明'])
    expect(greeting.text).toContain('小明同志，今天是你的政治生日！')
    expect(greeting.text).toContain('今天是你入党 10 周年（预备党员）')
    expect(greeting.text).toContain('我志愿加入中国共产党')
    const reminder = await h.waitForSent((m) => m.to === '张书记' && m.text.includes('【政治生日】'))
    expect(reminder.text).toContain('#生日谈话 小明 已完成')

    const [refused] = await h.say('小红', '#本月政治生日', { room: G1 })
    expect(body(refused)).toBe('抱歉，这个操作只有书记或组织委员可以使用。')
    const [bad] = await h.say('张书记', '#生日谈话 小明', { private: true })
    expect(body(bad)).toContain('例如：#生日谈话 张三 已完成')
    const [done] = await h.say('张书记', '#生日谈话 小明 已完成', { private: true })
    expect(body(done)).toContain('与小明同志的生日谈话已完成')
    const replies = await h.say('张书记', '#本月政治生日', { room: G1 })
    const list = body(replies.find((m) => m.to === '张书记'))
    expect(list).toMatch(/小明：入党 10 周年（预备党员） · 已问候 · 生日谈话已完成/)
    // the group sees only where the answer went
    expect(replies.filter((m) => m.room === G1).map(body)).toEqual(['已私信发给你。'])
  })

  it('posts a meeting notice, takes two sign-ins and a leave request privately, then gives the secretary the summary', async () => {
    const before = h.sent.length
    await orgLife.tick()
    const notice = await h.waitForSent((m) => m.room === G1 && m.text.startsWith('【会议通知】党课'))
    expect(h.sent.filter((m) => m.text.startsWith('【会议通知】'))).toHaveLength(1)
    expect(notice.text).toContain('地点：党员活动室')
    expect(notice.text).toContain('主题：学习党章')

    const [early] = await h.say('小明', '#签到', { room: G1 })
    expect(early!.to).toBe('小明')
    expect(body(early)).toContain('现在没有正在签到的会议')

    await h.say('张书记', '#定时 立即 lesson', { room: G1 })
    await h.waitForSent((m) => m.room === G1 && m.text.includes('会议现在开始签到'))
    const [one] = await h.say('小明', '#签到', { room: G1 })
    expect(one!.room).toBeNull()
    expect(body(one)).toMatch(/^小明已签到：“第一党支部学习群”.+ 党课（学习党章）。$/)
    const [two] = await h.say('小红', '#签到', { private: true })
    expect(body(two)).toContain('小红已签到')
    const [noReason] = await h.say('老周', '#请假', { room: G1 })
    expect(body(noReason)).toBe('请写上请假理由，例如：#请假 出差在外')
    const [leave] = await h.say('老周', '#请假 在外地出差', { room: G1 })
    expect(leave!.room).toBeNull()
    expect(body(leave)).toContain('已向书记报告老周请假（在外地出差）')

    clock.advance(2 * 3600_000 + 1000)
    await orgLife.tick()
    const summary = await h.waitForSent((m) => m.to === '张书记' && m.text.startsWith('【签到结果】党课'))
    expect(summary.text).toContain('应到 4，实到 2，请假 1')
    expect(summary.text).toContain('未签到也未请假：小刚')
    expect(summary.text).toContain('请假：老周（在外地出差）')

    const [minutesRefused] = await h.say('小明', '#会议记录 我来记', { room: G1 })
    expect(body(minutesRefused)).toBe('抱歉，这个操作只有书记或组织委员可以使用。')
    const [minutes] = await h.say('张书记', '#会议记录 学习了党章第一章，交流了心得。', { private: true })
    expect(body(minutes)).toMatch(/的党课保存会议记录（15 字）/)
    // nobody's attendance was said in the group
    expect(h.sent.slice(before).filter((m) => m.room === G1).some((m) => /小红|老周|小刚/.test(m.text))).toBe(false)
  })

  it('posts the dues notice; members confirm privately; only secretaries and organizers see who has not', async () => {
    const [none] = await h.say('小明', '#已交党费', { room: G1 })
    expect(body(none)).toContain('还没有发布党费缴纳通知')
    await h.say('张书记', '#定时 立即 dues', { room: G1 })
    const notice = await h.waitForSent((m) => m.room === G1 && m.text.startsWith('【党费缴纳通知】'))
    expect(notice.text).toContain('请按支部核定的数额缴纳本月党费。')

    const [ok] = await h.say('小明', '#已交党费', { room: G1 })
    expect(ok!.room).toBeNull()
    expect(body(ok)).toMatch(/^已记录：小明已确认缴纳\d{4}年\d{1,2}月党费。谢谢！$/)
    const [again] = await h.say('小明', '#已交党费', { room: G1 })
    expect(body(again)).toContain('不用重复确认')
    const [amount] = await h.say('小红', '#已交党费 50元', { room: G1 })
    expect(body(amount)).toContain('只需发送“#已交党费”')

    const [refused] = await h.say('小红', '#党费情况', { room: G1 })
    expect(refused!.room).toBe(G1)
    expect(body(refused)).toBe('抱歉，这个操作只有书记或组织委员可以使用。')
    const [status] = await h.say('李委员', '#党费情况', { private: true })
    expect(body(status)).toContain('应交 4 人，已确认 1 人')
    expect(body(status)).toContain('未确认：小红、老周、小刚')
  })
})
