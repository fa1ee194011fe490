import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Logger } from '../log.ts'

/**
 * Who has spoken to the bot in each group. Platforms that cannot list a room's members (WeCom
 * only shows those who @-mentioned the bot) still let them use the bot privately after a restart.
 */
export type SeenMembers = ReturnType<typeof createSeenMembers>

/** Build the store; both calls fail open with a warning while Redis is down. */
export function createSeenMembers(redis: Redis, keys: Keys, log: Logger) {
  return {
    /** Note that `contactId` spoke in `group`, under display name `name` when given. */
    async remember(group: string, contactId: string, name?: string): Promise<void> {
      const tx = redis.multi().sadd(keys.seenMembers(group), contactId)
      if (name) tx.hset(keys.seenNames(group), contactId, name)
      await tx.exec().catch((err) => log.warn({ err, group }, 'seen members unavailable'))
    },
    /** Everyone who spoke in `group`, with the name they last used (none for those seen before names were kept). */
    async people(group: string): Promise<Array<{ id: string; name?: string }>> {
      const [ids, names] = await Promise.all([redis.smembers(keys.seenMembers(group)), redis.hgetall(keys.seenNames(group))])
      return ids.sort().map((id) => ({ id, name: names[id] }))
    },
    async list(group: string): Promise<string[]> {
      try {
        return await redis.smembers(keys.seenMembers(group))
      } catch (err) {
        log.warn({ err, group }, 'seen members unavailable')
        return []
      }
    },
    async has(group: string, contactId: string): Promise<boolean> {
      try {
        return (await redis.sismember(keys.seenMembers(group), contactId)) === 1
      } catch (err) {
        log.warn({ err, group }, 'seen members unavailable')
        return false
      }
    },
  }
}
