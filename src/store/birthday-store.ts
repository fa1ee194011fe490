import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** A political-birthday greeting or talk, as recorded. */
export interface BirthdayMark {
  at: number
  /** Who recorded it: an instance for greetings, a secretary's name for talks. */
  by: string
}

/** Political birthdays per group and year: which greetings went out (claimed once) and which talks were held. */
export type BirthdayStore = ReturnType<typeof createBirthdayStore>

/** Build the birthday store on a Redis client. */
export function createBirthdayStore(redis: Redis, keys: Keys, clock: Clock) {
  const read = (raw: Record<string, string>) => new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as BirthdayMark]))
  return {
    /** Claim this year's greeting of one ledger member; true for exactly one caller across restarts and instances. */
    async claimGreeting(group: string, year: number, memberKey: string, by: string): Promise<boolean> {
      return (await redis.hsetnx(keys.birthdayGreetings(group, year), memberKey, JSON.stringify({ at: clock.now(), by }))) === 1
    },
    /** Give a claim back when the greeting could not be sent, so a retry may send it. */
    async releaseGreeting(group: string, year: number, memberKey: string): Promise<void> {
      await redis.hdel(keys.birthdayGreetings(group, year), memberKey)
    },
    async greetings(group: string, year: number): Promise<Map<string, BirthdayMark>> {
      return read(await redis.hgetall(keys.birthdayGreetings(group, year)))
    },
    /** Record that this year's 生日谈话 with a member was held; false if it was recorded already. */
    async recordTalk(group: string, year: number, memberKey: string, by: string): Promise<boolean> {
      return (await redis.hsetnx(keys.birthdayTalks(group, year), memberKey, JSON.stringify({ at: clock.now(), by }))) === 1
    },
    async talks(group: string, year: number): Promise<Map<string, BirthdayMark>> {
      return read(await redis.hgetall(keys.birthdayTalks(group, year)))
    },
  }
}
