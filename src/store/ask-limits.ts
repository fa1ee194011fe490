import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'
import { dateInZone } from '../clock.ts'

/** Question rate per member and daily LLM calls per group, shared by every bot instance. */
export type AskLimits = ReturnType<typeof createAskLimits>

/**
 * A rate check: go ahead; over the limit for the first time in this window (say so, once); or
 * over it again (stay silent, so a flood never gets one notice per message).
 */
export type RateVerdict = 'ok' | 'notify' | 'silent'

/** Build the limits store on a Redis client. */
export function createAskLimits(redis: Redis, keys: Keys, clock: Clock, timeZone: string) {
  const take = async (key: string, perMinute: number): Promise<RateVerdict> => {
    // the window opens with the member's first message and lasts one minute
    const [, [, count]] = await redis.multi().set(key, 0, 'PX', 60_000, 'NX').incr(key).exec() as [unknown, [unknown, number]]
    return count <= perMinute ? 'ok' : count === perMinute + 1 ? 'notify' : 'silent'
  }
  return {
    /** Count one question of a member in a group (`perMinute` allowed per minute). */
    takeQuestion: (group: string, memberId: string, perMinute: number): Promise<RateVerdict> => take(keys.askRate(group, memberId), perMinute),
    /** Count one #command of a member, wherever it was sent (`perMinute` allowed per minute). */
    takeCommand: (memberId: string, perMinute: number): Promise<RateVerdict> => take(keys.commandRate(memberId), perMinute),
    /** Count one LLM call for the group today; false when the day's budget is spent. */
    async takeLlmCall(group: string, budget: number): Promise<boolean> {
      const key = keys.llmBudget(group, dateInZone(clock.now(), timeZone))
      const [[, count]] = await redis.multi().incr(key).expire(key, 2 * 86_400).exec() as [[unknown, number]]
      return count <= budget
    },
  }
}
