import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/clock.ts'
import { createConsoleSessions } from '../../src/store/console-sessions.ts'
import { LINK_TTL_MS, SESSION_TTL_MS, tokenDigest, type Grant } from '../../src/console/access.ts'
import type { Redis } from '../../src/store/redis.ts'
import type { Keys } from '../../src/store/keys.ts'
import { startTestRedis, testClient } from '../support/redis.ts'

const grant: Grant = { who: { id: 'wxid_zhang', name: '张书记' }, roles: { g1: ['secretary'] }, via: 'chat' }

let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys
beforeAll(async () => {
  server = await startTestRedis()
  ;({ redis, keys } = await testClient(server))
})
afterAll(async () => {
  await redis?.quit()
  await server?.stop()
})

const fresh = (start = Date.parse('2026-11-30T09:00:00+08:00')) => {
  const clock = createManualClock(start)
  return { clock, sessions: createConsoleSessions(redis, keys, clock) }
}

describe('console links and sessions in Redis', () => {
  it('a link opens one session, once; looking at it does not use it', async () => {
    const { sessions } = fresh()
    const token = await sessions.issueLink(grant)
    expect((await sessions.peekLink(token))?.who.name).toBe('张书记')
    const opened = await sessions.redeemLink(token)
    expect(opened?.session).toMatchObject({ who: grant.who, roles: grant.roles })
    expect(await sessions.redeemLink(token)).toBeUndefined()
    expect(await sessions.peekLink(token)).toBeUndefined()
    expect((await sessions.session(opened!.token))?.who.name).toBe('张书记')
  })

  it('two instances using the same link at once: exactly one gets a session', async () => {
    const { clock, sessions } = fresh()
    const token = await sessions.issueLink(grant)
    const other = createConsoleSessions(redis, keys, clock)
    const results = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? other : sessions).redeemLink(token)))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('a link stops working after 10 minutes', async () => {
    const { clock, sessions } = fresh()
    const late = await sessions.issueLink(grant)
    const inTime = await sessions.issueLink(grant)
    clock.advance(LINK_TTL_MS - 1)
    expect(await sessions.redeemLink(inTime)).toBeDefined()
    clock.advance(1)
    expect(await sessions.redeemLink(late)).toBeUndefined()
  })

  it('a session ends after 12 hours, or at logout, on every instance', async () => {
    const { clock, sessions } = fresh()
    const a = (await sessions.redeemLink(await sessions.issueLink(grant)))!
    const b = (await sessions.redeemLink(await sessions.issueLink(grant)))!
    const other = createConsoleSessions(redis, keys, clock)
    await sessions.end(b.token)
    expect(await other.session(b.token)).toBeUndefined()
    clock.advance(SESSION_TTL_MS - 1)
    expect(await other.session(a.token)).toBeDefined()
    clock.advance(1)
    expect(await other.session(a.token)).toBeUndefined()
    // Redis forgets it too, on its own clock
    expect(await redis.pttl(keys.consoleSession(tokenDigest(a.token)))).toBeGreaterThan(0)
  })

  it('refuses made-up and malformed tokens, and keeps no usable token in Redis', async () => {
    const { sessions } = fresh()
    const token = await sessions.issueLink(grant)
    const opened = (await sessions.redeemLink(await sessions.issueLink(grant)))!
    for (const bad of [undefined, '', 'x', 'A'.repeat(43), `${token}A`, '../../etc/passwd']) {
      expect(await sessions.session(bad)).toBeUndefined()
      expect(await sessions.redeemLink(bad ?? '')).toBeUndefined()
    }
    const stored = await redis.keys(`${keys.prefix}:console:*`)
    const values = await Promise.all(stored.map((k) => redis.get(k)))
    for (const text of [...stored, ...values.map(String)]) {
      expect(text).not.toContain(token)
      expect(text).not.toContain(opened.token)
    }
  })
})
