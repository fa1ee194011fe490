import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { allSchedules } from '../../src/schedules/definitions.ts'
import type { SentMessage } from '../../src/bot/mock-world.ts'
import { baseConfig, startHarness, type Harness } from '../support/harness.ts'
import { tempDir } from '../support/temp-dir.ts'
import { until } from '../support/until.ts'

const G1 = '第一党支部学习群'
const G2 = '第二党支部学习群'
// 2028-02-29 09:00 Beijing: a slot the schedule never reaches by itself while the test runs
const slot = Date.UTC(2028, 1, 29, 1, 0)
const notice = { id: 'notice', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '本周学习安排：学习党章' }

let server: LocalRedisServer
beforeAll(async () => {
  server = await startLocalRedis({ dir: tempDir('e2e-accounts'), persistent: false })
})
afterAll(async () => {
  await server?.stop()
})

/** Fire the notice's slot once, as the cron task would, through the messenger the bot's jobs get. */
async function fireNotice(h: Harness): Promise<void> {
  const [def] = (await allSchedules(h.config, h.app.deps.stores.schedules)).filter((d) => d.id === 'notice')
  await new Scheduler(h.app.deps, h.app.messenger).onSlot(def, slot, false)
}

/** Fire the notice and wait for it in both groups: each group's room and the account that sent it there. */
async function broadcastOnce(h: Harness): Promise<Array<[string | null, string | undefined]>> {
  const notices = (from: number) => h.sent.slice(from).filter((m) => m.text.includes('本周学习安排'))
  const before = h.sent.length
  await fireNotice(h)
  await until(() => notices(before).length >= 2, 'the notice in both groups')
  await h.app.settled()
  return notices(before).map((m): [string | null, string | undefined] => [m.room, m.account]).sort()
}

/** The bot with these accounts over the two base groups, the notice schedule and no jobs running. */
const startAccounts = (dir: string, accounts: unknown[]) => startHarness({
  redisUrl: server.url,
  config: { dataDir: tempDir(dir), accounts, schedules: [notice] },
  jobs: () => [],
})

describe('two bot accounts in one process', () => {
  let h: Harness
  beforeAll(async () => {
    // a lists the first group; b lists none and hosts the second because it sees its room
    h = await startAccounts('e2e-accounts-data', [{ id: 'a', groups: [G1] }, { id: 'b' }])
  })
  afterAll(async () => { await h?.stop() })

  it('runs one Wechaty per account, each in its own rooms', () => {
    expect(h.app.accounts.map((a) => a.id)).toEqual(['a', 'b'])
    expect(h.app.accounts[0].bot).not.toBe(h.app.accounts[1].bot)
    expect(h.worlds.get('a')!.groups.map((g) => g.topic)).toEqual([G1])
    expect(h.worlds.get('b')!.groups.map((g) => g.topic)).toEqual([G2])
  })

  it("answers a member's question in each group through that group's account", async () => {
    const [inG1] = await h.say('小明', '预备党员的预备期是多久？', { room: G1, mention: true })
    expect(inG1).toMatchObject({ room: G1, account: 'a', mentions: ['小明'] })
    expect(inG1.text).toContain('一年')
    const [inG2] = await h.say('小红', '预备党员的预备期是多久？', { room: G2, mention: true })
    expect(inG2).toMatchObject({ room: G2, account: 'b', mentions: ['小红'] })
    expect(inG2.text).toContain('一年')
  })

  it('answers privately through the account spoken to, and counts the sender in its groups', async () => {
    const replies = await h.say('小红', '#帮助', { private: true, account: 'b' })
    expect(replies.length).toBeGreaterThan(0)
    expect(replies.every((m) => m.to === '小红' && m.account === 'b')).toBe(true)
  })

  it("keeps roles by platform id: G1's secretary lists schedules through account a", async () => {
    const replies = await h.say('张书记', '#定时 列表', { room: G1 })
    expect(replies.map((m) => m.account)).toEqual(['a'])
    expect(replies[0].text).toContain('notice')
    const refused = await h.say('小明', '#定时 列表', { room: G1 })
    expect(refused[0].text).toContain('只有书记')
  })

  it('sends a broadcast to every group through the account hosting it', async () => {
    expect(await broadcastOnce(h)).toEqual([[G1, 'a'], [G2, 'b']])
  })
})

describe('two accounts in the same room', () => {
  let h: Harness
  beforeAll(async () => {
    // b and c list no groups, so both simulated worlds have the second group's room
    h = await startAccounts('e2e-accounts-shared', [{ id: 'a', groups: [G1] }, { id: 'b' }, { id: 'c' }])
  })
  afterAll(async () => { await h?.stop() })

  it('answers only through the first account that sees the room, and broadcasts there once', async () => {
    expect(h.worlds.get('c')!.groups.map((g) => g.topic)).toEqual([G2])
    expect(await h.say('小刚', '预备党员的预备期是多久？', { room: G2, mention: true, account: 'c' })).toEqual([])
    const [reply] = await h.say('小刚', '预备党员的预备期是多久？', { room: G2, mention: true, account: 'b' })
    expect(reply).toMatchObject({ room: G2, account: 'b' })
    expect(await broadcastOnce(h)).toEqual([[G1, 'a'], [G2, 'b']])
  })
})

describe('pacing per account', () => {
  it('paces each account on its own: at 1 message/s, two accounts send two groups at once and two more a second later', async () => {
    // a manual clock for the outboxes' pace: a send waits until the test moves time on
    let now = 0
    const waiting: Array<{ at: number; wake: () => void }> = []
    const pace = {
      clock: { now: () => now },
      sleep: (ms: number) => new Promise<void>((wake) => { waiting.push({ at: now + ms, wake }) }),
    }
    const advance = (ms: number) => {
      now += ms
      for (const w of waiting.splice(0)) {
        if (w.at <= now) w.wake()
        else waiting.push(w)
      }
    }
    const groups = [G1, G2, '第三党支部学习群', '第四党支部学习群'].map((topic) => ({ topic }))
    const h = await startHarness({
      redisUrl: server.url,
      config: {
        dataDir: tempDir('e2e-accounts-pace'),
        bot: { ...baseConfig().bot as object, sendIntervalMs: 1000 },
        groups,
        accounts: [{ id: 'a', groups: [G1, G2] }, { id: 'b', groups: ['第三党支部学习群', '第四党支部学习群'] }],
        schedules: [notice],
      },
      jobs: () => [],
      pace,
    })
    try {
      const notices = (): SentMessage[] => h.sent.filter((m) => m.text.includes('本周学习安排'))
      const firing = fireNotice(h)
      // every group is either sent or waiting for its account's pace
      await until(() => notices().length + waiting.length === 4, 'all four groups sent or paced')
      expect(notices().map((m) => m.account).sort()).toEqual(['a', 'b'])
      expect(waiting).toHaveLength(2)
      advance(1000)
      await firing
      expect(notices()).toHaveLength(4)
      const byAccount = (id: string) => notices().filter((m) => m.account === id).map((m) => m.room).sort()
      expect(byAccount('a')).toEqual([G1, G2])
      expect(byAccount('b')).toEqual(['第三党支部学习群', '第四党支部学习群'])
    } finally {
      await h.stop()
    }
  })
})
