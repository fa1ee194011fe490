import { describe, expect, it } from 'vitest'
import { askedChars, askedDatePart, askedItems, expectedAnswer, holdsAnswer, holdsAnswerType, listSizes, phraseLengths } from '../../src/materials/answer-span.ts'
import { parseQuestion } from '../../src/materials/question.ts'
import { splitPassages } from '../../src/materials/split-passages.ts'
import { buildSearchIndex } from '../../src/materials/search-index.ts'
import { extractiveAnswer, FULL_TEXT_HINT } from '../../src/materials/answer-extractive.ts'
import { answerProbability, featureVector, isAnswerable, type AnswerabilityModel } from '../../src/materials/answerability.ts'
import type { Hit } from '../../src/materials/types.ts'

const article = '第九条 党员有退党的自由。党员要求退党，应当经支部大会讨论后宣布除名，并报上级党组织备案。党员缺乏革命意志，不履行党员义务，不符合党员条件，党的支部应当对他进行教育，要求他限期改正；经教育仍无转变的，应当劝他退党。劝党员退党，应当经支部大会讨论决定，并报上级党组织批准。如被劝告退党的党员坚持不退，应当提交支部大会讨论，决定把他除名，并报上级党组织批准。党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。'
const passages = splitPassages('zhangcheng.txt', ['中国共产党章程', '第一章 党员', article, '第七条 预备党员的预备期为一年。党组织对预备党员应当认真教育和考察。'].join('\n'))
const index = buildSearchIndex(passages)

describe('answer sentence', () => {
  const top = (q: string) => index.search(parseQuestion(q), 1)[0]!

  it('picks the sentence holding the expected number deep inside a long article', () => {
    const hit = top('连续多长时间不过组织生活算自行脱党？')
    expect(hit.span!.text).toContain('连续六个月')
    expect(hit.span!.typeFound).toBe(true)
    expect(hit.span!.text.length).toBeLessThanOrEqual(120)
  })

  it('prefers a 应当……批准 sentence for a procedure question', () => {
    const hit = top('劝党员退党要经过什么程序？')
    expect(hit.span!.text).toMatch(/劝党员退党，应当经支部大会讨论决定，并报上级党组织批准/)
  })

  it('tells answer types apart by what a sentence holds', () => {
    expect(holdsAnswerType('duration', '预备党员的预备期为一年。')).toBe(true)
    expect(holdsAnswerType('age', '年满十八岁的中国工人')).toBe(true)
    expect(holdsAnswerType('percentage', '城镇调查失业率5.5%左右')).toBe(true)
    expect(holdsAnswerType('amount', '补助标准提高30元')).toBe(true)
    expect(holdsAnswerType('list', '听党指挥、能打胜仗、作风优良')).toBe(true)
    expect(holdsAnswerType('procedure', '并报上级党组织批准')).toBe(true)
    expect(holdsAnswerType('duration', '党员有退党的自由。')).toBe(false)
  })

  it('for a list of a stated size (哪四种), wants a list of that many items', () => {
    expect(askedItems('“四种危险”是哪四种？')).toBe(4)
    expect(askedItems('是哪两类性质不一样的矛盾？')).toBe(2)
    expect(askedItems('有哪些要求？')).toBeUndefined()
    expect(listSizes('精神懈怠危险、能力不足危险、脱离群众危险、消极腐败危险更加尖锐地摆在全党面前。')).toContain(4)
    expect(listSizes('反对形式主义、官僚主义、享乐主义和奢靡之风。')).toContain(4)
    expect(listSizes('严格区分和正确处理敌我矛盾和人民内部矛盾这两类不同性质的矛盾。')).toContain(2)
    expect(listSizes('一是完善制度，二是加强监督，三是严格执纪。')).toContain(3)
    // a list of three does not answer 哪四种, any list answers 哪些
    const four = expectedAnswer(parseQuestion('“四种危险”是哪四种？'))!
    expect(four).toEqual({ type: 'list', items: 4 })
    expect(holdsAnswer(four, '健全政治监督具体化、精准化、常态化机制。')).toBe(false)
    expect(holdsAnswer({ type: 'list' }, '健全政治监督具体化、精准化、常态化机制。')).toBe(true)
    expect(holdsAnswer(four, '精神懈怠危险、能力不足危险、脱离群众危险、消极腐败危险')).toBe(true)
  })

  it('for a phrase of a stated length (哪八个字), wants a phrase of that many characters', () => {
    expect(askedChars('党章讲的是哪八个字的方针？')).toBe(8)
    expect(askedChars('用哪九个字概括？')).toBe(9)
    expect(askedChars('“十六字”总要求是什么？')).toBe(16)
    expect(askedChars('选票上要不要写自己名字？')).toBeUndefined()
    // 九个字 are characters, not nine items
    expect(askedItems('用哪九个字概括？')).toBeUndefined()
    expect(phraseLengths('坚持惩前毖后、治病救人，执纪必严。')).toContain(8)
    expect(phraseLengths('发挥领导作用，把方向、管大局、保落实，依照规定讨论。')).toContain(9)
    const eight = expectedAnswer(parseQuestion('对犯错误的同志，党章讲的是哪八个字的方针？'))!
    expect(eight.chars).toBe(8)
    expect(holdsAnswer(eight, '坚持惩前毖后、治病救人，执纪必严、违纪必究。')).toBe(true)
    expect(holdsAnswer(eight, '坚持严管和厚爱结合、激励和约束并重。')).toBe(false)
  })

  it('for a date, wants the part asked for: a day for 哪天, an hour for 几点; a bare year is no date', () => {
    // 2024年奥运会 names an event, it does not say when something happened
    const year = expectedAnswer(parseQuestion('中国女排在哪一年首次获得奥运会冠军？'))!
    expect(holdsAnswer(year, '做好2024年奥运会、残奥会备战参赛工作。')).toBe(false)
    expect(holdsAnswer(year, '2017年4月设立雄安新区。')).toBe(true)
    const day = expectedAnswer(parseQuestion('主题党日是每个月哪一天？'))!
    expect(holdsAnswer(day, '每月开展一次主题党日。')).toBe(false)
    expect(holdsAnswer(day, '每月15日开展主题党日。')).toBe(true)
    expect(askedDatePart('闭幕会是上午几点开始的？')!.test('上午10时开幕')).toBe(true)
    // a question that does not say which part: any date evidence, as before
    expect(askedDatePart('什么时候施行？')).toBeUndefined()
    expect(holdsAnswerType('date', '每月开展一次主题党日。')).toBe(true)
  })

  it('picks the sentence whose list has as many items as the question asks for', () => {
    const text = '工作原则包括守正、创新、开放。工作原则的内容是坚持人民至上、坚持自信自立、坚持守正创新、坚持问题导向。'
    const four = splitPassages('jueding.txt', ['决定', '一、总体要求', text].join('\n'))
    const hit = buildSearchIndex(four).search(parseQuestion('工作原则是哪四条？'), 1)[0]!
    expect(hit.span!.text).toBe('工作原则的内容是坚持人民至上、坚持自信自立、坚持守正创新、坚持问题导向。')
    expect(hit.span!.typeFound).toBe(true)
  })

  it('answers with the items when the best sentence only announces them (……享有下列权利：)', () => {
    const rights = splitPassages('zhangcheng.txt', ['中国共产党章程', '第一章 党员',
      '第四条 党员享有下列权利：', '（一）参加党的有关会议，阅读党的有关文件，接受党的教育和培训；', '（二）在党的会议上和党报党刊上，参加关于党的政策问题的讨论；'].join('\n'))
    const hit = buildSearchIndex(rights).search(parseQuestion('党员享有哪些权利？'), 1)[0]!
    expect(hit.span!.text).toMatch(/^第四条 党员享有下列权利：（一）参加党的有关会议/)
    expect(hit.span!.text).toContain('（二）')
  })

  it('does not answer with the numbered heading line that opens a passage', () => {
    const text = '3.着力提升实际效果。要充分运用新技术新应用，强化互动化传播，让正能量产生大流量。'
    const part = splitPassages('jueding.txt', ['决定', '五、切实加强组织领导', text].join('\n'))
    const hit = buildSearchIndex(part).search(parseQuestion('提升实际效果要怎么做？'), 1)[0]!
    expect(hit.span!.text).toBe('要充分运用新技术新应用，强化互动化传播，让正能量产生大流量。')
  })

  it('finds the same sentence when asked again after other passages were cut into spans', () => {
    const first = top('劝党员退党要经过什么程序？').span!
    expect(top('预备期是多长时间？').span!.text).toContain('预备期为一年')
    expect(top('劝党员退党要经过什么程序？').span).toEqual(first)
  })

  it('tells whether the question\'s rarest term is in the passage at all', () => {
    const hits = index.search(parseQuestion('退党的党员预备期多长？'), 2)
    const rarestFound = Object.fromEntries(hits.map((h) => [h.passage.text.slice(0, 3), h.span!.rarestFound]))
    expect(rarestFound).toEqual({ 第七条: false, 第九条: true })
  })

  it('replies with the short answer, the citation and how to see the whole article', () => {
    const parsed = parseQuestion('连续多长时间不过组织生活算自行脱党？')
    const answer = extractiveAnswer(parsed, index.search(parsed, 5), { answerChars: 300 })
    const [body, citation, hint] = answer.text.split('\n')
    expect(body).toContain('连续六个月')
    expect(body!.length).toBeLessThanOrEqual(120)
    expect(citation).toBe('——《中国共产党章程》第一章 党员 第九条')
    expect(hint).toBe(FULL_TEXT_HINT)
    const full = parseQuestion('第九条原文')
    expect(extractiveAnswer(full, index.search(full, 5), { answerChars: 300 }).text).toBe(`${article}\n——《中国共产党章程》第一章 党员 第九条`)
  })
})

describe('answerability model', () => {
  const model: AnswerabilityModel = { features: ['coverage', 'score', 'typeMissing'], weights: [4, 2, -2], bias: -3, threshold: 0.5 }
  const hit = (score: number, coverage: number, typeFound: boolean): Hit => ({
    passage: passages[0]!, score, span: { text: '…', coverage, typeFound, clipped: false, score: coverage, passageCoverage: coverage, rarestFound: true, unknown: 0 },
  })

  it('computes the probability of fixed feature vectors', () => {
    expect(answerProbability(model, [0, 0, 0])).toBeCloseTo(1 / (1 + Math.exp(3)), 6)
    expect(answerProbability(model, [1, 1, 0])).toBeCloseTo(1 / (1 + Math.exp(-3)), 6)
    expect(answerProbability(model, [1, 1, 1])).toBeCloseTo(1 / (1 + Math.exp(-1)), 6)
  })

  it('measures the features on the question and its hits', () => {
    const q = parseQuestion('预备期是多久？')
    expect(featureVector(model, q, [hit(0.8, 0.9, false)])).toEqual([0.9, 0.8, 1])
    expect(featureVector(model, q, [hit(0.8, 0.9, true)])).toEqual([0.9, 0.8, 0])
  })

  it('does not count the answer type as missing for a hit found by meaning only (it has no sentence)', () => {
    const q = parseQuestion('新同志的试用期有多长？')
    const byMeaning: Hit = { passage: passages[1]!, score: 0.75, vector: 0.75 }
    expect(featureVector(model, q, [byMeaning])).toEqual([0.75, 0.75, 0])
    expect(featureVector(model, q, [hit(0.75, 0.75, false)])).toEqual([0.75, 0.75, 1])
  })

  it('tells whether the best sentence names the head noun of what is asked', () => {
    const heads: AnswerabilityModel = { features: ['headFound'], weights: [1], bias: 0, threshold: 0.5 }
    const withSpan = (text: string): Hit => ({ ...hit(0.5, 0.5, false), span: { ...hit(0.5, 0.5, false).span!, text } })
    const q = parseQuestion('党的支部实行什么制度？')
    expect(featureVector(heads, q, [withSpan('党的各级组织实行集体领导和个人分工负责相结合的制度。')])).toEqual([1])
    expect(featureVector(heads, q, [withSpan('党员要参加党的组织生活。')])).toEqual([0])
    // no head: the question word ends the question
    expect(featureVector(heads, parseQuestion('党费是什么？'), [withSpan('党费是党员交纳的费用。')])).toEqual([0])
  })

  it('answers above the threshold, refuses below it and without hits', () => {
    const q = parseQuestion('预备期是多久？')
    expect(isAnswerable(q, [hit(0.9, 0.9, true)], model)).toBe(true)
    expect(isAnswerable(q, [hit(0.3, 0.2, false)], model)).toBe(false)
    expect(isAnswerable(q, [], model)).toBe(false)
  })

  it('ships fitted coefficients for every feature it names', () => {
    const q = parseQuestion('预备期是多久？')
    expect(() => isAnswerable(q, [hit(0.9, 0.9, true)])).not.toThrow()
  })
})
