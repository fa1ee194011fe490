import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config.ts'
import { connectRedis, connectTarget, type Redis } from '../../src/store/redis.ts'
import { applyJournalEntry, saveReflection } from '../../src/reflections/save-reflection.ts'
import { clusterUnsupported, startTestSentinel, type TestSentinel } from '../support/redis-cluster.ts'
import { testDeps } from '../support/deps.ts'
import { until } from '../support/until.ts'

const unsupported = clusterUnsupported()
if (unsupported) console.warn(`skipping the Sentinel test: ${unsupported}`)

const G = '第一党支部学习群'
/** How many commands the node on `port` refused with READONLY so far (INFO errorstats). */
async function readonlyErrors(port: number): Promise<number> {
  const r = await connectRedis(`redis://127.0.0.1:${port}`)
  try { return Number(/errorstat_READONLY:count=(\d+)/.exec(await r.info('errorstats'))?.[1] ?? 0) } finally { r.disconnect() }
}

let s: TestSentinel
let redis: Redis
let dir: string

describe.skipIf(unsupported)('Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME)', () => {
  beforeAll(async () => {
    s = await startTestSentinel()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-sentinel-data-'))
  }, 60_000)
  afterAll(async () => {
    redis?.disconnect()
    await s?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('finds the new master after a failover instead of failing every write with READONLY', async () => {
    const config = parseConfig({ groups: [{ topic: '第一党支部学习群' }], dataDir: dir }, path.join(dir, 'config.yaml'), {
      REDIS_SENTINELS: s.sentinel, REDIS_SENTINEL_NAME: s.name,
    })
    redis = await connectTarget(config.secrets.redis)
    const { deps } = await testDeps({ config, redis })
    const submit = (i: number) => saveReflection(deps, { id: `r${i}`, group: '第一党支部学习群', memberId: `m${i}`, memberName: `成员${i}`, text: `第${i}篇学习体会，联系实际谈收获。`, submittedMs: Date.now() })
    expect((await submit(1)).status).toBe('stored')
    // replicated before the switch (Sentinel promotes without waiting for the replica)
    await redis.call('WAIT', '1', '5000')

    await s.failover()
    // the old master is a replica now; the client must move to the new one by itself
    const after: string[] = []
    for (let i = 2; i <= 6; i++) {
      after.push((await submit(i)).status)
      await sleep(100)
    }
    expect(after.filter((x) => x === 'failed')).toEqual([])
    expect(after.at(-1)).toBe('stored')
    const master = await connectRedis(`redis://127.0.0.1:${s.replicaPort}`)
    try {
      const stored = await master.xlen(deps.keys.reflectionLog('第一党支部学习群'))
      const journaled = after.filter((x) => x === 'journaled').length
      expect(stored + journaled).toBe(6)
    } finally {
      master.disconnect()
    }
  }, 60_000)

  it('a client left on a master demoted behind its back gets READONLY, keeps that reflection in the journal, and moves to the new master', async () => {
    const config = parseConfig({ groups: [{ topic: G }], dataDir: path.join(dir, 'swap') }, path.join(dir, 'config.yaml'), {
      REDIS_SENTINELS: s.sentinel, REDIS_SENTINEL_NAME: s.name,
    })
    const client = await connectTarget(config.secrets.redis)
    try {
      const { deps } = await testDeps({ config, redis: client })
      const submit = (i: number) => saveReflection(deps, { id: `s${i}`, group: G, memberId: `m${i}`, memberName: `成员${i}`, text: `第${i}篇学习体会，联系实际谈收获。`, submittedMs: Date.now() })
      expect((await submit(1)).status).toBe('stored')
      // replicated before the swap (the replica may still be syncing after the failover above)
      await until(async () => Number(await client.call('WAIT', '1', '1000')) >= 1, 'the replica acknowledged s1')

      const { from, to } = await s.swapBehindClients()
      // still connected to the old master, which is a replica now
      expect((await client.call('ROLE') as string[])[0]).toBe('slave')
      const readonlyBefore = await readonlyErrors(from)
      // the write that meets READONLY: stored on the new master after the reconnect, or journaled; never lost
      const atSwitch = (await submit(2)).status
      expect(['stored', 'journaled']).toContain(atSwitch)
      expect(await readonlyErrors(from)).toBeGreaterThan(readonlyBefore)
      // the reply made the client reconnect through the Sentinel: the next write lands on the new master
      await until(async () => (await client.call('ROLE').catch(() => ['?']) as string[])[0] === 'master', 'the client on the new master')
      expect((await submit(3)).status).toBe('stored')

      await deps.stores.journal.replay((e) => applyJournalEntry(deps, e).then(() => undefined), deps.log)
      const master = await connectRedis(`redis://127.0.0.1:${to}`)
      try {
        const ids = (await master.xrange(deps.keys.reflectionLog(G), '-', '+')).map(([, f]) => f[f.indexOf('id') + 1])
        expect(ids.sort()).toEqual(['s1', 's2', 's3'])
      } finally {
        master.disconnect()
      }
    } finally {
      client.disconnect()
    }
  }, 60_000)

  it('names a missing REDIS_SENTINEL_NAME and refuses two Redis settings at once, in Chinese', () => {
    expect(() => parseConfig({ groups: [{ topic: 'g' }], dataDir: dir }, path.join(dir, 'c.yaml'), { REDIS_SENTINELS: s.sentinel }))
      .toThrow(/REDIS_SENTINEL_NAME/)
    expect(() => parseConfig({ groups: [{ topic: 'g' }], dataDir: dir }, path.join(dir, 'c.yaml'), { REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: 'a:1' }))
      .toThrow(/只能设置其中一个/)
    expect(() => parseConfig({ groups: [{ topic: 'g' }], dataDir: dir }, path.join(dir, 'c.yaml'), { REDIS_CLUSTER_NODES: 'a' }))
      .toThrow(/REDIS_CLUSTER_NODES：“a”不是 主机:端口/)
  })
})
