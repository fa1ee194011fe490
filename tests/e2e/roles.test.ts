import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { stringify } from 'yaml'
import { startTestRedis } from '../support/redis.ts'
import { baseConfig, startHarness, type Harness } from '../support/harness.ts'
import { createKeys } from '../../src/store/keys.ts'
import { run as whois } from '../../src/cli/whois.ts'

const G1 = '第一党支部学习群'
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '') ?? ''
const SECRETARY_ONLY = '抱歉，这个操作只有书记可以使用。'

let server: Awaited<ReturnType<typeof startTestRedis>>
let h: Harness
let dir: string

beforeAll(async () => {
  server = await startTestRedis()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-roles-'))
  // the bot's own key prefix, so `studybot whois` reads what this bot remembered
  h = await startHarness({ redisUrl: server.url, keys: createKeys() })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('roles are granted by platform id only', () => {
  it('a member who renames themselves to the secretary gets none of the secretary commands', async () => {
    // baseConfig: 张书记 is { id: wxid_zhangshuji, name: 张书记 }
    const impostor = await h.say('张书记', '#定时 列表', { room: G1, id: 'wxid_impostor' })
    expect(impostor.map(body).join('\n')).toBe(SECRETARY_ONLY)
    const real = await h.say('张书记', '#定时 列表', { room: G1 })
    expect(real.map(body).join('\n')).not.toBe(SECRETARY_ONLY)
  })

  it('a nickname equal to the secretary\'s configured id grants nothing either', async () => {
    const replies = await h.say('wxid_zhangshuji', '#提醒', { room: G1, id: 'wxid_copycat' })
    expect(replies.map(body).join('\n')).toBe(SECRETARY_ONLY)
  })

  it('the organizer\'s export is refused to a namesake, privately too', async () => {
    const replies = await h.say('李委员', '#导出 本月', { private: true, id: 'wxid_fake_li' })
    expect(replies.map((m) => m.text).join('\n')).toContain('只有组织委员')
    expect(replies.some((m) => m.file)).toBe(false)
  })

  it('studybot whois lists the ids of the people seen in each group, marking the configured ones', async () => {
    await h.say('小明', '#帮助', { room: G1 })
    const cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, stringify({ ...baseConfig(), dataDir: path.join(dir, 'data') }))
    const out: string[] = []
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true })
    try {
      expect(await whois(['--config', cfg], { REDIS_URL: server.url })).toBe(0)
    } finally {
      spy.mockRestore()
    }
    const text = out.join('')
    expect(text).toContain('群“第一党支部学习群”')
    expect(text).toMatch(/张书记 {2}ID：wxid_zhangshuji {2}← 已配置为书记/)
    // the impostor shows up under its own id, not as the secretary
    expect(text).toMatch(/张书记 {2}ID：wxid_impostor\n/)
    const xiaoming = h.world.member('小明').id
    expect(text).toContain(`小明  ID：${xiaoming}`)
  })
})
