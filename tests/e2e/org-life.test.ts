import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { createManualClock } from '../../src/clock.ts'
import { createLedgerStore } from '../../src/store/ledger-store.ts'
import { parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { startHarness, type Harness } from '../support/harness.ts'

const G1 = '第一党支部学习群'
/** Reply text without the @-mention WeChat puts in front. */
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''

let dir: string
let server: LocalRedisServer
let h: Harness
// a fake clock near real time (messages older than maxMessageAgeSeconds would be ignored)
const clock = createManualClock(Date.now())

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-org-'))
  server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  h = await startHarness({
    redisUrl: server.url,
    clock,
    config: { dataDir: path.join(dir, 'data'), bot: { name: '学习助手', sendIntervalMs: 0, maxMessageAgeSeconds: 7 * 86_400 } },
  })
  const header = ['姓名', '微信ID', '入党日期', '转正日期', '党小组']
  const { members } = parseLedgerRows([header, ['小明', '', '2016-03-05', '2017-03-05', '一组'], ['小红', '', '2018-07-01', '2019-07-01', '一组'], ['老周', '', '2000-07-01', '2001-07-01', '二组']]
    .map((cells, i) => ({ row: i + 1, cells })), '2026-01-01')
  await createLedgerStore(h.redis, h.keys, clock).replace(G1, members, '台账.xlsx')
  h.world.member('小明')
  h.world.member('小红')
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('组织生活 through the real bot', () => {
  it('shows a secretary privately how the ledger matches the group; refuses a member', async () => {
    const replies = await h.say('张书记', '#台账', { room: G1 })
    const report = replies.find((m) => m.room === null && m.to === '张书记')
    expect(body(report)).toContain('台账 3 人中，2 人已对应到群成员')
    expect(body(report)).toContain('未能对应的 1 人：老周')
    expect(replies.find((m) => m.room === G1)?.text).toContain('已私信发给你')

    const [refused] = await h.say('小明', '#台账', { room: G1 })
    expect(body(refused)).toBe('抱歉，这个操作只有书记或组织委员可以使用。')
    const [how] = await h.say('李委员', '#导入台账', { private: true })
    expect(body(how)).toContain('暂不支持在聊天中发送台账文件导入')
    expect(body(how)).toContain('studybot members import 台账.xlsx --group 第一党支部学习群')
  })
})
