import { randomBytes } from 'node:crypto'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { closeRound } from '../quiz/close-round.ts'

/** How often open rounds are checked for a passed deadline (a round closes at most this late). */
const POLL_MS = 15_000

/**
 * Closes quiz rounds at their deadline. Every instance runs one; the close lease in Redis makes
 * each round close once. Started on login, stopped on logout, like the scheduler.
 */
export class QuizCloser implements Job {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>
  private readonly owner = `${process.pid}-${randomBytes(3).toString('hex')}`

  constructor(private readonly deps: Deps, private readonly messenger: Messenger, private readonly pollMs = POLL_MS) {}

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => { void this.tick() }, this.pollMs)
    this.timer.unref()
    void this.tick()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }

  /** Close every round whose deadline has passed; one pass at a time. Errors are logged here. */
  tick(): Promise<void> {
    this.running ??= this.closeDue()
      .catch((err) => this.deps.log.error({ err }, 'quiz closing failed'))
      .finally(() => { this.running = undefined })
    return this.running
  }

  private async closeDue(): Promise<void> {
    const { config, stores, clock } = this.deps
    const now = clock.now()
    for (const group of config.groups) {
      for (const roundId of await stores.quiz.dueRoundIds(group.key, now)) {
        // the job wrapper of one round: a failure is logged and the others still close
        await closeRound(this.deps, this.messenger, group.key, roundId, this.owner)
          .catch((err) => this.deps.log.error({ err, group: group.key, roundId }, 'quiz round close failed'))
      }
    }
  }
}
