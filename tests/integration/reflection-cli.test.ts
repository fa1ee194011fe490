import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { systemClock } from '../../src/clock.ts'
import { createReflectionStore } from '../../src/store/reflection-store.ts'
import { run } from '../../src/cli/export.ts'

describe('studybot export', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let dir: string
  let cfg: string
  const stderr: string[] = []

  beforeAll(async () => {
    server = await startTestRedis()
    redis = await connectRedis(server.url)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-cli-'))
    cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, 'groups:\n  - topic: 第一党支部学习群\n    organizers: [{ id: wxid_liweiyuan, name: 李委员 }]\n')
    // the CLI reads the bot's keys, under the default prefix, on this test's own server
    await createReflectionStore(redis, createKeys(), systemClock, 'Asia/Shanghai')
      .submit({ id: 'c1', group: '第一党支部学习群', memberId: 'm1', memberName: '小明', text: '@cmd 这是一篇用于测试命令行导出的心得体会。' })
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr.push(String(s)); return true })
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('writes the group as CSV with REDIS_URL', async () => {
    const out = path.join(dir, 'f.csv')
    expect(await run(['--group', '第一党支部学习群', '--format', 'csv', '--out', out, '--config', cfg], { REDIS_URL: server.url })).toBe(0)
    const csv = fs.readFileSync(out, 'utf8')
    expect(csv).toContain(",小明,m1,")
    expect(csv).toContain("'@cmd 这是一篇")
  })

  it('explains every missing or wrong option in Chinese and exits 1', async () => {
    stderr.length = 0
    expect(await run(['--format', 'pdf', '--since', '2026-13-45', '--config', cfg], { REDIS_URL: server.url })).toBe(1)
    expect(stderr.join('')).toMatch(/缺少 --group[\s\S]*--format 应为[\s\S]*缺少 --out/)
    stderr.length = 0
    expect(await run(['--group', '不存在的群', '--format', 'csv', '--out', path.join(dir, 'x.csv'), '--config', cfg], { REDIS_URL: server.url })).toBe(1)
    expect(stderr.join('')).toContain('没有名为“不存在的群”的学习群')
    stderr.length = 0
    expect(await run(['--group', '第一党支部学习群', '--format', 'csv', '--out', path.join(dir, 'x.csv'), '--since', '2026-13-45', '--config', cfg], {})).toBe(1)
    expect(stderr.join('')).toContain('--since 应为日期')
  })
})
