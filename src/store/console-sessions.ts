import type { Redis } from './redis.ts'
import type { Keys } from './keys.ts'
import type { Clock } from '../clock.ts'
import {
  isLive, isTokenShaped, LINK_TTL_MS, newToken, sessionFrom, tokenDigest,
  type Grant, type LinkRecord, type Session,
} from '../console/access.ts'

/** One-time login links and console sessions, shared by every instance through Redis. */
export type ConsoleSessions = ReturnType<typeof createConsoleSessions>

/** Build the store; rules (lifetimes, single use, digests) live in console/access.ts. */
export function createConsoleSessions(redis: Redis, keys: Keys, clock: Clock) {
  const parse = <T>(raw: string | null): T | undefined => (raw ? JSON.parse(raw) as T : undefined)

  return {
    /** Issue a one-time link token for `grant`, valid for 10 minutes. */
    async issueLink(grant: Grant): Promise<string> {
      const token = newToken()
      const now = clock.now()
      const rec: LinkRecord = { ...grant, createdAt: now, expiresAt: now + LINK_TTL_MS }
      await redis.set(keys.consoleLink(tokenDigest(token)), JSON.stringify(rec), 'PX', LINK_TTL_MS)
      return token
    },

    /** Look at a link without using it (the login page shows whose it is). */
    async peekLink(token: string): Promise<LinkRecord | undefined> {
      if (!isTokenShaped(token)) return undefined
      const link = parse<LinkRecord>(await redis.get(keys.consoleLink(tokenDigest(token))))
      return isLive(link, clock.now()) ? link : undefined
    },

    /**
     * Use a link: it is deleted in the same step (GETDEL), so of two tries, on any instances,
     * at most one gets a session. Undefined for an unknown, used or expired link.
     */
    async redeemLink(token: string): Promise<{ token: string; session: Session } | undefined> {
      if (!isTokenShaped(token)) return undefined
      const link = parse<LinkRecord>(await redis.getdel(keys.consoleLink(tokenDigest(token))))
      const now = clock.now()
      if (!link || !isLive(link, now)) return undefined
      const session = sessionFrom(link, now)
      const sessionToken = newToken()
      await redis.set(keys.consoleSession(tokenDigest(sessionToken)), JSON.stringify(session), 'PX', session.expiresAt - now)
      return { token: sessionToken, session }
    },

    /** The live session a cookie names, if any. */
    async session(token: string | undefined): Promise<Session | undefined> {
      if (!isTokenShaped(token)) return undefined
      const session = parse<Session>(await redis.get(keys.consoleSession(tokenDigest(token))))
      return isLive(session, clock.now()) ? session : undefined
    },

    /** Log out: the session stops working everywhere. */
    async end(token: string | undefined): Promise<void> {
      if (isTokenShaped(token)) await redis.del(keys.consoleSession(tokenDigest(token)))
    },
  }
}
