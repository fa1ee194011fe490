import fs from 'node:fs'
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import pino from 'pino'
import { createLibrary } from '../../src/materials/library.ts'
import { readFaqFile } from '../../src/materials/faq-file.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-faq-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function writeXlsx(file: string, rows: string[][]) {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('问答')
  for (const r of rows) sheet.addRow(r)
  await book.xlsx.writeFile(file)
}

describe('bulk FAQ files in the materials folder', () => {
  it('reads 常见问题.xlsx by its header, in any column order, leaving out incomplete rows', async () => {
    const file = path.join(dir, '常见问题.xlsx')
    await writeXlsx(file, [['出处', '问题', '答案'], ['《支部学习须知》三、党费交纳', '党费交给谁？', '交给党小组长。'], ['', '没有答案的问题', '']])
    expect(await readFaqFile(file)).toEqual([{ doc: '常见问题.xlsx', question: '党费交给谁？', answer: '交给党小组长。', source: '《支部学习须知》三、党费交纳' }])
  })

  it('reads a *.faq.md table, with or without a header, and says why an empty one is skipped', async () => {
    const md = path.join(dir, '支部.faq.md')
    fs.writeFileSync(md, '# 支部常见问题\n\n| 问题 | 答案 | 出处 |\n| --- | --- | --- |\n| 支部活动室在哪？ | 办公楼三楼 302 室。 | |\n| 主题党日是哪天？ | 每月十日。 | 《支部工作制度》一、主题党日 |\n')
    expect(await readFaqFile(md)).toEqual([
      { doc: '支部.faq.md', question: '支部活动室在哪？', answer: '办公楼三楼 302 室。' },
      { doc: '支部.faq.md', question: '主题党日是哪天？', answer: '每月十日。', source: '《支部工作制度》一、主题党日' },
    ])
    const bare = path.join(dir, 'bare.faq.md')
    fs.writeFileSync(bare, '| 党费几号交？ | 每月十五日前。 |\n')
    expect((await readFaqFile(bare))[0]).toMatchObject({ question: '党费几号交？', answer: '每月十五日前。' })
    fs.rmSync(bare)
    const empty = path.join(dir, 'empty.faq.md')
    fs.writeFileSync(empty, '只有文字，没有表格。\n')
    await expect(readFaqFile(empty)).rejects.toThrow('没有读到问答')
    fs.rmSync(empty)
  })

  it('loads FAQ files with the folder: their entries, not passages; a broken one skipped with a reason', async () => {
    fs.writeFileSync(path.join(dir, '须知.md'), '# 支部须知\n\n每月十日为主题党日。\n')
    fs.writeFileSync(path.join(dir, '常见问题（损坏）.xlsx'), 'not a zip')
    const library = await createLibrary({ dir, log: pino({ level: 'silent' }) })
    try {
      expect(library.faq().map((e) => e.question).sort()).toEqual(['主题党日是哪天？', '党费交给谁？', '支部活动室在哪？'])
      expect(library.documents().map((d) => d.doc)).toEqual(['须知.md'])
      expect(library.skipped()).toEqual([{ doc: '常见问题（损坏）.xlsx', reason: expect.stringContaining('无法读取') }])
    } finally {
      library.close()
      fs.rmSync(path.join(dir, '常见问题（损坏）.xlsx'))
    }
  })
})

describe('studybot ask with a FAQ file', () => {
  it('answers from the FAQ file as the bot would in chat, and ingest counts its entries', () => {
    const cli = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-faq-cli-'))
    try {
      fs.writeFileSync(path.join(cli, '支部.faq.md'), '| 问题 | 答案 | 出处 |\n| --- | --- | --- |\n| 支部活动室在哪？ | 办公楼三楼 302 室。 | |\n')
      fs.writeFileSync(path.join(cli, '须知.md'), '# 支部须知\n\n每月十日为主题党日。\n')
      const env: NodeJS.ProcessEnv = { ...process.env, LLM_API_KEY: '', REDIS_URL: '' }
      delete env.STUDYBOT_CONFIG
      const root = path.resolve(import.meta.dirname, '..', '..')
      const r = spawnSync(process.execPath, ['bin/studybot.js', 'ask', '--materials', cli, '--jsonl'], { cwd: root, input: '请问支部活动室在哪里？\n', encoding: 'utf8', env, timeout: 60_000 })
      expect(r.status).toBe(0)
      expect(JSON.parse(r.stdout.trim())).toMatchObject({ answered: true, text: '办公楼三楼 302 室。\n——（常见问题：支部.faq.md）' })
      const ingest = spawnSync(process.execPath, ['bin/studybot.js', 'ingest', cli], { cwd: root, encoding: 'utf8', env, timeout: 60_000 })
      expect(ingest.stdout).toContain('常见问题：1 条（支部.faq.md）')
    } finally {
      fs.rmSync(cli, { recursive: true, force: true })
    }
  })
})
