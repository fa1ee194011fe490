import { describe, expect, it } from 'vitest'
import { useTestRedis } from '../support/redis-fixture.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { OrgLifeJob } from '../../src/jobs/org-life-job.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { attendeeOf, meetingFrequencyWarnings } from '../../src/org-life/meetings.ts'
import { meetingTable } from '../../src/export/org-life-tables.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

const tz = 'Asia/Shanghai'
const g1 = '第一党支部学习群'

const db = useTestRedis()

// 2026-03-10 14:30, a Tuesday: the branch meeting of the month
const slot = zonedToEpoch('2026-03-10', '14:30', tz)
const config = scheduleConfig([{
  id: 'branch-meeting', group: g1, cron: '30 14 10 3,6,9,12 *', kind: 'meeting', meeting: '支部党员大会',
  topic: '学习党章第一章', place: '三楼会议室', notice: '1d', signIn: '90m',
}])
const members = { [g1]: [{ id: 'wxid_zhangshuji', name: '张书记' }, { id: 'u-ming', name: '小明' }, { id: 'u-hong', name: '小红' }, { id: 'u-gang', name: '小刚' }, { id: 'u-x', name: '访客' }] }
const ledgerRows = [['姓名', '入党日期', '党小组'], ['小明', '2016-03-05', '一组'], ['小红', '2018-07-01', '一组'], ['小刚', '2019-07-01', '二组'], ['老周', '2000-07-01', '二组']]

describe('三会一课 meetings', () => {
  it('sends the notice once a day before, across two instances; opens sign-in at the start; sums up once when it closes', async () => {
    const clock = createManualClock(slot - 26 * 3600_000)
    const m = createRecordingMessenger({ members })
    const second = await db.connect()
    const a = (await testDeps({ config, redis: db.redis, keys: db.keys, clock })).deps
    const b = (await testDeps({ config, redis: second, keys: db.keys, clock })).deps
    const { members: ledger } = parseLedgerRows(ledgerRows.map((cells, i) => ({ row: i + 1, cells })), '2026-01-01')
    await a.stores.ledger.replace(g1, ledger, '台账.csv')
    const jobs = [new OrgLifeJob(a, m, 3_600_000), new OrgLifeJob(b, m, 3_600_000)]
    const tick = () => Promise.all(jobs.map((j) => j.tick()))

    await tick()
    expect(m.sent).toEqual([]) // 26 hours before: too early
    clock.set(slot - 23 * 3600_000)
    await tick()
    await tick()
    const notices = m.sent.filter((s) => s.group === g1)
    expect(notices).toHaveLength(1)
    expect(notices[0]!.text).toBe([
      '【会议通知】支部党员大会', '时间：2026-03-10 14:30（北京时间）', '地点：三楼会议室', '主题：学习党章第一章',
      '会议开始后请发送“#签到”；不能参加的请发送“#请假 理由”（会议开始后可发）。',
    ].join('\n'))

    // before the start nobody can sign in
    expect(await a.stores.meetings.current(g1)).toBeUndefined()
    clock.set(slot)
    const def = (await allSchedules(config, a.stores.schedules)).find((d) => d.id === 'branch-meeting')!
    await Promise.all([new Scheduler(a, m).onSlot(def, slot, false), new Scheduler(b, m).onSlot(def, slot, false)])
    const opened = m.sent.filter((s) => s.group === g1 && s.text.includes('开始签到'))
    expect(opened).toHaveLength(1)
    expect(opened[0]!.text).toContain('签到截止 16:00')

    const meeting = (await a.stores.meetings.current(g1))!
    const answer = async (who: { id: string; name: string }, status: 'present' | 'leave', reason?: string) =>
      a.stores.meetings.record(g1, meeting.id, { ...await attendeeOf(a, g1, who), status, ...(reason ? { reason } : {}), at: clock.now() })
    await answer({ id: 'u-ming', name: '小明' }, 'present')
    await answer({ id: 'u-hong', name: '小红' }, 'leave', '出差')
    clock.advance(10 * 60_000)
    await answer({ id: 'u-hong', name: '小红' }, 'present') // came after all: the later answer counts
    await answer({ id: 'u-gang', name: '小刚' }, 'leave', '值班')
    await answer({ id: 'u-x', name: '访客' }, 'present')

    await tick()
    expect(m.sent.filter((s) => s.to === 'wxid_zhangshuji')).toEqual([]) // still open
    clock.set(slot + 90 * 60_000 + 1)
    expect(await a.stores.meetings.current(g1)).toBeUndefined()
    await tick()
    await tick()
    const summaries = m.sent.filter((s) => s.to === 'wxid_zhangshuji')
    expect(summaries).toHaveLength(1)
    expect(summaries[0]!.text).toContain('应到 4，实到 2，请假 1')
    expect(summaries[0]!.text).toContain('未签到也未请假：老周')
    expect(summaries[0]!.text).toContain('请假：小刚（值班）')
    expect(summaries[0]!.text).toContain('另有 1 人签到（不在台账或本次参会范围内）：访客')
    // attendance never reaches the group
    expect(m.sent.filter((s) => s.group).some((s) => /小明|小红|小刚|老周/.test(s.text))).toBe(false)

    await a.stores.meetings.setMinutes(g1, meeting.id, '传达学习了党章第一章。', '张书记')
    const table = await meetingTable(a, config.groups[0]!)
    expect(table.rows.map((r) => [r[4], r[5], r[6], r[8]])).toEqual([
      ['小明', '已签到', '', '是'], ['小红', '已签到', '', '是'], ['小刚', '请假', '值班', '是'], ['老周', '未签到', '', '是'], ['访客', '已签到', '', '否'],
    ])
    expect(table.rows.every((r) => r[9] === '传达学习了党章第一章。')).toBe(true)
  })

  it('expects only the 党小组 of a 党小组会', async () => {
    const cellConfig = scheduleConfig([{ id: 'cell', group: g1, cron: '0 19 * * 3', kind: 'meeting', meeting: '党小组会', cell: '二组', signIn: '1h' }])
    const at = zonedToEpoch('2026-03-11', '19:00', tz)
    const clock = createManualClock(at)
    const m = createRecordingMessenger({ members })
    const deps = (await testDeps({ config: cellConfig, redis: db.redis, keys: db.keys, clock })).deps
    await deps.stores.ledger.replace(g1, parseLedgerRows(ledgerRows.map((cells, i) => ({ row: i + 1, cells })), '2026-01-01').members, '台账.csv')
    const def = (await allSchedules(cellConfig, deps.stores.schedules)).find((d) => d.id === 'cell')!
    await new Scheduler(deps, m).onSlot(def, at, false)
    const meeting = (await deps.stores.meetings.current(g1))!
    await deps.stores.meetings.record(g1, meeting.id, { ...await attendeeOf(deps, g1, { id: 'u-gang', name: '小刚' }), status: 'present', at })
    clock.set(at + 3600_000 + 1)
    await new OrgLifeJob(deps, m, 3_600_000).tick()
    const [summary] = m.sent.filter((s) => s.to === 'wxid_zhangshuji')
    expect(summary!.text).toContain('应到 2，实到 1，请假 0')
    expect(summary!.text).toContain('未签到也未请假：老周')
  })

  it('warns, without refusing the config, where meetings are rarer than usual', () => {
    const from = zonedToEpoch('2026-01-01', '00:00', tz)
    expect(meetingFrequencyWarnings(scheduleConfig([]), from)).toEqual([])
    const rare = scheduleConfig([
      { id: 'big', group: g1, cron: '30 14 10 3,6,9,12 *', kind: 'meeting', meeting: '支部党员大会' },
      { id: 'committee', group: g1, cron: '0 9 1 */2 *', kind: 'meeting', meeting: '支委会' },
      { id: 'cell', group: g1, cron: '0 19 * * 3', kind: 'meeting', meeting: '党小组会' },
    ])
    expect(meetingFrequencyWarnings(rare, from)).toEqual([
      expect.stringMatching(/^支委会通常每月召开一次，按现有定时任务（committee）最长约 6\d 天才开一次$/),
      '没有 党课 的定时任务（通常每季度召开一次）',
    ])
  })
})
