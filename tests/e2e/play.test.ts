import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { stringify } from 'yaml'
import { startTestRedis } from '../support/redis.ts'
import { baseConfig, repoRoot } from '../support/harness.ts'

let server: Awaited<ReturnType<typeof startTestRedis>>
let dir: string

beforeAll(async () => {
  server = await startTestRedis()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-play-'))
})
afterAll(async () => {
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

function writeConfig(name: string, config: Record<string, unknown>): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, stringify(config))
  return file
}

function studybot(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'studybot.js'), ...args], {
    cwd: dir, encoding: 'utf8', timeout: 60000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function script(lines: unknown[]): string {
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}.jsonl`)
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n')
  return file
}

describe('studybot play', () => {
  it('prints one JSON line per message the bot sends, in order', () => {
    const config = writeConfig('play.yaml', { ...baseConfig(), dataDir: path.join(dir, 'data') })
    const { code, stdout, stderr } = studybot(['play', script([
      { from: '小明', text: '#帮助' },
      { wait: 100 },
      { from: '小明', text: '#帮助', private: true },
      { from: '张书记', text: '#帮助', room: '第二党支部学习群' },
      { from: '小明', text: '今天天气不错' },
    ]), '--config', config], { REDIS_URL: server.url })
    expect(stderr).not.toMatch(/"level":(50|60)/)
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatchObject({ room: '第一党支部学习群', to: null, mentions: ['小明'], file: null })
    expect(lines[0].text).toContain('#心得')
    expect(lines[1]).toMatchObject({ room: null, to: '小明', mentions: [] })
    expect(lines[2]).toMatchObject({ room: '第二党支部学习群', mentions: ['张书记'] })
    expect(lines[2].text).not.toContain('#定时')
  })

  it('with accounts: in the config, each account answers in its own groups and in the private chats it gets', () => {
    const config = writeConfig('accounts.yaml', {
      ...baseConfig(), dataDir: path.join(dir, 'accounts'),
      accounts: [{ id: 'east', groups: ['第一党支部学习群'] }, { id: 'west', groups: ['第二党支部学习群'] }],
    })
    const { code, stdout, stderr } = studybot(['play', script([
      { from: '小明', text: '#帮助', room: '第一党支部学习群' },
      { from: '张书记', text: '#帮助', room: '第二党支部学习群' },
      { from: '王书记', text: '#帮助', private: true, account: 'west' },
    ]), '--config', config], { REDIS_URL: server.url })
    expect(stderr).not.toMatch(/"level":(50|60)/)
    expect(code).toBe(0)
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l))
    // a secretary's private #帮助 comes in more than one message
    expect([...new Set(lines.map((l) => `${l.room ?? `私聊 ${l.to}`} ${l.account}`))]).toEqual([
      '第一党支部学习群 east', '第二党支部学习群 west', '私聊 王书记 west',
    ])
    const unknown = studybot(['play', script([{ from: '小明', text: '#帮助', account: 'north' }]), '--config', config], { REDIS_URL: server.url })
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('没有 id 为“north”的账号')
  })

  it('starts its own throwaway Redis when REDIS_URL is not set', () => {
    const config = writeConfig('own-redis.yaml', { ...baseConfig(), dataDir: path.join(dir, 'own') })
    const { code, stdout } = studybot(['play', script([{ from: '小明', text: '#帮助' }]), '--config', config])
    expect(code).toBe(0)
    expect(JSON.parse(stdout.trim()).text).toContain('#心得')
    expect(fs.readdirSync(path.join(dir, 'own')).filter((f) => f.startsWith('redis-play'))).toEqual([])
  })

  it('a short play with schedules stops its jobs before logging out and logs no warning or error', () => {
    const schedules = Array.from({ length: 20 }, (_, i) => ({ id: `notice-${i}`, group: '*', cron: `${i} 9 * * *`, kind: 'text', text: `第${i}条通知` }))
    const config = writeConfig('short.yaml', { ...baseConfig(), dataDir: path.join(dir, 'short'), schedules })
    for (const lines of [[], [{ from: '小明', text: '#帮助' }]]) {
      const { code, stderr } = studybot(['play', script(lines), '--config', config], { LOG_LEVEL: 'info' })
      expect(code).toBe(0)
      const logs = stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: number; msg: string })
      // neither "schedule change notices unavailable" nor "Connection is closed." at exit
      expect(logs.filter((l) => l.level >= 40)).toEqual([])
      const msgs = logs.map((l) => l.msg)
      const loggedOut = msgs.indexOf('logged out')
      expect(loggedOut).toBeGreaterThan(-1)
      expect(msgs.slice(loggedOut).filter((m) => /scheduler/.test(m))).toEqual([])
      if (msgs.includes('scheduler started')) expect(msgs.indexOf('scheduler stopped')).toBeGreaterThan(msgs.indexOf('scheduler started'))
    }
  })

  it('names the line number of a malformed script line', () => {
    const config = writeConfig('bad-line.yaml', { ...baseConfig(), dataDir: path.join(dir, 'data') })
    const file = path.join(dir, 'bad.jsonl')
    fs.writeFileSync(file, '{"from":"小明","text":"#帮助"}\n{"from":"小明"\n')
    const { code, stderr, stdout } = studybot(['play', file, '--config', config], { REDIS_URL: server.url })
    expect(code).toBe(1)
    expect(stderr).toContain('第 2 行')
    expect(stdout).toBe('')
  })

  it('exits 1 listing every problem of a bad config', () => {
    const config = writeConfig('bad.yaml', {
      bot: { name: '助手', sendIntervalMs: -5 },
      timezone: 'Asia/Nowhere',
      groups: [{ topic: '一支部', secretarys: ['张书记'] }],
      schedules: [{ id: 'x', group: '二支部', cron: '0 9 * *', kind: 'text', text: '学习' }],
    })
    const { code, stderr } = studybot(['play', script([{ from: '小明', text: '#帮助' }]), '--config', config], { REDIS_URL: server.url })
    expect(code).toBe(1)
    for (const where of ['bot.sendIntervalMs', 'timezone', 'groups[0]', 'secretarys', 'schedules[0].group', 'schedules[0].cron']) {
      expect(stderr).toContain(where)
    }
  })

  it('reflections played in a script are exported by studybot export on the same REDIS_URL', () => {
    const config = writeConfig('export.yaml', { ...baseConfig(), dataDir: path.join(dir, 'data') })
    const essay = '今天学习了党章第一章，深刻认识到党员必须履行的八项义务，要带头发挥先锋模范作用。'
    const played = studybot(['play', script([
      { from: '小明', text: `#心得 ${essay}` },
      { from: '小红', text: '#心得 =HYPERLINK("http://x") 学习民主集中制，理解了党的根本组织原则和根本领导制度。' },
      { from: '小刚', text: `#心得 ${essay}`, room: '第二党支部学习群' },
    ]), '--config', config], { REDIS_URL: server.url })
    expect(played.code).toBe(0)
    const out = path.join(dir, 'f.csv')
    const exported = studybot(['export', '--group', '第一党支部学习群', '--format', 'csv', '--out', out, '--config', config], { REDIS_URL: server.url })
    expect(exported.code).toBe(0)
    const csv = fs.readFileSync(out, 'utf8')
    expect(csv.startsWith('\uFEFF')).toBe(true)
    expect(csv).toContain(essay)
    expect(csv).toContain('小明')
    expect(csv).toContain(`'=HYPERLINK`)
    expect(csv).not.toContain('小刚')
  })
})
