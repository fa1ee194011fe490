import { describe, expect, it } from 'vitest'
import { answerTypeOf, parseQuestion, stripFiller } from '../../src/materials/question.ts'
import { buildCatalog } from '../../src/materials/document-catalog.ts'
import { builtInThesaurus } from '../../src/materials/thesaurus.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'
import { buildSearchIndex } from '../../src/materials/search-index.ts'

describe('question filler', () => {
  it('strips chat openers, tails, colouring words and a clause about the asker', () => {
    expect(stripFiller('请问，预备期到底是多久？谢谢')).toBe('预备期是多久？')
    expect(stripFiller('想问下 党费啥时候交呀？')).toBe('党费什么时候交？')
    expect(stripFiller('我今年17岁，能入党吗？')).toBe('能入党吗？')
    expect(stripFiller('有人知道二十大闭幕会是上午几点开始的吗？')).toBe('二十大闭幕会是上午几点开始的吗？')
  })

  it('keeps a clause about the asker that carries the question', () => {
    expect(stripFiller('我们单位想新成立个党支部，谁说了算？')).toBe('我们单位想新成立个党支部，谁说了算？')
  })

  it('leaves a pasted quiz sentence as written', () => {
    expect(parseQuestion('请问坚持____的鲜明导向。').asked).toBe('请问坚持____的鲜明导向。')
  })
})

describe('expected answer type', () => {
  it.each([
    ['入党要多大岁数？', 'age'],
    ['预备期是多久？', 'duration'],
    ['被留党察看的话，期限最多几年？', 'duration'],
    ['入党介绍人要几个？', 'count'],
    ['城镇化率到了百分之多少？', 'percentage'],
    ['居民医保补助多少元？', 'amount'],
    ['党章修正案什么时候开始生效？', 'date'],
    ['党员有哪些权利？', 'list'],
    ['支部想劝人退党，得走什么程序？', 'procedure'],
    ['“四个意识”是什么意思？', 'definition'],
  ] as const)('%s → %s', (q, type) => {
    expect(answerTypeOf(stripFiller(q))).toBe(type)
  })

  it('is unknown when the question words do not tell', () => {
    expect(answerTypeOf('党章对个人崇拜持什么态度')).toBeUndefined()
    expect(parseQuestion('坚持（ ）的原则。\nA. 个别吸收\nB. 集体吸收').answerType).toBeUndefined()
  })
})

// Three documents read from their own first lines: titles, date lines, years.
const passages = [
  ...splitPassages('report-a.txt', ['2023年国务院政府工作报告', '（2023年3月5日在全国人民代表大会上）', '城镇新增就业1206万人。'].join('\n')),
  ...splitPassages('report-b.txt', ['政府工作报告（摘登）', '城镇新增就业1244万人。'].join('\n')),
  ...splitPassages('zhangcheng.txt', ['中国共产党章程', '第一章 党员', '第七条 预备党员的预备期为一年。'].join('\n')),
  ...splitPassages('jueding.txt', ['中共中央关于进一步全面深化改革的决定', '（2024年7月18日中国共产党第二十届中央委员会第三次全体会议通过）', '城镇新增就业要稳步扩大。'].join('\n')),
]
const catalog = buildCatalog(passages, builtInThesaurus())

describe('documents a question names', () => {
  it('reads each document year from its title, date line or file name', () => {
    const years = Object.fromEntries(catalog.profiles.map((p) => [p.doc, p.year]))
    expect(years).toEqual({ 'report-a.txt': 2023, 'report-b.txt': undefined, 'zhangcheng.txt': undefined, 'jueding.txt': 2024 })
    const named = buildCatalog(splitPassages('gongzuo_baogao_2024.txt', '政府工作报告（摘登）\n正文。'), builtInThesaurus())
    expect(named.profiles[0]!.year).toBe(2024)
    const dated = buildCatalog(splitPassages('jueyi.txt', '关于某事的决议\n（二〇二四年七月十八日通过）\n正文。'), builtInThesaurus())
    expect(dated.profiles[0]!.year).toBe(2024)
  })

  it('finds a document by kind and year, by abbreviation, and by its date line', () => {
    expect(parseQuestion('2023年政府工作报告说城镇新增就业多少人？', { catalog })).toMatchObject({ docHints: ['report-a.txt'], years: [2023] })
    expect(parseQuestion('党章里预备期是多久？', { catalog }).docHints).toEqual(['zhangcheng.txt'])
    expect(parseQuestion('三中全会决定里就业怎么说？', { catalog }).docHints).toEqual(['jueding.txt'])
    expect(parseQuestion('23年的报告里新增就业多少？', { catalog }).docHints).toEqual(['report-a.txt'])
  })

  it('names no document for a plain question or a document of another kind', () => {
    expect(parseQuestion('城镇新增就业多少人？', { catalog }).docHints).toEqual([])
    expect(parseQuestion('向组织报告要几天？', { catalog }).docHints).toEqual([])
    expect(parseQuestion('《纪律处分条例》哪年修订的？', { catalog }).docHints).toEqual([])
  })

  it('takes the name of a document given as the source out of the search words, not one that is the topic', () => {
    expect(parseQuestion('三中全会决定里就业怎么说？', { catalog })).toMatchObject({ text: '就业', docNames: ['三中全会决定'] })
    const report = parseQuestion('2023年那份政府工作报告说，城镇新增就业多少人？', { catalog })
    expect(report).toMatchObject({ docHints: ['report-a.txt'], docNames: ['2023年那份政府工作报告'] })
    expect(report.text).not.toMatch(/2023|报告|说/)
    expect(report.text).toContain('城镇新增就业')
    expect(parseQuestion('在党章里预备期是多久？', { catalog }).text).toBe('预备期是')
    // 党章 is what is asked about here, and the words before it are the question's own
    expect(parseQuestion('总书记对学党章有哪些要求？', { catalog })).toMatchObject({ text: '总书记对学党章有 要求', docNames: [] })
    // a report named by its kind only is no document, but no topic either
    expect(parseQuestion('报告里说小康是什么梦？').text).toBe('小康 梦')
  })

  it('reads the years a question asks about', () => {
    expect(parseQuestion('2023年城镇新增就业多少人？').askedYears).toEqual([2023])
    expect(parseQuestion('预备期是多久？').askedYears).toEqual([])
  })

  it('keeps the documents of a kind given alone as the source, when no document is named', () => {
    expect(parseQuestion('报告里说城镇新增就业多少人？', { catalog }).kindDocs).toEqual(['report-a.txt', 'report-b.txt'])
    expect(parseQuestion('决定里怎么说就业的？', { catalog }).kindDocs).toEqual(['jueding.txt'])
    expect(parseQuestion('三中全会决定里就业怎么说？', { catalog }).kindDocs).toEqual([])
    expect(parseQuestion('文件里说城镇新增就业多少人？', { catalog }).kindDocs).toEqual([])
  })

  it('ranks the passages of documents of that kind above those of other kinds that match as well', () => {
    const hits = buildSearchIndex(passages).search(parseQuestion('决定里城镇新增就业怎么说的？', { catalog }), 3)
    expect(hits.map((h) => h.passage.doc).indexOf('jueding.txt')).toBeLessThan(hits.map((h) => h.passage.doc).indexOf('report-a.txt'))
  })

  it('takes a question word with its measure word out (哪种, 哪四样)', () => {
    expect(parseQuestion('总体国家安全观以哪种安全为根本？').text).toBe('总体国家安全观以 安全为根本')
    expect(parseQuestion('“四风”是哪四样？').text).toBe('“四风”是')
  })

  it('ranks the answer first when the named document also mentions its own name elsewhere', () => {
    const decision = splitPassages('jueding.txt', [
      '中共中央关于进一步全面深化改革的决定',
      '（2024年7月18日中国共产党第二十届中央委员会第三次全体会议通过）',
      '一、重要意义',
      '党的十一届三中全会是划时代的，开启了改革开放新时期。党的十八届三中全会也是划时代的。',
      '二、法治',
      '建立轻微犯罪记录封存制度。',
    ].join('\n'))
    const all = [...passages.filter((p) => p.doc !== 'jueding.txt'), ...decision]
    const cat = buildCatalog(all, builtInThesaurus())
    const top = buildSearchIndex(all).search(parseQuestion('案底能不能封存？三中全会决定怎么说的？', { catalog: cat }), 1)[0]!
    expect(top.passage.text).toContain('记录封存')
  })

  it('ranks the named document first among look-alike passages', () => {
    const index = buildSearchIndex(passages)
    const top = (q: string) => index.search(parseQuestion(q, { catalog }), 1)[0]!.passage.doc
    expect(top('2023年政府工作报告里城镇新增就业多少人')).toBe('report-a.txt')
    expect(top('三中全会决定里城镇新增就业怎么说')).toBe('jueding.txt')
  })
})
