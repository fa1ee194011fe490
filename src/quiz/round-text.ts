import { formatInZone, zoneLabel } from '../clock.ts'
import type { Round, QuestionResult } from '../store/quiz-store.ts'
import { letterOf } from './answer-form.ts'
import { shownAnswer } from './judge-answer.ts'
import type { Question, QuestionType } from './types.ts'

const TYPE_LABEL: Record<QuestionType, string> = { fill: '填空', single: '单选', multi: '多选', judge: '判断' }

/** A question as members see it: number, type, stem, options. */
export function questionText(q: Question, n: number | undefined): string {
  const head = `${n === undefined ? '' : `第${n}题`}（${TYPE_LABEL[q.type]}）${q.stem}`
  return [head, ...q.options.map((o, i) => `${letterOf(i)}. ${o}`)].join('\n')
}

/** How to answer this round, e.g. 回复“#答 B”作答. */
function howToAnswer(round: Pick<Round, 'questions'>): string {
  if (round.questions.length > 1) return '回复“#答 题号 答案”作答，如“#答 1 B”'
  return round.questions[0]!.type === 'fill' ? '回复“#答 你的答案”作答' : '回复“#答 B”这样的选项字母作答'
}

/** The message that opens a round. */
export function roundText(round: Pick<Round, 'questions' | 'dueAt'>, timeZone: string): string {
  const many = round.questions.length > 1
  return [
    `【每日一题${many ? ` · 共 ${round.questions.length} 题` : ''}】`,
    round.questions.map((q, i) => questionText(q, many ? i + 1 : undefined)).join('\n\n'),
    '',
    `${howToAnswer(round)}，群里或私聊机器人均可；截止 ${formatInZone(round.dueAt, timeZone)}（${zoneLabel(timeZone)}），截止前可以改答案，截止后公布答案。`,
  ].join('\n')
}

/** The message that closes a round: each answer with its citation, and how many got it right. */
export function resultText(round: Round, results: readonly QuestionResult[]): string {
  const many = round.questions.length > 1
  const blocks = round.questions.map((q, i) => {
    const r = results[i] ?? { answered: 0, correct: 0 }
    return [
      `${many ? `第${i + 1}题 ` : ''}${q.stem}`,
      `答案：${shownAnswer(q)}`,
      ...(q.citation ? [`出处：${q.citation}`] : []),
      ...(q.explanation ? [`${q.origin === 'generated' ? '原文' : '解析'}：${q.explanation}`] : []),
      r.answered ? `${r.answered} 人作答，${r.correct} 人答对。` : '本题无人作答。',
    ].join('\n')
  })
  return [`【每日一题 · 答案】`, blocks.join('\n\n'), '', '发送“#我的答题”查看自己的结果，“#积分”查看积分。'].join('\n')
}
