import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import ExcelJS from 'exceljs'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { loadConfig } from '../../src/config.ts'
import type { Deps } from '../../src/deps.ts'
import { run as members } from '../../src/cli/members.ts'
import { readLedgerFile } from '../../src/org-life/ledger-file.ts'
import { repoRoot } from '../support/harness.ts'
import { testDeps } from '../support/deps.ts'

const G1 = '第一党支部学习群'

describe('studybot members import|list|export', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let deps: Deps
  let dir: string
  let cfg: string
  const stdout: string[] = []
  const stderr: string[] = []
  let env: NodeJS.ProcessEnv

  /** A ledger as Excel writes it: 入党日期 as real date cells, 转正日期 as typed text or a serial number. */
  const writeLedger = async (file: string, rows: (string | number | Date)[][]) => {
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('党员台账')
    for (const r of [['姓名', '微信ID', '入党日期', '转正日期', '党小组'], ...rows]) sheet.addRow(r)
    await book.xlsx.writeFile(file)
  }

  beforeAll(async () => {
    server = await startTestRedis()
    redis = await connectRedis(server.url)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-members-cli-'))
    cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, `materials: ${path.join(repoRoot, 'materials')}\ndataDir: ${path.join(dir, 'data')}\ngroups:\n  - topic: ${G1}\n    secretaries: [{ id: wxid_zhangshuji, name: 张书记 }]\nmembers:\n  wx_li: 李四\n`)
    env = { REDIS_URL: server.url }
    // the CLI uses the bot's keys, under the default prefix, on this test's own server
    deps = (await testDeps({ config: loadConfig(cfg, env), redis, keys: createKeys() })).deps
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr.push(String(s)); return true })
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout.push(String(s)); return true })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('imports the example ledger in config/', async () => {
    const { members: parsed, errors } = await readLedgerFile(path.join(repoRoot, 'config', '党员台账示例.csv'), '2026-12-01')
    expect(errors).toEqual([])
    expect(parsed.map((m) => [m.name, m.joined, m.confirmed ?? ''])).toEqual([
      ['张三', '2016-03-05', '2017-03-05'], ['李四', '2012-07-01', '2013-07-01'], ['王五', '2020-02-29', '2021-03-01'], ['赵六', '2025-06-18', ''],
    ])
  })

  it('reports every bad row by number, keeps the old ledger whole, then replaces it with the corrected file', async () => {
    const first = path.join(dir, 'first.csv')
    fs.writeFileSync(first, '姓名,入党日期\n老党员,1990-07-01\n')
    expect(await members(['import', first, '--group', G1, '--config', cfg], env)).toBe(0)

    const bad = path.join(dir, 'bad.xlsx')
    await writeLedger(bad, [
      ['张三', '', new Date(Date.UTC(2016, 2, 5)), '2017/3/5', '第一党小组'],
      ['李四', 'wx_li', new Date(Date.UTC(2012, 6, 1)), 41456, '第一党小组'],
      ['王五', '', '2020年2月30日', '', '第二党小组'],
      ['张三', '', '2018-01-01', '', ''],
    ])
    stderr.length = 0
    expect(await members(['import', bad, '--group', G1, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toMatch(/有 2 处问题，没有导入任何党员[\s\S]*第 4 行：入党日期“2020年2月30日”应为日期[\s\S]*第 5 行：姓名“张三”与第 2 行重复/)
    expect((await deps.stores.ledger.list(G1)).map((m) => m.name)).toEqual(['老党员'])

    const good = path.join(dir, 'good.xlsx')
    await writeLedger(good, [
      ['张三', '', new Date(Date.UTC(2016, 2, 5)), '2017/3/5', '第一党小组'],
      ['李四', 'wx_li', new Date(Date.UTC(2012, 6, 1)), 41456, '第一党小组'],
      ['王五', '', '2020年2月29日', '', '第二党小组'],
    ])
    await redis.sadd(createKeys().seenMembers(G1), 'wx_li')
    stdout.length = 0
    expect(await members(['import', good, '--group', G1, '--config', cfg], env)).toBe(0)
    const said = stdout.join('')
    expect(said).toContain('导入党员台账 3 人')
    expect(said).toContain('台账 3 人中，1 人已对应到群成员')
    expect(said).toContain('未能对应的 2 人：张三、王五')
    expect(await deps.stores.ledger.list(G1)).toEqual([
      { key: '张三', name: '张三', joined: '2016-03-05', confirmed: '2017-03-05', cell: '第一党小组', row: 2 },
      { key: 'wx_li', name: '李四', platformId: 'wx_li', joined: '2012-07-01', confirmed: '2013-07-01', cell: '第一党小组', row: 3 },
      { key: '王五', name: '王五', joined: '2020-02-29', cell: '第二党小组', row: 4 },
    ])
  })

  it('lists and exports the ledger; refuses a missing group or file in Chinese', async () => {
    stdout.length = 0
    expect(await members(['list', '--group', G1, '--config', cfg], env)).toBe(0)
    expect(stdout.join('')).toMatch(/党员台账（3 人）[\s\S]*李四\twx_li\t2012-07-01\t2013-07-01\t第一党小组/)

    const out = path.join(dir, 'ledger.csv')
    expect(await members(['export', '--group', G1, '--out', out, '--config', cfg], env)).toBe(0)
    const csv = fs.readFileSync(out, 'utf8')
    expect(csv).toContain('姓名,微信/企业微信ID,入党日期,转正日期,党小组')
    expect(csv).toContain('王五,,2020-02-29,,第二党小组')
    expect(csv).toContain('（预备党员）')

    stderr.length = 0
    expect(await members(['import', path.join(dir, 'missing.xlsx'), '--group', G1, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('找不到文件')
    expect(await members(['list', '--group', '第九支部', '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('没有名为“第九支部”的学习群')
    expect(await members(['import', '--group', G1, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('studybot members import')
  })
})
