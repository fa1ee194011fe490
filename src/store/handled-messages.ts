import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Logger } from '../log.ts'

/** Message ids already handled, shared by every instance through Redis. */
export type HandledMessages = ReturnType<typeof createHandledMessages>

/** Build the store; entries expire after `ttlSeconds` (platforms redeliver within minutes). */
export function createHandledMessages(redis: Redis, keys: Keys, log: Logger, ttlSeconds = 86400) {
  return {
    /**
     * Claim a message id; false when another delivery (or instance) already claimed it.
     * Fails open: if Redis is down the message is handled, with a warning.
     */
    async claim(messageId: string): Promise<boolean> {
      try {
        return (await redis.set(keys.handledMessage(messageId), '1', 'EX', ttlSeconds, 'NX')) === 'OK'
      } catch (err) {
        log.warn({ err, messageId }, 'dedup unavailable, handling message anyway')
        return true
      }
    },
  }
}
