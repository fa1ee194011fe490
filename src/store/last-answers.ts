import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'

/** Where a member's last answer came from, so "原文" can send the whole article. */
export interface AnsweredFrom {
  doc: string
  /** Position of the passage in its document. */
  index: number
}

/** How long "原文" refers to the last answer. */
const KEEP_MS = 60 * 60_000

export type LastAnswers = ReturnType<typeof createLastAnswers>

/** The passage of each member's last answer, per conversation (group key, or 'private'), for an hour. */
export function createLastAnswers(redis: Redis, keys: Keys) {
  return {
    async remember(group: string, memberId: string, from: AnsweredFrom): Promise<void> {
      await redis.set(keys.lastAnswer(group, memberId), JSON.stringify(from), 'PX', KEEP_MS)
    },
    async recall(group: string, memberId: string): Promise<AnsweredFrom | undefined> {
      const raw = await redis.get(keys.lastAnswer(group, memberId))
      return raw ? JSON.parse(raw) as AnsweredFrom : undefined
    },
  }
}
