import { describe, expect, it } from 'vitest'
import { setTimeout as sleep } from 'node:timers/promises'
import { fanOut } from '../../src/jobs/fan-out.ts'
import { createGroupCommit } from '../../src/util/group-commit.ts'

/** A promise and its resolver, to hold a send until the test lets it go. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((resolve) => { open = resolve })
  return { opened, open }
}

describe('fan-out lanes', () => {
  it('keeps each lane at its limit, and a send that hangs holds one place while the rest go on', async () => {
    const items = [...Array.from({ length: 30 }, (_, i) => `bot${i}`), ...Array.from({ length: 30 }, (_, i) => `hook${i}`)]
    const todo = [...items]
    const running = { bot: 0, webhook: 0 }
    const most = { bot: 0, webhook: 0 }
    const done: string[] = []
    const stuck = gate()
    const run = fanOut({
      limits: { bot: 3, webhook: 10 },
      batch: 8,
      laneOf: (item: string) => item.startsWith('hook') ? 'webhook' : 'bot',
      take: async (max) => todo.splice(0, max),
      handle: async (item) => {
        const lane = item.startsWith('hook') ? 'webhook' : 'bot'
        running[lane]++
        most[lane] = Math.max(most[lane], running[lane])
        if (item === 'bot0') await stuck.opened // its room cannot be reached yet
        else await sleep(1)
        running[lane]--
        done.push(item)
      },
    })
    while (done.length < items.length - 1) await sleep(5) // everything else, while bot0 waits
    expect(done).not.toContain('bot0')
    stuck.open()
    await run
    expect(done.sort()).toEqual([...items].sort())
    expect(most).toEqual({ bot: 3, webhook: 10 })
  })

  it('takes no more while what it took waits behind a full lane, so nothing sits long under its lease', async () => {
    let taken = 0
    const hold = gate()
    const run = fanOut({
      limits: { bot: 2, webhook: 50 },
      batch: 5,
      laneOf: (): 'bot' | 'webhook' => 'bot',
      take: async (max) => { const n = Math.min(max, 100 - taken); taken += n; return Array.from({ length: n }, (_, i) => i) },
      handle: () => hold.opened,
    })
    while (taken < 5) await sleep(5)
    await sleep(50)
    // the first take (5) filled the bot lane (2) and queued 3; with items queued nothing more is taken
    expect(taken).toBe(5)
    hold.open()
    await run
    expect(taken).toBe(100)
  })

  it('stops at the first failure and reports it once the sends in flight settle', async () => {
    let calls = 0
    const run = fanOut({
      limits: { bot: 4 },
      batch: 4,
      laneOf: () => 'bot' as const,
      take: async (max) => Array.from({ length: max }, (_, i) => i),
      handle: async () => { if (++calls === 3) throw new Error('redis gone') },
    })
    await expect(run).rejects.toThrow('redis gone')
    expect(calls).toBeLessThan(10)
  })
})

describe('group commit', () => {
  it('writes the items that arrive while a flush runs in one call, each caller getting its own result', async () => {
    const flushes: number[][] = []
    const first = gate()
    const commit = createGroupCommit(async (items: number[]) => {
      flushes.push(items)
      if (flushes.length === 1) await first.opened
      return items.map((i) => i * 10)
    })
    const a = commit(1)
    await sleep(5) // the first flush is running
    const rest = [2, 3, 4, 5].map((i) => commit(i))
    first.open()
    expect(await Promise.all([a, ...rest])).toEqual([10, 20, 30, 40, 50])
    expect(flushes).toEqual([[1], [2, 3, 4, 5]])
  })

  it('fails every caller of a flush that failed, and the next flush still runs', async () => {
    let n = 0
    const commit = createGroupCommit(async (items: string[]) => {
      if (n++ === 0) throw new Error('connection lost')
      return items
    })
    const failed = await Promise.allSettled([commit('a'), commit('b')])
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(await commit('c')).toBe('c')
  })
})
