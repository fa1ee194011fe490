import { describe, expect, it } from 'vitest'
import { parseQuestion } from '../../src/materials/question.ts'
import { buildSearchIndex, DEFAULT_RANKING, leadSentence } from '../../src/materials/search-index.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'

describe('lead sentence', () => {
  it('is the first sentence up to 。：；, without the article label', () => {
    expect(leadSentence('第三条 党员必须履行下列义务：\n（一）认真学习……', 110)).toBe('党员必须履行下列义务')
    expect(leadSentence('党的纪律主要包括政治纪律。坚持惩前毖后', 110)).toBe('党的纪律主要包括政治纪律')
    expect(leadSentence('一二三四五六七八九十。', 5)).toBe('')
  })

  it('lets a long enumerated article whose lead states the topic beat a short passage that mentions the words', () => {
    const items = Array.from({ length: 8 }, (_, i) => `（${'一二三四五六七八'[i]}）${'坚持学习，提高为人民服务的本领，在工作中起先锋模范作用，'.repeat(3)}。`)
    const text = [
      '示例章程',
      '第一章 党员',
      '第三条 党员必须履行下列义务：',
      ...items,
      '第四条 党员享有下列权利：参加党的有关会议。',
      '第五条 发展党员，必须经过党的支部，坚持个别吸收的原则。',
      '第六条 预备党员必须面向党旗进行入党宣誓。誓词如下：我志愿加入中国共产党，履行党员义务，执行党的决定。',
    ].join('\n')
    const passages = splitPassages('sample.txt', text)
    const q = parseQuestion('党员必须履行哪些义务')
    const top = (leadWeight: number) => buildSearchIndex(passages, { ...DEFAULT_RANKING, leadWeight }).search(q, 2)[0]!.passage.headings.at(-1)
    expect(top(0)).toBe('第六条')
    expect(top(DEFAULT_RANKING.leadWeight)).toBe('第三条')
  })
})
