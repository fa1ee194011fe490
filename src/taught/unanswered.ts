import type { AnswerMark } from '../store/answer-marks.ts'
import type { LoggedQuestion } from '../store/question-log.ts'
import { matchForm } from '../materials/tokenize.ts'

/** One question members could not get a good answer to, with how often. */
export interface UnansweredQuestion {
  /** As last asked. */
  question: string
  /** Times the bot refused it. */
  refused: number
  /** Times a member said the answer was wrong ("不对" reply or a WeCom "inaccurate" rating). */
  marked: number
  lastAt: number
}

const key = (q: string) => matchForm(q).replace(/[\s\p{P}\p{S}]/gu, '')

/**
 * Refused questions and answers marked as wrong, folded by question (same words, punctuation and
 * case aside), newest first.
 */
export function unansweredQuestions(refused: readonly LoggedQuestion[], marks: readonly AnswerMark[]): UnansweredQuestion[] {
  const byKey = new Map<string, UnansweredQuestion>()
  const add = (question: string, at: number, kind: 'refused' | 'marked') => {
    const k = key(question)
    if (!k) return
    const row = byKey.get(k) ?? { question, refused: 0, marked: 0, lastAt: at }
    row[kind]++
    if (at >= row.lastAt) { row.lastAt = at; row.question = question }
    byKey.set(k, row)
  }
  for (const q of refused) add(q.question, q.at, 'refused')
  for (const m of marks) {
    const question = m.question ?? (m.answer ? `（回答：${m.answer.length > 20 ? `${m.answer.slice(0, 20)}…` : m.answer}）` : '')
    add(question, m.at, 'marked')
  }
  return [...byKey.values()].sort((a, b) => b.lastAt - a.lastAt)
}
