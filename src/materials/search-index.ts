import type { Hit, Passage, StageScore } from './types.ts'
import { bestSpan, DEFAULT_SPAN, expectedAnswer, spanPieces, type AnswerSpan, type SpanOptions, type SpanPieces, type WeightedTerms } from './answer-span.ts'

/** Passages whose candidate answer spans are kept between questions. */
const PIECES_KEPT = 5000
import type { BlankContext, ParsedQuestion } from './question.ts'
import { createTermIds, holdsId } from './term-ids.ts'
import { createTokenizer, DEFAULT_TOKENIZER, matchForm, type TokenizerOptions } from './tokenize.ts'
import { passageYears } from './period.ts'

/** Ranking settings; the defaults are the ones bench/qa.ts measured best. */
export interface RankingOptions {
  tokenizer: TokenizerOptions
  k1: number
  b: number
  /** How much a term in the passage's heading path counts, relative to its text. */
  headingWeight: number
  /** How much a term in the document title counts. */
  titleWeight: number
  /** Weight of query terms from lettered options and from synonym expansion. */
  optionWeight: number
  synonymWeight: number
  /**
   * How much a question term counts as found, for the coordination factor, in a passage that has
   * one of its thesaurus terms in full instead (地委 → 地区委员会); 0 = only the question's own words count.
   */
  relatedCoordination: number
  /** Share of the final score given to phrase coverage (runs of 3+ question characters found verbatim). */
  phraseWeight: number
  /** How many BM25 candidates the phrase coverage re-ranks. */
  rerankDepth: number
  /** Exponent of the coordination factor: BM25 times the share of the question's terms the passage has. */
  coordination: number
  /** Share measured by term count, or by IDF mass so generic terms count little. */
  coordinationBy: 'count' | 'idf'
  /** Exponent of the document prior: the share of the question's IDF mass found anywhere in the passage's document. */
  docPrior: number
  /**
   * Share of a pasted quiz question's score given to blank alignment: whether the text before and
   * after each blank appears in the passage a short filler apart (see blankAlignment).
   */
  blankWeight: number
  /** Longest filler between a blank's contexts when the question has no options to measure. */
  blankGap: number
  /**
   * Added (times the named-document share) to a passage that defines what a question asks the definition
   * of (党的纪律是什么 → a sentence `党的纪律是……`, see definedIn); 0 = off.
   */
  definitionWeight: number
  /** Longest gap, in characters, between the subject and its 是/指/即 in such a sentence. */
  definitionGap: number
  /**
   * How much a term in the passage's lead sentence counts (its first sentence, up to the first
   * 。：；, which states what an article or section is about), added after length normalisation so
   * a long article whose lead sentence matches is not outweighed by a short passage; 0 = off.
   */
  leadWeight: number
  /** Longest lead sentence (characters) taken as a field; a longer first sentence is no lead. */
  leadMax: number
  /**
   * For a passage made of enumerated items (（一）…, 1. …), the length used in normalisation is
   * capped at this multiple of the average passage length; 0 = no cap.
   */
  enumLengthCap: number
  /** When the question names a document (二十大报告, 2024年政府工作报告), passages of other documents keep this share of their score. */
  otherDocShare: number
  /**
   * When the question names no document but asks about a year (2023年城镇新增就业), passages about other
   * years keep this share: a section's year from 过去一年 / 今年 / 五年来 and its document's year, else
   * the document's year (period.ts); a year no passage is about changes nothing, and an undated document keeps its score.
   */
  otherYearShare: number
  /** When the question gives only a kind of document as its source (报告里说), passages of documents of other kinds keep this share. */
  otherKindShare: number
  /** How many of the best candidates get an answer span (their best sentence). */
  spanDepth: number
  /** Share of a member's question's score given to its best sentence's coverage (and answer type); 0 = spans do not rank. */
  spanWeight: number
  /**
   * Added to that sentence's value, besides the type bonus, when it holds an answer as specific as asked:
   * a list of the size asked (哪四种), a phrase of the length asked (哪八个字), the date part asked (哪天).
   */
  specificTypeBonus: number
  span: SpanOptions
  /** Pseudo-relevance feedback: weight of the terms taken from the best first-pass passages; 0 = off. */
  feedbackWeight: number
  /** Feedback runs when the first pass's best score is below this. */
  feedbackBelow: number
  /** How many first-pass passages, and how many of their terms, feed back. */
  feedbackDocs: number
  feedbackTerms: number
}

export const DEFAULT_RANKING: RankingOptions = {
  tokenizer: DEFAULT_TOKENIZER,
  k1: 0.8,
  b: 0.4,
  headingWeight: 2,
  titleWeight: 0.5,
  optionWeight: 0.3,
  synonymWeight: 0.5,
  relatedCoordination: 1,
  phraseWeight: 0.35,
  rerankDepth: 30,
  coordination: 1,
  coordinationBy: 'count',
  docPrior: 1,
  blankWeight: 0.3,
  blankGap: 24,
  definitionWeight: 0.3,
  definitionGap: 6,
  leadWeight: 5,
  leadMax: 110,
  enumLengthCap: 0,
  otherDocShare: 0.5,
  otherYearShare: 0.7,
  otherKindShare: 0.7,
  spanDepth: 20,
  spanWeight: 0.2,
  specificTypeBonus: 0.25,
  span: DEFAULT_SPAN,
  feedbackWeight: 0,
  feedbackBelow: 0.5,
  feedbackDocs: 3,
  feedbackTerms: 10,
}

/** An inverted index over passages with BM25F-style scoring. */
export interface SearchIndex {
  readonly passages: readonly Passage[]
  /**
   * Hits best first; `score` is about the share of the question's weighted terms found (1 = all). The
   * best few carry their answer span; with `explain`, each hit tells what every ranking stage made of it.
   */
  search(query: ParsedQuestion, k: number, docs?: ReadonlySet<string>, opts?: { explain?: boolean }): Hit[]
  /** The question's terms weighted by IDF, as ranking and answer spans use them. */
  terms(query: ParsedQuestion): WeightedTerms
}

interface Postings { ids: Int32Array; tfs: Float32Array; n: number; lead?: Uint8Array }

/** Build the index; cost is linear in the text size. */
export function buildSearchIndex(passages: readonly Passage[], opts: RankingOptions = DEFAULT_RANKING): SearchIndex {
  const tokenize = createTokenizer(opts.tokenizer)
  const postings = new Map<string, Postings>()
  const lengths = new Float32Array(passages.length)
  const titleTokens = new Map<string, string[]>()
  let total = 0

  passages.forEach((p, id) => {
    const tf = new Map<string, number>()
    const body = tokenize(p.text)
    for (const t of body) tf.set(t, (tf.get(t) ?? 0) + 1)
    for (const t of new Set(tokenize(p.headings.join(' ')))) tf.set(t, (tf.get(t) ?? 0) + opts.headingWeight)
    let title = titleTokens.get(p.title)
    if (!title) titleTokens.set(p.title, title = [...new Set(tokenize(p.title))])
    for (const t of title) tf.set(t, (tf.get(t) ?? 0) + opts.titleWeight)
    const leadText = opts.leadWeight ? leadSentence(p.text, opts.leadMax) : ''
    const lead = new Set(leadText ? tokenize(leadText) : [])
    for (const t of lead) if (!tf.has(t)) tf.set(t, 0)
    lengths[id] = body.length
    total += body.length
    for (const [t, f] of tf) add(postings, t, id, f, lead.has(t))
  })
  const avg = total / Math.max(1, passages.length) || 1
  // Postings end up holding the normalised term frequency: body, heading and title normalised by the
  // body's length (BM25 with b), the lead sentence added unnormalised (it is short and states the topic).
  const norms = Float32Array.from(passages, (p, id) => {
    const len = opts.enumLengthCap > 0 && isEnumerated(p.text) ? Math.min(lengths[id]!, opts.enumLengthCap * avg) : lengths[id]!
    return 1 - opts.b + opts.b * len / avg
  })
  for (const list of postings.values()) {
    for (let i = 0; i < list.n; i++) list.tfs[i] = list.tfs[i]! / norms[list.ids[i]!]! + (list.lead?.[i] ? opts.leadWeight : 0)
    list.lead = undefined
  }
  const n = passages.length
  const scores = new Float64Array(n)
  const matched = new Float64Array(n)
  const docIds = new Map<string, number>()
  const docOf = Int32Array.from(passages, (p) => docIds.get(p.doc) ?? (docIds.set(p.doc, docIds.size), docIds.size - 1))
  const docCover = new Float64Array(docIds.size)
  const yearsOf = passageYears(passages)
  const knownYears = new Set(yearsOf.flat())
  const docSeen = new Int32Array(docIds.size).fill(-1)

  const idf = (t: string) => {
    const df = postings.get(t)?.n ?? 0
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  /** The question's terms: own words at 1, thesaurus terms and option texts lower; with their IDF mass. */
  // terms added by pseudo-relevance feedback, per (copied) question
  const feedback = new WeakMap<ParsedQuestion, string[]>()
  const passageTokens = new Map<number, string[]>()

  /** The terms that weigh most (tf × IDF) in the best first-pass passages, other than the question's own. */
  const feedbackTerms = (query: ParsedQuestion, best: readonly Candidate[]): string[] => {
    const own = queryTerms(query).weights
    const mass = new Map<string, number>()
    for (const h of best) {
      let tokens = passageTokens.get(h.id)
      if (!tokens) passageTokens.set(h.id, tokens = tokenize(passages[h.id]!.text))
      for (const t of tokens) if (t.length > 1 && !own.has(t)) mass.set(t, (mass.get(t) ?? 0) + idf(t))
    }
    return [...mass].sort((a, b) => b[1] - a[1]).slice(0, opts.feedbackTerms).map(([t]) => t)
  }

  const queryTerms = (query: ParsedQuestion) => {
    const weights = new Map<string, number>()
    const put = (text: string, w: number) => {
      for (const t of tokenize(text)) weights.set(t, Math.max(weights.get(t) ?? 0, w))
    }
    for (const o of query.options) put(o, opts.optionWeight)
    for (const e of query.expansions) put(e, opts.synonymWeight)
    for (const t of feedback.get(query) ?? []) weights.set(t, Math.max(weights.get(t) ?? 0, opts.feedbackWeight))
    put(query.text, 1)
    // per question term with thesaurus terms: its own tokens that count, and each thesaurus term's character pairs
    const bridges: Bridge[] = []
    for (const r of query.related) {
      const own = [...new Set(tokenize(r.term))].filter((t) => (weights.get(t) ?? 1) === 1 && (t.length > 1 || postings.has(t)))
      if (own.length) bridges.push({ own, others: r.others.map((o) => [...new Set(tokenize(o).filter((t) => !t.startsWith('w:')))]).filter((x) => x.length) })
    }
    let max = 0
    let coordTotal = 0
    // a lone character the index has never seen (交 in 党费什么时候交) says little; do not count it
    for (const [t, w] of weights) {
      if (w === 1 && (t.length > 1 || postings.has(t))) {
        max += idf(t)
        coordTotal += opts.coordinationBy === 'idf' ? idf(t) : 1
      }
    }
    return { weights, max, coordTotal, bridges }
  }

  const weighted = (query: ParsedQuestion): WeightedTerms => {
    const { weights, max } = queryTerms(query)
    // the question's most specific term the corpus has; and the share of its IDF mass the corpus lacks
    let rarest: string | undefined
    let unknown = 0
    for (const [t, w] of weights) {
      if (w !== 1 || t.length < 2) continue
      if (!postings.has(t)) unknown += idf(t)
      else if (rarest === undefined || idf(t) > idf(rarest)) rarest = t
    }
    return { weights: new Map([...weights].map(([t, w]) => [t, w * idf(t)])), total: max, unknown: max ? unknown / max : 0, ...(rarest ? { rarest } : {}) }
  }

  /**
   * Stage 1, lexical: BM25F over the question's terms, × coordination, × document prior, × named-document
   * share; the best `depth` passages, best first. Only those become candidates: at 100x a question touches
   * tens of thousands of passages, and their candidates outlived young-generation collections.
   */
  const lexical = (query: ParsedQuestion, docs: ReadonlySet<string> | undefined, explain: boolean, depth: number): Candidate[] => {
    const { weights, max, coordTotal, bridges } = queryTerms(query)
    if (max === 0 || n === 0) return []
    const touched: number[] = []
    let termNo = 0
    docCover.fill(0)
    docSeen.fill(-1)
    for (const [t, w] of weights) {
      const list = postings.get(t)
      termNo++
      if (!list) continue
      const weight = w * idf(t)
      const coord = w === 1 ? (opts.coordinationBy === 'idf' ? idf(t) : 1) : 0
      for (let i = 0; i < list.n; i++) {
        const id = list.ids[i]!
        const f = list.tfs[i]!
        if (scores[id] === 0) touched.push(id)
        matched[id] += coord
        const d = docOf[id]!
        if (w === 1 && docSeen[d] !== termNo) { docSeen[d] = termNo; docCover[d] += idf(t) }
        scores[id] += weight * f * (opts.k1 + 1) / (f + opts.k1)
      }
    }
    if (opts.relatedCoordination > 0 && opts.coordinationBy === 'count') for (const b of bridges) bridge(b)
    const named = query.docHints.length ? new Set(query.docHints) : undefined
    // a year the question asks about (no document named): passages about another year keep a share
    const asked = named || opts.otherYearShare === 1 ? [] : query.askedYears.filter((y) => knownYears.has(y))
    const kindDocs = query.kindDocs.length ? new Set(query.kindDocs) : undefined
    const best: Candidate[] = []
    for (const id of touched) {
      if (!docs || docs.has(passages[id]!.doc)) {
        const bm25 = scores[id]! / max
        const coord = opts.coordination ? Math.min(1, matched[id]! / coordTotal) ** opts.coordination : 1
        const prior = opts.docPrior ? (docCover[docOf[id]!]! / max) ** opts.docPrior : 1
        // a document the question names: passages of the others keep only a share of their score; else a
        // year it asks about or a kind of document it gives as the source does so, more softly
        const share = named && !named.has(passages[id]!.doc) ? opts.otherDocShare
          : (asked.length && yearsOf[id]!.length && !asked.some((y) => yearsOf[id]!.includes(y)) ? opts.otherYearShare : 1) * (kindDocs && !kindDocs.has(passages[id]!.doc) ? opts.otherKindShare : 1)
        const score = share * prior * coord * bm25
        const at = placeAmong(best, depth, score, id)
        if (at >= 0) {
          const c: Candidate = { id, score, share }
          if (explain) {
            c.stages = [
              { stage: 'bm25', value: bm25, score: bm25 },
              { stage: 'coordination', value: coord, score: coord * bm25 },
              { stage: 'docPrior', value: prior, score: prior * coord * bm25 },
              { stage: 'namedDoc', value: share, score },
            ]
          }
          best.splice(at, 0, c)
          if (best.length > depth) best.pop()
        }
      }
      scores[id] = 0
      matched[id] = 0
    }
    return best
  }

  /** Passages holding all of the tokens: the shortest posting list, each id looked up in the others (ids ascend). */
  const holdingAll = (tokens: readonly string[]): number[] => {
    const lists = tokens.map((t) => postings.get(t))
    if (!lists.length || lists.some((l) => !l)) return []
    const [shortest, ...rest] = (lists as Postings[]).sort((x, y) => x.n - y.n)
    const out: number[] = []
    for (let i = 0; i < shortest!.n; i++) {
      const id = shortest!.ids[i]!
      if (rest.every((l) => holdsId(l.ids, id, l.n))) out.push(id)
    }
    return out
  }

  /**
   * A passage with a question term's thesaurus term in full (all its character pairs) has that
   * term's meaning: the term's own tokens it lacks count as found for coordination.
   */
  const bridge = (b: Bridge) => {
    const full = new Set(b.others.flatMap(holdingAll))
    for (const id of full) {
      const have = b.own.filter((t) => { const l = postings.get(t); return l !== undefined && holdsId(l.ids, id, l.n) }).length
      matched[id] += opts.relatedCoordination * (b.own.length - have)
    }
  }

  /** A candidate's passage in match form, made once per question for the stages that read it. */
  const formOf = (h: Candidate) => (h.form ??= matchForm(passages[h.id]!.text))

  /** Stage 2, phrase coverage: mixed in for the best candidates (runs of the question found verbatim within two sentences). */
  const phrase = (query: ParsedQuestion, candidates: Candidate[]) => {
    const segments = matchForm(query.text).split(/[^\u3400-\u9fffa-z0-9]+/).filter((x) => x.length >= 2)
    if (!(opts.phraseWeight > 0) || !segments.length) return
    // cut per question for these few candidates: kept for every passage, the windows were over half the
    // index's heap at 100x (55 of ~100 MB)
    for (const h of candidates) {
      const value = Math.max(...sentenceWindows(formOf(h)).map((w) => phraseCoverage(segments, w)))
      h.score = (1 - opts.phraseWeight) * h.score + opts.phraseWeight * h.share * value
      h.stages?.push({ stage: 'phrase', value, score: h.score })
    }
  }

  /** Stage 3, blank alignment (pasted quiz questions only). */
  const blanks = (query: ParsedQuestion, candidates: Candidate[]) => {
    if (!(opts.blankWeight > 0) || !query.blanks.length) return
    const options = query.options.map(flatForm).filter(Boolean)
    const gap = options.length ? Math.max(...options.map((o) => o.length)) + 4 : opts.blankGap
    for (const h of candidates) {
      const value = blankAlignment(query.blanks, formOf(h), options, gap)
      h.score = (1 - opts.blankWeight) * h.score + opts.blankWeight * h.share * value
      h.stages?.push({ stage: 'blanks', value, score: h.score })
    }
  }

  /** Stage 3b, definition: a passage stating what the question's subject is (`X是……`) gains. */
  const definition = (query: ParsedQuestion, candidates: Candidate[]) => {
    if (!(opts.definitionWeight > 0) || !query.subject?.length) return
    const defines = definedIn(query.subject, opts.definitionGap)
    for (const h of candidates) {
      const value = defines(formOf(h)) ? 1 : 0
      h.score += opts.definitionWeight * h.share * value
      h.stages?.push({ stage: 'definition', value, score: h.score })
    }
  }

  // each passage is cut into candidate spans (and segmented) once, not on every question; bounded so a
  // very large corpus keeps only the recently asked-about passages
  const pieces = new Map<number, SpanPieces>()
  const termIds = createTermIds()
  const piecesOf = (id: number): SpanPieces => {
    let p = pieces.get(id)
    if (!p) {
      if (pieces.size >= PIECES_KEPT) pieces.clear()
      pieces.set(id, p = spanPieces(passages[id]!.text, tokenize, opts.span.maxChars, termIds))
    }
    return p
  }

  /** Stage 4, answer span: each of the best candidates' best sentence (see answer-span.ts), its coverage mixed in. */
  const spans = (query: ParsedQuestion, candidates: Candidate[]) => {
    const terms = weighted(query)
    const depth = Math.min(candidates.length, opts.spanDepth)
    const expected = expectedAnswer(query)
    const specific = expected && (expected.items || expected.chars || expected.datePart) ? opts.specificTypeBonus : 0
    for (const h of candidates.slice(0, depth)) {
      h.span = bestSpan(passages[h.id]!.text, query, terms, tokenize, opts.span, piecesOf(h.id))
      if (query.quiz || !(opts.spanWeight > 0)) continue
      const value = h.span.coverage + (h.span.typeFound ? opts.span.typeBonus + specific : 0)
      h.score = (1 - opts.spanWeight) * h.score + opts.spanWeight * h.share * value
      h.stages?.push({ stage: 'span', value, score: h.score })
    }
  }

  return {
    passages,
    search(first, k, docs, so = {}) {
      let query = first
      const rank = () => {
        const candidates = lexical(query, docs, Boolean(so.explain), Math.max(k, opts.rerankDepth))
        phrase(query, candidates)
        blanks(query, candidates)
        definition(query, candidates)
        return topK(candidates, candidates.length)
      }
      let candidates = rank()
      // a weak first pass on a member's own question: search again with the best passages' own terms
      if (opts.feedbackWeight > 0 && !query.quiz && candidates.length && candidates[0]!.score < opts.feedbackBelow) {
        const terms = feedbackTerms(query, candidates.slice(0, opts.feedbackDocs))
        query = { ...first }
        feedback.set(query, terms)
        candidates = rank()
      }
      spans(query, candidates)
      return topK(candidates, k).map((h) => ({
        passage: passages[h.id]!, score: h.score, ...(h.span ? { span: h.span } : {}), ...(h.stages ? { stages: h.stages } : {}),
      }))
    },
    terms: weighted,
  }
}

interface Bridge { own: string[]; others: string[][] }

interface Candidate { id: number; score: number; share: number; stages?: StageScore[]; span?: AnswerSpan; form?: string }

/**
 * A passage's lead sentence: its text up to the first 。：；！？ or line end, without a leading
 * article label (第三条); '' when that sentence is longer than `max` characters.
 */
export function leadSentence(text: string, max: number): string {
  const first = /^[^。：:；;！？\n]*/.exec(text.replace(/^第[一二三四五六七八九十百零〇两0-9]+条\s*/, ''))![0].trim()
  return first.length >= 2 && first.length <= max ? first : ''
}

/** Whether a passage is a list: two or more lines that start with an item number. */
function isEnumerated(text: string): boolean {
  return (text.match(/(^|\n)(（[一二三四五六七八九十0-9]+）|\([0-9一二三四五六七八九十]+\)|[0-9]{1,2}[.．、])/g) ?? []).length >= 2
}

function add(postings: Map<string, Postings>, t: string, id: number, f: number, lead: boolean): void {
  let list = postings.get(t)
  if (!list) postings.set(t, list = { ids: new Int32Array(4), tfs: new Float32Array(4), n: 0 })
  if (list.n === list.ids.length) {
    const ids = new Int32Array(list.n * 2)
    ids.set(list.ids)
    const tfs = new Float32Array(list.n * 2)
    tfs.set(list.tfs)
    list.ids = ids
    list.tfs = tfs
    if (list.lead) {
      const leads = new Uint8Array(list.n * 2)
      leads.set(list.lead)
      list.lead = leads
    }
  }
  if (lead) (list.lead ??= new Uint8Array(list.ids.length))[list.n] = 1
  list.ids[list.n] = id
  list.tfs[list.n] = f
  list.n++
}

/**
 * Where a passage with `score` goes among `best` (best first, by score then id, as topK orders), or -1
 * when `best` already holds `depth` better ones.
 */
function placeAmong(best: readonly Candidate[], depth: number, score: number, id: number): number {
  let at = best.length
  while (at > 0 && outranks(score, id, best[at - 1]!)) at--
  return at < depth ? at : -1
}

const outranks = (score: number, id: number, c: Candidate) => score > c.score || (score === c.score && id < c.id)

function topK<T extends { id: number; score: number }>(hits: T[], k: number): T[] {
  return hits.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k)
}

/** Pairs of neighbouring sentences: a question is usually answered within one or two. */
function sentenceWindows(text: string): string[] {
  const sentences = text.match(/[^。；！？\n]+[。；！？]?/g) ?? [text]
  if (sentences.length <= 2) return [text]
  return sentences.slice(0, -1).map((s, i) => s + sentences[i + 1])
}

/** Share of the question's characters that lie in runs of 3 or more found verbatim in the passage. */
function phraseCoverage(segments: string[], text: string): number {
  let covered = 0
  let total = 0
  for (const seg of segments) {
    total += seg.length
    let i = 0
    while (i + 1 < seg.length) {
      // a run starts with a pair found; then grows while the text still has it
      if (!text.includes(seg.slice(i, i + 2))) { i++; continue }
      let len = 2
      while (i + len < seg.length && text.includes(seg.slice(i, i + len + 1))) len++
      covered += len
      i += len
    }
  }
  return total ? covered / total : 0
}

/** Whether a text has a sentence saying what one of the subject's terms is: the term, then 是/指/即 within `gap` characters of one sentence. */
export function definedIn(subject: readonly string[], gap: number): (text: string) => boolean {
  const terms = subject.map((t) => matchForm(t).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const re = new RegExp(`(?:${terms.join('|')})[^。；！？\\n]{0,${gap}}?(?:是|指|即)`)
  return (text) => re.test(text)
}

const flatForm = (s: string) => matchForm(s).replace(/[\s，。、；：“”‘’（）《》,.;:()"']/g, '')

/**
 * How well a passage fits the blanks of a quiz question copied from it. Per blank: the share of its
 * context characters found as an end of the left context and a start of the right one (2+ characters
 * each) with a filler of 1 to `maxGap` characters between them, within one sentence (for a multiple-choice question, a
 * filler that is part of an option); without such a pair, half the share of the better side found on
 * its own. A blank at a sentence edge has one side: the share of it found. The mean over the blanks.
 */
export function blankAlignment(blanks: readonly BlankContext[], text: string, options: readonly string[], maxGap: number): number {
  let sum = 0
  for (const { left, right } of blanks) {
    const l = sideFound(text, left, 'end')
    const r = sideFound(text, right, 'start')
    if (!left || !right) { sum += (l + r) / (left.length + right.length); continue }
    let best = Math.max(l / left.length, r / right.length) / 2
    for (let ll = l; ll >= 2; ll--) {
      const lc = left.slice(-ll)
      for (let at = text.indexOf(lc); at >= 0; at = text.indexOf(lc, at + 1)) {
        const end = at + ll
        for (let rr = r; rr >= 2 && (ll + rr) / (left.length + right.length) > best; rr--) {
          const next = text.indexOf(right.slice(0, rr), end + 1)
          if (next < 0 || next - end > maxGap || /[。；！？\n]/.test(text.slice(end, next))) continue
          const filler = flatForm(text.slice(end, next))
          if (!options.length || (filler && options.some((o) => o.includes(filler)))) best = (ll + rr) / (left.length + right.length)
        }
      }
    }
    sum += best
  }
  return blanks.length ? sum / blanks.length : 0
}

/** Length of the longest end (or start) of `context`, 2+ characters, found in `text`; 0 if none. */
function sideFound(text: string, context: string, from: 'start' | 'end'): number {
  for (let n = context.length; n >= 2; n--) {
    if (text.includes(from === 'end' ? context.slice(-n) : context.slice(0, n))) return n
  }
  return 0
}
