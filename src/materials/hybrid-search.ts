import type OpenAI from 'openai'
import type { Config } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Redis } from '../store/redis.ts'
import type { Keys } from '../store/keys.ts'
import type { Hit, MaterialLibrary, Passage, SearchOptions } from './types.ts'
import { createEmbedder, type Embedder } from './embeddings.ts'
import { parseQuestion, type ParsedQuestion } from './question.ts'

export interface HybridOptions {
  embedder: Embedder
  log: Logger
  /** Candidates taken from each ranking: the lexical top N and the N passages closest in meaning. */
  depth?: number
  /** How long a question waits for its vectors before the lexical results are used alone. */
  waitMs?: number
}

/** A library whose search also ranks by meaning; `warm` embeds every current passage ahead of questions. */
export interface HybridLibrary extends MaterialLibrary {
  warm(): Promise<void>
}

/**
 * Wrap a library so natural questions are ranked by words and by meaning together.
 *
 * Each hit's score is the larger of two estimates on the same 0–1 scale, so the answer threshold
 * keeps its meaning ("enough of the question is matched"):
 * - lexical: the library's score, about the share of the question found in the passage;
 * - vector: the cosine of question and passage, rescaled against this question's median cosine over
 *   the corpus, `(cos - median) / (1 - median)`: 0 = no closer than a typical passage, 1 = the same
 *   text. Embedding models differ in their cosine range (0.2 vs 0.5 for unrelated text); the median
 *   removes that offset.
 * A paraphrase sharing no words with its passage can then rank first and pass the threshold.
 * Pasted quiz questions stay lexical: their wording is in the materials verbatim when answerable,
 * and vectors cannot tell a right word in the blank from a wrong one.
 * When the embeddings endpoint fails or is slow, the lexical results are returned and a warning logged.
 */
export function withHybridRanking(library: MaterialLibrary, opts: HybridOptions): HybridLibrary {
  const { embedder, log } = opts
  const depth = opts.depth ?? 50
  const waitMs = opts.waitMs ?? 5000
  // keyed by passage object: a reload makes new passages, whose vectors then come from Redis
  const vectors = new WeakMap<Passage, Float32Array>()
  let closed = false

  const inScope = (docs?: readonly string[]): Passage[] =>
    (docs ?? library.documents().map((d) => d.doc)).flatMap((doc) => library.passages(doc))

  const passageVectors = async (passages: readonly Passage[]): Promise<Float32Array[]> => {
    const missing = passages.filter((p) => !vectors.has(p))
    if (missing.length) {
      const fresh = await embedder.embed(missing.map(passageInput))
      missing.forEach((p, i) => vectors.set(p, fresh[i]!))
    }
    return passages.map((p) => vectors.get(p)!)
  }

  const similarities = async (question: string, passages: readonly Passage[]): Promise<Float32Array> => {
    const [[q], vs] = await Promise.all([embedder.embed([question], { timeoutMs: waitMs }), passageVectors(passages)])
    const cos = new Float32Array(passages.length)
    vs.forEach((v, i) => {
      if (v.length !== q!.length) throw new Error(`embedding sizes differ (${v.length} vs ${q!.length}); was the model changed?`)
      cos[i] = dot(q!, v)
    })
    return cos
  }

  return {
    async search(query: string | ParsedQuestion, so: SearchOptions = {}): Promise<Hit[]> {
      const k = so.k ?? 5
      const parsed = typeof query === 'string' ? (library.parse?.(query) ?? parseQuestion(query)) : query
      const lexical = await library.search(parsed, { ...so, k: Math.max(k, depth) })
      if (parsed.quiz || !parsed.raw.trim()) return lexical.slice(0, k)
      const passages = inScope(so.docs)
      let cos: Float32Array
      try {
        cos = await deadline(similarities(parsed.raw, passages), waitMs)
      } catch (err) {
        log.warn({ err, model: embedder.model }, 'vector ranking unavailable, lexical results')
        return lexical.slice(0, k)
      }
      return fuse(lexical, passages, cos, depth).slice(0, k)
    },
    async warm() {
      await library.ready()
      const started = performance.now()
      const passages = inScope()
      try {
        await passageVectors(passages)
        log.info({ model: embedder.model, passages: passages.length, ms: Math.round(performance.now() - started) }, 'passage vectors ready')
      } catch (err) {
        if (!closed) throw err
      }
    },
    parse: (question: string) => library.parse?.(question) ?? parseQuestion(question),
    documents: () => library.documents(),
    passages: (doc: string) => library.passages(doc),
    skipped: () => library.skipped?.() ?? [],
    faq: () => library.faq?.() ?? [],
    ready: () => library.ready(),
    close() {
      closed = true
      library.close()
    },
  }
}

/** The library answers come from: hybrid when `llm.embeddingModel` is configured (vectors warmed in the background), else `library`. */
export function withConfiguredRanking(library: MaterialLibrary, o: {
  config: Config
  llm?: OpenAI
  log: Logger
  redis?: Redis
  keys?: Keys
}): MaterialLibrary {
  const model = o.config.llm?.embeddingModel
  if (!o.llm || !model) return library
  const timeoutMs = o.config.llm!.timeoutMs
  const embedder = createEmbedder({ client: o.llm, model, log: o.log, redis: o.redis, keys: o.keys, timeoutMs })
  const hybrid = withHybridRanking(library, { embedder, log: o.log, waitMs: Math.min(timeoutMs, 5000) })
  hybrid.warm().catch((err) => o.log.warn({ err, model }, 'passage vectors not ready, will retry on the next question'))
  return hybrid
}

/** Union of the lexical hits and the `depth` passages closest in meaning, scored max(lexical, vector), best first. */
function fuse(lexical: readonly Hit[], passages: readonly Passage[], cos: Float32Array, depth: number): Hit[] {
  if (!passages.length) return [...lexical]
  const sorted = Float32Array.from(cos).sort()
  const median = sorted[Math.floor(sorted.length / 2)]!
  const cutoff = sorted[Math.max(0, sorted.length - depth)]!
  const vec = (c: number) => (median < 1 ? Math.max(0, (c - median) / (1 - median)) : 0)

  const byPassage = new Map<Passage, { lex: number; vec: number; hit?: Hit }>()
  const at = new Map<Passage, number>()
  passages.forEach((p, i) => at.set(p, i))
  for (const h of lexical) {
    const i = at.get(h.passage)
    byPassage.set(h.passage, { lex: h.score, vec: i === undefined ? 0 : vec(cos[i]!), hit: h })
  }
  passages.forEach((p, i) => {
    if (cos[i]! >= cutoff && !byPassage.has(p)) byPassage.set(p, { lex: 0, vec: vec(cos[i]!) })
  })
  return [...byPassage]
    .map(([passage, s]) => ({ passage, score: Math.max(s.lex, s.vec), both: s.lex + s.vec, s }))
    .sort((a, b) => b.score - a.score || b.both - a.both)
    .map(({ passage, score, s }) => ({
      ...s.hit, passage, score, vector: s.vec,
      ...(s.hit?.stages ? { stages: [...s.hit.stages, { stage: 'vector' as const, value: s.vec, score }] } : {}),
    }))
}

/** What is embedded for a passage: its citation (title and headings) and its text. */
function passageInput(p: Passage): string {
  return `${p.citation}\n${p.text}`
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** Reject when `p` has not settled within `ms`; `p` keeps running (its vectors are cached when it ends). */
function deadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`embeddings took longer than ${ms} ms`)), ms)
  })
  p.catch(() => { /* reported through the race, or after the deadline not at all */ })
  return Promise.race([p, late]).finally(() => clearTimeout(timer))
}
