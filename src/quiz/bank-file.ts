import { readSheetRows, SheetFileError, type SheetRow } from '../util/sheet-rows.ts'
import type { Question, QuestionType } from './types.ts'
import { letterOf, optionLetters } from './answer-form.ts'
import { stableId } from './stable-hash.ts'

export type { SheetRow }

/** The file cannot be read as a question bank at all (wrong type, no header); nothing is imported. */
export class BankFileError extends Error {}

/** A row that cannot become a question, with its row number as the spreadsheet shows it. */
export interface BankRowError {
  row: number
  message: string
}

/** What a bank file holds: questions if every row is good, else every bad row. */
export interface ParsedBank {
  questions: Question[]
  errors: BankRowError[]
}

const MAX_STEM = 1000
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F']
const TYPE_NAMES: Record<string, QuestionType> = {
  单选: 'single', 单选题: 'single', 单项选择: 'single', 单项选择题: 'single', 选择: 'single', 选择题: 'single',
  多选: 'multi', 多选题: 'multi', 多项选择: 'multi', 多项选择题: 'multi',
  判断: 'judge', 判断题: 'judge',
  填空: 'fill', 填空题: 'fill',
}
const TRUE_WORDS = /^(正确|对|√|✓|是|t|true|y|yes|a)$/i
const FALSE_WORDS = /^(错误|错|×|✗|x|否|f|false|n|no|b)$/i
const COLUMNS: Record<string, string[]> = {
  type: ['题型', '题目类型', '类型', '试题类型'],
  stem: ['题干', '题目', '试题', '问题', '题目内容', '试题内容'],
  answer: ['答案', '正确答案', '参考答案', '标准答案'],
  explanation: ['解析', '答案解析', '试题解析', '说明'],
  source: ['出处', '来源', '依据', '出自'],
  ...Object.fromEntries(LETTERS.map((l) => [l, [`选项${l}`, l, `${l}选项`]])),
}
export const BANK_HEADER = '题型、题干、选项A、选项B、选项C、选项D、答案、解析、出处'

/** Read an .xlsx or .csv question bank (UTF-8 or GBK); every bad row is reported, and then no question is returned. */
export async function readBankFile(file: string): Promise<ParsedBank> {
  let rows: SheetRow[]
  try {
    rows = await readSheetRows(file, '题库')
  } catch (err) {
    if (err instanceof SheetFileError) throw new BankFileError(err.message)
    throw err
  }
  return parseBankRows(rows)
}

/** Turn sheet rows (header first, within the first five rows) into questions or row errors. */
export function parseBankRows(rows: readonly SheetRow[]): ParsedBank {
  const headerAt = rows.slice(0, 5).findIndex((r) => columnsOf(r.cells).stem !== undefined)
  if (headerAt < 0) throw new BankFileError(`找不到表头：前几行中应有一行列名，如 ${BANK_HEADER}`)
  const columns = columnsOf(rows[headerAt]!.cells)
  if (columns.answer === undefined) throw new BankFileError(`表头中没有“答案”列（表头应为 ${BANK_HEADER}）`)
  const questions: Question[] = []
  const errors: BankRowError[] = []
  const stems = new Map<string, number>()
  for (const r of rows.slice(headerAt + 1)) {
    const cell = (key: string) => {
      const at = columns[key]
      return at === undefined ? '' : (r.cells[at] ?? '').trim()
    }
    if (r.cells.every((c) => !String(c ?? '').trim())) continue
    const problems: string[] = []
    const q = rowQuestion(cell, problems)
    const seen = stems.get(cell('stem'))
    if (cell('stem') && seen !== undefined) problems.push(`与第 ${seen} 行题干重复`)
    else if (cell('stem')) stems.set(cell('stem'), r.row)
    for (const message of problems) errors.push({ row: r.row, message })
    if (!problems.length && q) questions.push(q)
  }
  if (!errors.length && !questions.length) errors.push({ row: rows[headerAt]!.row + 1, message: '表头下面没有题目' })
  return errors.length ? { questions: [], errors } : { questions, errors }
}

function rowQuestion(cell: (key: string) => string, problems: string[]): Question | undefined {
  const stem = cell('stem')
  const answerText = cell('answer')
  const typeText = cell('type').replace(/\s/g, '')
  if (!stem) problems.push('缺少题干')
  else if (stem.length > MAX_STEM) problems.push(`题干过长（超过 ${MAX_STEM} 字）`)
  if (!answerText) problems.push('缺少答案')

  const filled = LETTERS.map((l) => cell(l))
  const last = filled.findLastIndex(Boolean)
  const options = filled.slice(0, last + 1)
  const gap = options.findIndex((o) => !o)
  if (gap >= 0) problems.push(`选项 ${letterOf(gap)} 为空，但填写了后面的选项`)
  const dup = options.findIndex((o, i) => o && options.indexOf(o) !== i)
  if (dup >= 0) problems.push(`选项 ${letterOf(dup)} 与选项 ${letterOf(options.indexOf(options[dup]!))} 相同`)

  let type: QuestionType | undefined = typeText ? TYPE_NAMES[typeText] : inferType(options, answerText)
  if (!type) {
    problems.push(`题型“${typeText}”无法识别（应为 单选、多选、判断 或 填空）`)
    return undefined
  }
  let answer = answerText
  let finalOptions = options
  if (type === 'judge') {
    finalOptions = options.length ? options : ['正确', '错误']
    const letters = options.length ? optionLetters(answerText, options.length) : undefined
    answer = letters ?? (TRUE_WORDS.test(answerText) ? 'A' : FALSE_WORDS.test(answerText) ? 'B' : '')
    if (answerText && answer.length !== 1) problems.push(`判断题的答案应为“正确”或“错误”（收到“${answerText}”）`)
  } else if (type === 'single' || type === 'multi') {
    if (options.length < 2) problems.push(`${type === 'single' ? '单选' : '多选'}题至少需要选项 A 和 B`)
    const letters = optionLetters(answerText, LETTERS.length)
    if (answerText && !letters) problems.push(`答案应为选项字母，如 ${type === 'single' ? 'B' : 'ACD'}（收到“${answerText}”）`)
    else if (letters) {
      const missing = [...letters].filter((l) => LETTERS.indexOf(l) >= options.length)
      if (missing.length && options.length >= 2) problems.push(`答案 ${missing.join('、')} 没有对应的选项（只填写了 A–${letterOf(options.length - 1)}）`)
      if (type === 'single' && letters.length > 1) problems.push(`单选题只能有一个答案（收到“${answerText}”），多个答案请把题型写为 多选`)
      if (type === 'multi' && letters.length < 2) problems.push(`多选题的答案应有两个或以上选项（收到“${answerText}”），一个答案请把题型写为 单选`)
      answer = letters
    }
  } else {
    finalOptions = []
  }
  if (problems.length) return undefined
  const alternatives = type === 'fill' ? answerText.split('|').map((a) => a.trim()).filter(Boolean) : []
  if (type === 'fill') answer = alternatives[0]!
  return {
    id: stableId('b', type, stem, ...finalOptions, answer),
    origin: 'bank',
    type,
    stem,
    options: finalOptions,
    answer,
    ...(alternatives.length > 1 ? { accepted: alternatives.slice(1) } : {}),
    ...(cell('explanation') ? { explanation: cell('explanation') } : {}),
    ...(cell('source') ? { citation: cell('source') } : {}),
  }
}

/** A row without 题型: options make it a choice question, 正确/错误 a judgement, anything else a blank. */
function inferType(options: string[], answer: string): QuestionType {
  if (options.length >= 2) return (optionLetters(answer, options.length)?.length ?? 0) > 1 ? 'multi' : 'single'
  if (/^(正确|错误|对|错|√|×)$/.test(answer)) return 'judge'
  return 'fill'
}

/** Which column holds what, from a header row; letters A–F are option columns. */
function columnsOf(header: readonly string[]): Record<string, number | undefined> {
  const names = header.map((h) => String(h ?? '').normalize('NFKC').replace(/[\s:：（）()]/g, '').toUpperCase())
  const out: Record<string, number | undefined> = {}
  for (const [key, aliases] of Object.entries(COLUMNS)) {
    const at = names.findIndex((n) => aliases.some((a) => a.toUpperCase() === n))
    if (at >= 0) out[key] = at
  }
  return out
}
