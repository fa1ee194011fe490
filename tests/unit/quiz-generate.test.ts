import { describe, expect, it } from 'vitest'
import { splitPassages } from '../../src/materials/split-passages.ts'
import type { Passage } from '../../src/materials/types.ts'
import { buildCorpus } from '../../src/quiz/corpus.ts'
import { generateQuestions, questionFrom, reviewCandidates } from '../../src/quiz/generate.ts'
import { sentencesOf } from '../../src/quiz/sentences.ts'
import { otherFillers, overlappingOptions } from '../../src/quiz/ambiguity.ts'
import { pickDistractors } from '../../src/quiz/distractors.ts'
import { answerForm } from '../../src/quiz/answer-form.ts'
import { BLANK, type Question } from '../../src/quiz/types.ts'

const constitution = [
  '中国共产党章程',
  '第一章 党员',
  '第一条 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党。',
  '第三条 党员必须履行下列义务：增强“四个意识”、坚定“四个自信”、做到“两个维护”。',
  '第七条 预备党员的预备期为一年。党组织对预备党员应当认真教育和考察。',
  '第二章 党的中央组织',
  '第二十二条 中央委员会委员和候补委员必须有五年以上的党龄。',
  '第二十三条 党的中央委员会每届任期五年，党的地方各级委员会每届任期五年。',
  '第四十一条 留党察看最长不超过两年。',
  '第四十二条 党员受到留党察看处分，一般不超过三年。',
].join('\n')

const report2024 = [
  '2024年政府工作报告',
  '过去一年的工作',
  '国内生产总值超过126万亿元，增长5.2%，增速居世界主要经济体前列。城镇新增就业1244万人。',
  '坚持“两个毫不动摇”，支持民营经济发展壮大。深入推进“一带一路”建设。',
  '（3）进一步全面深化改革的总目标。继续完善和发展中国特色社会主义制度，推进国家治理体系和治理能力现代化。',
  '严格耕地占补平衡管理，实行“市县审核、省级复核、社会监督”机制，确保补充的耕地数量相等、质量相当、产能不降。',
  '居民人均可支配收入增长6.1%，脱贫地区农村居民收入增长8.4%。',
].join('\n')

const report2023 = [
  '2023年政府工作报告',
  '过去五年的工作',
  '国内生产总值超过121万亿元，增长3%，增速居世界主要经济体前列。城镇新增就业1206万人。',
  '坚持“一国两制”，支持香港、澳门更好融入国家发展大局。坚持“三个代表”重要思想。',
  '居民消费价格上涨2%，全国财政支出70%以上用于民生。',
].join('\n')

const passages: Passage[] = [
  ...splitPassages('dangzhang.txt', constitution),
  ...splitPassages('report2024.txt', report2024),
  ...splitPassages('report2023.txt', report2023),
]
const corpus = buildCorpus(passages)
const questions = [...generateQuestions(corpus)]
const byId = new Map(passages.map((p) => [p.id, p]))
const answerText = (q: Question) => (q.type === 'single' ? q.options[q.answer.charCodeAt(0) - 65]! : q.answer)
const sentenceOf = (text: string) => corpus.sentences.find((s) => s.text.includes(text))!

describe('quiz generation', () => {
  it('blanks a span of the cited passage and keeps the rest of the sentence word for word', () => {
    expect(questions.length).toBeGreaterThan(5)
    for (const q of questions) {
      const passage = byId.get(q.source!.passageId)!
      expect(q.citation).toBe(passage.citation)
      expect(passage.text.slice(q.source!.start, q.source!.end)).toBe(answerText(q))
      expect(passage.text).toContain(q.stem.replace(BLANK, answerText(q)))
      expect(q.stem.split(BLANK)).toHaveLength(2)
    }
  })

  it('blanks a number together with its unit, and cites the article', () => {
    const q = questions.find((x) => x.stem.includes(`预备期为${BLANK}`))!
    expect(answerText(q)).toBe('一年')
    expect(q.citation).toBe('《中国共产党章程》第一章 党员 第七条')
    expect(q.spanKind).toEqual({ kind: 'number', unit: '年', script: 'chinese' })
    const gdp = questions.find((x) => x.stem.includes(`超过${BLANK}，增长`))
    if (gdp) expect(answerText(gdp)).toBe('126万亿元')
  })

  it('draws distractors of the same kind: same unit and script, other quoted terms, parallel items', () => {
    const s = sentenceOf('预备期为一年')
    const span = s.spans.find((x) => x.text === '一年')!
    const stem = s.text.replace('一年', BLANK)
    const numbers = pickDistractors(corpus, span, s.text, stem, 'seed')
    expect(numbers).toHaveLength(3)
    for (const d of numbers) expect(d).toMatch(/^[两三四五六七八九十]+年$/)

    const q = sentenceOf('“四个意识”')
    const quoted = q.spans.find((x) => x.text === '四个意识')!
    const options = pickDistractors(corpus, quoted, q.text, q.text.replace('四个意识', BLANK), 'seed')
    // 四个自信 and 两个维护 are in the same sentence: an option the stem already shows is no distractor
    expect(options).not.toContain('四个自信')
    expect(options).not.toContain('两个维护')
    for (const d of options) expect(corpus.pools.get('quoted')!.map((e) => e.text)).toContain(d)

    const e = sentenceOf('省级复核')
    const item = e.spans.find((x) => x.text === '省级复核')!
    expect(item.kind.kind).toBe('enum')
    for (const d of pickDistractors(corpus, item, e.text, e.text.replace('省级复核', BLANK), 'seed')) expect(d).toHaveLength(4)
  })

  it('never blanks an answer that occurs twice in its sentence', () => {
    const s = sentenceOf('每届任期五年，党的地方')
    const span = s.spans.find((x) => x.text === '五年')!
    const v = questionFrom(corpus, s, span)
    expect('rejection' in v && v.rejection.reason).toBe('repeated')
    expect(questions.some((q) => q.explanation === s.text && answerText(q) === '五年')).toBe(false)
  })

  it('never asks a heading or section title', () => {
    const title = sentencesOf(passages.find((p) => p.text.includes('总目标'))!).find((s) => s.text.includes('总目标'))!
    expect(title.heading).toBe(true)
    expect(questions.some((q) => q.explanation!.includes('总目标'))).toBe(false)
  })

  it('does not ask a blank whose context another document fills differently (5.2% in 2024, 3% in 2023)', () => {
    const stem = `国内生产总值超过126万亿元，增长${BLANK}，增速居世界主要经济体前列。`
    expect(otherFillers(corpus.text, stem, '5.2%')).toEqual(['3%'])
    for (const q of questions.filter((x) => ['5.2%', '3%'].includes(answerText(x)))) {
      expect(q.type).toBe('single')
      expect(q.options.map(answerForm)).not.toContain(answerForm(answerText(q) === '3%' ? '5.2%' : '3%'))
    }
  })

  it('gives single-choice questions four options, none inside another, the answer among them', () => {
    const singles = questions.filter((q) => q.type === 'single')
    expect(singles.length).toBeGreaterThan(0)
    for (const q of singles) {
      expect(q.options).toHaveLength(4)
      expect(new Set(q.options).size).toBe(4)
      expect(overlappingOptions(q.options)).toBeUndefined()
      expect(q.options[q.answer.charCodeAt(0) - 65]).toBe(passages.find((p) => p.id === q.source!.passageId)!.text.slice(q.source!.start, q.source!.end))
    }
    expect(overlappingOptions(['中国特色社会主义', '社会主义', '共产主义'])).toEqual(['中国特色社会主义', '社会主义'])
  })

  it('is deterministic: the same materials give the same questions in the same order', () => {
    const again = [...generateQuestions(buildCorpus(passages))]
    expect(again.map((q) => q.id)).toEqual(questions.map((q) => q.id))
    expect(again.map((q) => q.options)).toEqual(questions.map((q) => q.options))
  })

  it('reports every candidate it rejects with a reason', () => {
    const rejected = [...reviewCandidates(corpus)].flatMap((v) => ('rejection' in v ? [v.rejection] : []))
    expect(rejected.map((r) => r.reason)).toContain('repeated')
    for (const r of rejected) expect(r.detail).toMatch(/[\u4e00-\u9fff]/)
  })
})
