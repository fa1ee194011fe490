import type { ReplyProgress } from './listener.ts'
import type { AnswerFeedback } from '../puppet-wecom/mod.ts'

/** What a platform adds to Wechaty's puppet interface (WeCom: streams, answer ratings); plain puppets add nothing. */
export interface PlatformExtras {
  /** Longest text sent as one message; the outbox splits past it (default: bot.maxMessageBytes). */
  maxMessageBytes?: number
  /** Shows that a slow answer is on its way. */
  progress?: ReplyProgress
  /** Register for members' ratings of the bot's answers. */
  onAnswerFeedback?(handler: (f: AnswerFeedback) => Promise<void>): void
}
