import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../support/harness.ts'
import { clusterUnsupported, startTestCluster, type TestCluster } from '../support/redis-cluster.ts'
import { startJournalReplay } from '../../src/reflections/journal-replay.ts'
import { exportGroup } from '../../src/export/export-group.ts'
import { connectRedis } from '../../src/store/redis.ts'

// What only a cluster can do to the bot, on a local 3-master Redis Cluster the test starts itself
// (REDIS_CLUSTER_NODES, as an operator sets it). The reflection, schedule and export test files
// themselves run unchanged on a cluster too: the `cluster` project in vitest.config.ts.
const G1 = '第一党支部学习群'
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''
const essay = (n: number, seed = '学习') => `${seed}${'党的创新理论，联系工作实际，'.repeat(40)}`.slice(0, n)
const unsupported = clusterUnsupported()
if (unsupported) console.warn(`skipping the Redis Cluster test: ${unsupported}`)

let dir: string
let cluster: TestCluster
let h: Harness

describe.skipIf(unsupported)('on a Redis Cluster of three masters', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-cluster-'))
    cluster = await startTestCluster()
    h = await startHarness({
      env: { REDIS_CLUSTER_NODES: cluster.nodes.join(',') },
      config: { dataDir: path.join(dir, 'data'), reflections: { minChars: 20, maxChars: 300 } },
    })
    const now = Date.now()
    await h.app.deps.stores.assignments.open({ id: 'a1', group: G1, title: '学习党章', dueAt: now + 86400000, openedAt: now - 1000 })
  }, 60_000)
  afterAll(async () => {
    await h?.stop()
    await cluster?.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('journals a reflection when REDIS_URL names one cluster node that answers MOVED, instead of losing it', async () => {
    const probe = await connectRedis(`redis://${cluster.nodes[0]}`)
    const slot = await probe.call('CLUSTER', 'KEYSLOT', h.keys.reflectionLog(G1)) as number
    const ranges = await probe.call('CLUSTER', 'SLOTS') as Array<[number, number, [string, number]]>
    probe.disconnect()
    const ownerPort = ranges.find(([a, b]) => slot >= a && slot <= b)![2][1]
    const other = cluster.ports.find((p) => p !== ownerPort)!
    const single = await startHarness({ redisUrl: `redis://127.0.0.1:${other}`, keys: h.keys, config: { dataDir: path.join(dir, 'single'), reflections: { minChars: 20, maxChars: 300 } } })
    try {
      const [reply] = await single.say('小李', `#心得 ${essay(30, '单节点')}`)
      expect(body(reply)).toContain('已收到小李的心得（30 字）')
      expect(body(reply)).toContain('暂存')
      expect(single.app.deps.stores.journal.hasPending()).toBe(true)
    } finally {
      await single.stop()
    }
  })

  it('loses no reflection while the node that holds the group restarts, and exports each once', async () => {
    // the node that serves the group's hash slot
    const probe = await connectRedis(`redis://${cluster.nodes[0]}`)
    const slot = await probe.call('CLUSTER', 'KEYSLOT', h.keys.reflectionLog(G1)) as number
    const ranges = await probe.call('CLUSTER', 'SLOTS') as Array<[number, number, [string, number]]>
    probe.disconnect()
    const owner = cluster.ports.indexOf(ranges.find(([a, b]) => slot >= a && slot <= b)![2][1])
    expect(owner).toBeGreaterThanOrEqual(0)

    const members = Array.from({ length: 12 }, (_, i) => `成员${i + 1}`)
    const replies: string[] = []
    const replay = startJournalReplay(h.app.deps, { intervalMs: 100 })
    try {
      for (const [i, m] of members.entries()) {
        if (i === 4) await cluster.kill(owner)
        if (i === 8) await cluster.start(owner)
        replies.push(body((await h.say(m, `#心得 ${essay(30, `节点重启${i + 1}号`)}`))[0]))
      }
      const { journal } = h.app.deps.stores
      for (let i = 0; journal.hasPending(); i++) {
        if (i > 600) throw new Error('journal not replayed')
        await sleep(50)
      }
    } finally {
      await replay.stop()
    }
    // every member was told it is safe: stored at once, or kept in the journal while the node was down
    replies.forEach((r, i) => expect(r, members[i]).toContain(`已收到${members[i]}的心得（30 字）`))
    expect(replies.filter((r) => r.includes('暂存')).length).toBeGreaterThan(0)
    const out = path.join(dir, 'export.csv')
    await exportGroup(h.app.deps, h.config.groups[0], { format: 'csv', out })
    const lines = fs.readFileSync(out, 'utf8').split('\r\n')
    for (const [i, m] of members.entries()) {
      expect(lines.filter((l) => l.includes(`节点重启${i + 1}号`) && l.includes(`,${m},`)), m).toHaveLength(1)
    }
  }, 120_000)
})
