import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, testClient } from '../support/redis.ts'
import { createReflectionStore, reflectionDigest } from '../../src/store/reflection-store.ts'
import { createManualClock } from '../../src/clock.ts'
import type { Redis } from '../../src/store/redis.ts'
import type { Keys } from '../../src/store/keys.ts'
import { repoRoot } from '../support/harness.ts'

const GROUP = '第一党支部学习群'
let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys
const clock = createManualClock(Date.UTC(2026, 10, 30, 1))

// realistic reflections: ~1,150-byte passages of a real one (shared/samples), each different
const sample = fs.readFileSync(path.join(repoRoot, '..', 'shared', 'samples', 'reflection-shenzhen-2020.txt'), 'utf8').replace(/\s+/g, '')
const reflectionText = (i: number) => {
  const at = (i * 131) % (sample.length - 600)
  return `${sample.slice(at, at + 560)}（第${i}篇）`
}

beforeAll(async () => {
  server = await startTestRedis()
  ;({ redis, keys } = await testClient(server))
})
afterAll(async () => {
  redis.disconnect()
  await server.stop()
})

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1])

describe('reflection storage', () => {
  it('keeps Redis memory per reflection within 1.5× its text bytes', async () => {
    const store = createReflectionStore(redis, keys, clock, 'Asia/Shanghai')
    await store.submit({ id: 'warm', group: GROUP, memberId: 'm0', memberName: '成员0', text: reflectionText(0) })
    const n = 5000
    const before = await usedMemory()
    let textBytes = 0
    for (let i = 1; i <= n; i += 250) {
      await Promise.all(Array.from({ length: 250 }, (_, j) => {
        const text = reflectionText(i + j)
        textBytes += Buffer.byteLength(text)
        return store.submit({ id: `r${i + j}`, group: GROUP, memberId: `m${(i + j) % 40}`, memberName: `成员${(i + j) % 40}`, text, assignmentId: 'a1' })
      }))
    }
    const perReflection = (await usedMemory() - before) / n
    console.log(`reflection storage: ${perReflection.toFixed(0)} B of Redis memory per reflection for ${(textBytes / n).toFixed(0)} B of text`)
    const perText = textBytes / n
    // MEMORY USAGE of the group's keys says the same from the keys' side
    const keyBytes = (await Promise.all([keys.reflectionMeta(GROUP), keys.reflectionText(GROUP), keys.reflectionLog(GROUP), keys.reflectionDigests(GROUP)]
      .map((k) => redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0') as Promise<number>))).reduce((a, b) => a + b, 0) / (n + 1)
    expect(perText).toBeGreaterThan(1000)
    expect(perReflection).toBeLessThanOrEqual(1.5 * perText)
    expect(keyBytes).toBeLessThanOrEqual(1.5 * perText)
    // and every text comes back whole
    const back = new Map<string, string>()
    for await (const r of store.all(GROUP)) back.set(r.id, r.text)
    expect(back.size).toBe(n + 1)
    expect(back.get('r4321')).toBe(reflectionText(4321))
  })

  it('moves reflections stored one hash each (before the compact format) on first use, with their history', async () => {
    const g = '第二党支部学习群'
    // what the previous format wrote: a hash per reflection, the log, digests, member list, submitters
    const legacy = [
      { id: 'old1', memberId: 'm1', memberName: '小明', text: '老格式的第一篇心得，学习了党章总纲。', status: 'submitted', submittedMs: clock.now() - 86400000 },
      { id: 'old2', memberId: 'm1', memberName: '小明', text: '老格式的第二篇心得，后来修改过。', status: 'edited', submittedMs: clock.now() - 3600000, editedMs: clock.now() - 1800000 },
      { id: 'old3', memberId: 'm2', memberName: '小红', text: '老格式的第三篇，已撤回。', status: 'withdrawn', submittedMs: clock.now() - 600000 },
    ]
    for (const r of legacy) {
      const digest = reflectionDigest(r.memberId, r.text)
      await redis.hset(keys.reflection(g, r.id), {
        id: r.id, group: g, memberId: r.memberId, memberName: r.memberName, assignmentId: 'a1', text: r.text, chars: String(r.text.length),
        submittedAt: new Date(r.submittedMs).toISOString(), submittedMs: String(r.submittedMs), status: r.status, digest,
        ...(r.editedMs ? { editedAt: 'x', editedMs: String(r.editedMs) } : {}),
        ...(r.status === 'withdrawn' ? { withdrawnAt: '2026-11-30T08:55:00+08:00' } : {}),
      })
      await redis.xadd(keys.reflectionLog(g), '*', 'id', r.id)
      if (r.status !== 'withdrawn') await redis.hset(keys.reflectionDigests(g), digest, r.id)
      await redis.rpush(keys.memberReflections(g, r.memberId), r.id)
    }
    const store = createReflectionStore(redis, keys, clock, 'Asia/Shanghai')
    const all = []
    for await (const r of store.all(g)) all.push(r)
    expect(all.map((r) => [r.id, r.status, r.text])).toEqual(legacy.map((r) => [r.id, r.status, r.text]))
    expect(all[1]!.editedAt).toBeDefined()
    expect(all[2]!.withdrawnAt).toBe('2026-11-30T08:55:00+08:00')
    for (const r of legacy) expect(await redis.exists(keys.reflection(g, r.id))).toBe(0)
    // replays, duplicates, edits and withdrawals see the moved reflections
    expect((await store.submit({ id: 'old1', group: g, memberId: 'm1', memberName: '小明', text: '随便' })).status).toBe('exists')
    expect((await store.submit({ id: 'new1', group: g, memberId: 'm1', memberName: '小明', text: legacy[0]!.text })).status).toBe('duplicate')
    expect((await store.editLatest(g, 'm1', 'a1', '修改后的第二篇心得。')).status).toBe('edited')
    expect((await store.listMember(g, 'm1')).map((r) => r.text)).toEqual([legacy[0]!.text, '修改后的第二篇心得。'])
    // a second store (another process) finds nothing left to move
    const again = createReflectionStore(redis, keys, clock, 'Asia/Shanghai')
    expect((await again.get(g, 'old3'))?.status).toBe('withdrawn')
  })
})
