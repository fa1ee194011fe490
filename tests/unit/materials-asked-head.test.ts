import { describe, expect, it } from 'vitest'
import { askedHead, holdsHead } from '../../src/materials/asked-head.ts'

describe('the head of what a question asks for', () => {
  it('is the noun after the question word', () => {
    expect(askedHead('这项工作被列为什么任务？')).toBe('任务')
    expect(askedHead('决定是在哪次中央全会上通过的？')).toBe('中央全会')
    expect(askedHead('这次修改的是第几自然段？')).toBe('自然段')
  })

  it('is none when the question word ends the question or asks for a unit, a list or a count', () => {
    expect(askedHead('党的纪律是什么？')).toBeUndefined()
    expect(askedHead('预备期是几年？')).toBeUndefined()
    expect(askedHead('主要包括哪三样？')).toBeUndefined()
    expect(askedHead('没有问句的话')).toBeUndefined()
  })

  it('is named by a sentence holding the word, the end of a compound or a thesaurus term of it', () => {
    expect(holdsHead('任务', '这是当前的首要政治任务。')).toBe(true)
    expect(holdsHead('中央全会', '提交党的十九届七中全会通过。')).toBe(true)
    expect(holdsHead('年龄', '年满十八岁的中国工人', [{ term: '年龄', others: ['年满'] }])).toBe(true)
    expect(holdsHead('比例', '维护党旗的尊严。')).toBe(false)
  })
})
