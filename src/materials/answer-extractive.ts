import type { Answer, Hit } from './types.ts'
import { cleanQuery } from './query.ts'
import { matchForm } from './tokenize.ts'

/**
 * Below this search score the materials are taken not to answer the question. Chosen in
 * bench/qa.ts: the highest value that still answers 95% of qa-dev while refusing most of
 * qa-dev-unanswerable.
 */
export const ANSWER_THRESHOLD = 0.6

/** The reply to a question: sentences of the best passage and its citation, or an honest refusal. */
export function extractiveAnswer(question: string, hits: readonly Hit[], opts: { answerChars: number }): Answer {
  const best = hits[0]
  if (!best || best.score < ANSWER_THRESHOLD) return notFound(hits)
  const query = cleanQuery(question)
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
