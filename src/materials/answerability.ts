import fs from 'node:fs'
import type { Hit } from './types.ts'
import type { ParsedQuestion } from './question.ts'
import { materialsDataFile } from './thesaurus.ts'
import { askedHead, holdsHead } from './asked-head.ts'

/**
 * Whether the materials answer a question, from features measured relative to the question (not a
 * raw score, which a reworded question never lifts high): a logistic regression fitted by
 * bench/fit-answerability.ts on fixed halves of the question sets, its coefficients in
 * src/materials/builtin/answerability.json.
 */
export interface AnswerabilityModel {
  /** Feature names, in the order of `weights` (see FEATURES). */
  features: string[]
  weights: number[]
  bias: number
  /** Answer when the probability is at least this. */
  threshold: number
  /** How and on what the model was fitted (for people reading the file). */
  fitted?: string
}

/** The features, each 0–1 (or about so) and measured relative to the question. */
export const FEATURES: Record<string, (q: ParsedQuestion, hits: readonly Hit[]) => number> = {
  /**
   * Share of the question's IDF mass (its expanded terms) covered by the best sentence of the best hit;
   * for a hit found by meaning (embeddings), its rescaled similarity when that is higher.
   */
  coverage: (_q, hits) => Math.max(hits[0]?.span?.coverage ?? 0, hits[0]?.vector ?? 0),
  /** The best hit's score: its BM25F over the question's own self-score (the IDF mass), reranked. */
  score: (_q, hits) => Math.min(1.5, hits[0]?.score ?? 0),
  /** Margin of the best score over the runner-up's (both on the question's self-score scale). */
  margin: (_q, hits) => Math.min(1, Math.max(0, (hits[0]?.score ?? 0) - (hits[1]?.score ?? 0))),
  /** The question asks for an answer type and the best sentence holds one. */
  typeFound: (q, hits) => (q.answerType && hits[0]?.span?.typeFound ? 1 : 0),
  /** The question asks for an answer type the best sentence does not hold (unknown, so 0, for a hit found by meaning only, which has no sentence). */
  typeMissing: (q, hits) => (q.answerType && hits[0]?.span && !hits[0].span.typeFound ? 1 : 0),
  /** The question names a document and the best hit is from it. */
  namedAgrees: (q, hits) => (q.docHints.length && hits[0] && q.docHints.includes(hits[0].passage.doc) ? 1 : 0),
  /** The question names a document and the best hit is from another one. */
  namedDisagrees: (q, hits) => (q.docHints.length && hits[0] && !q.docHints.includes(hits[0].passage.doc) ? 1 : 0),
  /** Share of the question's IDF mass found anywhere in the best passage. */
  passageCoverage: (_q, hits) => Math.max(hits[0]?.span?.passageCoverage ?? 0, hits[0]?.vector ?? 0),
  /** The question's rarest term is missing from the best passage (it asks about something the passage does not name). */
  rarestMissing: (_q, hits) => (hits[0]?.span && !hits[0].span.rarestFound && !(hits[0].vector && hits[0].vector > 0.5) ? 1 : 0),
  /** Share of the question's IDF mass in words no material has (枫桥经验, 学习强国 …). */
  unknownWords: (_q, hits) => hits[0]?.span?.unknown ?? 0,
  /**
   * The best sentence names the head noun of what is asked (头号什么任务 → 首要政治任务; 党龄要几年 → 五年以上):
   * a question about a topic the materials mention but asking what they do not state rarely finds it.
   */
  headFound: (q, hits) => {
    const head = q.quiz ? undefined : headOf(q)
    return head && hits[0]?.span && holdsHead(head, hits[0].span.text, q.related) ? 1 : 0
  },
  /** A pasted quiz question (its wording is in the materials nearly verbatim when they answer it). */
  quiz: (q) => (q.quiz ? 1 : 0),
  /** The best score of a pasted quiz question (quiz and natural questions reach different scores). */
  quizScore: (q, hits) => (q.quiz ? Math.min(1.5, hits[0]?.score ?? 0) : 0),
}

const heads = new WeakMap<ParsedQuestion, string | undefined>()
const headOf = (q: ParsedQuestion) => {
  if (!heads.has(q)) heads.set(q, askedHead(q.asked))
  return heads.get(q)
}

/** The feature vector of a question and its hits, in the model's order. */
export function featureVector(model: Pick<AnswerabilityModel, 'features'>, q: ParsedQuestion, hits: readonly Hit[]): number[] {
  return model.features.map((name) => {
    const f = FEATURES[name]
    if (!f) throw new Error(`answerability model uses unknown feature ${name}`)
    return f(q, hits)
  })
}

/** Probability that the materials answer the question, for a feature vector. */
export function answerProbability(model: AnswerabilityModel, x: readonly number[]): number {
  let z = model.bias
  model.weights.forEach((w, i) => { z += w * x[i]! })
  return 1 / (1 + Math.exp(-z))
}

let shipped: AnswerabilityModel | undefined

/** The fitted model shipped with the code (src/materials/builtin/answerability.json, read on first use). */
export function shippedAnswerability(): AnswerabilityModel {
  shipped ??= JSON.parse(fs.readFileSync(materialsDataFile('answerability.json'), 'utf8')) as AnswerabilityModel
  return shipped
}

/** Whether to answer `q` from `hits`: no hit means no; else the model's probability against its threshold. */
export function isAnswerable(q: ParsedQuestion, hits: readonly Hit[], model: AnswerabilityModel = shippedAnswerability()): boolean {
  if (!hits.length) return false
  return answerProbability(model, featureVector(model, q, hits)) >= model.threshold
}
