import fs from 'node:fs/promises'
import path from 'node:path'
import { readSheetRows, SheetFileError } from '../util/sheet-rows.ts'
import { normalizeText } from './normalize.ts'
import { UnreadableMaterialError } from './read-material.ts'

/** One question and answer from a bulk FAQ file of the materials folder. */
export interface FaqEntry {
  /** The file it came from (a group's `materials` list may name it). */
  doc: string
  question: string
  answer: string
  /** Where the answer comes from, as written in the file (《中国共产党章程》第七条); absent when the column is empty. */
  source?: string
}

/** `常见问题.xlsx` (or `…常见问题….xlsx`) and `*.faq.md` are FAQ files: read as questions and answers, not passages. */
export function isFaqFile(name: string): boolean {
  const lower = name.toLowerCase()
  return lower.endsWith('.faq.md') || (lower.endsWith('.xlsx') && name.includes('常见问题'))
}

const QUESTION = /^(问题|问|提问|question|q)$/i
const ANSWER = /^(答案|回答|答|解答|answer|a)$/i
const SOURCE = /^(出处|来源|依据|source)$/i

/**
 * Read a FAQ file: a sheet (xlsx) or a Markdown table (faq.md) with the columns 问题 / 答案 / 出处
 * (header row optional: without one the first three columns are taken in that order). Rows without
 * a question or an answer are left out. Throws UnreadableMaterialError saying why in Chinese.
 */
export async function readFaqFile(file: string): Promise<FaqEntry[]> {
  const doc = path.basename(file)
  let rows: string[][]
  if (doc.toLowerCase().endsWith('.xlsx')) {
    try {
      rows = (await readSheetRows(file, '常见问题')).map((r) => r.cells)
    } catch (err) {
      if (err instanceof SheetFileError) throw new UnreadableMaterialError(err.message)
      throw err
    }
  } else {
    rows = markdownTable(normalizeText(await fs.readFile(file, 'utf8')))
  }
  rows = rows.map((cells) => cells.map((c) => normalizeText(c ?? '')))
  let cols = { q: 0, a: 1, s: 2 }
  const header = rows[0]
  if (header && header.some((c) => QUESTION.test(c)) && header.some((c) => ANSWER.test(c))) {
    cols = { q: header.findIndex((c) => QUESTION.test(c)), a: header.findIndex((c) => ANSWER.test(c)), s: header.findIndex((c) => SOURCE.test(c)) }
    rows = rows.slice(1)
  }
  const entries = rows.flatMap((cells) => {
    const question = cells[cols.q]?.trim() ?? ''
    const answer = cells[cols.a]?.trim() ?? ''
    const source = cols.s >= 0 ? cells[cols.s]?.trim() : undefined
    return question && answer ? [{ doc, question, answer, ...(source ? { source } : {}) }] : []
  })
  if (!entries.length) throw new UnreadableMaterialError('没有读到问答（需要“问题”“答案”两列，可加“出处”列）')
  return entries
}

/** The cells of a Markdown table's rows (the |---| separator left out); other lines are ignored. */
function markdownTable(text: string): string[][] {
  return text.split('\n')
    .filter((l) => /^\s*\|/.test(l) && !/^\s*\|?[\s:|-]+\|?\s*$/.test(l))
    .map((l) => l.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.replace(/\\\|/g, '|').trim()))
}
