import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { createManualClock, systemClock, zonedToEpoch } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { createScheduleStore } from '../../src/store/schedule-store.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { fixedLibrary, scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'
import { until } from '../support/until.ts'

const tz = 'Asia/Shanghai'
const g1 = '第一党支部学习群'
const g2 = '第二党支部学习群'
// Feb 29 only: real time never reaches a slot while these tests run, so only the fake clock matters
const leapCron = '0 9 29 2 *'
const slot = zonedToEpoch('2028-02-29', '09:00', tz)

let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys
const clients: Redis[] = []

beforeAll(async () => {
  server = await startTestRedis()
  redis = await connectRedis(server.url)
})
afterAll(async () => {
  redis.disconnect()
  for (const c of clients) c.disconnect()
  await server.stop()
})
beforeEach(() => { keys = createKeys(`t${randomBytes(4).toString('hex')}`) })

describe('Scheduler', () => {
  it('fires each slot once per group with two instances on one Redis', async () => {
    const config = scheduleConfig([{ id: 'tick', group: '*', cron: '*/1 * * * * *', kind: 'text', text: '滴答' }])
    const second = await connectRedis(server.url)
    clients.push(second)
    const a = createRecordingMessenger()
    const b = createRecordingMessenger()
    const sa = new Scheduler((await testDeps({ config, redis, keys, clock: systemClock })).deps, a)
    const sb = new Scheduler((await testDeps({ config, redis: second, keys, clock: systemClock })).deps, b)
    await Promise.all([sa.start(), sb.start()])
    const store = createScheduleStore(redis, keys, systemClock)
    // at least two slots fired in each group, however long a busy machine takes for them
    await until(async () => {
      for (const g of [g1, g2]) if ((await store.firings(g, 'tick', 50)).length < 2) return false
      return true
    }, 'two slots fired in each group')
    await Promise.all([sa.stop(), sb.stop()])

    for (const g of [g1, g2]) {
      const records = await store.firings(g, 'tick', 50)
      const slots = records.map((r) => r.slot)
      expect(new Set(slots).size).toBe(slots.length)
      expect(records.every((r) => r.outcome === 'sent')).toBe(true)
      expect(records.length).toBeGreaterThanOrEqual(2)
      const sends = [...a.sent, ...b.sent].filter((s) => s.group === g)
      expect(sends).toHaveLength(records.length)
    }
  })

  it('fires a slot missed within the grace window once, late, and never again', async () => {
    const config = scheduleConfig([{ id: 'weekly', group: g1, cron: leapCron, kind: 'text', text: '本周学习开始了' }])
    const clock = createManualClock(slot - 3600_000)
    const m = createRecordingMessenger()
    const first = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    await first.start()
    await first.stop()

    clock.set(slot + 5 * 60_000) // down across the slot, back 5 minutes later
    const second = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    await second.start()
    await second.stop()
    expect(m.sent.map((s) => s.text)).toEqual(['本周学习开始了'])

    clock.set(slot + 6 * 60_000)
    const third = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    await third.start()
    await third.stop()
    expect(m.sent).toHaveLength(1)

    const [last] = await createScheduleStore(redis, keys, clock).firings(g1, 'weekly')
    expect(last).toMatchObject({ slot, outcome: 'sent', late: true })
  })

  it('records a slot older than the grace window as missed and sends nothing', async () => {
    const config = scheduleConfig([{ id: 'weekly', group: '*', cron: leapCron, kind: 'text', text: '本周学习开始了' }])
    const clock = createManualClock(slot - 3600_000)
    const m = createRecordingMessenger()
    const first = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    await first.start()
    await first.stop()

    clock.set(slot + 15 * 60_000)
    const second = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    const third = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    await Promise.all([second.start(), third.start()])
    await Promise.all([second.stop(), third.stop()])
    expect(m.sent).toEqual([])
    const store = createScheduleStore(redis, keys, clock)
    for (const g of [g1, g2]) {
      expect(await store.firings(g, 'weekly')).toEqual([expect.objectContaining({ slot, outcome: 'missed' })])
    }
    expect((await store.state('weekly')).last).toMatchObject({ outcome: 'missed' })
  })

  it('advances the study plan per group across restarts, then tells the secretary (by id, not a namesake)', async () => {
    const config = scheduleConfig([{ id: 'plan', group: g1, cron: '30 7 * * *', kind: 'study-plan', doc: '党章.md' }])
    const clock = createManualClock(zonedToEpoch('2026-03-02', '08:00', tz))
    // a member who renamed themselves 张书记 must not receive the secretary's notices
    const m = createRecordingMessenger({ members: { [g1]: [{ id: 'wxid_impostor', name: '张书记' }, { id: 'wxid_zhangshuji', name: '张书记' }, { id: 'u-ming', name: '小明' }] } })
    const day = (d: number) => zonedToEpoch(`2026-03-0${d}`, '07:30', tz)
    const store = createScheduleStore(redis, keys, clock)
    const [def] = await allSchedules(config, store)

    const one = new Scheduler((await testDeps({ config, redis, keys, clock, library: fixedLibrary(2) })).deps, m)
    await one.onSlot(def, day(2), false)
    const two = new Scheduler((await testDeps({ config, redis, keys, clock, library: fixedLibrary(2) })).deps, m)
    await two.onSlot(def, day(3), false)
    await two.onSlot(def, day(3), false) // the same slot again (another instance): already claimed
    await two.onSlot(def, day(4), false)
    await two.onSlot(def, day(5), false)

    expect(m.sent.map((s) => [s.group ?? s.to, s.text.split('\n')[0]])).toEqual([
      [g1, '【每日学习 1/2】《中国共产党章程》第一章 党员 第1条'],
      [g1, '【每日学习 2/2】《中国共产党章程》第一章 党员 第2条'],
      ['wxid_zhangshuji', expect.stringContaining('已全部发送完毕')],
    ])
    expect(await store.cursor(g1, 'plan')).toEqual({ next: 2, endAnnounced: true })
    expect((await store.firings(g1, 'plan')).map((f) => f.outcome)).toEqual(['finished', 'finished', 'sent', 'sent'])
  })

  it('wraps a study plan when configured', async () => {
    const config = scheduleConfig([{ id: 'plan', group: g2, cron: '30 7 * * *', kind: 'study-plan', doc: '党章.md', wrap: true }])
    const clock = createManualClock(zonedToEpoch('2026-03-02', '08:00', tz))
    const m = createRecordingMessenger()
    const s = new Scheduler((await testDeps({ config, redis, keys, clock, library: fixedLibrary(2) })).deps, m)
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    for (let d = 2; d <= 4; d++) await s.onSlot(def, zonedToEpoch(`2026-03-0${d}`, '07:30', tz), false)
    expect(m.sent.map((x) => x.text.split('\n')[0].slice(0, 10))).toEqual(['【每日学习 1/2】', '【每日学习 2/2】', '【每日学习 1/2】'])
  })

  it('sends a reflection prompt with how to submit and a Beijing deadline, and opens an assignment', async () => {
    const config = scheduleConfig([{ id: 'weekly-reflection', group: g1, cron: '0 9 * * 1', kind: 'reflection-prompt', text: '本周请谈谈学习党章的体会。', due: '4d' }])
    const monday = zonedToEpoch('2026-11-30', '09:00', tz)
    const clock = createManualClock(monday + 1000)
    const m = createRecordingMessenger()
    const deps = (await testDeps({ config, redis, keys, clock })).deps
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    await new Scheduler(deps, m).onSlot(def, monday, false)

    expect(m.sent[0].text).toBe('本周请谈谈学习党章的体会。\n\n提交方式：在群里发送“#心得 你的学习体会”。\n截止时间：2026-12-04 09:00（北京时间）')
    const open = await createAssignmentStore(redis, keys, clock).current(g1)
    expect(open).toMatchObject({ group: g1, scheduleId: 'weekly-reflection', dueAt: zonedToEpoch('2026-12-04', '09:00', tz) })
  })

  it('closes the assignment of a reflection prompt nobody received', async () => {
    const config = scheduleConfig([{ id: 'prompt', group: g1, cron: leapCron, kind: 'reflection-prompt', text: '谈谈学习体会', due: '4d' }])
    const clock = createManualClock(slot)
    const m = createRecordingMessenger()
    const { deps } = await testDeps({ config, redis, keys, clock })
    const s = new Scheduler(deps, m, { sendAttempts: 2, retryBaseMs: 5 })
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    m.failNext(5)
    await s.onSlot(def, slot, false)
    clock.advance(1000)
    // no open task: #心得 is not attached to it and #提醒 does not remind anyone about it
    expect(await createAssignmentStore(redis, keys, clock).current(g1)).toBeUndefined()
  })

  it('retries a failed send with backoff, then records it as failed with the error logged', async () => {
    const config = scheduleConfig([{ id: 'note', group: g1, cron: leapCron, kind: 'text', text: '通知' }])
    const clock = createManualClock(slot)
    const m = createRecordingMessenger()
    const { deps, logs } = await testDeps({ config, redis, keys, clock })
    const s = new Scheduler(deps, m, { sendAttempts: 3, retryBaseMs: 5 })
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    const store = createScheduleStore(redis, keys, clock)

    m.failNext(2)
    await s.onSlot(def, slot, false)
    expect(m.sent).toHaveLength(1)
    expect((await store.firings(g1, 'note'))[0]).toMatchObject({ outcome: 'sent' })

    m.failNext(5)
    await s.onSlot(def, slot + 86400_000, false)
    expect(m.sent.filter((x) => x.group)).toHaveLength(1)
    expect((await store.firings(g1, 'note'))[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('simulated send failure') })
    expect(logs.find((l) => l.msg === 'schedule firing failed')).toMatchObject({ scheduleId: 'note', group: g1, slot: slot + 86400_000, err: expect.anything() })
  })

  it('starts and stops chat schedules live and honours pause', async () => {
    const config = scheduleConfig([{ id: 'cfg', group: g1, cron: leapCron, kind: 'text', text: '配置任务' }])
    const m = createRecordingMessenger()
    const store = createScheduleStore(redis, keys, systemClock)
    const s = new Scheduler((await testDeps({ config, redis, keys, clock: systemClock })).deps, m)
    await s.start()
    try {
      expect(s.activeIds()).toEqual(['cfg'])
      const def = await store.addChat({ group: g2, cron: '*/1 * * * * *', kind: 'text', text: '聊天任务', wrap: false, label: '*/1 * * * * *' }, new Set(['cfg']))
      await store.announceChange()
      await until(() => m.sent.some((x) => x.text === '聊天任务'))
      expect(s.activeIds()).toEqual(['cfg', def.id])

      await store.setPaused(def.id, true)
      await store.setPaused('cfg', true)
      await store.announceChange()
      await until(() => s.activeIds().length === 0)
      const count = m.sent.length
      await sleep(1500)
      expect(m.sent.length).toBeLessThanOrEqual(count + 1) // at most one tick already in flight

      await store.setPaused('cfg', false)
      await store.removeChat(def.id)
      await store.announceChange()
      await until(() => s.activeIds().join() === 'cfg')
    } finally {
      await s.stop()
    }
  })
})


