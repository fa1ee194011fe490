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
import { withFileSizeLimit } from '../support/disk-full.ts'

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

  it('refuses a directory, an existing file and a symbolic link as --out, in Chinese, unless --force', async () => {
    const base = ['--group', '第一党支部学习群', '--config', cfg]
    const env = { REDIS_URL: server.url }
    for (const format of ['xlsx', 'csv']) {
      stderr.length = 0
      expect(await run([...base, '--format', format, '--out', dir], env)).toBe(1)
      expect(stderr.join('')).toContain(`--out 应为文件路径，“${dir}”是一个目录。例如：--out ${path.join(dir, `心得汇总.${format}`)}`)
    }
    const existing = path.join(dir, 'existing.csv')
    fs.writeFileSync(existing, 'keep me')
    stderr.length = 0
    expect(await run([...base, '--format', 'csv', '--out', existing], env)).toBe(1)
    expect(stderr.join('')).toContain(`文件“${existing}”已存在，不会覆盖`)
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me')
    expect(await run([...base, '--format', 'csv', '--out', existing, '--force'], env)).toBe(0)
    expect(fs.readFileSync(existing, 'utf8')).toContain(',小明,m1,')

    const victim = path.join(dir, 'victim.txt')
    const link = path.join(dir, 'link.xlsx')
    fs.writeFileSync(victim, 'not yours')
    fs.symlinkSync(victim, link)
    stderr.length = 0
    expect(await run([...base, '--format', 'xlsx', '--out', link], env)).toBe(1)
    expect(stderr.join('')).toContain(`“${link}”是一个符号链接，不会写入它指向的文件`)
    // --force replaces the link itself; the file it pointed to is never written
    expect(await run([...base, '--format', 'xlsx', '--out', link, '--force'], env)).toBe(0)
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(false)
    expect(fs.readFileSync(victim, 'utf8')).toBe('not yours')
    // nothing half-written is left next to the outputs
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses a date that does not exist, with an example', async () => {
    stderr.length = 0
    expect(await run(['--group', '第一党支部学习群', '--format', 'csv', '--out', path.join(dir, 'feb.csv'), '--since', '2026-02-31', '--config', cfg], { REDIS_URL: server.url })).toBe(1)
    expect(stderr.join('')).toContain('--since 应为日期 YYYY-MM-DD，例如 2026-11-01（收到“2026-02-31”，这一天不存在：2026 年 2 月只有 28 天）')
    expect(fs.existsSync(path.join(dir, 'feb.csv'))).toBe(false)
  })

  it('says in Chinese that the disk is full, and leaves no file behind', async () => {
    for (const format of ['csv', 'xlsx']) {
      const out = path.join(dir, `full.${format}`)
      stderr.length = 0
      const code = await withFileSizeLimit(64, () => run(['--group', '第一党支部学习群', '--format', format, '--out', out, '--config', cfg], { REDIS_URL: server.url }))
      expect(code).toBe(1)
      expect(stderr.join('')).toContain(`导出失败：磁盘已满，无法写入 ${out}。请清理磁盘后再试。`)
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('full.') || f.includes('.full.'))).toEqual([])
    }
  })
})
