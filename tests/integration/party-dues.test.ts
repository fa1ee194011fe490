import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestRedis } from '../support/redis-fixture.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { parseConfig, ConfigError } from '../../src/config.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { OrgLifeJob } from '../../src/jobs/org-life-job.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { attendeeOf } from '../../src/org-life/meetings.ts'
import { duesTable } from '../../src/export/org-life-tables.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

const tz = 'Asia/Shanghai'
const g1 = '第一党支部学习群'
const NOTICE = '请于本月 25 日前通过“智慧党建”小程序缴纳本月党费，缴纳标准按支部核定的数额执行。'

const db = useTestRedis()

const config = scheduleConfig([{ id: 'dues', group: g1, kind: 'dues', text: NOTICE }])
const members = { [g1]: [{ id: 'wxid_zhangshuji', name: '张书记' }, { id: 'u-ming', name: '小明' }, { id: 'u-hong', name: '小红' }, { id: 'u-gang', name: '小刚' }] }
const ledgerRows = [['姓名', '入党日期'], ['小明', '2016-03-05'], ['小红', '2018-07-01'], ['小刚', '2019-07-01'], ['老周', '2000-07-01']]

describe('Party dues', () => {
  it('defaults to the 1st of each month and needs the branch’s own notice text', () => {
    expect(config.schedules[0]!.cron).toBe('0 9 1 * *')
    expect(() => parseConfig({ groups: [{ topic: g1 }], schedules: [{ id: 'd', group: g1, kind: 'dues' }] }, path.join('/tmp', 'x.yaml'), {}))
      .toThrow(ConfigError)
  })

  it('posts the notice once, takes confirmations once each, reminds the unconfirmed privately before the deadline, once across instances', async () => {
    const slot = zonedToEpoch('2026-03-01', '09:00', tz)
    const clock = createManualClock(slot)
    const m = createRecordingMessenger({ members })
    const second = await db.connect()
    const a = (await testDeps({ config, redis: db.redis, keys: db.keys, clock })).deps
    const b = (await testDeps({ config, redis: second, keys: db.keys, clock })).deps
    await a.stores.ledger.replace(g1, parseLedgerRows(ledgerRows.map((cells, i) => ({ row: i + 1, cells })), '2026-01-01').members, '台账.csv')
    const def = (await allSchedules(config, a.stores.schedules)).find((d) => d.id === 'dues')!
    await Promise.all([new Scheduler(a, m).onSlot(def, slot, false), new Scheduler(b, m).onSlot(def, slot, false)])

    const notices = m.sent.filter((s) => s.group === g1)
    expect(notices).toHaveLength(1)
    expect(notices[0]!.text).toBe(`【党费缴纳通知】2026年3月\n${NOTICE}\n\n缴纳后请发送“#已交党费”确认（只私聊回复你，群里看不到）。截止：2026-03-31 23:59（北京时间）`)

    const period = (await a.stores.dues.current(g1))!
    const confirm = async (who: { id: string; name: string }) => a.stores.dues.confirm(g1, period.id, { ...await attendeeOf(a, g1, who), at: clock.now() })
    expect(await confirm({ id: 'u-ming', name: '小明' })).toBe(true)
    expect(await confirm({ id: 'u-ming', name: '小明' })).toBe(false)

    const jobs = [new OrgLifeJob(a, m, 3_600_000), new OrgLifeJob(b, m, 3_600_000)]
    const tick = () => Promise.all(jobs.map((j) => j.tick()))
    clock.set(zonedToEpoch('2026-03-28', '23:00', tz))
    await tick()
    expect(m.sent.filter((s) => s.to)).toEqual([])
    clock.set(zonedToEpoch('2026-03-29', '00:00', tz))
    await tick()
    await tick()
    const reminders = m.sent.filter((s) => s.to && s.text.startsWith('【党费提醒】') && s.to !== 'wxid_zhangshuji')
    expect(reminders.map((r) => r.to).sort()).toEqual(['u-gang', 'u-hong'])
    expect(reminders[0]!.text).toContain('2026年3月党费请在 2026-03-31 23:59 前缴纳')
    const told = m.sent.filter((s) => s.to === 'wxid_zhangshuji')
    expect(told).toHaveLength(1)
    expect(told[0]!.text).toContain('尚有 3 人未确认，已私聊提醒 2 人')
    expect(told[0]!.text).toContain('没有提醒到：老周')
    // nothing of anyone's dues reaches the group
    expect(m.sent.filter((s) => s.group)).toHaveLength(1)

    const table = await duesTable(a, config.groups[0]!)
    expect(table.rows.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['2026年3月', '小明', '已确认'], ['2026年3月', '小红', '未确认'], ['2026年3月', '小刚', '未确认'], ['2026年3月', '老周', '未确认'],
    ])
  })
})
