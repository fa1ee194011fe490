import { randomBytes } from 'node:crypto'
import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { createPoller, type Poller } from './poller.ts'
import { closeRound } from '../quiz/close-round.ts'

/** How often open rounds are checked for a passed deadline (a round closes at most this late). */
const POLL_MS = 15_000

/**
 * Closes quiz rounds at their deadline. Every instance runs one; the close lease in Redis makes
 * each round close once. Started on login, stopped on logout, like the scheduler.
 */
export class QuizCloser implements Job {
  private readonly poller: Poller
  private readonly owner = `${process.pid}-${randomBytes(3).toString('hex')}`

  constructor(private readonly deps: Deps, private readonly messenger: Messenger, pollMs = POLL_MS) {
    this.poller = createPoller(() => this.closeDue(), { intervalMs: pollMs, onError: (err) => deps.log.error({ err }, 'quiz closing failed') })
  }

  start(): void { this.poller.start() }
  stop(): Promise<void> { return this.poller.stop() }
  /** Close every round whose deadline has passed; one pass at a time. Errors are logged here. */
  tick(): Promise<void> { return this.poller.tick() }

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
