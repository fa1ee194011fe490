import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** The console pages whose changes are audited. */
export type AuditArea = 'schedules' | 'materials' | 'reminders' | 'answers'

/** One change made in the console: who, when, what. */
export interface AuditEntry {
  at: number
  area: AuditArea
  /** Group key; absent for the shared materials folder. */
  group?: string
  who: { id: string; name: string }
  /** What was done, in Chinese, e.g. 添加定时任务 c3（每天 09:00）. */
  action: string
  /** What it was done to (a schedule id, a file name), so its own page can show it. */
  subject?: string
}

/** How many entries are kept per group and area. */
const kept = 200

/** Record of console changes, kept per group and area (materials are shared by all groups). */
export type AuditLog = ReturnType<typeof createAuditLog>

/** Build the audit log on a Redis client. */
export function createAuditLog(redis: Redis, keys: Keys, clock: Clock) {
  const keyOf = (area: AuditArea, group?: string) => (group === undefined ? keys.sharedAudit(area) : keys.audit(group, area))
  return {
    /** Record one change, once per group it concerns (none: the shared area). */
    async record(e: Omit<AuditEntry, 'at' | 'group'> & { groups?: readonly string[] }): Promise<void> {
      const at = clock.now()
      const targets = e.groups?.length ? e.groups : [undefined]
      // one transaction per group: each group's keys live on its own cluster slot
      await Promise.all(targets.map(async (group) => {
        const entry: AuditEntry = { at, area: e.area, who: e.who, action: e.action, ...(e.subject !== undefined ? { subject: e.subject } : {}), ...(group !== undefined ? { group } : {}) }
        await redis.multi().lpush(keyOf(e.area, group), JSON.stringify(entry)).ltrim(keyOf(e.area, group), 0, kept - 1).exec()
      }))
    },
    /** The newest entries of an area across `groups` (or the shared area), newest first; only `subject`'s if given. */
    async recent(area: AuditArea, o: { groups?: readonly string[]; subject?: string; n?: number } = {}): Promise<AuditEntry[]> {
      const n = o.n ?? 20
      const lists = await Promise.all((o.groups ?? [undefined]).map((g) => redis.lrange(keyOf(area, g), 0, kept - 1)))
      const seen = new Set<string>()
      const all: AuditEntry[] = []
      for (const raw of lists.flat()) {
        const e = JSON.parse(raw) as AuditEntry
        if (o.subject !== undefined && e.subject !== o.subject) continue
        // a change to a schedule of several groups is recorded in each; show it once
        const id = `${e.at}|${e.who.id}|${e.action}`
        if (seen.has(id)) continue
        seen.add(id)
        all.push(e)
      }
      return all.sort((a, b) => b.at - a.at).slice(0, n)
    },
  }
}
