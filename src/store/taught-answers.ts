import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'

/** A question–answer pair a secretary taught the bot for one group. */
export interface TaughtAnswer {
  /** Stable number shown in `#教 列表` and used by `#教 删除 N`. */
  id: number
  question: string
  /** What the bot replies: the secretary's words, or the text of the passage they pointed at. */
  answer: string
  /** The passage's citation when the answer is a passage of the materials (《…》第七条). */
  citation?: string
  doc?: string
  /** Who taught it (platform id and display name) and when. */
  by: { id: string; name: string }
  at: number
}

/** Taught answers per group, numbered in the order they were taught. */
export type TaughtAnswers = ReturnType<typeof createTaughtAnswers>

/** Build the store on a Redis client. */
export function createTaughtAnswers(redis: Redis, keys: Keys, clock: Clock) {
  return {
    /**
     * Store an entry; returns it with its number. An entry with the same question (spaces and
     * punctuation aside) is replaced, keeping its number; `replaced` says so.
     */
    async add(group: string, e: Omit<TaughtAnswer, 'id' | 'at'>): Promise<TaughtAnswer & { replaced: boolean }> {
      const same = (await this.list(group)).find((x) => sameQuestion(x.question, e.question))
      const id = same?.id ?? await redis.incr(keys.taughtSeq(group))
      const entry: TaughtAnswer = { ...e, id, at: clock.now() }
      await redis.hset(keys.taught(group), String(id), JSON.stringify(entry))
      return { ...entry, replaced: Boolean(same) }
    },
    /** Every entry of a group, oldest first. */
    async list(group: string): Promise<TaughtAnswer[]> {
      const all = Object.values(await redis.hgetall(keys.taught(group))).map((raw) => JSON.parse(raw) as TaughtAnswer)
      return all.sort((a, b) => a.id - b.id)
    },
    /** Remove entry `id`; false when there is none. */
    async remove(group: string, id: number): Promise<boolean> {
      return (await redis.hdel(keys.taught(group), String(id))) === 1
    },
  }
}

const squeeze = (q: string) => q.toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '')
function sameQuestion(a: string, b: string): boolean {
  return squeeze(a) === squeeze(b)
}
