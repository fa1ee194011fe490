import { describe, expect, it } from 'vitest'
import { unansweredQuestions } from '../../src/taught/unanswered.ts'
import type { LoggedQuestion } from '../../src/store/question-log.ts'
import type { AnswerMark } from '../../src/store/answer-marks.ts'

const refused = (question: string, at: number): LoggedQuestion =>
  ({ at, messageId: `m${at}`, memberId: 'a', question, answered: false, source: 'none', answer: '没有找到' })
const mark = (question: string | undefined, at: number): AnswerMark => ({ at, messageId: `w${at}`, memberId: 'b', ...(question ? { question } : {}), answer: '第七条……', via: 'wecom-feedback' })

describe('the secretaries’ list of unanswered questions', () => {
  it('folds the same question asked with other punctuation, counts refusals and marks apart, newest first', () => {
    const rows = unansweredQuestions(
      [refused('党费怎么交？', 1), refused('党费怎么交', 5), refused('入党要几年', 3)],
      [mark('党费怎么交!', 4), mark(undefined, 2)],
    )
    expect(rows).toEqual([
      { question: '党费怎么交', refused: 2, marked: 1, lastAt: 5 },
      { question: '入党要几年', refused: 1, marked: 0, lastAt: 3 },
      { question: '（回答：第七条……）', refused: 0, marked: 1, lastAt: 2 },
    ])
  })
})
