import { answerForm, letterOf, optionLetters } from './answer-form.ts'
import type { Question } from './types.ts'

/** A member's answer read against a question: what it counts as and whether it is right, or why it cannot be read. */
export type Judged = { correct: boolean; given: string } | { problem: string }

const TRUE_WORDS = /^(正确|对|√|是|✓)$/
const FALSE_WORDS = /^(错误|错|×|否|✗)$/

/**
 * Judge an answer: option letters (B, 选b, Ｂ) or an option's text for choice questions, 对/错 for
 * true-or-false, and free text for blanks, compared after normalisation (full/half width,
 * punctuation, 第7条 = 第七条).
 */
export function judgeAnswer(q: Question, text: string): Judged {
  const raw = text.trim()
  if (!raw) return { problem: '请在 #答 后面写上答案，例如：#答 B 或 #答 一年' }
  if (q.type === 'fill') {
    const form = answerForm(raw)
    if (!form) return { problem: '请在 #答 后面写上答案，例如：#答 一年' }
    const correct = [q.answer, ...(q.accepted ?? [])].some((a) => answerForm(a) === form)
    return { correct, given: raw }
  }
  let letters = optionLetters(raw, q.options.length)
  if (!letters && q.type === 'judge') letters = TRUE_WORDS.test(raw) ? 'A' : FALSE_WORDS.test(raw) ? 'B' : undefined
  if (!letters) {
    const form = answerForm(raw)
    const i = q.options.findIndex((o) => answerForm(o) === form)
    if (i >= 0) letters = letterOf(i)
  }
  const last = letterOf(q.options.length - 1)
  if (!letters) return { problem: q.type === 'judge' ? '判断题请回答“对”或“错”' : `请回答选项字母 A–${last}，例如：#答 B` }
  if (q.type !== 'multi' && letters.length > 1) return { problem: `这是${q.type === 'judge' ? '判断' : '单选'}题，只能选一个选项` }
  return { correct: letters === q.answer, given: letters }
}

/** The correct answer as shown at close: the letters with their option texts, or the blank's text. */
export function shownAnswer(q: Question): string {
  if (q.type === 'fill') return q.answer
  return [...q.answer].map((l) => `${l}. ${q.options[l.charCodeAt(0) - 65] ?? ''}`).join('；')
}
