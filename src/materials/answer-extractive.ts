import type { Answer, Hit, Passage } from './types.ts'
import { isAnswerable, type AnswerabilityModel } from './answerability.ts'
import { parseQuestion, type ParsedQuestion } from './question.ts'
import { matchForm } from './tokenize.ts'

/** Shown under a short answer: the whole article is one reply away. */
export const FULL_TEXT_HINT = '回复“原文”可看完整条文'

export interface ExtractiveOptions {
  /** Longest excerpt when a hit carries no answer span (a passage found by meaning only). */
  answerChars: number
  model?: AnswerabilityModel
}

/**
 * The reply to a question: the answering sentence or two of the best passage (usually under 120
 * characters), its citation and how to get the whole article; the whole passage when the member asked
 * for 原文/全文; or an honest refusal when the answerability model says the materials do not answer it.
 */
export function extractiveAnswer(question: string | ParsedQuestion, hits: readonly Hit[], opts: ExtractiveOptions): Answer {
  const best = hits[0]
  const query = typeof question === 'string' ? parseQuestion(question) : question
  if (!best || !isAnswerable(query, hits, opts.model)) return notFound(hits)
  return fromPassage(best.passage, query.full ? undefined : (best.span?.text || excerpt(best.passage.text, query.text, Math.min(opts.answerChars, 150))))
}

/** An answer from one passage: `short` (an excerpt) with the citation and the 原文 hint, or the whole passage. */
export function fromPassage(passage: Passage, short?: string): Answer {
  const fullText = !short || short === passage.text
  return {
    answered: true,
    text: fullText ? `${passage.text}\n——${passage.citation}` : `${short}\n——${passage.citation}\n${FULL_TEXT_HINT}`,
    sources: [{ doc: passage.doc, citation: passage.citation }],
    passage,
  }
}

/** The refusal: the materials do not cover it, and which documents came closest. */
export function notFound(hits: readonly Hit[]): Answer {
  const titles = [...new Set(hits.map((h) => h.passage.title))].slice(0, 2)
  const closest = titles.length ? `最接近的材料是${titles.map((t) => `《${t}》`).join('、')}，可以去那里看看。` : ''
  return {
    answered: false,
    text: `学习材料里没有找到能回答这个问题的内容，为免误导，我不作推测。${closest}也可以换个说法再问，或请教支部书记。`,
    sources: [],
  }
}

/** The sentences of `text` that best match the question, in their order, within about `limit` characters. */
export function excerpt(text: string, question: string, limit: number): string {
  if (text.length <= limit) return text
  const sentences = text.match(/[^。；！？\n]+[。；！？]?\n?/g) ?? [text]
  const q = matchForm(question)
  const grams = new Set<string>()
  for (let i = 0; i + 1 < q.length; i++) grams.add(q.slice(i, i + 2))
  const score = (s: string) => {
    const f = matchForm(s)
    let n = 0
    for (const g of grams) if (f.includes(g)) n++
    return n
  }
  let bestAt = 0
  sentences.forEach((s, i) => { if (score(s) > score(sentences[bestAt]!)) bestAt = i })
  let from = bestAt
  let to = bestAt + 1
  let size = sentences[bestAt]!.length
  // grow around the best sentence, the following one first: answers often continue there
  while (true) {
    const next = to < sentences.length ? sentences[to]!.length : Infinity
    const prev = from > 0 ? sentences[from - 1]!.length : Infinity
    if (next !== Infinity && size + next <= limit) { to++; size += next; continue }
    if (prev !== Infinity && size + prev <= limit) { from--; size += prev; continue }
    break
  }
  let out = sentences.slice(from, to).join('').trim()
  if (out.length > limit + 20) out = `${out.slice(0, limit)}……`
  return `${from > 0 ? '……' : ''}${out}${to < sentences.length && !out.endsWith('……') ? '……' : ''}`
}
