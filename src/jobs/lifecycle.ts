import type { Logger } from '../log.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'

/** Something started on login and stopped on logout or shutdown (the scheduler). */
export interface Job {
  start(): void | Promise<void>
  stop(): void | Promise<void>
}

/** Jobs that run while the bot is logged in. */
export interface JobLifecycle {
  /** Start every job (on login); a failure stops what started and retries after `retryMs`. */
  start(): Promise<void>
  /** Stop every job (on logout); waits for a start in progress to finish first. */
  stop(): Promise<void>
  /** Stop for good (on shutdown): no start or retry happens afterwards. */
  close(): Promise<void>
}

/**
 * The job lifecycle of wechaty-plugin-contrib's heartbeat: start on login, retry on failure, stop
 * on logout, never after close. Start and stop run one after the other, so jobs never finish
 * starting after the bot stopped (a short `studybot play` logs in and out within milliseconds).
 */
export function createJobLifecycle(o: {
  jobs: readonly Job[]
  log: Logger
  /** Whether a retry should still happen (the bot is logged in). */
  shouldRun: () => boolean
  retryMs?: number
}): JobLifecycle {
  const retryMs = o.retryMs ?? 30_000
  let started: Job[] = []
  let closed = false
  let retryTimer: NodeJS.Timeout | undefined
  // start and stop take turns; each waits for the one before it
  const turns = createKeyedQueue()
  const inTurn = (step: () => Promise<void>): Promise<void> => turns.run('jobs', step)

  const stopStarted = async () => {
    clearTimeout(retryTimer)
    const running = started.reverse()
    started = []
    for (const job of running) await job.stop()
  }

  const start = (): Promise<void> => inTurn(async () => {
    if (closed || started.length) return
    try {
      for (const job of o.jobs) {
        started.push(job)
        await job.start()
      }
    } catch (err) {
      // e.g. Redis down at login: stop what started and try again, so missed slots still catch up
      o.log.error({ err }, `jobs failed to start, retrying in ${Math.round(retryMs / 1000)} s`)
      await stopStarted().catch((e) => o.log.error({ err: e }, 'jobs failed to stop'))
      if (closed) return
      retryTimer = setTimeout(() => { if (o.shouldRun()) void start() }, retryMs)
      retryTimer.unref()
    }
  })

  const stop = (): Promise<void> => inTurn(() => stopStarted().catch((err) => o.log.error({ err }, 'jobs failed to stop')))

  return {
    start,
    stop,
    close() {
      closed = true
      clearTimeout(retryTimer)
      return stop()
    },
  }
}
