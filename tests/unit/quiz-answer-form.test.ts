import { describe, expect, it } from 'vitest'
import { answerForm, optionLetters } from '../../src/quiz/answer-form.ts'

describe('answerForm', () => {
  it('folds full width to half width and drops punctuation and spaces', () => {
    expect(answerForm('５．２％')).toBe(answerForm('5.2%'))
    expect(answerForm('“两个确立”。')).toBe(answerForm('两个确立'))
    expect(answerForm(' 四个 意识 ')).toBe(answerForm('四个意识'))
    expect(answerForm('Ｂ')).toBe('b')
  })

  it('reads Chinese numerals as digits, so 第七条 = 第7条 and 一年 = 1年', () => {
    expect(answerForm('第七条')).toBe(answerForm('第7条'))
    expect(answerForm('一年')).toBe(answerForm('1年'))
    expect(answerForm('十八岁')).toBe(answerForm('18岁'))
    expect(answerForm('二〇三五年')).toBe(answerForm('2035年'))
    expect(answerForm('百分之五点二')).toBe(answerForm('5.2%'))
    expect(answerForm('一百二十六万亿元')).toBe(answerForm('126万亿元'))
  })

  it('keeps different answers apart', () => {
    expect(answerForm('一年')).not.toBe(answerForm('两年'))
    expect(answerForm('5.2%')).not.toBe(answerForm('52%'))
    expect(answerForm('第七条')).not.toBe(answerForm('第十七条'))
  })
})

describe('optionLetters', () => {
  it('reads the letters a member typed, in any case, width or wording', () => {
    expect(optionLetters('B', 4)).toBe('B')
    expect(optionLetters('b', 4)).toBe('B')
    expect(optionLetters('Ｃ', 4)).toBe('C')
    expect(optionLetters('选D', 4)).toBe('D')
    expect(optionLetters('答案是 a。', 4)).toBe('A')
    expect(optionLetters('C、A', 4)).toBe('AC')
  })

  it('refuses letters beyond the options and free text', () => {
    expect(optionLetters('E', 4)).toBeUndefined()
    expect(optionLetters('一年', 4)).toBeUndefined()
    expect(optionLetters('ok', 4)).toBeUndefined()
  })
})
