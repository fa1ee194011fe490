import { describe, expect, it } from 'vitest'
import { parseQuestion } from '../../src/materials/question.ts'
import { blankAlignment, buildSearchIndex, definedIn } from '../../src/materials/search-index.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'
import { extractiveAnswer } from '../../src/materials/answer-extractive.ts'
import { digitizeCounts } from '../../src/materials/numbers.ts'

/** The passage a one-file library ranks first for a question (the file's lines: title, then headings and text). */
const topPassage = (file: string, lines: string[], question: string) =>
  buildSearchIndex(splitPassages(file, lines.join('\n'))).search(parseQuestion(question), 1)[0]!.passage.text

describe('parseQuestion', () => {
  it('strips quiz blanks and lettered options, keeping the options apart', () => {
    const q = parseQuestion('发展党员，必须把（ ）放在首位，经过党的支部，坚持（ ）的原则。\nA. 思想状况，个别吸收\nB. 政治标准，个别吸收\nC. 群众口碑，集体吸收')
    expect(q.text).not.toMatch(/[（）A-C]/)
    expect(q.text).toContain('放在首位')
    expect(q.options).toEqual(['思想状况，个别吸收', '政治标准，个别吸收', '群众口碑，集体吸收'])
  })

  it('strips underscores and question words', () => {
    expect(parseQuestion('坚持____在我国现代化建设全局中的核心地位。').text).toBe('坚持 在我国现代化建设全局中的核心地位。')
    expect(parseQuestion('预备党员的预备期是多久？').text).toMatch(/^预备党员的预备期是?$/)
  })

  it('keeps the text around each blank, up to sentence ends and other blanks', () => {
    expect(parseQuestion('用____武装全党是党的思想建设的根本任务。').blanks).toEqual([{ left: '', right: '武装全党' }])
    expect(parseQuestion('坚持____、____一体推进，同时发力。').blanks).toEqual([{ left: '坚持', right: '' }, { left: '', right: '一体推进' }])
    // a multiple-choice stem ending in its blank asks for the options; its wording is no quotation
    expect(parseQuestion('以下由党的全国代表大会选举产生的是（ ）。\nA. 中央政治局\nB. 中央委员会').blanks).toEqual([])
  })

  it('notices a request for the full text', () => {
    expect(parseQuestion('第七条原文').full).toBe(true)
    expect(parseQuestion('第七条讲了什么').full).toBe(false)
  })

  it('expands abbreviations members use', () => {
    expect(parseQuestion('党章规定的党员义务').expansions).toContain('中国共产党章程')
  })
})

describe('number forms', () => {
  it('writes counted Chinese numerals as digits', () => {
    expect(digitizeCounts('第七条 第二十七条 三人 一年 统一')).toBe('第7条 第27条 3人 1年 统一')
  })

  it('reads a year written digit by digit as that year, so 二〇三五年 matches 2035年', () => {
    expect(digitizeCounts('到二〇三五年 一九四九年 一两年')).toBe('到2035年 1949年 2年')
  })
})

const doc = splitPassages('dangzhang.txt', [
  '中国共产党章程',
  '第一章 党员',
  '第一条 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，可以申请加入中国共产党。',
  '第七条 预备党员的预备期为一年。党组织对预备党员应当认真教育和考察。',
  '第九条 党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，就被认为是自行脱党。',
  '第二章 党的组织制度',
  '第十条 党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。',
].join('\n'))
const index = buildSearchIndex(doc)

describe('search and answer', () => {
  it('finds an article by 第7条 as well as 第七条', () => {
    expect(index.search(parseQuestion('第7条'), 1)[0]!.passage.headings).toContain('第七条')
  })

  it('answers a natural question with the passage and its citation', () => {
    const answer = extractiveAnswer('预备党员的预备期是多久？', index.search(parseQuestion('预备党员的预备期是多久？'), 5), { answerChars: 300 })
    expect(answer.answered).toBe(true)
    expect(answer.text).toContain('一年')
    expect(answer.text).toContain('——《中国共产党章程》第一章 党员 第七条')
  })

  it('of passages scoring the same, returns the first ones, however many tie', () => {
    const copies = Array.from({ length: 60 }, (_, c) => splitPassages(`copy${c}.txt`, ['章程', '第七条 预备党员的预备期为一年。'].join('\n'))).flat()
    const other = splitPassages('other.txt', ['决定', '一、总体要求', '党员应当认真学习。'].join('\n'))
    const hits = buildSearchIndex([...other, ...copies]).search(parseQuestion('预备期是多长时间？'), 40)
    expect(hits.map((h) => h.passage.doc)).toEqual(copies.slice(0, 40).map((p) => p.doc))
  })

  it('answers a very short query', () => {
    expect(index.search(parseQuestion('党费'), 1)[0]!.passage.text).toContain('党费')
  })

  it('refuses what the materials do not cover and names the closest document', () => {
    const answer = extractiveAnswer('嫦娥五号是哪一年发射的？', index.search(parseQuestion('嫦娥五号是哪一年发射的？'), 5), { answerChars: 300 })
    expect(answer.answered).toBe(false)
    expect(answer.text).toContain('没有找到')
  })
})

describe('blank alignment', () => {
  const blanks = parseQuestion('坚持____的鲜明导向，抓党建促乡村振兴。').blanks

  it('is 1 where the text around the blank is found a short filler apart', () => {
    expect(blankAlignment(blanks, '坚持大抓基层的鲜明导向，抓党建促乡村振兴。', [], 24)).toBe(1)
    expect(blankAlignment(blanks, '强化县级党委抓乡促村责任。', [], 24)).toBe(0)
    // one side only, or both but not around one filler within a sentence: half of the better side
    expect(blankAlignment(blanks, '突出大抓基层的鲜明导向。', [], 24)).toBe(0.5)
    expect(blankAlignment(blanks, '坚持党建引领。树立的鲜明导向。', [], 24)).toBe(0.5)
  })

  it('with options, counts only a filler that is part of an option', () => {
    const choice = parseQuestion('坚持（ ）的鲜明导向。\nA. 大抓基层\nB. 以人为本')
    expect(blankAlignment(choice.blanks, '坚持大抓基层的鲜明导向。', choice.options, 24)).toBe(1)
    expect(blankAlignment(choice.blanks, '坚持问题导向的鲜明导向。', choice.options, 24)).toBe(0.5)
  })

  it('ranks the passage the quiz sentence was copied from first among look-alikes', () => {
    const top = topPassage('jueding.txt', [
      '关于加强基层党建的意见',
      '一、坚持党建引领',
      '坚持问题导向。树立党建引领的鲜明导向，抓党建促乡村振兴，加强城市社区党建工作。',
      '二、大抓基层',
      '坚持大抓基层的鲜明导向，抓党建促乡村振兴，加强城市社区党建工作。',
    ], '坚持____的鲜明导向，抓党建促乡村振兴，加强城市社区党建工作。')
    expect(top).toContain('大抓基层')
  })
})

describe('definition questions', () => {
  it('reads what a question asks the definition of, with its thesaurus terms', () => {
    expect(parseQuestion('党的纪律是什么？').subject).toEqual(['党的纪律', '党纪'])
    expect(parseQuestion('地委是个什么性质的机构？').subject).toContain('地区委员会')
    expect(parseQuestion('马克思主义对咱们党和国家是个什么地位？').subject[0]).toBe('马克思主义')
    expect(parseQuestion('基层党组织是个什么定位？').subject).not.toContain('党组成员')
    expect(parseQuestion('科学发展观的核心意思，是怎么概括的？').subject[0]).toBe('科学发展观')
    expect(parseQuestion('党组发挥什么作用？').subject).toEqual([])
    expect(parseQuestion('党的纪律是（ ）。\nA. 行为规则\nB. 工作方法').subject).toEqual([])
  })

  it('finds a sentence saying what the subject is, within one sentence', () => {
    const defines = definedIn(['党的基层组织'], 6)
    expect(defines('党的基层组织是党在社会基层组织中的战斗堡垒。')).toBe(true)
    expect(defines('国有企业中党的基层组织，围绕企业生产经营开展工作。')).toBe(false)
    expect(defines('加强党的基层组织建设。这是根本。')).toBe(false)
  })

  it('ranks the passage defining the subject above one that only mentions it more often', () => {
    const top = topPassage('zhangcheng.txt', [
      '章程',
      '第一条 总的要求：党员要严守党的纪律，维护党的纪律。',
      '第二条 总的要求：党的纪律是全体党员必须遵守的行为规则。',
    ], '党的纪律是什么？')
    expect(top).toContain('行为规则')
  })
})

describe('answers as specific as asked', () => {
  it('ranks a list of the size asked above a closer match listing fewer items', () => {
    const top = topPassage('wenjian.txt', [
      '意见',
      '一、作风建设',
      '干部改进作风，反对形式主义、官僚主义。',
      '二、纪律要求',
      '干部要坚决反对形式主义、官僚主义、享乐主义和奢靡之风，持续整治。',
    ], '干部要反对的作风是哪四种？')
    expect(top).toContain('奢靡之风')
  })
})
