import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** One dues period (a month's notice of a `dues` schedule) in one group. */
export interface DuesPeriod {
  /** `${scheduleId}:${YYYY-MM}`: the same on every instance. */
  id: string
  group: string
  scheduleId: string
  /** How members read it, e.g. 2026年3月. */
  label: string
  openedAt: number
  dueAt: number
  /** When members who have not confirmed are reminded privately. */
  remindAt: number
}

/** A member's confirmation that they paid. */
export interface DuesConfirmation {
  key: string
  name: string
  at: number
}

/** Party-dues notices and members' confirmations, per group. */
export type DuesStore = ReturnType<typeof createDuesStore>

/** Build the dues store on a Redis client. */
export function createDuesStore(redis: Redis, keys: Keys, clock: Clock) {
  const store = {
    /** Open a period; false if it was opened already (the slot fired twice). */
    async open(p: DuesPeriod): Promise<boolean> {
      if (!await redis.hsetnx(keys.duesPeriods(p.group), p.id, JSON.stringify(p))) return false
      await redis.zadd(keys.duesReminders(p.group), p.remindAt, p.id)
      return true
    },
    /** Every period of the group, oldest first. */
    async list(group: string): Promise<DuesPeriod[]> {
      return (await redis.hvals(keys.duesPeriods(group))).map((v) => JSON.parse(v) as DuesPeriod).sort((a, b) => a.openedAt - b.openedAt)
    },
    /** The newest period already open. */
    async current(group: string): Promise<DuesPeriod | undefined> {
      const now = clock.now()
      return (await store.list(group)).filter((p) => p.openedAt <= now).at(-1)
    },
    /** Record a confirmation; false if this member had confirmed already. */
    async confirm(group: string, periodId: string, c: DuesConfirmation): Promise<boolean> {
      return (await redis.hsetnx(keys.duesConfirmed(group, periodId), c.key, JSON.stringify(c))) === 1
    },
    async confirmations(group: string, periodId: string): Promise<Map<string, DuesConfirmation>> {
      const raw = await redis.hgetall(keys.duesConfirmed(group, periodId))
      return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as DuesConfirmation]))
    },
    /** Ids of periods whose reminder time has come and that nobody reminded yet. */
    async dueReminders(group: string, now: number): Promise<string[]> {
      return redis.zrangebyscore(keys.duesReminders(group), '-inf', now)
    },
    /** Take a due reminder; true for exactly one caller across instances. */
    async takeReminder(group: string, periodId: string): Promise<boolean> {
      return (await redis.zrem(keys.duesReminders(group), periodId)) === 1
    },
    async get(group: string, periodId: string): Promise<DuesPeriod | undefined> {
      const raw = await redis.hget(keys.duesPeriods(group), periodId)
      return raw ? JSON.parse(raw) as DuesPeriod : undefined
    },
  }
  return store
}
