import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { startHarness } from '../support/harness.ts'
import { connectRedis } from '../../src/store/redis.ts'
import { defaultJobs } from '../../src/jobs/default-jobs.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>

beforeAll(async () => { server = await startTestRedis() })
afterAll(async () => { await server?.stop() })

const schedules = Array.from({ length: 30 }, (_, i) => ({
  id: `notice-${i}`, group: '*', cron: `${i} 9 * * *`, kind: 'text', text: `第${i}条通知`,
}))

/** Clients connected to the test's Redis, other than the one asking. */
async function otherClients(): Promise<number> {
  const probe = await connectRedis(server.url)
  try {
    const list = String(await probe.client('LIST'))
    return list.trim().split('\n').length - 1
  } finally {
    await probe.quit()
  }
}

describe('bot shutdown', () => {
  it('a bot stopped right after login stops its jobs before logging out and leaves nothing connected', async () => {
    // what a short `studybot play` does: log in, and stop at once while the scheduler starts;
    // Redis holds every command for a second at login, so the scheduler is still starting
    const admin = await connectRedis(server.url)
    let paused!: () => void
    const jobsStarting = new Promise<void>((resolve) => { paused = resolve })
    const slowRedisAtLogin = { start: async () => { await admin.client('PAUSE', 1000); paused() }, stop() {} }
    const h = await startHarness({ redisUrl: server.url, config: { schedules }, jobs: (deps, m) => [slowRedisAtLogin, ...defaultJobs(deps, m)] })
    await jobsStarting
    await h.stop()
    await admin.quit()
    const msgs = h.logs.map((l) => l.msg as string)
    const loggedOut = msgs.indexOf('logged out')
    expect(loggedOut).toBeGreaterThan(-1)
    // jobs either never started, or finished starting and stopped, all before the bot logged out
    const started = msgs.indexOf('scheduler started')
    const stopped = msgs.indexOf('scheduler stopped')
    if (started > -1) expect(started).toBeLessThan(stopped)
    if (stopped > -1) expect(stopped).toBeLessThan(loggedOut)
    expect(msgs.slice(loggedOut).filter((m) => /scheduler|quiz/.test(m))).toEqual([])
    // no warning (schedule change notices unavailable) or error (Connection is closed.) at all
    expect(h.logs.filter((l) => l.level >= 40)).toEqual([])
    // the scheduler's subscriber is gone with the bot
    expect(await otherClients()).toBe(0)
  })

  it('a bot stopped after its jobs ran closes them first, and nothing runs afterwards', async () => {
    const h = await startHarness({ redisUrl: server.url, config: { schedules } })
    await h.say('小明', '#帮助')
    // wait for the scheduler to be up (its start reads every schedule)
    const deadline = Date.now() + 20_000
    while (!h.logs.some((l) => l.msg === 'scheduler started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(h.logs.some((l) => l.msg === 'scheduler started')).toBe(true)
    await h.stop()
    const msgs = h.logs.map((l) => l.msg as string)
    expect(msgs.indexOf('scheduler stopped')).toBeGreaterThan(-1)
    expect(msgs.indexOf('scheduler stopped')).toBeLessThan(msgs.indexOf('logged out'))
    expect(h.logs.filter((l) => l.level >= 40)).toEqual([])
    expect(await otherClients()).toBe(0)
  })
})
