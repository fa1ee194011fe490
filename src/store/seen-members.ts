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
    async remember(group: string, contactId: string): Promise<void> {
      await redis.sadd(keys.seenMembers(group), contactId).catch((err) => log.warn({ err, group }, 'seen members unavailable'))
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
