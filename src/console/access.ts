import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { GroupConfig } from '../config.ts'
import { rolesIn, type Action, type Role } from '../bot/roles.ts'

/** How long a one-time login link may be used. */
export const LINK_TTL_MS = 10 * 60_000
/** How long a console session lasts from login (not extended by use). */
export const SESSION_TTL_MS = 12 * 3600_000

/** Who a login link or session belongs to, with their console roles per group key. */
export interface Grant {
  who: { id: string; name: string }
  /** Group key -> roles there (secretary / organizer only; members get no console). */
  roles: Record<string, Role[]>
  /** Where the link was asked for. */
  via: 'chat' | 'cli'
}

/** A login link as stored: the grant and when it stops working. */
export interface LinkRecord extends Grant {
  createdAt: number
  expiresAt: number
}

/** A console session as stored. */
export interface Session extends Grant {
  /** Synchronizer token every form must send back. */
  csrf: string
  createdAt: number
  expiresAt: number
}

/** What the console may do, per role (chat actions keep their rules from bot/roles.ts). */
export type ConsoleAction = Action | 'console' | 'materials'

const consoleAllowed: Record<ConsoleAction, readonly Role[]> = {
  console: ['secretary', 'organizer'],
  stats: ['secretary', 'organizer'],
  schedule: ['secretary'],
  remind: ['secretary'],
  export: ['organizer'],
  materials: ['secretary'],
  ask: [],
  reflect: [],
  quiz: [],
  setQuiz: [],
  // organisation life has no console page yet
  orgLife: [],
  orgRecords: [],
  teach: ['secretary'],
}

/** A fresh random token: 32 bytes, URL-safe (used for links, sessions and CSRF). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** True for something shaped like a token from newToken (43 URL-safe characters). */
export function isTokenShaped(s: string | undefined): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s)
}

/** What Redis keys are built from: a token's SHA-256, so a copy of Redis holds no usable token. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Compare two secrets in constant time. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Is a stored link or session still valid at `now`? */
export function isLive(rec: { expiresAt: number } | undefined, now: number): boolean {
  return Boolean(rec && now < rec.expiresAt)
}

/** The session a redeemed link opens at `now`. */
export function sessionFrom(link: LinkRecord, now: number): Session {
  return { who: link.who, roles: link.roles, via: link.via, csrf: newToken(), createdAt: now, expiresAt: now + SESSION_TTL_MS }
}

/**
 * Console roles of a person: groups where the configuration makes them secretary or organizer.
 * Empty for a plain member, who gets no console.
 */
export function consoleRoles(groups: readonly GroupConfig[], who: { id: string; name: string }): Record<string, Role[]> {
  const out: Record<string, Role[]> = {}
  for (const g of groups) {
    const roles = rolesIn(g, who).filter((r) => r !== 'member')
    if (roles.length) out[g.key] = roles
  }
  return out
}

/**
 * May the session do `action` in `group`? Both the roles the session carries and the roles the
 * current configuration gives must allow it, so a role removed from the config ends at once.
 */
export function sessionMay(session: Grant, action: ConsoleAction, group: GroupConfig): boolean {
  const now = new Set(rolesIn(group, session.who))
  return (session.roles[group.key] ?? []).some((r) => now.has(r) && consoleAllowed[action].includes(r))
}

/** The configured groups where the session may do `action`, in config order. */
export function groupsWhere(session: Grant, action: ConsoleAction, groups: readonly GroupConfig[]): GroupConfig[] {
  return groups.filter((g) => sessionMay(session, action, g))
}

/** Short Chinese refusal naming who may do it in the console. */
export function consoleRefusal(action: ConsoleAction): string {
  const who = consoleAllowed[action].map((r) => (r === 'secretary' ? '书记' : '组织委员')).join('或')
  return `抱歉，这个操作只有${who || '书记或组织委员'}可以使用。`
}
