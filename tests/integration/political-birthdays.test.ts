import { describe, expect, it } from 'vitest'
import { useTestRedis } from '../support/redis-fixture.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { runFiring } from '../../src/schedules/firing.ts'
import { parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { BIRTHDAYS_SCHEDULE_ID } from '../../src/org-life/birthdays.ts'
import type { Deps } from '../../src/deps.ts'
import type { MaterialLibrary } from '../../src/materials/types.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

const tz = 'Asia/Shanghai'
const g1 = '第一党支部学习群'
const OATH = '我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。'

const db = useTestRedis()

const config = scheduleConfig([], { birthdays: { time: '08:30', oath: '（配置中的誓词）' } })
const members = { [g1]: [{ id: 'wxid_zhangshuji', name: '张书记' }, { id: 'u-san', name: '张三' }, { id: 'u-wu', name: '王五' }] }

async function withLedger(deps: Deps, rows: string[][]) {
  const header = ['姓名', '微信ID', '入党日期', '转正日期', '党小组']
  const { members: ledger, errors } = parseLedgerRows([header, ...rows].map((cells, i) => ({ row: i + 1, cells })), '2030-01-01')
  expect(errors).toEqual([])
  await deps.stores.ledger.replace(g1, ledger, '台账.xlsx')
}

/** A library whose 党章 第六条 carries the oath, as the full text of the constitution does. */
const constitution: MaterialLibrary = {
  async search() { return [] },
  documents: () => [{ doc: '党章.md', title: '中国共产党章程', passages: 1 }],
  passages: (doc) => (doc === '党章.md'
    ? [{ id: 'p6', doc, title: '中国共产党章程', headings: ['第一章 党员', '第六条'], citation: '《中国共产党章程》第一章 党员 第六条', index: 0,
        text: `第六条 预备党员必须面向党旗进行入党宣誓。誓词如下：${OATH}` }]
    : []),
  async ready() {},
  close() {},
}

describe('political birthdays', () => {
  it('greets once with a mention across two schedulers on one Redis, and tells the secretary privately', async () => {
    const slot = zonedToEpoch('2026-03-05', '08:30', tz)
    const clock = createManualClock(slot)
    const m = createRecordingMessenger({ members })
    const second = await db.connect()
    const a = (await testDeps({ config, redis: db.redis, keys: db.keys, clock, library: constitution })).deps
    const b = (await testDeps({ config, redis: second, keys: db.keys, clock, library: constitution })).deps
    await withLedger(a, [['张三', '', '2016/3/5', '2017年3月5日', ''], ['王五', '', '2010-03-05', '2012-06-01', ''], ['李四', '', '2016-03-06', '', '']])
    const def = (await allSchedules(config, a.stores.schedules)).find((d) => d.id === BIRTHDAYS_SCHEDULE_ID)!
    expect(def.cron).toBe('30 8 * * *')
    await Promise.all([new Scheduler(a, m).onSlot(def, slot, false), new Scheduler(b, m).onSlot(def, slot, false)])

    const greetings = m.sent.filter((s) => s.group === g1)
    expect(greetings.map((s) => [s.mentions, s.text.split('\n')[0]])).toEqual([
      [['u-san'], '【政治生日】张三同志，今天是你的政治生日！'],
      [['u-wu'], '【政治生日】王五同志，今天是你的政治生日！'],
    ])
    expect(greetings[0]!.text).toContain('2016年3月5日，你在党旗下庄严宣誓。今天是你入党 10 周年，党龄 9 年（从转正之日算起）。')
    expect(greetings[1]!.text).toContain('入党 16 周年，党龄 13 年（从转正之日算起）')
    // the oath comes from 党章 第六条 of the materials
    expect(greetings[0]!.text).toContain(OATH)
    expect(greetings[0]!.text).not.toContain('配置中的誓词')
    const told = m.sent.filter((s) => s.to === 'wxid_zhangshuji')
    expect(told).toHaveLength(1)
    expect(told[0]!.text).toContain('有 2 位同志过政治生日')
    expect(told[0]!.text).toContain('#生日谈话 张三 已完成')
    // nothing about member dates reaches the group besides the greetings themselves
    expect(m.sent.filter((s) => s.group).every((s) => s.text.startsWith('【政治生日】'))).toBe(true)
  })

  it('fires once, late, after a restart inside the grace window; never again that year, not even by hand', async () => {
    const slot = zonedToEpoch('2026-03-05', '08:30', tz)
    const clock = createManualClock(slot - 3600_000)
    const m = createRecordingMessenger({ members })
    const deps = async () => (await testDeps({ config, redis: db.redis, keys: db.keys, clock })).deps
    const first = await deps()
    await withLedger(first, [['张三', '', '2016/3/5', '', '']])
    const one = new Scheduler(first, m)
    await one.start()
    await one.stop()

    clock.set(slot + 5 * 60_000) // down across 08:30, back at 08:35
    const two = new Scheduler(await deps(), m)
    await two.start()
    await two.stop()
    clock.set(slot + 6 * 60_000)
    const three = new Scheduler(await deps(), m)
    await three.start()
    await three.stop()
    const d = await deps()
    const def = (await allSchedules(config, d.stores.schedules)).find((x) => x.id === BIRTHDAYS_SCHEDULE_ID)!
    const manual = await runFiring({ deps: d, messenger: m, sendAttempts: 1, retryBaseMs: 0 }, def, config.groups[0]!, clock.now(), { manual: true })
    expect(manual.outcome).toBe('nothing')

    const greetings = m.sent.filter((s) => s.group === g1)
    expect(greetings).toHaveLength(1)
    expect(greetings[0]!.text).toContain('入党 10 周年（预备党员）')
    // without the oath in the materials, the config's text is used
    expect(greetings[0]!.text).toContain('（配置中的誓词）')
    const [last] = await d.stores.schedules.firings(g1, BIRTHDAYS_SCHEDULE_ID)
    expect(last).toMatchObject({ outcome: 'nothing', manual: true })
    expect((await d.stores.schedules.firings(g1, BIRTHDAYS_SCHEDULE_ID)).find((f) => f.outcome === 'sent')).toMatchObject({ slot, late: true })
  })

  it('celebrates 29 February on 28 February in other years, and gives the claim back when the send fails', async () => {
    const day = (date: string) => zonedToEpoch(date, '08:30', tz)
    const clock = createManualClock(day('2027-02-28'))
    const m = createRecordingMessenger({ members })
    const deps = (await testDeps({ config, redis: db.redis, keys: db.keys, clock })).deps
    await withLedger(deps, [['王五', '', '2020-02-29', '2021-03-01', '']])
    const def = (await allSchedules(config, deps.stores.schedules)).find((x) => x.id === BIRTHDAYS_SCHEDULE_ID)!
    const env = { deps, messenger: m, sendAttempts: 1, retryBaseMs: 0 }

    m.failNext(1)
    expect((await runFiring(env, def, config.groups[0]!, day('2027-02-28'))).outcome).toBe('failed')
    expect((await runFiring(env, def, config.groups[0]!, day('2027-02-28'))).outcome).toBe('sent')
    expect((await runFiring(env, def, config.groups[0]!, day('2027-03-01'))).outcome).toBe('nothing')
    const greetings = m.sent.filter((s) => s.group === g1)
    expect(greetings).toHaveLength(1)
    expect(greetings[0]!.text).toContain('2020年2月29日，你在党旗下庄严宣誓。今天是你入党 7 周年，党龄 5 年（从转正之日算起）。')

    clock.set(day('2028-02-28'))
    expect((await runFiring(env, def, config.groups[0]!, day('2028-02-28'))).outcome).toBe('nothing')
    expect((await runFiring(env, def, config.groups[0]!, day('2028-02-29'))).outcome).toBe('sent')
  })
})
