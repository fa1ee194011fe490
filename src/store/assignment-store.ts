import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** A reflection assignment (学习任务) opened for one group, e.g. by a reflection-prompt schedule. */
export interface Assignment {
  id: string
  group: string
  title: string
  openedAt: number
  dueAt: number
  /** The schedule that opened it, if any. */
  scheduleId?: string
}

/** Assignments of each group and who has submitted to them. */
export type AssignmentStore = ReturnType<typeof createAssignmentStore>

/** Build the assignment store on a Redis client. */
export function createAssignmentStore(redis: Redis, keys: Keys, clock: Clock) {
  const read = (raw: Record<string, string>): Assignment | undefined =>
    raw.id ? {
      id: raw.id, group: raw.group, title: raw.title, openedAt: Number(raw.openedAt), dueAt: Number(raw.dueAt),
      ...(raw.scheduleId ? { scheduleId: raw.scheduleId } : {}),
    } : undefined

  const store = {
    /** Open a new assignment; `id` defaults to a date-based id such as 20261130-0900. */
    async open(a: Omit<Assignment, 'id' | 'openedAt'> & { id?: string; openedAt?: number }): Promise<Assignment> {
      const openedAt = a.openedAt ?? clock.now()
      const id = a.id ?? `a${openedAt.toString(36)}`
      const full: Assignment = { ...a, id, openedAt }
      const fields: Record<string, string> = {
        id, group: a.group, title: a.title, openedAt: String(openedAt), dueAt: String(a.dueAt),
      }
      if (a.scheduleId) fields.scheduleId = a.scheduleId
      await redis.multi()
        .hset(keys.assignment(a.group, id), fields)
        .zadd(keys.assignments(a.group), String(openedAt), id)
        .exec()
      return full
    },
    async get(group: string, id: string): Promise<Assignment | undefined> {
      return read(await redis.hgetall(keys.assignment(group, id)))
    },
    /** All assignments of a group, oldest first. */
    async list(group: string): Promise<Assignment[]> {
      const ids = await redis.zrange(keys.assignments(group), '0', '-1')
      const all = await Promise.all(ids.map((id) => store.get(group, id)))
      return all.filter((a): a is Assignment => Boolean(a))
    },
    /** The newest assignment still inside its collection window, if any. */
    async current(group: string): Promise<Assignment | undefined> {
      const now = clock.now()
      const ids = await redis.zrevrangebyscore(keys.assignments(group), String(now), '-inf', 'LIMIT', 0, 5)
      for (const id of ids) {
        const a = await store.get(group, id)
        if (a && a.dueAt > now) return a
      }
      return undefined
    },
    /** The newest assignment whose collection window contained `ms` (journal replays use this). */
    async at(group: string, ms: number): Promise<Assignment | undefined> {
      const ids = await redis.zrevrangebyscore(keys.assignments(group), ms, '-inf', 'LIMIT', 0, 5)
      for (const id of ids) {
        const a = await store.get(group, id)
        if (a && a.openedAt <= ms && a.dueAt > ms) return a
      }
      return undefined
    },
    /** End an assignment's collection window now (e.g. its prompt could not be sent). */
    async close(group: string, id: string): Promise<void> {
      await redis.hset(keys.assignment(group, id), 'dueAt', String(clock.now()))
    },
    async submitters(group: string, assignmentId: string): Promise<Set<string>> {
      return new Set(await redis.smembers(keys.submitters(group, assignmentId)))
    },
  }
  return store
}
