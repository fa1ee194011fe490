import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** An answer a member said was wrong: a WeCom "inaccurate" rating (and, later, a "不对" reply). */
export interface AnswerMark {
  at: number
  /** The question's message id: one mark per member and question. */
  messageId: string
  memberId: string
  question?: string
  answer?: string
  via: 'wecom-feedback' | 'reply'
  /** WeCom's reason codes and the member's own words, when given. */
  reasons?: number[]
  comment?: string
}

/** How many marks are kept per group. */
const kept = 200

/** Answers members marked as wrong, per group, newest first (secretaries teach the bot from them). */
export type AnswerMarks = ReturnType<typeof createAnswerMarks>

/** Build the store on a Redis client. */
export function createAnswerMarks(redis: Redis, keys: Keys, clock: Clock) {
  const same = (a: AnswerMark, messageId: string, memberId: string) => a.messageId === messageId && a.memberId === memberId
  const all = async (group: string): Promise<Array<{ raw: string; mark: AnswerMark }>> =>
    (await redis.lrange(keys.answerMarks(group), 0, kept - 1)).map((raw) => ({ raw, mark: JSON.parse(raw) as AnswerMark }))
  const remove = async (group: string, messageId: string, memberId: string) => {
    const m = redis.multi()
    for (const { raw } of (await all(group)).filter((x) => same(x.mark, messageId, memberId))) m.lrem(keys.answerMarks(group), 0, raw)
    await m.exec()
  }

  return {
    /** Record a mark; a member marking the same answer again replaces their earlier mark. */
    async mark(group: string, m: Omit<AnswerMark, 'at'>): Promise<void> {
      await remove(group, m.messageId, m.memberId)
      await redis.multi()
        .lpush(keys.answerMarks(group), JSON.stringify({ ...m, at: clock.now() }))
        .ltrim(keys.answerMarks(group), 0, kept - 1)
        .exec()
    },
    /** A member took their mark back (WeCom: feedback withdrawn). */
    unmark: remove,
    /** The newest marks of a group. */
    async recent(group: string, n = 20): Promise<AnswerMark[]> {
      return (await all(group)).slice(0, n).map((x) => x.mark)
    },
  }
}
