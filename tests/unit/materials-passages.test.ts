import { describe, expect, it } from 'vitest'
import { splitPassages } from '../../src/materials/split-passages.ts'
import { normalizeText } from '../../src/materials/normalize.ts'

const constitution = [
  '中国共产党章程',
  '中国共产党第二十次全国代表大会部分修改，2022年10月22日通过',
  '总纲',
  '中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。',
  '第一章 党员',
  '第一条 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党。',
  '第三条 党员必须履行下列义务：',
  '（一）认真学习马克思列宁主义。',
  '（二）增强“四个意识”。',
  '第七条 预备党员的预备期为一年。党组织对预备党员应当认真教育和考察。',
  '预备党员的义务同正式党员一样。',
  '第二章 党的组织制度',
  '第十条 党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。',
].join('\n')

describe('splitPassages', () => {
  it('cites an article with its chapter, and keeps the article whole', () => {
    const passages = splitPassages('dangzhang.txt', constitution)
    const art7 = passages.find((p) => p.text.startsWith('第七条'))!
    expect(art7.citation).toBe('《中国共产党章程》第一章 党员 第七条')
    expect(art7.text).toContain('预备党员的义务同正式党员一样')
    const art3 = passages.find((p) => p.text.startsWith('第三条'))!
    expect(art3.text).toContain('（二）增强“四个意识”')
    expect(passages.find((p) => p.text.startsWith('第十条'))!.citation).toBe('《中国共产党章程》第二章 党的组织制度 第十条')
    expect(passages.find((p) => p.text.includes('先锋队'))!.citation).toBe('《中国共产党章程》总纲')
  })

  it('reads Markdown headings and takes the first # as the title', () => {
    const md = '# 支部学习须知\n\n## 一、学习安排\n\n每月第一个星期一为集中学习日，由支部书记领学党章和上级文件。\n\n## 三、党费交纳\n\n党员应当按月交纳党费，一般在每月十五日前交给党小组长。'
    const passages = splitPassages('须知.md', md)
    expect(passages.map((p) => p.citation)).toEqual(['《支部学习须知》一、学习安排', '《支部学习须知》三、党费交纳'])
  })

  it('uses numbered sections (一、 and （1）) of a decision and a title broken over two lines', () => {
    const text = [
      '中共中央关于进一步全面深化改革',
      '推进中国式现代化的决定',
      '一、进一步全面深化改革、推进中国式现代化的重大意义和总体要求',
      '（1）进一步全面深化改革的重要性和必要性。改革开放是党和人民事业大踏步赶上时代的重要法宝。',
    ].join('\n')
    const [p] = splitPassages('jueding.txt', text)
    expect(p!.title).toBe('中共中央关于进一步全面深化改革 推进中国式现代化的决定')
    expect(p!.headings).toEqual(['一、进一步全面深化改革、推进中国式现代化的重大意义和总体要求', '（1）进一步全面深化改革的重要性和必要性'])
  })

  it('makes each question of a press Q&A a heading for its answer', () => {
    const text = '秘书处负责人答记者问\n问：请你谈谈为什么要修改党章？\n答：党章是党的总章程。'
    const [p] = splitPassages('qa.txt', text)
    expect(p!.citation).toBe('《秘书处负责人答记者问》问：请你谈谈为什么要修改党章？')
    expect(p!.text).toBe('答：党章是党的总章程。')
  })
})

describe('normalizeText', () => {
  it('removes pinyin readings inserted after characters', () => {
    expect(normalizeText('赴深圳學(xué)習(xí)非公黨建工作心得體會(huì)')).toBe('赴深圳學習非公黨建工作心得體會')
  })

  it('turns full-width letters and digits into half width and keeps Chinese punctuation', () => {
    expect(normalizeText('第１２条　ＡＢＣ，（一）')).toBe('第12条 ABC，（一）')
  })

  it('turns ASCII punctuation between Chinese into Chinese punctuation', () => {
    expect(normalizeText('8月8日至12日,在市非公组织下')).toBe('8月8日至12日，在市非公组织下')
  })

  it('joins Chinese spaced out by PDF extraction but keeps 第一章 党员 apart', () => {
    expect(normalizeText('学 习 贯 彻 党 的 二 十 大 精 神')).toBe('学习贯彻党的二十大精神')
    expect(normalizeText('第一章 党员')).toBe('第一章 党员')
  })
})
