import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** One question a member asked the bot, and what came of it. */
export interface LoggedQuestion {
  at: number
  /** The question's message id (a "不对" reply marks the answer by it). */
  messageId: string
  memberId: string
  /** The member's display name when asked. */
  memberName?: string
  question: string
  answered: boolean
  /** Where the answer came from: an entry a secretary taught (or the materials' FAQ file), or the materials. */
  source: 'taught' | 'faq' | 'materials' | 'none'
  /** The first citation of the answer: 《…》第七条, or （支部书记 … 添加）. */
  citation?: string
  /** The reply as sent, cut to 300 characters. */
  answer: string
}

/** How many questions are kept per group, in each list. */
export const KEPT_QUESTIONS = 200
const ANSWER_CHARS = 300

/** Recent questions per group (every one, and the refused ones alone), newest first. */
export type QuestionLog = ReturnType<typeof createQuestionLog>

/** Build the store on a Redis client. */
export function createQuestionLog(redis: Redis, keys: Keys, clock: Clock) {
  const read = async (key: string, n: number): Promise<LoggedQuestion[]> =>
    (await redis.lrange(key, 0, Math.min(n, KEPT_QUESTIONS) - 1)).map((raw) => JSON.parse(raw) as LoggedQuestion)

  return {
    /** Keep a question and its outcome; a refused one also goes to the refused list. */
    async record(group: string, q: Omit<LoggedQuestion, 'at'>): Promise<LoggedQuestion> {
      const entry: LoggedQuestion = { ...q, answer: q.answer.slice(0, ANSWER_CHARS), at: clock.now() }
      const raw = JSON.stringify(entry)
      const m = redis.multi().lpush(keys.askedQuestions(group), raw).ltrim(keys.askedQuestions(group), 0, KEPT_QUESTIONS - 1)
      if (!entry.answered) m.lpush(keys.refusedQuestions(group), raw).ltrim(keys.refusedQuestions(group), 0, KEPT_QUESTIONS - 1)
      await m.exec()
      return entry
    },
    /** The newest questions of a group, answered or not (the console's 问答 page). */
    recent: (group: string, n = 50) => read(keys.askedQuestions(group), n),
    /** The newest refused questions of a group. */
    refused: (group: string, n = KEPT_QUESTIONS) => read(keys.refusedQuestions(group), n),
    /** The member's newest question in the group, if asked at or after `since` (what a "不对" is about). */
    async lastAsked(group: string, memberId: string, since: number): Promise<LoggedQuestion | undefined> {
      for (const q of await read(keys.askedQuestions(group), KEPT_QUESTIONS)) {
        if (q.at < since) return undefined
        if (q.memberId === memberId) return q
      }
      return undefined
    },
  }
}
