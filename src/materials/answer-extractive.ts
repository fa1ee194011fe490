import type { Answer, Hit } from './types.ts'
import { cleanQuery, type CleanQuery } from './query.ts'
import { matchForm } from './tokenize.ts'

/** Lowest search scores at which the materials are taken to answer a question, by question form. */
export interface AnswerThresholds {
  /** A pasted quiz sentence (blanks, options): its wording is in the materials nearly verbatim if they answer it. */
  quiz: number
  /** A member's own question: short and reworded, so less of it is found verbatim. */
  natural: number
}

/**
 * Chosen in bench/qa.ts on the tuning half of qa-dev: the quiz value refuses most of
 * qa-dev-unanswerable (near-copies of sentences in the materials with other words in the blank)
 * while answering nearly all answerable quiz questions; the natural value sits below the lowest
 * score of an answerable natural question, with room for paraphrases.
 */
export const ANSWER_THRESHOLDS: AnswerThresholds = { quiz: 0.5, natural: 0.4 }

/** Whether a best hit scoring `score` is good enough to answer `query` from. */
export function isConfident(query: CleanQuery, score: number, thresholds: AnswerThresholds = ANSWER_THRESHOLDS): boolean {
  return score >= (query.quiz ? thresholds.quiz : thresholds.natural)
}

/** The reply to a question: sentences of the best passage and its citation, or an honest refusal. */
export function extractiveAnswer(question: string, hits: readonly Hit[], opts: { answerChars: number }): Answer {
  const best = hits[0]
  const query = cleanQuery(question)
  if (!best || !isConfident(query, best.score)) return notFound(hits)
  const { passage } = best
  const body = query.full ? passage.text : excerpt(passage.text, query.text, opts.answerChars)
  return {
    answered: true,
    text: `${body}\n——${passage.citation}`,
    sources: [{ doc: passage.doc, citation: passage.citation }],
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
