import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { systemClock } from '../../src/clock.ts'
import { createScheduleStore } from '../../src/store/schedule-store.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis

beforeAll(async () => {
  server = await startTestRedis()
  redis = await connectRedis(server.url)
})
afterAll(async () => {
  redis.disconnect()
  await server.stop()
})

describe('schedule keys under the {schedules} hash tag', () => {
  it('keeps chat schedules, their numbering and pause state saved by an older version', async () => {
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`)
    const p = keys.prefix
    // the layout before the hash tag
    await redis.hset(`${p}:schedules`, 'c3', JSON.stringify({ id: 'c3', source: 'chat', kind: 'text', cron: '0 9 * * 1', group: '第一党支部学习群', text: '周一学习', paused: false }))
    await redis.set(`${p}:schedules:seq`, '3')
    await redis.hset(`${p}:schedule:c3:state`, { paused: '1', lastSlot: '1700000000000' })
    await redis.hset(`${p}:schedule:weekly:state`, { lastSlot: '1700000000000' })

    const store = createScheduleStore(redis, keys, systemClock)
    expect(await store.migrateLegacyKeys(['weekly'])).toBe(3)
    expect((await store.chatSchedules()).map((d) => d.text)).toEqual(['周一学习'])
    expect(await store.states(['c3', 'weekly'])).toEqual([{ paused: true, lastSlot: 1700000000000 }, { lastSlot: 1700000000000 }])
    // numbering goes on after the old ones, so no id is given twice
    const added = await store.addChat({ kind: 'text', cron: '0 9 * * 2', group: '第一党支部学习群', text: '周二学习' } as never, new Set())
    expect(added.id).toBe('c4')
    expect(await redis.exists(`${p}:schedules`, `${p}:schedule:c3:state`, `${p}:schedule:weekly:state`)).toBe(0)
    expect(await store.migrateLegacyKeys(['weekly'])).toBe(0)
  })
})
