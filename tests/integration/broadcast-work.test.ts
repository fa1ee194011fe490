import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestRedis } from '../support/redis.ts'
import { startLocalRedis } from '../../src/store/local-redis-server.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { createManualClock, zonedToEpoch } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { createScheduleStore } from '../../src/store/schedule-store.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'
import type { Messenger } from '../../src/bot/messenger.ts'
import { formatScheduleRow, scheduleOverview } from '../../src/schedules/overview.ts'
import { parseConfig } from '../../src/config.ts'
import { createBroadcastChannels } from '../../src/channels/broadcast-channels.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { until } from '../support/until.ts'

const tz = 'Asia/Shanghai'
// Feb 29 only: real time never reaches a slot while these tests run, so only the fake clock matters
const leapCron = '0 9 29 2 *'
const slot = zonedToEpoch('2028-02-29', '09:00', tz)
const groups = Array.from({ length: 20 }, (_, i) => ({ topic: `第${i + 1}支部学习群`, secretaries: [`书记${i + 1}`] }))

let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys

beforeAll(async () => {
  server = await startTestRedis()
  redis = await connectRedis(server.url)
})
afterAll(async () => {
  redis.disconnect()
  await server.stop()
})
beforeEach(() => { keys = createKeys(`t${randomBytes(4).toString('hex')}`) })

/** A messenger whose `n`-th group send never returns, as an instance killed mid-send. */
function dyingMessenger(n: number): Messenger & { sent: string[] } {
  const sent: string[] = []
  let count = 0
  const base = createRecordingMessenger()
  return {
    ...base,
    sent,
    async toGroup(group) {
      if (++count >= n) return new Promise<void>(() => { /* the process died here */ })
      sent.push(group)
    },
  }
}

describe('a broadcast as a durable work list with leases', () => {
  it('hands the groups of an instance that died mid-broadcast to another: each sent once, the one in flight recorded unconfirmed', async () => {
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups })
    const clock = createManualClock(slot)
    const dead = dyingMessenger(6)
    const alive = createRecordingMessenger()
    const a = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, dead, { concurrency: 1, leaseMs: 60_000 })
    const b = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, alive, { concurrency: 2, leaseMs: 60_000 })
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))

    void a.onSlot(def, slot, false) // hangs on its 6th group, holding the leases of the groups it took
    while (dead.sent.length < 5) await sleep(10)
    await b.onSlot(def, slot, false)
    const beforeLapse = alive.sent.length
    expect(beforeLapse + dead.sent.length).toBeLessThan(20) // the dead instance's leased groups wait

    clock.advance(61_000) // its leases lapse (still inside the 10-minute grace window)
    await b.onSlot(def, slot, false)

    const sentTo = [...dead.sent, ...alive.sent.map((s) => s.group!)]
    expect(new Set(sentTo).size).toBe(sentTo.length) // nobody twice
    expect(sentTo).toHaveLength(19)
    const store = createScheduleStore(redis, keys, clock)
    const unconfirmed = []
    for (const g of groups) {
      const [f] = await store.firings(g.topic, 'all')
      if (!sentTo.includes(g.topic)) unconfirmed.push(f)
      else expect(f.outcome, g.topic).toBe('sent')
    }
    expect(unconfirmed).toEqual([expect.objectContaining({ outcome: 'unconfirmed', error: expect.stringContaining('无法确认是否送达') })])
    expect((await store.state('all')).slotSummary).toMatchObject({ slot, total: 20, sent: 19, unconfirmed: 1, failed: 0, missed: 0 })
  })

  it('a restarted instance resumes a slot it had begun, inside the grace window', async () => {
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups })
    const clock = createManualClock(slot - 60_000)
    const first = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, createRecordingMessenger())
    await first.start()
    await first.stop()
    clock.set(slot)
    const dead = dyingMessenger(4)
    const a = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, dead, { concurrency: 1, leaseMs: 60_000 })
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    void a.onSlot(def, slot, false)
    while (dead.sent.length < 3) await sleep(10)

    clock.set(slot + 3 * 60_000) // restarted 3 minutes later: leases lapsed, grace not over
    const again = createRecordingMessenger()
    const restarted = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, again)
    await restarted.start()
    await restarted.stop()
    const sentTo = [...dead.sent, ...again.sent.map((s) => s.group!)]
    expect(new Set(sentTo).size).toBe(19)
    expect(sentTo).toHaveLength(19)
  })
})

describe('fan-out (issue 15 item 3)', () => {
  it('a group whose send hangs does not hold up the other groups of the broadcast', async () => {
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups })
    const clock = createManualClock(slot)
    const base = createRecordingMessenger()
    let release!: () => void
    const stuck = new Promise<void>((resolve) => { release = resolve })
    const m: Messenger = {
      ...base,
      async toGroup(group, text, o) {
        if (group === groups[0].topic) await stuck // its room cannot be reached yet
        return base.toGroup(group, text, o)
      },
    }
    const s = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    const firing = s.onSlot(def, slot, false)
    while (base.sent.length < 19) await sleep(10) // every other group is sent while the first waits
    expect(base.sent.map((x) => x.group)).not.toContain(groups[0].topic)
    release()
    await firing
    expect(base.sent).toHaveLength(20)
  })
})

describe('fan-out: rooms that cannot be reached, group robots (issue 15 item 3)', () => {
  it('a room no instance can reach does not hold up the others; when the grace window ends it is recorded failed with the reason and its secretaries are told privately', async () => {
    const five = [1, 2, 3, 4, 5].map((i) => ({ topic: `第${i}支部学习群`, secretaries: [{ id: `wxid_sec${i}`, name: `书记${i}` }] }))
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups: five })
    const clock = createManualClock(slot)
    const base = createRecordingMessenger()
    let looked = 0
    const m: Messenger = {
      ...base,
      async reaches(group) {
        if (group !== '第3支部学习群') return true
        looked++
        return false // the bot was removed from this room
      },
    }
    const s = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    const store = createScheduleStore(redis, keys, clock)
    const [def] = await allSchedules(config, store)
    await s.onSlot(def, slot, false)
    expect(base.sent.map((x) => x.group).sort()).toEqual(['第1支部学习群', '第2支部学习群', '第4支部学习群', '第5支部学习群'])
    expect((await store.state('all')).slotSummary).toBeUndefined() // not over: another instance may host it

    clock.advance(31_000) // looked at again, still unreachable
    await s.onSlot(def, slot, false)
    expect(looked).toBe(2)
    clock.set(slot + 11 * 60_000) // the grace window (10 min) is over
    await s.onSlot(def, slot, false)

    expect((await store.state('all')).slotSummary).toMatchObject({
      total: 5, sent: 4, failed: 1, missed: 0,
      problems: [{ group: '第3支部学习群', outcome: 'failed', error: expect.stringContaining('找不到这个群') }],
    })
    const [row] = await scheduleOverview(config, store, clock.now())
    expect(formatScheduleRow(row, tz)).toContain('未送达：第3支部学习群（找不到这个群')
    expect(base.sent.filter((x) => x.to)).toEqual([expect.objectContaining({ to: 'wxid_sec3', text: expect.stringContaining('“第3支部学习群”的定时通知（定时任务 all，02-29 09:00）没有发出去：找不到这个群') })])
    expect(base.sent.filter((x) => x.group)).toHaveLength(4)
  })

  it('sends through many group robots at once, beyond the bot account\'s 32 at a time', async () => {
    const n = 40
    const hookGroups = Array.from({ length: n }, (_, i) => ({ topic: `第${i + 1}支部`, webhook: `HOOK_${i + 1}` }))
    const fake = await startFakeWecom({ botId: 'b', secret: 's', webhookKeys: hookGroups.map((_g, i) => `KEY${i + 1}`) })
    try {
      const env = Object.fromEntries(hookGroups.map((g, i) => [g.webhook, fake.webhookUrl(`KEY${i + 1}`)]))
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-hooks-'))
      const config = parseConfig({ groups: hookGroups, dataDir: dir, schedules: [{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }] }, path.join(dir, 'studybot.yaml'), env)
      const clock = createManualClock(slot)
      const { deps } = await testDeps({ config, redis, keys, clock })
      const base = createRecordingMessenger()
      const channels = createBroadcastChannels(config, deps.log, () => base)
      // the broadcast path of the real messenger: a group with a robot is sent through it
      const m: Messenger = { ...base, async toGroup(group, text) { await channels.webhooks[group](text, []) } }
      const held = fake.holdWebhooks()
      const s = new Scheduler(deps, m)
      const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
      const firing = s.onSlot(def, slot, false)
      // every robot's message is on its way at the same time (one at a time would never get here)
      await until(() => fake.webhookCalls.length === n, `${n} webhook calls in flight`)
      held.release()
      await firing
      expect(fake.deliveries.filter((d) => d.via === 'webhook').map((d) => d.conversation).sort()).toEqual(hookGroups.map((_g, i) => `webhook:KEY${i + 1}`).sort())
      expect((await createScheduleStore(redis, keys, clock).state('all')).slotSummary).toMatchObject({ total: n, sent: n, failed: 0 })
    } finally {
      await fake.close()
    }
  })
})

describe('groups hosted by different instances (one account each)', () => {
  it('each instance sends the groups its account is in and hands the others over: every group once, by its host', async () => {
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups })
    const clock = createManualClock(slot)
    const hostedBy = (half: number): Messenger & { sent: Array<{ group?: string }> } => {
      const base = createRecordingMessenger()
      const mine = new Set(groups.filter((_g, i) => Math.floor(i / 10) === half).map((g) => g.topic))
      return {
        ...base,
        async reaches(group) { return mine.has(group) },
        async toGroup(group, text, o) {
          if (!mine.has(group)) throw new Error(`room for group ${group} not found`)
          return base.toGroup(group, text, o)
        },
      }
    }
    const ma = hostedBy(0)
    const mb = hostedBy(1)
    const a = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, ma)
    const b = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, mb)
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    await Promise.all([a.onSlot(def, slot, false), b.onSlot(def, slot, false)])
    // whichever took a group it cannot reach gave it back at once; the other takes it on its next look
    await Promise.all([a.onSlot(def, slot, false), b.onSlot(def, slot, false)])
    expect(ma.sent.map((x) => x.group).sort()).toEqual(groups.slice(0, 10).map((g) => g.topic).sort())
    expect(mb.sent.map((x) => x.group).sort()).toEqual(groups.slice(10).map((g) => g.topic).sort())
    expect((await createScheduleStore(redis, keys, clock).state('all')).slotSummary).toMatchObject({ total: 20, sent: 20, failed: 0 })
  })
})

describe('groups handed back by the instance that held them', () => {
  it('an instance that found every group held by another sends the ones handed back within seconds, not after the lease', async () => {
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups })
    const clock = createManualClock(slot) // the 2-minute leases never lapse while this test runs
    const mine = (half: number) => new Set(groups.filter((_g, i) => Math.floor(i / 10) === half).map((g) => g.topic))
    const slowLookup = (() => { let open!: () => void; const opened = new Promise<void>((r) => { open = r }); return { opened, open } })()
    let askedA = 0
    const baseA = createRecordingMessenger()
    const ma: Messenger = {
      ...baseA,
      async reaches(group) {
        if (mine(0).has(group)) return true
        askedA++
        await slowLookup.opened // finding out that a room is not here takes a while
        return false
      },
    }
    const mb = createRecordingMessenger()
    const b = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, { ...mb, async reaches(group) { return mine(1).has(group) } })
    const a = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, ma)
    await b.start()
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    const firingA = a.onSlot(def, slot, false)
    await until(() => askedA === 10, 'instance A holding all 20 groups')
    await b.onSlot(def, slot, false) // finds every group held by A: looks again later
    expect(mb.sent).toHaveLength(0)
    slowLookup.open() // A hands B's 10 groups back
    await firingA
    await until(() => mb.sent.length === 10, 'B sending the groups A handed back')
    await b.stop()
    expect(mb.sent.map((x) => x.group).sort()).toEqual([...mine(1)].sort())
    expect(baseA.sent.map((x) => x.group).sort()).toEqual([...mine(0)].sort())
  })
})

describe('a slot while Redis blinks (issue 14 item 9)', () => {
  /** Fire the slot while this file's own Redis is down, bring Redis back `backAfterMs` after the slot. */
  async function slotWhileRedisDown(backAfterMs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-blink-'))
    const own = await startLocalRedis({ dir, persistent: false })
    const client = await connectRedis(own.url)
    try {
      const config = scheduleConfig([{ id: 'note', group: groups[0].topic, cron: leapCron, kind: 'text', text: '通知' }], { groups: groups.slice(0, 2) })
      const clock = createManualClock(slot - 60_000)
      const m = createRecordingMessenger()
      const { deps, logs } = await testDeps({ config, redis: client, keys, clock })
      const s = new Scheduler(deps, m, { redisRetryMs: 50 })
      await s.start()
      const [def] = await allSchedules(config, createScheduleStore(client, keys, clock))
      await own.stop()
      clock.set(slot)
      const firing = s.onSlot(def, slot, false)
      while (!logs.some((l) => l.msg === 'schedule slot could not reach redis, retrying')) await sleep(20)
      clock.set(slot + backAfterMs)
      await own.restart()
      await firing
      await s.stop()
      const [firing0] = await createScheduleStore(client, keys, clock).firings(groups[0].topic, 'note')
      return { sent: m.sent, firing: firing0, retryLog: logs.find((l) => l.msg === 'schedule slot could not reach redis, retrying') }
    } finally {
      client.disconnect()
      await own.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }

  it('retries the slot until Redis is back, then sends it once, late, with scheduleId and slot in the log', async () => {
    const { sent, firing, retryLog } = await slotWhileRedisDown(2 * 60_000)
    expect(sent.map((x) => x.text)).toEqual(['通知'])
    expect(firing).toMatchObject({ slot, outcome: 'sent', late: true })
    expect(retryLog).toMatchObject({ scheduleId: 'note', slot })
  })

  it('records the slot missed when Redis comes back after the grace window', async () => {
    const { sent, firing } = await slotWhileRedisDown(30 * 60_000)
    expect(sent).toEqual([])
    expect(firing).toMatchObject({ slot, outcome: 'missed' })
  })

  it('a forward clock jump over several slots fires only the newest, the others recorded missed', async () => {
    const config = scheduleConfig([{ id: 'often', group: groups[0].topic, cron: '*/2 * * * *', kind: 'text', text: '两分钟一次' }], { groups: groups.slice(0, 2) })
    const t0 = zonedToEpoch('2028-02-29', '09:00', tz)
    const clock = createManualClock(t0 + 7 * 60_000) // jumped from 09:00 to 09:07: 09:02, 09:04, 09:06 skipped
    const m = createRecordingMessenger()
    const s = new Scheduler((await testDeps({ config, redis, keys, clock })).deps, m)
    const [def] = await allSchedules(config, createScheduleStore(redis, keys, clock))
    for (const min of [2, 4, 6]) await s.onMissedExecution(def, t0 + min * 60_000)
    expect(m.sent).toHaveLength(1)
    const records = await createScheduleStore(redis, keys, clock).firings(groups[0].topic, 'often')
    expect(records.map((r) => [new Date(r.slot).getUTCMinutes(), r.outcome])).toEqual([[6, 'sent'], [4, 'missed'], [2, 'missed']])
  })
})

describe('per-slot results (issue 15 item 4)', () => {
  it('counts sent and failed groups of a broadcast, lists the failed ones with the reason, and tells their secretaries privately', async () => {
    const three = [1, 2, 3].map((i) => ({ topic: `第${i}支部学习群`, secretaries: [{ id: `wxid_sec${i}`, name: `书记${i}` }] }))
    const config = scheduleConfig([{ id: 'all', group: '*', cron: leapCron, kind: 'text', text: '全体通知' }], { groups: three })
    const clock = createManualClock(slot)
    const base = createRecordingMessenger()
    const m: Messenger = {
      ...base,
      async toGroup(group, text, o) {
        if (group === '第2支部学习群') throw new Error('room not found: 第2支部学习群')
        return base.toGroup(group, text, o)
      },
    }
    const { deps } = await testDeps({ config, redis, keys, clock })
    const s = new Scheduler(deps, m, { sendAttempts: 2, retryBaseMs: 5 })
    const store = createScheduleStore(redis, keys, clock)
    const [def] = await allSchedules(config, store)
    await s.onSlot(def, slot, false)

    expect((await store.state('all')).slotSummary).toMatchObject({
      total: 3, sent: 2, failed: 1, missed: 0, unconfirmed: 0,
      problems: [{ group: '第2支部学习群', outcome: 'failed', error: expect.stringContaining('room not found') }],
    })
    const [row] = await scheduleOverview(config, store, clock.now())
    const shown = formatScheduleRow(row, tz)
    expect(shown).toContain('上次广播：02-29 09:00，共 3 个群：已发送 2，失败 1，未确认 0，错过 0')
    expect(shown).toContain('未送达：第2支部学习群（找不到这个群')
    const told = base.sent.filter((x) => x.to)
    expect(told).toEqual([expect.objectContaining({ to: 'wxid_sec2', text: expect.stringContaining('“第2支部学习群”的定时通知（定时任务 all，02-29 09:00）没有发出去') })])
  })
})
