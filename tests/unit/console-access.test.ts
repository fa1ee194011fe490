import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.ts'
import {
  consoleRoles, groupsWhere, isLive, isTokenShaped, LINK_TTL_MS, newToken, sameSecret, SESSION_TTL_MS, sessionFrom, sessionMay, tokenDigest,
  type Grant,
} from '../../src/console/access.ts'

const config = parseConfig({
  groups: [
    { topic: '一支部', secretaries: ['张书记'], organizers: ['李委员'] },
    { topic: '二支部', secretaries: ['王书记'], organizers: ['张书记'] },
  ],
}, '/tmp/studybot.yaml', {})
const [g1, g2] = config.groups
const grant = (name: string): Grant => ({ who: { id: name, name }, roles: consoleRoles(config.groups, { id: name, name }), via: 'chat' })

describe('console tokens', () => {
  it('are 32 random bytes in URL-safe text, never repeated', () => {
    const tokens = new Set(Array.from({ length: 2000 }, newToken))
    expect(tokens.size).toBe(2000)
    for (const t of [...tokens].slice(0, 50)) expect(isTokenShaped(t)).toBe(true)
    expect(isTokenShaped('abc')).toBe(false)
    expect(isTokenShaped(`${newToken()}x`)).toBe(false)
    expect(isTokenShaped('+'.repeat(43))).toBe(false)
  })

  it('are stored only as their SHA-256', () => {
    const t = newToken()
    expect(tokenDigest(t)).toMatch(/^[0-9a-f]{64}$/)
    expect(tokenDigest(t)).toBe(tokenDigest(t))
    expect(tokenDigest(t)).not.toContain(t)
  })

  it('compare secrets without giving the length or a prefix away', () => {
    const t = newToken()
    expect(sameSecret(t, t)).toBe(true)
    expect(sameSecret(t.slice(0, 42), t)).toBe(false)
    expect(sameSecret(undefined, t)).toBe(false)
    expect(sameSecret(`${t.slice(0, 42)}${t[42] === 'A' ? 'B' : 'A'}`, t)).toBe(false)
  })
})

describe('link and session lifetimes', () => {
  it('a link lives 10 minutes and a session 12 hours, to the millisecond', () => {
    expect(LINK_TTL_MS).toBe(600_000)
    expect(SESSION_TTL_MS).toBe(43_200_000)
    const link = { ...grant('张书记'), createdAt: 1000, expiresAt: 1000 + LINK_TTL_MS }
    expect(isLive(link, 1000 + LINK_TTL_MS - 1)).toBe(true)
    expect(isLive(link, 1000 + LINK_TTL_MS)).toBe(false)
    expect(isLive(undefined, 0)).toBe(false)
    const session = sessionFrom(link, 5000)
    expect(session.expiresAt).toBe(5000 + SESSION_TTL_MS)
    expect(session.roles).toEqual(link.roles)
    expect(isTokenShaped(session.csrf)).toBe(true)
    expect(sessionFrom(link, 5000).csrf).not.toBe(session.csrf)
  })
})

describe('console roles', () => {
  it('members get none; secretaries and organizers get theirs, per group', () => {
    expect(consoleRoles(config.groups, { id: 'x', name: '小明' })).toEqual({})
    expect(grant('张书记').roles).toEqual({ [g1.key]: ['secretary'], [g2.key]: ['organizer'] })
    expect(grant('李委员').roles).toEqual({ [g1.key]: ['organizer'] })
  })

  it('checks every action against the group it is about', () => {
    const zhang = grant('张书记')
    expect(sessionMay(zhang, 'schedule', g1)).toBe(true)
    expect(sessionMay(zhang, 'schedule', g2)).toBe(false)
    expect(sessionMay(zhang, 'export', g1)).toBe(false)
    expect(sessionMay(zhang, 'export', g2)).toBe(true)
    expect(sessionMay(zhang, 'stats', g2)).toBe(true)
    const li = grant('李委员')
    expect(sessionMay(li, 'remind', g1)).toBe(false)
    expect(sessionMay(li, 'materials', g1)).toBe(false)
    expect(sessionMay(li, 'stats', g2)).toBe(false)
    expect(groupsWhere(li, 'export', config.groups)).toEqual([g1])
  })

  it('a role the session carries but the configuration no longer gives is refused', () => {
    const forged: Grant = { who: { id: '小明', name: '小明' }, roles: { [g1.key]: ['secretary'] }, via: 'chat' }
    expect(sessionMay(forged, 'schedule', g1)).toBe(false)
    const li = grant('李委员')
    const widened: Grant = { ...li, roles: { [g1.key]: ['organizer', 'secretary'] } }
    expect(sessionMay(widened, 'schedule', g1)).toBe(false)
  })
})
