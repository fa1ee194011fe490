import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { startHarness, type Harness } from '../support/harness.ts'

const G1 = '第一党支部学习群'

let dir: string
let server: LocalRedisServer
let h: Harness

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-retry-'))
  server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    config: {
      dataDir: path.join(dir, 'data'),
      bot: { name: '学习助手', sendIntervalMs: 0, sendRetries: 2 },
      // Feb 29 only: never fires by itself while the test runs
      schedules: [{ id: 'notice', group: G1, cron: '0 9 29 2 *', kind: 'text', text: '本周学习安排' }],
    },
  })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('sending on a platform that keeps failing', () => {
  it('tries a broadcast sendRetries + 1 times in all, not once more per layer, and tells the secretary', async () => {
    const puppet = h.world.puppet
    const send = puppet.messageSendText.bind(puppet)
    let broadcasts = 0
    puppet.messageSendText = async (conversationId: string, text: string, mentions?: string[]) => {
      if (text.includes('本周学习安排')) {
        broadcasts++
        throw new Error('network down')
      }
      return send(conversationId, text, mentions)
    }
    try {
      const replies = await h.say('张书记', '#定时 立即 notice', { room: G1 })
      expect(broadcasts).toBe(3)
      expect(replies.map((m) => m.text).join('\n')).toContain('任务 notice 发送失败')
    } finally {
      puppet.messageSendText = send
    }
  })
})
