import { describe, expect, it } from 'vitest'
import { zonedToEpoch } from '../../src/clock.ts'
import { judgeAnswer } from '../../src/quiz/judge-answer.ts'
import { parseQuizContent, quizDueAt } from '../../src/quiz/quiz-schedule.ts'
import type { Question } from '../../src/quiz/types.ts'

const tz = 'Asia/Shanghai'
const at = (date: string, time: string) => zonedToEpoch(date, time, tz)

const single: Question = { id: 'q1', origin: 'generated', type: 'single', stem: '预备党员的预备期为____。', options: ['半年', '一年', '两年', '三年'], answer: 'B' }
const fill: Question = { id: 'q2', origin: 'generated', type: 'fill', stem: '预备党员的预备期为____。', options: [], answer: '一年', accepted: ['1'] }
const article: Question = { id: 'q3', origin: 'bank', type: 'fill', stem: '预备期的规定见党章（ ）。', options: [], answer: '第七条' }
const judge: Question = { id: 'q4', origin: 'bank', type: 'judge', stem: '年满十六岁可以申请入党。', options: ['正确', '错误'], answer: 'B' }
const multi: Question = { id: 'q5', origin: 'bank', type: 'multi', stem: '党员必须做到（ ）。', options: ['甲', '乙', '丙', '丁'], answer: 'AC' }

describe('judgeAnswer', () => {
  it('reads option letters in any width or case, and an option by its text', () => {
    for (const t of ['B', 'b', 'Ｂ', '选B', ' b。', '一年']) expect(judgeAnswer(single, t)).toEqual({ correct: true, given: 'B' })
    expect(judgeAnswer(single, 'C')).toEqual({ correct: false, given: 'C' })
    expect(judgeAnswer(single, 'AB')).toEqual({ problem: '这是单选题，只能选一个选项' })
    expect(judgeAnswer(single, '不知道')).toHaveProperty('problem')
  })

  it('judges free text after normalisation: width, punctuation, 第7条 = 第七条', () => {
    for (const t of ['一年', '1年', '１年。', ' 一 年 ', '1']) expect(judgeAnswer(fill, t)).toMatchObject({ correct: true })
    expect(judgeAnswer(fill, '两年')).toMatchObject({ correct: false })
    for (const t of ['第7条', '第七条', '“第七条”']) expect(judgeAnswer(article, t)).toMatchObject({ correct: true })
    expect(judgeAnswer(article, '第十七条')).toMatchObject({ correct: false })
    expect(judgeAnswer(fill, '。')).toHaveProperty('problem')
  })

  it('takes 对/错 for true-or-false and several letters in any order for multiple choice', () => {
    expect(judgeAnswer(judge, '错')).toEqual({ correct: true, given: 'B' })
    expect(judgeAnswer(judge, '对')).toEqual({ correct: false, given: 'A' })
    expect(judgeAnswer(multi, 'C A')).toEqual({ correct: true, given: 'AC' })
    expect(judgeAnswer(multi, 'A')).toEqual({ correct: false, given: 'A' })
  })
})

describe('quizDueAt', () => {
  it('closes at 23:59 of the slot day by default, Beijing time', () => {
    expect(quizDueAt(undefined, at('2026-12-02', '09:00'), tz)).toBe(at('2026-12-02', '23:59'))
    // a slot too close to the end of the day keeps its round open until the next day's end
    expect(quizDueAt(undefined, at('2026-12-02', '23:45'), tz)).toBe(at('2026-12-03', '23:59'))
  })

  it('takes a time of day (same day, else the next) or a duration', () => {
    expect(quizDueAt('21:00', at('2026-12-02', '09:00'), tz)).toBe(at('2026-12-02', '21:00'))
    expect(quizDueAt('08:00', at('2026-12-02', '09:00'), tz)).toBe(at('2026-12-03', '08:00'))
    expect(quizDueAt('2h', at('2026-12-02', '09:00'), tz)).toBe(at('2026-12-02', '11:00'))
    expect(quizDueAt('1d', at('2026-12-02', '09:00'), tz)).toBe(at('2026-12-03', '09:00'))
  })
})

describe('parseQuizContent', () => {
  it('reads the quiz forms of #定时 添加 and leaves any other text alone', () => {
    expect(parseQuizContent('每日一题')).toEqual({})
    expect(parseQuizContent('每日一题 3题')).toEqual({ questions: 3 })
    expect(parseQuizContent('答题 2道 截止 22:00')).toEqual({ questions: 2, due: '22:00' })
    expect(parseQuizContent('每日一题 截止21点半')).toEqual({ due: '21:30' })
    expect(parseQuizContent('请大家完成每日一题')).toBeUndefined()
  })
})
