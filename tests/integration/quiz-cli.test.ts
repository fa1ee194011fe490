import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import ExcelJS from 'exceljs'
import { startTestRedis } from '../support/redis.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { loadConfig } from '../../src/config.ts'
import { createManualClock } from '../../src/clock.ts'
import type { Deps } from '../../src/deps.ts'
import { awardRound, roundResults } from '../../src/quiz/points.ts'
import { run as quiz } from '../../src/cli/quiz.ts'
import { run as exportCli } from '../../src/cli/export.ts'
import { testDeps } from '../support/deps.ts'

const G1 = '第一党支部学习群'
const header = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '出处']

describe('studybot quiz import and export --what', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let deps: Deps
  let dir: string
  let cfg: string
  const stdout: string[] = []
  const stderr: string[] = []
  let env: NodeJS.ProcessEnv

  const writeBank = async (file: string, rows: string[][]) => {
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('题库')
    for (const r of [header, ...rows]) sheet.addRow(r)
    await book.xlsx.writeFile(file)
  }

  beforeAll(async () => {
    server = await startTestRedis()
    redis = await connectRedis(server.url)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-quiz-cli-'))
    cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, `materials: ${path.resolve(__dirname, '..', '..', 'materials')}\ndataDir: ${path.join(dir, 'data')}\ngroups:\n  - topic: ${G1}\n    secretaries: [{ id: wxid_zhangshuji, name: 张书记 }]\n`)
    env = { REDIS_URL: server.url }
    // the CLI uses the bot's keys, under the default prefix, on this test's own server
    deps = (await testDeps({ config: loadConfig(cfg, env), redis, keys: createKeys(), clock: createManualClock(Date.UTC(2026, 11, 2, 1)) })).deps
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr.push(String(s)); return true })
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout.push(String(s)); return true })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('reports every bad row by number and imports nothing, then imports the corrected file once', async () => {
    const bad = path.join(dir, 'bad.xlsx')
    await writeBank(bad, [
      ['单选', '预备党员的预备期为（ ）。', '半年', '一年', '两年', '三年', 'B', '党章第七条', '《中国共产党章程》第七条'],
      ['单选', '党的最高理想和最终目标是（ ）。', '共产主义', '小康社会', '', '', 'E', '', ''],
      ['填空', '', '', '', '', '', '十八岁', '', ''],
    ])
    stderr.length = 0
    expect(await quiz(['import', bad, '--group', G1, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toMatch(/有 2 处问题，没有导入任何题目[\s\S]*第 3 行：答案 E 没有对应的选项[\s\S]*第 4 行：缺少题干/)
    expect(await deps.stores.quiz.bank(G1)).toEqual([])

    const good = path.join(dir, 'good.xlsx')
    await writeBank(good, [
      ['单选', '预备党员的预备期为（ ）。', '半年', '一年', '两年', '三年', 'B', '党章第七条', '《中国共产党章程》第七条'],
      ['填空', '年满____岁的中国工人……可以申请加入中国共产党。', '', '', '', '', '十八', '', '党章第一条'],
    ])
    stdout.length = 0
    expect(await quiz(['import', good, '--group', G1, '--config', cfg], env)).toBe(0)
    expect(stdout.join('')).toContain('导入 2 道题')
    stdout.length = 0
    expect(await quiz(['import', good, '--group', G1, '--config', cfg], env)).toBe(0)
    expect(stdout.join('')).toContain('导入 0 道题（另有 2 道题库中已有，未重复导入）')
    expect((await deps.stores.quiz.bank(G1)).map((q) => q.answer)).toEqual(['B', '十八'])

    // bank questions come first, in import order
    stdout.length = 0
    expect(await quiz(['preview', '--group', G1, '--n', '3', '--config', cfg], env)).toBe(0)
    const preview = stdout.join('')
    expect(preview.indexOf('预备党员的预备期为')).toBeLessThan(preview.indexOf('年满____岁'))
    expect(preview).toContain('答案：B. 一年')
  })

  it('refuses a file it cannot read and a missing group, in Chinese', async () => {
    stderr.length = 0
    expect(await quiz(['import', path.join(dir, 'bank.xls'), '--group', G1, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('只支持 .xlsx 或 .csv')
    expect(await quiz(['import', path.join(dir, 'good.xlsx'), '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('缺少 --group')
  })

  it('exports quiz answers and monthly points, alone and as sheets of the xlsx', async () => {
    const [q] = await deps.stores.quiz.bank(G1)
    const now = deps.clock.now()
    const round = { id: 'daily-1', group: G1, slot: now, openedAt: now, dueAt: now + 3_600_000, questions: [q!] }
    await deps.stores.quiz.openRound(round)
    await deps.stores.quiz.recordAnswer(G1, round.id, { member: 'wxid_a', name: '小王', question: 0, text: 'B', correct: true, at: now + 1, messageId: 'm1' }, now + 1)
    await deps.stores.quiz.recordAnswer(G1, round.id, { member: 'wxid_b', name: '小李', question: 0, text: 'C', correct: false, at: now + 2, messageId: 'm2' }, now + 2)
    const answers = await deps.stores.quiz.answers(G1, round.id)
    const opened = (await deps.stores.quiz.round(G1, round.id))!
    const results = roundResults(opened, answers)
    await awardRound(deps, opened, answers, results)
    await deps.stores.quiz.markClosed(G1, round.id, results, now + 3_600_000)

    const csv = path.join(dir, 'quiz.csv')
    expect(await exportCli(['--group', G1, '--format', 'csv', '--what', 'quiz', '--out', csv, '--config', cfg], env)).toBe(0)
    const quizCsv = fs.readFileSync(csv, 'utf8')
    expect(quizCsv).toContain('出题时间,群,轮次ID,题号,题型,题干,正确答案')
    expect(quizCsv).toMatch(/小王,wxid_a,B,对,[^,]+,15/)
    expect(quizCsv).toMatch(/小李,wxid_b,C,错,[^,]+,0/)

    const md = path.join(dir, 'points.md')
    expect(await exportCli(['--group', G1, '--format', 'md', '--what', 'points', '--out', md, '--config', cfg], env)).toBe(0)
    expect(fs.readFileSync(md, 'utf8')).toContain('| 2026-12 | 第一党支部学习群 | 小王 | wxid_a | 10 | 5 | 0 | 0 | 15 |')

    const xlsx = path.join(dir, 'all.xlsx')
    expect(await exportCli(['--group', G1, '--format', 'xlsx', '--out', xlsx, '--config', cfg], env)).toBe(0)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(xlsx)
    expect(book.worksheets.map((s) => s.name)).toEqual(['心得', '参与情况', '答题情况', '月度积分', '会议签到', '党费确认'])
    expect(book.getWorksheet('月度积分')!.getRow(2).values).toContain('小王')

    stderr.length = 0
    expect(await exportCli(['--group', G1, '--format', 'csv', '--what', 'scores', '--out', csv, '--config', cfg], env)).toBe(1)
    expect(stderr.join('')).toContain('--what 应为 reflections')
  })
})
