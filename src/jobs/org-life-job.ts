import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { createPoller, type Poller } from './poller.ts'
import { closeDueMeetings, sendDueNotices } from '../org-life/meetings.ts'
import { remindDues } from '../org-life/dues.ts'

/** How often notices and closed sign-in windows are looked for (a notice or summary is at most this late). */
const POLL_MS = 15_000

/**
 * Organisation life between schedule slots: meeting notices before the meeting, the summary
 * when a sign-in window closes, and private dues reminders before the deadline. Every instance runs one; claims in Redis make each happen once.
 */
export class OrgLifeJob implements Job {
  private readonly poller: Poller

  constructor(private readonly deps: Deps, private readonly messenger: Messenger, pollMs = POLL_MS) {
    this.poller = createPoller(() => this.pass(), { intervalMs: pollMs, onError: (err) => deps.log.error({ err }, 'organisation life pass failed') })
  }

  start(): void { this.poller.start() }
  stop(): Promise<void> { return this.poller.stop() }
  /** One pass; errors are logged here (the job wrapper of organisation life). */
  tick(): Promise<void> { return this.poller.tick() }

  private async pass(): Promise<void> {
    await sendDueNotices(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'meeting notices failed'))
    await closeDueMeetings(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'meeting closing failed'))
    await remindDues(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'dues reminders failed'))
  }
}
