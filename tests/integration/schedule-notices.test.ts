import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { systemClock } from '../../src/clock.ts'
import { Scheduler } from '../../src/jobs/scheduler.ts'
import { addTextSchedule, setSchedulePaused } from '../../src/schedules/changes.ts'
import { createRecordingMessenger } from '../support/recording-messenger.ts'
import { scheduleConfig } from '../support/schedule-config.ts'
import { testDeps } from '../support/deps.ts'

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

/** Calls of one Redis command since the last CONFIG RESETSTAT. */
async function calls(cmd: string): Promise<number> {
  const info = await redis.info('commandstats')
  return Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 0)
}

describe('schedule changes by notification (issue 15 item 6)', () => {
  it('re-reads only the schedule a notice names, not all of them', async () => {
    const config = scheduleConfig([])
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`)
    const { deps } = await testDeps({ config, redis, keys, clock: systemClock })
    const group = config.groups[0]
    for (let i = 0; i < 60; i++) await addTextSchedule(deps, group, { cron: '0 9 29 2 *', label: '每年2月29日 09:00', text: `通知${i}` }, 'test')
    const s = new Scheduler(deps, createRecordingMessenger(), { resyncMs: 3600_000 })
    await s.start()
    try {
      expect(s.activeIds()).toHaveLength(60)
      await redis.call('CONFIG', 'RESETSTAT')
      const added = await addTextSchedule(deps, group, { cron: '0 9 29 2 *', label: '每年2月29日 09:00', text: '新通知' }, 'test')
      while (!s.activeIds().includes(added.id)) await sleep(20)
      await setSchedulePaused(deps, 'c1', true)
      while (s.activeIds().includes('c1')) await sleep(20)
      // a full re-read is one HGETALL per schedule (61+); a notice reads the one schedule's state
      expect(await calls('hgetall')).toBeLessThanOrEqual(4)
    } finally {
      await s.stop()
    }
  })
})
