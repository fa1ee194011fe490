import { afterEach, describe, expect, it, vi } from 'vitest'
import { createJobLifecycle, type Job } from '../../src/jobs/lifecycle.ts'
import { captureLog } from '../support/deps.ts'

/** A job whose start waits until the test releases it (a scheduler reading Redis at login). */
function gatedJob(name: string, events: string[], o: { failStarts?: number } = {}) {
  let release!: () => void
  let failStarts = o.failStarts ?? 0
  const job: Job & { release(): void } = {
    async start() {
      events.push(`${name} starting`)
      await new Promise<void>((resolve) => { release = resolve })
      if (failStarts-- > 0) throw new Error('redis down')
      events.push(`${name} started`)
    },
    stop() { events.push(`${name} stopped`) },
    release: () => release(),
  }
  return job
}

const tick = () => new Promise((r) => setImmediate(r))

afterEach(() => { vi.useRealTimers() })

describe('job lifecycle', () => {
  it('a logout during a slow start stops the jobs only after they finished starting', async () => {
    const events: string[] = []
    const job = gatedJob('scheduler', events)
    const jobs = createJobLifecycle({ jobs: [job], log: captureLog().log, shouldRun: () => true })
    const started = jobs.start()
    await tick()
    const stopped = jobs.stop().then(() => events.push('stop returned'))
    await tick()
    expect(events).toEqual(['scheduler starting'])
    job.release()
    await Promise.all([started, stopped])
    expect(events).toEqual(['scheduler starting', 'scheduler started', 'scheduler stopped', 'stop returned'])
  })

  it('stops jobs in the reverse order they started', async () => {
    const events: string[] = []
    const a = { start: () => { events.push('a started') }, stop: () => { events.push('a stopped') } }
    const b = { start: () => { events.push('b started') }, stop: () => { events.push('b stopped') } }
    const jobs = createJobLifecycle({ jobs: [a, b], log: captureLog().log, shouldRun: () => true })
    await jobs.start()
    await jobs.stop()
    expect(events).toEqual(['a started', 'b started', 'b stopped', 'a stopped'])
  })

  it('never starts after close, not even a login that arrives later', async () => {
    const events: string[] = []
    const job = { start: () => { events.push('started') }, stop: () => { events.push('stopped') } }
    const jobs = createJobLifecycle({ jobs: [job], log: captureLog().log, shouldRun: () => true })
    await jobs.close()
    await jobs.start()
    expect(events).toEqual([])
  })

  it('a failed start stops what started and retries later, but not once closed', async () => {
    vi.useFakeTimers()
    const events: string[] = []
    const { log, lines } = captureLog()
    const first = { start: () => { events.push('closer started') }, stop: () => { events.push('closer stopped') } }
    const job = gatedJob('scheduler', events, { failStarts: 1 })
    const jobs = createJobLifecycle({ jobs: [first, job], log, shouldRun: () => true, retryMs: 30_000 })
    const started = jobs.start()
    await vi.advanceTimersByTimeAsync(0)
    job.release()
    await started
    expect(events).toEqual(['closer started', 'scheduler starting', 'scheduler stopped', 'closer stopped'])
    expect(lines.some((l) => l.level === 50 && /jobs failed to start, retrying in 30 s/.test(l.msg))).toBe(true)

    // the retry runs after 30 s
    await vi.advanceTimersByTimeAsync(30_000)
    job.release()
    await vi.advanceTimersByTimeAsync(0)
    expect(events.slice(4)).toEqual(['closer started', 'scheduler starting', 'scheduler started'])

    // a second failure after close: no retry is ever scheduled
    await jobs.close()
    expect(events.slice(7)).toEqual(['scheduler stopped', 'closer stopped'])
    const failing = gatedJob('again', events, { failStarts: 1 })
    const other = createJobLifecycle({ jobs: [failing], log, shouldRun: () => true, retryMs: 1000 })
    const p = other.start()
    await vi.advanceTimersByTimeAsync(0)
    const closed = other.close()
    failing.release()
    await Promise.all([p, closed])
    const before = events.length
    await vi.advanceTimersByTimeAsync(10_000)
    expect(events.length).toBe(before)
  })

  it('does not retry once the bot has logged out', async () => {
    vi.useFakeTimers()
    const events: string[] = []
    let loggedIn = true
    const job = gatedJob('scheduler', events, { failStarts: 1 })
    const jobs = createJobLifecycle({ jobs: [job], log: captureLog().log, shouldRun: () => loggedIn, retryMs: 1000 })
    const started = jobs.start()
    await vi.advanceTimersByTimeAsync(0)
    job.release()
    await started
    loggedIn = false
    await vi.advanceTimersByTimeAsync(5000)
    expect(events).toEqual(['scheduler starting', 'scheduler stopped'])
  })
})
