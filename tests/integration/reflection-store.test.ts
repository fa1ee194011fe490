import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, testClient } from '../support/redis.ts'
import { createReflectionStore, countChars } from '../../src/store/reflection-store.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { GROUP, reflectionDeps } from './reflection-fixture.ts'
import type { Redis } from '../../src/store/redis.ts'

const text = '学习了党章第一章，对党员的义务有了更深的理解，要在工作中发挥先锋模范作用。'

describe('reflection store', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let ctx: Awaited<ReturnType<typeof reflectionDeps>>
  let store: ReturnType<typeof createReflectionStore>
  let assignments: ReturnType<typeof createAssignmentStore>

  beforeAll(async () => {
    server = await startTestRedis()
    const c = await testClient(server)
    redis = c.redis
    ctx = await reflectionDeps(redis, c.keys)
    store = createReflectionStore(redis, c.keys, ctx.clock, 'Asia/Shanghai')
    assignments = createAssignmentStore(redis, c.keys, ctx.clock)
  })
  afterAll(async () => { redis.disconnect(); await server.stop() })

  it('stores a reflection with its times in +08:00 and marks the member as submitted', async () => {
    const a = await assignments.open({ group: GROUP, title: '学习党章第一章', dueAt: ctx.clock.now() + 86400000 })
    const res = await store.submit({ id: 'r1', group: GROUP, memberId: 'm1', memberName: '小明', text, assignmentId: a.id })
    expect(res.status).toBe('stored')
    if (res.status !== 'stored') return
    expect(res.reflection).toMatchObject({
      id: 'r1', memberName: '小明', assignmentId: a.id, chars: countChars(text), status: 'submitted',
      submittedAt: '2026-11-30T09:00:00+08:00',
    })
    expect(await assignments.submitters(GROUP, a.id)).toEqual(new Set(['m1']))
  })

  it('applies the same id once and the same member text once', async () => {
    expect((await store.submit({ id: 'r1', group: GROUP, memberId: 'm1', memberName: '小明', text })).status).toBe('exists')
    const dup = await store.submit({ id: 'r2', group: GROUP, memberId: 'm1', memberName: '小明', text: ` ${text.replace('，', ', ')} ` })
    expect(dup.status).toBe('duplicate')
    expect(dup.reflection.id).toBe('r1')
    // another member may say the same words
    expect((await store.submit({ id: 'r3', group: GROUP, memberId: 'm2', memberName: '小红', text })).status).toBe('stored')
    const all = []
    for await (const r of store.all(GROUP)) all.push(r.id)
    expect(all).toEqual(['r1', 'r3'])
  })

  it('edits and withdraws the latest reflection for the open assignment', async () => {
    const a = (await assignments.current(GROUP))!
    ctx.clock.advance(60000)
    const edited = await store.editLatest(GROUP, 'm1', a.id, `${text}补充：还要加强理论学习。`)
    expect(edited.status).toBe('edited')
    if (edited.status !== 'edited') return
    expect(edited.reflection.editedAt).toBe('2026-11-30T09:01:00+08:00')
    expect(edited.reflection.text).toContain('补充')
    // old text is free again, the new one is taken
    expect((await store.editLatest(GROUP, 'm1', a.id, `${text}补充：还要加强理论学习。`)).status).toBe('unchanged')

    const withdrawn = await store.withdrawLatest(GROUP, 'm1', a.id)
    expect(withdrawn.status).toBe('withdrawn')
    expect(await assignments.submitters(GROUP, a.id)).toEqual(new Set())
    expect((await store.withdrawLatest(GROUP, 'm1', a.id)).status).toBe('none')
    // kept for the record
    const mine = await store.listMember(GROUP, 'm1')
    expect(mine.map((r) => [r.id, r.status])).toEqual([['r1', 'withdrawn']])
    // and the member may submit the same words again
    expect((await store.submit({ id: 'r4', group: GROUP, memberId: 'm1', memberName: '小明', text, assignmentId: a.id })).status).toBe('stored')
    expect(await assignments.submitters(GROUP, a.id)).toEqual(new Set(['m1']))
  })

  it('pages through a group with since/until/assignment filters', async () => {
    const base = ctx.clock.now()
    for (let i = 0; i < 25; i++) {
      await store.submit({ id: `p${i}`, group: GROUP, memberId: `pm${i}`, memberName: `成员${i}`, text: `${text}${i}`, submittedMs: base + i * 3600000 })
    }
    const ids: string[] = []
    for await (const page of store.pages(GROUP, { sinceMs: base + 5 * 3600000, untilMs: base + 10 * 3600000, pageSize: 7 })) {
      expect(page.length).toBeLessThanOrEqual(7)
      ids.push(...page.map((r) => r.id))
    }
    expect(ids).toEqual(['p5', 'p6', 'p7', 'p8', 'p9'])
    const a = (await assignments.current(GROUP))!
    const inA: string[] = []
    for await (const r of store.all(GROUP, { assignmentId: a.id })) inA.push(r.id)
    expect(inA).toEqual(['r1', 'r4'])
  })
})
