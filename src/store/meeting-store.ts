import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** One 三会一课 meeting as held at one slot of a `meeting` schedule. */
export interface Meeting {
  /** `${scheduleId}-${slot in base 36}`: the same on every instance. */
  id: string
  group: string
  scheduleId: string
  /** 支部党员大会, 支委会, 党小组会, 党课 or 主题党日. */
  type: string
  topic?: string
  place?: string
  /** 党小组 whose members are expected (党小组会); else the whole ledger. */
  cell?: string
  startsAt: number
  /** When the sign-in window closes. */
  closesAt: number
  minutes?: { text: string; by: string; at: number }
}

/** One member's answer to a meeting: signed in, or asked for leave with a reason. */
export interface Attendance {
  /** Ledger key, or `contact:<id>` for someone not in the ledger. */
  key: string
  name: string
  status: 'present' | 'leave'
  reason?: string
  at: number
}

/** Meetings, their sign-in windows and attendance, per group. */
export type MeetingStore = ReturnType<typeof createMeetingStore>

/** Build the meeting store on a Redis client. */
export function createMeetingStore(redis: Redis, keys: Keys, clock: Clock) {
  const store = {
    /** Open a meeting's sign-in window; false if this meeting was opened already (a slot fired twice). */
    async open(m: Meeting): Promise<boolean> {
      if (!await redis.hsetnx(keys.meetings(m.group), m.id, JSON.stringify(m))) return false
      await redis.zadd(keys.meetingsOpen(m.group), m.closesAt, m.id)
      return true
    },
    async get(group: string, id: string): Promise<Meeting | undefined> {
      const raw = await redis.hget(keys.meetings(group), id)
      return raw ? JSON.parse(raw) as Meeting : undefined
    },
    /** Every meeting of the group, oldest first. */
    async list(group: string): Promise<Meeting[]> {
      return (await redis.hvals(keys.meetings(group))).map((v) => JSON.parse(v) as Meeting).sort((a, b) => a.startsAt - b.startsAt)
    },
    /** The meeting whose sign-in window is open now, the one closing first if several are. */
    async current(group: string): Promise<Meeting | undefined> {
      const now = clock.now()
      const [id] = await redis.zrangebyscore(keys.meetingsOpen(group), now, '+inf', 'LIMIT', 0, 1)
      return id ? store.get(group, id) : undefined
    },
    /** Record a sign-in or leave request; a later answer of the same member replaces theirs. */
    async record(group: string, meetingId: string, a: Attendance): Promise<void> {
      await redis.hset(keys.meetingAttendance(group, meetingId), a.key, JSON.stringify(a))
    },
    async attendance(group: string, meetingId: string): Promise<Attendance[]> {
      return (await redis.hvals(keys.meetingAttendance(group, meetingId))).map((v) => JSON.parse(v) as Attendance).sort((a, b) => a.at - b.at)
    },
    /** Ids of meetings whose window has closed but that were not summed up yet. */
    async dueIds(group: string, now: number): Promise<string[]> {
      return redis.zrangebyscore(keys.meetingsOpen(group), '-inf', now)
    },
    /** Take a closed window for summing up; true for exactly one caller across instances. */
    async takeClosed(group: string, meetingId: string): Promise<boolean> {
      return (await redis.zrem(keys.meetingsOpen(group), meetingId)) === 1
    },
    async setMinutes(group: string, meetingId: string, text: string, by: string): Promise<Meeting | undefined> {
      const m = await store.get(group, meetingId)
      if (!m) return undefined
      const updated: Meeting = { ...m, minutes: { text, by, at: clock.now() } }
      await redis.hset(keys.meetings(group), meetingId, JSON.stringify(updated))
      return updated
    },
    /** Claim the notice of one meeting slot; true once across restarts and instances. */
    async claimNotice(group: string, scheduleId: string, slot: number, ttlMs: number): Promise<boolean> {
      return (await redis.set(keys.meetingNotice(group, scheduleId, slot), String(clock.now()), 'PX', ttlMs, 'NX')) === 'OK'
    },
    async releaseNotice(group: string, scheduleId: string, slot: number): Promise<void> {
      await redis.del(keys.meetingNotice(group, scheduleId, slot))
    },
  }
  return store
}
