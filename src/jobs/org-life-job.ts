import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { closeDueMeetings, sendDueNotices } from '../org-life/meetings.ts'
import { remindDues } from '../org-life/dues.ts'

/** How often notices and closed sign-in windows are looked for (a notice or summary is at most this late). */
const POLL_MS = 15_000

/**
 * Organisation life between schedule slots: meeting notices before the meeting, the summary
 * when a sign-in window closes, and private dues reminders before the deadline. Every instance runs one; claims in Redis make each happen once.
 */
export class OrgLifeJob implements Job {
  private timer?: NodeJS.Timeout
  private running?: Promise<void>

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

  /** One pass; errors are logged here (the job wrapper of organisation life). */
  tick(): Promise<void> {
    this.running ??= this.pass()
      .catch((err) => this.deps.log.error({ err }, 'organisation life pass failed'))
      .finally(() => { this.running = undefined })
    return this.running
  }

  private async pass(): Promise<void> {
    await sendDueNotices(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'meeting notices failed'))
    await closeDueMeetings(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'meeting closing failed'))
    await remindDues(this.deps, this.messenger).catch((err) => this.deps.log.error({ err }, 'dues reminders failed'))
  }
}
