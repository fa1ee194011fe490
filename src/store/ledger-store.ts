import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'
import type { LedgerMember } from '../org-life/ledger.ts'

/** When and from what a group's ledger was last imported. */
export interface LedgerImport {
  file: string
  at: number
  count: number
}

/** Each group's member ledger (党员台账), replaced whole by an import. */
export type LedgerStore = ReturnType<typeof createLedgerStore>

/** Build the ledger store on a Redis client. */
export function createLedgerStore(redis: Redis, keys: Keys, clock: Clock) {
  return {
    /** Replace the group's ledger with `members` in one transaction: readers see the old ledger or the new one, never a mix. */
    async replace(group: string, members: readonly LedgerMember[], file: string): Promise<void> {
      const m = redis.multi().del(keys.ledger(group))
      if (members.length) m.hset(keys.ledger(group), Object.fromEntries(members.map((x) => [x.key, JSON.stringify(x)])))
      m.hset(keys.ledgerImport(group), { file, at: String(clock.now()), count: String(members.length) })
      await m.exec()
    },
    /** The group's ledger in file order. */
    async list(group: string): Promise<LedgerMember[]> {
      const all = await redis.hvals(keys.ledger(group))
      return all.map((v) => JSON.parse(v) as LedgerMember).sort((a, b) => a.row - b.row)
    },
    async lastImport(group: string): Promise<LedgerImport | undefined> {
      const raw = await redis.hgetall(keys.ledgerImport(group))
      return raw.file ? { file: raw.file, at: Number(raw.at), count: Number(raw.count) } : undefined
    },
  }
}
