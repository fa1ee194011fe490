import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import ExcelJS from 'exceljs'
import { BankFileError, readBankFile } from '../../src/quiz/bank-file.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bank-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const header = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '解析', '出处']
const good = [
  ['单选', '预备党员的预备期为（ ）。', '半年', '一年', '两年', '三年', 'B', '见党章第七条', '《中国共产党章程》第七条'],
  ['填空', '年满____岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党。', '', '', '', '', '十八', '', '党章第一条'],
]

async function writeXlsx(file: string, rows: (string | number)[][]): Promise<void> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('题库')
  for (const r of rows) sheet.addRow(r)
  await book.xlsx.writeFile(file)
}

describe('readBankFile', () => {
  it('reads an xlsx bank as Excel shows it, numbers included', async () => {
    const file = path.join(dir, 'bank.xlsx')
    await writeXlsx(file, [header, ...good, ['单选', '党的地方各级代表大会每（ ）年举行一次。', 3, 4, 5, 6, 'C', '', '']])
    const { questions, errors } = await readBankFile(file)
    expect(errors).toEqual([])
    expect(questions).toHaveLength(3)
    expect(questions[2]!.options).toEqual(['3', '4', '5', '6'])
    expect(questions[0]!.citation).toBe('《中国共产党章程》第七条')
  })

  it('reports bad xlsx rows by their row number in Excel, and returns no question', async () => {
    const file = path.join(dir, 'bad.xlsx')
    await writeXlsx(file, [['党章题库（第一期）'], header, ...good, ['单选', '缺答案的题', '甲', '乙', '', '', '', '', ''], [], ['单选', '答案越界', '甲', '乙', '', '', 'D', '', '']])
    const { questions, errors } = await readBankFile(file)
    expect(questions).toEqual([])
    expect(errors).toEqual([
      { row: 5, message: '缺少答案' },
      { row: 7, message: expect.stringContaining('D') },
    ])
  })

  it('reads a CSV saved by Excel on Chinese Windows (GBK) and one in UTF-8 with BOM, quoted commas included', async () => {
    const csv = [header, ...good, ['判断', '党的纪律是党的各级组织和全体党员必须遵守的行为规则，是维护党的团结统一的保证。', '', '', '', '', '正确', '', '']]
      .map((r) => r.map((c) => (/[,"\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')
    const utf8 = path.join(dir, 'bank-utf8.csv')
    fs.writeFileSync(utf8, `\uFEFF${csv}`)
    const gbk = path.join(dir, 'bank-gbk.csv')
    fs.writeFileSync(gbk, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: csv }))
    const a = await readBankFile(utf8)
    const b = await readBankFile(gbk)
    expect(a.errors).toEqual([])
    expect(a.questions.map((q) => q.stem)).toEqual(b.questions.map((q) => q.stem))
    expect(b.questions[2]).toMatchObject({ type: 'judge', answer: 'A' })
    expect(b.questions[0]!.stem).toBe('预备党员的预备期为（ ）。')
  })

  it('refuses files it cannot read, in Chinese', async () => {
    await expect(readBankFile(path.join(dir, 'bank.xls'))).rejects.toThrow(/\.xlsx 或 \.csv/)
    await expect(readBankFile(path.join(dir, 'missing.csv'))).rejects.toThrow(/找不到文件/)
    const broken = path.join(dir, 'broken.xlsx')
    fs.writeFileSync(broken, 'not a zip')
    await expect(readBankFile(broken)).rejects.toBeInstanceOf(BankFileError)
  })
})
