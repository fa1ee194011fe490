import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import { withScripts } from './scripts.ts'
import { dateInZone, type Clock } from '../clock.ts'

/** What points were given for. */
export type PointsReason = 'quiz' | 'quiz-first' | 'reflection' | 'checkin'

/** One award of points to a member; `id` makes it happen once however often it is asked for. */
export interface Award {
  id: string
  member: string
  name: string
  points: number
  reason: PointsReason
  /** What it was for: a round and question, a reflection, a day. */
  ref: string
  at: number
  /** YYYY-MM in the configured time zone. */
  month: string
}

/** A member's standing: total and month, each with its rank (1 = most; ties share a rank). */
export interface Standing {
  total: number
  rank?: number
  month: number
  monthRank?: number
  members: number
}

// Award once: the award record is the claim, and the totals move only with it.
const awardScript = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZINCRBY', KEYS[2], ARGV[4], ARGV[3])
redis.call('ZINCRBY', KEYS[3], ARGV[4], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[5])
return 1`

/** Points (积分) per member and group: awards, totals, monthly boards, study check-ins. */
export type PointsStore = ReturnType<typeof createPointsStore>

/** Build the points store on a Redis client; months and days are in `timeZone`. */
export function createPointsStore(redis: Redis, keys: Keys, clock: Clock, timeZone: string) {
  const scripts = withScripts(redis, { pointsAward: { keys: 4, lua: awardScript } })
  const monthOf = (ms: number) => dateInZone(ms, timeZone).slice(0, 7)
  const rankIn = async (key: string, member: string): Promise<{ score: number; rank?: number }> => {
    const raw = await redis.zscore(key, member)
    if (raw === null) return { score: 0 }
    const score = Number(raw)
    return { score, rank: (await redis.zcount(key, `(${score}`, '+inf')) + 1 }
  }
  return {
    monthOf,
    /** Give points once per award id; false if this award was given before. */
    async award(group: string, a: Omit<Award, 'month' | 'at'> & { at?: number }): Promise<boolean> {
      const at = a.at ?? clock.now()
      const full: Award = { ...a, at, month: monthOf(at) }
      const res = await scripts.pointsAward(keys.pointsAwards(group), keys.pointsTotal(group), keys.pointsMonth(group, full.month), keys.pointsNames(group),
        a.id, JSON.stringify(full), a.member, String(a.points), a.name)
      return res === 1
    },
    /** A member's total and this month's points, with ranks in the group. */
    async standing(group: string, member: string): Promise<Standing> {
      const [total, month, members] = await Promise.all([
        rankIn(keys.pointsTotal(group), member),
        rankIn(keys.pointsMonth(group, monthOf(clock.now())), member),
        redis.zcard(keys.pointsTotal(group)),
      ])
      return { total: total.score, rank: total.rank, month: month.score, monthRank: month.rank, members }
    },
    /** The `n` members with most points in `month` (YYYY-MM), most first; ties share a rank. */
    async top(group: string, month: string, n: number): Promise<{ member: string; name: string; points: number; rank: number }[]> {
      const flat = await redis.zrevrange(keys.pointsMonth(group, month), 0, n - 1, 'WITHSCORES')
      const rows: { member: string; points: number }[] = []
      for (let i = 0; i < flat.length; i += 2) rows.push({ member: flat[i]!, points: Number(flat[i + 1]) })
      const names = rows.length ? await redis.hmget(keys.pointsNames(group), ...rows.map((r) => r.member)) : []
      return rows.map((r, i) => ({
        ...r,
        name: names[i] ?? r.member,
        rank: rows.findIndex((x) => x.points === r.points) + 1,
      }))
    },
    /** Every award of the group, oldest first (for the export). */
    async awards(group: string): Promise<Award[]> {
      return Object.values(await redis.hgetall(keys.pointsAwards(group)))
        .map((v) => JSON.parse(v) as Award)
        .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))
    },
  }
}
