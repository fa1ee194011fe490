import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startHarness } from '../support/harness.ts'
import { startTestRedis } from '../support/redis.ts'
import { until } from '../support/until.ts'
import { buildZip, pdfBomb, wordBomb } from '../support/zip-bomb.ts'
import { readBankFile, BankFileError } from '../../src/quiz/bank-file.ts'

// past the 32 MB a document may expand to; each file is well under 1 MB on disk
const BOMB_MB = 34
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bombs-'))
const note = '# 党员的义务\n\n党员必须认真学习马克思列宁主义、毛泽东思想，学习党的路线、方针、政策和决议。党员要坚持党和人民的利益高于一切。\n'
let word: Buffer
beforeAll(async () => { word = await wordBomb(BOMB_MB) })
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('documents that would expand past the limits', () => {
  it('studybot ingest skips a Word bomb, a zip of too many parts and a PDF bomb with a Chinese reason, and reads the rest', () => {
    const dir = path.join(root, 'ingest')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, '党员义务.md'), note)
    fs.writeFileSync(path.join(dir, '炸弹.docx'), word)
    fs.writeFileSync(path.join(dir, '很多部件.docx'), buildZip(Array.from({ length: 4100 }, (_, i) => ({ name: `word/part${i}.xml`, data: Buffer.from('<x/>') }))))
    fs.writeFileSync(path.join(dir, '炸弹.pdf'), pdfBomb(BOMB_MB))
    expect(word.length).toBeLessThan(1048576)
    const r = spawnSync(process.execPath, ['bin/studybot.js', 'ingest', dir], {
      cwd: repoRoot, encoding: 'utf8', timeout: 120_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, LLM_API_KEY: '', REDIS_URL: '' },
    })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('已跳过 3 个文件')
    expect(r.stdout).toContain('炸弹.docx：Word 文件解压后超过 32 MB（可能是“压缩炸弹”），为保护机器人已跳过')
    expect(r.stdout).toContain('很多部件.docx：Word 文件内部文件超过 4000 个')
    expect(r.stdout).toContain('炸弹.pdf：PDF 文件解压后超过 32 MB')
    expect(r.stdout).toContain('党员义务.md')
  })

  it('refuses a question bank .xlsx that would expand past the limit, in Chinese', async () => {
    const file = path.join(root, '题库.xlsx')
    fs.writeFileSync(file, word)
    const err = await readBankFile(file).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BankFileError)
    expect((err as Error).message).toBe('无法读取这个 .xlsx 文件：解压后超过 32 MB（可能是“压缩炸弹”），为保护机器人已跳过')
  })

  it('the running bot skips a bomb dropped into its materials folder and keeps answering from the rest', async () => {
    const dir = path.join(root, 'watched')
    fs.mkdirSync(dir)
    fs.writeFileSync(path.join(dir, '党员义务.md'), note)
    const redis = await startTestRedis()
    const h = await startHarness({ redisUrl: redis.url, config: { materials: dir } })
    try {
      await h.app.deps.library.ready()
      fs.writeFileSync(path.join(dir, '新材料.docx'), word)
      await until(() => h.logs.some((l) => l.msg === 'material skipped' && l.doc === '新材料.docx'), 'the bomb skipped by the watcher')
      expect(h.logs.find((l) => l.doc === '新材料.docx')?.reason).toContain('压缩炸弹')
      const [reply] = await h.say('小明', '党员必须认真学习什么？', { mention: true })
      expect(reply.text).toContain('马克思列宁主义')
    } finally {
      await h.stop()
      await redis.stop()
    }
  }, 120_000)
})
