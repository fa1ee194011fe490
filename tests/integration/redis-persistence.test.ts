import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startLocalRedis } from '../../src/store/local-redis-server.ts'
import { startHarness } from '../support/harness.ts'
import { until } from '../support/until.ts'
import type { SentMessage } from '../../src/bot/mock-world.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-persist-'))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const checked = (logs: { msg?: string }[]) => logs.some((l) => l.msg === 'redis persistence checked')
const warned = (logs: { msg?: string }[]) => logs.some((l) => l.msg === 'redis keeps no data across a restart')

describe('Redis persistence at start and on reconnect', () => {
  it('warns when Redis keeps nothing across a restart (read by CONFIG, or by INFO where CONFIG is refused), and not when AOF is on', async () => {
    const cases = [
      { name: 'none', persistent: false, args: [], warns: true },
      { name: 'aof', persistent: true, args: [], warns: false },
      { name: 'none-no-config', persistent: false, args: ['--rename-command', 'CONFIG', ''], warns: true },
      { name: 'aof-no-config', persistent: true, args: ['--rename-command', 'CONFIG', ''], warns: false },
    ]
    for (const c of cases) {
      const server = await startLocalRedis({ dir: path.join(root, c.name), persistent: c.persistent, args: c.args })
      const h = await startHarness({ redisUrl: server.url, redisWatch: true })
      try {
        await until(() => checked(h.logs), `persistence checked (${c.name})`)
        expect({ case: c.name, warned: warned(h.logs) }).toEqual({ case: c.name, warned: c.warns })
        const line = h.logs.find((l) => l.msg === 'redis persistence checked')!
        expect(line.via).toBe(c.args.length ? 'info' : 'config')
      } finally {
        await h.stop()
        await server.stop()
      }
    }
  }, 120_000)

  it('tells the secretaries privately when Redis came back empty, on reconnect and at the next start', async () => {
    const server = await startLocalRedis({ dir: path.join(root, 'emptied'), persistent: false })
    const dataDir = path.join(root, 'emptied-data')
    const notices = (sent: SentMessage[]) => sent.filter((m) => m.text.includes('数据已被清空'))
    try {
      const h = await startHarness({ redisUrl: server.url, config: { dataDir }, redisWatch: true })
      try {
        await until(() => checked(h.logs), 'first check')
        // the first start on this Redis only writes the marker
        expect(h.logs.some((l) => l.msg?.startsWith('redis came back empty'))).toBe(false)
        await server.restart()
        await until(() => notices(h.sent).length >= 2, 'secretaries told after the reconnect')
        expect(notices(h.sent).map((m) => [m.room, m.to]).sort()).toEqual([[null, '张书记'], [null, '王书记']])
        expect(notices(h.sent).find((m) => m.to === '张书记')!.text).toContain('“第一党支部学习群”此前保存的心得')
        expect(h.logs.find((l) => l.msg?.startsWith('redis came back empty'))?.level).toBe(50)
      } finally {
        await h.stop()
      }
      // emptied again while the bot was stopped: the next start on the same data folder finds out
      await server.restart()
      const next = await startHarness({ redisUrl: server.url, config: { dataDir }, redisWatch: true })
      try {
        await until(() => notices(next.sent).length >= 2, 'secretaries told at the next start')
      } finally {
        await next.stop()
      }
    } finally {
      await server.stop()
    }
  }, 120_000)
})
