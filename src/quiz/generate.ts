import type { AnalysedSentence, QuizCorpus } from './corpus.ts'
import { kindKey, type Span } from './spans.ts'
import { BLANK, type Question } from './types.ts'
import { otherFillers, repeatedIn, type Rejection } from './ambiguity.ts'
import { DISTRACTORS, pickDistractors } from './distractors.ts'
import { answerForm, letterOf } from './answer-form.ts'
import { stableHash, stableId } from './stable-hash.ts'

/** A candidate the generator looked at: the question it made, or why it made none. */
export type Verdict =
  | { question: Question }
  | { rejection: Rejection & { id: string; sentence: string; answer: string; citation: string } }

// sentences a secretary would pick: rules, definitions, figures
const RULE = /必须|应当|应该|不得|严禁|禁止|实行|坚持|要求|规定|有权|有义务|为期|期限|不超过|不少于|至少|一律|可以/
const DEFINITION = /是指|称为|叫做|^[^，。；]{2,24}是|是[^，。；]{2,30}的/
const ARTICLE = /^第[一二三四五六七八九十百零〇两0-9]+条$/
const OBJECT_OF = /(是|为|实行|坚持|实现|以|作为|贯彻|遵循|建立|健全|推进)$/
/** Longest stem; longer sentences are cut to the clauses around the blank. */
const STEM_MAX = 90
const STEM_MIN = 24

/** How much a secretary would want to ask this sentence. */
function sentenceScore(s: AnalysedSentence): number {
  let score = 0
  if (RULE.test(s.text)) score += 3
  if (DEFINITION.test(s.text)) score += 2
  if (s.passage.headings.some((h) => ARTICLE.test(h))) score += 2
  if (s.text.length < 12) score -= 3
  else if (s.text.length <= STEM_MAX) score += 1
  if (s.spans.filter((x) => x.kind.kind === 'number').length > 3) score -= 2
  return score
}

/** Terms this common in the materials are words, not facts to ask about (社会主义, 党中央). */
const COMMON_TERM = 12
/** Years and counts of years that say "since" (五年来, 三年多来) date the speech rather than state a fact. */
const SINCE = /^(多)?(来|以来)/
const TIME_UNITS = new Set(['年', '个月', '天', '周岁', '岁', '周年'])

/** How good a blank this span makes; 0 or less: not worth asking. */
function spanScore(corpus: QuizCorpus, s: AnalysedSentence, span: Span): number {
  const after = s.text.slice(span.end)
  switch (span.kind.kind) {
    case 'number': {
      if (SINCE.test(after) || /(新的|每)$/.test(s.text.slice(0, span.start))) return 0
      // 一项, 一次, 一人: an article, not a figure (一年 is a figure)
      if (span.value === 1 && !TIME_UNITS.has(span.kind.unit)) return 0
      if (span.kind.unit.endsWith('届')) return 1
      return RULE.test(s.text) ? 6 : 4
    }
    case 'quoted': return 4
    case 'year': return SINCE.test(after) ? 0 : 3
    case 'enum': return 2
    case 'term': {
      const count = corpus.pools.get(kindKey(span.kind))?.find((e) => e.text === span.text)?.count ?? 0
      if (count > COMMON_TERM || /[性化式于的]$/.test(span.text) || /^[高多]/.test(span.text)) return 0
      if (['l', 'i', 'nr'].includes(span.kind.tag) && span.text.length < 4) return 0
      return OBJECT_OF.test(s.text.slice(0, span.start)) || /^(是|为)/.test(after) ? 3 : 1
    }
  }
}

/** The part of the sentence a question quotes: the whole sentence, or the clauses around the span. */
export function stemWindow(text: string, span: Span): { start: number; end: number } {
  if (text.length <= STEM_MAX) return { start: 0, end: text.length }
  const cuts = [0]
  for (const m of text.matchAll(/[，；：]/g)) cuts.push(m.index! + 1)
  cuts.push(text.length)
  let lo = cuts.findLastIndex((c) => c <= span.start)
  let hi = cuts.findIndex((c) => c >= span.end)
  // grow clause by clause, left first (it usually holds the subject), while within the limit
  while (cuts[hi]! - cuts[lo]! < STEM_MIN || lo > 0 || hi < cuts.length - 1) {
    const left = lo > 0 ? cuts[hi]! - cuts[lo - 1]! : Infinity
    const right = hi < cuts.length - 1 ? cuts[hi + 1]! - cuts[lo]! : Infinity
    if (Math.min(left, right) > STEM_MAX) break
    if (left <= right) lo--
    else hi++
  }
  const end = /[，；：]$/.test(text.slice(cuts[lo]!, cuts[hi]!)) ? cuts[hi]! - 1 : cuts[hi]!
  return { start: cuts[lo]!, end }
}

/** Try to make a question of one span; either a question or the reason it would be ambiguous. */
export function questionFrom(corpus: QuizCorpus, s: AnalysedSentence, span: Span): Verdict {
  const { passage } = s
  const id = stableId('g', passage.doc, s.text, String(span.start), span.text)
  const reject = (r: Rejection): Verdict => ({ rejection: { ...r, id, sentence: s.text, answer: span.text, citation: passage.citation } })
  if (s.heading) return reject({ reason: 'heading', detail: '标题或小标题' })
  if (repeatedIn(s.text, span.start, span.end, span.text)) return reject({ reason: 'repeated', detail: `“${span.text}”在句中出现不止一次` })
  const win = stemWindow(s.text, span)
  const stem = s.text.slice(win.start, span.start) + BLANK + s.text.slice(span.end, win.end)
  const source = { doc: passage.doc, passageId: passage.id, citation: passage.citation, start: s.start + span.start, end: s.start + span.end }
  const base = { id, origin: 'generated' as const, stem, explanation: s.text, citation: passage.citation, source, spanKind: span.kind }

  const asChoice = (): Verdict => {
    const distractors = pickDistractors(corpus, span, s.text, stem, id)
    if (distractors.length < DISTRACTORS) {
      return reject({ reason: 'no-distractors', detail: `材料中同类选项只有 ${distractors.length} 个` })
    }
    const options = [span.text, ...distractors]
      .map((text) => ({ text, order: stableHash(id + text) }))
      .sort((a, b) => a.order - b.order)
      .map((o) => o.text)
    return { question: { ...base, type: 'single', options, answer: letterOf(options.indexOf(span.text)) } }
  }
  const asFill = (): Verdict => {
    const others = otherFillers(corpus.text, stem, span.text)
    if (!Array.isArray(others)) return reject(others)
    if (others.length) return reject({ reason: 'other-filler', detail: `材料中同样的上下文还填过“${others.slice(0, 3).join('”“')}”` })
    const accepted = span.value !== undefined && answerForm(String(span.value)) !== answerForm(span.text) ? [String(span.value)] : undefined
    return { question: { ...base, type: 'fill', options: [], answer: span.text, ...(accepted ? { accepted } : {}) } }
  }
  const [first, second] = stableHash(id) % 5 < 3 ? [asChoice, asFill] : [asFill, asChoice]
  const verdict = first()
  return 'question' in verdict ? verdict : second()
}

/**
 * Candidate sentences in the order rounds take them: the best of every passage before the second
 * best of any, documents taking turns, so consecutive questions come from different places.
 */
export function rankedSentences(corpus: QuizCorpus): AnalysedSentence[] {
  const byDoc = new Map<string, Map<string, { s: AnalysedSentence; score: number }[]>>()
  for (const s of corpus.sentences) {
    if (!s.spans.length) continue
    const best = Math.max(...s.spans.map((span) => spanScore(corpus, s, span)))
    if (best <= 0) continue
    const passages = byDoc.get(s.passage.doc) ?? byDoc.set(s.passage.doc, new Map()).get(s.passage.doc)!
    const list = passages.get(s.passage.id) ?? passages.set(s.passage.id, []).get(s.passage.id)!
    list.push({ s, score: sentenceScore(s) + best })
  }
  const queues = [...byDoc.values()].map((passages) => {
    const rounds: { s: AnalysedSentence; score: number; tie: number }[][] = []
    for (const list of passages.values()) {
      list.sort((a, b) => b.score - a.score || a.s.start - b.s.start)
      list.forEach((c, k) => (rounds[k] ??= []).push({ ...c, tie: stableHash(c.s.passage.id + c.s.text) }))
    }
    return rounds.flatMap((r) => r.sort((a, b) => b.score - a.score || a.tie - b.tie)).map((c) => c.s)
  })
  const out: AnalysedSentence[] = []
  for (let k = 0; queues.some((q) => k < q.length); k++) for (const q of queues) if (k < q.length) out.push(q[k]!)
  return out
}

/**
 * Every candidate in round order with its verdict; a sentence gives at most one question (its best
 * span that works). A question whose answer was already asked waits until every other sentence had its turn.
 */
export function* reviewCandidates(corpus: QuizCorpus): Generator<Verdict> {
  const asked = new Set<string>()
  const later: Question[] = []
  for (const s of rankedSentences(corpus)) {
    const spans = s.spans
      .map((span) => ({ span, score: spanScore(corpus, s, span) }))
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score || a.span.start - b.span.start)
    for (const { span } of spans) {
      const v = questionFrom(corpus, s, span)
      if ('question' in v) {
        const form = answerForm(span.text)
        if (asked.has(form)) later.push(v.question)
        else {
          asked.add(form)
          yield v
        }
        break
      }
      yield v
    }
  }
  for (const question of later) yield { question }
}

/** Questions in the order rounds take them, ambiguous candidates left out. */
export function* generateQuestions(corpus: QuizCorpus): Generator<Question> {
  for (const v of reviewCandidates(corpus)) if ('question' in v) yield v.question
}
