import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'
import { dateInZone } from '../clock.ts'

/** Question rate per member and daily LLM calls per group, shared by every bot instance. */
export type AskLimits = ReturnType<typeof createAskLimits>

/** Build the limits store on a Redis client. */
export function createAskLimits(redis: Redis, keys: Keys, clock: Clock, timeZone: string) {
  return {
    /** Count one question; false when the member already asked `perMinute` within the last minute. */
    async takeQuestion(group: string, memberId: string, perMinute: number): Promise<boolean> {
      const key = keys.askRate(group, memberId)
      // the window opens with the member's first question and lasts one minute
      const [, [, count]] = await redis.multi().set(key, 0, 'PX', 60_000, 'NX').incr(key).exec() as [unknown, [unknown, number]]
      return count <= perMinute
    },
    /** Count one LLM call for the group today; false when the day's budget is spent. */
    async takeLlmCall(group: string, budget: number): Promise<boolean> {
      const key = keys.llmBudget(group, dateInZone(clock.now(), timeZone))
      const [[, count]] = await redis.multi().incr(key).expire(key, 2 * 86_400).exec() as [[unknown, number]]
      return count <= budget
    },
  }
}
