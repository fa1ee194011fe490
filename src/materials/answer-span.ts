import type { AnswerType, ParsedQuestion } from './question.ts'
import type { Tokenizer } from './tokenize.ts'
import { createTermIds, holdsId, type TermIds } from './term-ids.ts'

/** The sentence (or the clauses of a long one) of a passage that answers a question, with what made it win. */
export interface AnswerSpan {
  text: string
  /** Share of the question's IDF mass (its own terms; thesaurus terms count at their weight) found in the span, 0–1. */
  coverage: number
  /** The span holds what the expected answer type asks for (a number with a fitting unit, a list, an 应当/经…批准 rule …). */
  typeFound: boolean
  /** The span ends inside a sentence (clauses of a long sentence). */
  clipped: boolean
  score: number
  /** Share of the question's IDF mass found anywhere in the passage. */
  passageCoverage: number
  /** The question's rarest own term (highest IDF) is in the passage: a question about something else shares only its common words. */
  rarestFound: boolean
  /** Share of the question's IDF mass in terms the whole corpus lacks. */
  unknown: number
}

/** Query terms with their weights (IDF × question weight) and how much the question's own terms weigh together. */
export interface WeightedTerms {
  weights: ReadonlyMap<string, number>
  /** The question's own term with the highest IDF among those the corpus has. */
  rarest?: string
  /** Share of the question's own IDF mass in terms no passage has. */
  unknown?: number
  /** IDF mass of the question's own terms (weight 1), the denominator of coverage. */
  total: number
}

/** Sentence choice settings; the defaults were chosen on the tuning half of qa-colloquial. */
export interface SpanOptions {
  /** Longest span, in characters. */
  maxChars: number
  /** Added to a span's score when it holds what the answer type asks for. */
  typeBonus: number
  /** Subtracted per maxChars of length, so of two spans covering the same the shorter wins. */
  lengthCost: number
}

export const DEFAULT_SPAN: SpanOptions = { maxChars: 120, typeBonus: 0.25, lengthCost: 0.1 }

const NUM = '[0-9０-９.一二三四五六七八九十百千万两半几]+'
/** What a sentence holds when it answers a question of each type. */
const TYPE_EVIDENCE: Record<AnswerType, RegExp> = {
  age: new RegExp(`${NUM}(?:周)?岁|年满|年龄`),
  duration: new RegExp(`${NUM}(?:个)?(?:年|月|天|日|周|小时)|期限|为期|任期|届`),
  count: new RegExp(`${NUM}(?:个|名|人|次|项|条|种|位|件|类|届|所|家|户|批|万人|亿人)|[0-9]{2,}`),
  percentage: new RegExp(`${NUM}\\s*%|百分之|比重|比例|${NUM}成`),
  amount: new RegExp(`${NUM}(?:万亿|亿|万)?(?:元|美元)|${NUM}(?:万亿|亿)`),
  date: new RegExp(`${NUM}年${NUM}月|${NUM}月${NUM}日|${NUM}[时点]|上午|下午|之日|每年|每月`),
  list: /、[^、]{1,20}、|（[一二三四五六七八九十]）|[一二三四五六七八九十]是|第一[，、]|包括|分别/,
  procedure: /应当|必须|经[^，。；]{0,16}(?:批准|同意|审查|讨论|决定)|报[^，。；]{0,12}(?:批准|备案|审批)|由[^，。；]{0,24}(?:决定|提名|选举|任命|批准|产生|通过)|程序|手续/,
  definition: /是|指|即|称为|就是|为/,
}

/** Whether `text` holds what an answer of `type` needs, going by the type alone. */
export function holdsAnswerType(type: AnswerType, text: string): boolean {
  return TYPE_EVIDENCE[type].test(text)
}

/** What the answer to a question must hold, read from its question words once per question. */
export interface Expected {
  type: AnswerType
  /** A list of this many items (哪四种, 哪两类). */
  items?: number
  /** A phrase of this many characters (哪八个字). */
  chars?: number
  /** For a date, the part asked for (a day for 哪天, an hour for 几点). */
  datePart?: RegExp
}

/** The expected answer of a question: its answer type, and the list size, phrase length or date part it asks for. */
export function expectedAnswer(query: Pick<ParsedQuestion, 'answerType' | 'asked'>): Expected | undefined {
  const type = query.answerType
  if (!type) return undefined
  const chars = askedChars(query.asked)
  if (chars) return { type, chars }
  const items = type === 'list' ? askedItems(query.asked) : undefined
  if (items) return { type, items }
  const datePart = type === 'date' ? askedDatePart(query.asked) : undefined
  return datePart ? { type, datePart } : { type }
}

/** Whether `text` holds the expected answer: a list of the size asked, a phrase of the length asked, the date part asked, else the type's evidence. */
export function holdsAnswer(expected: Expected, text: string): boolean {
  if (expected.chars) return phraseLengths(text).includes(expected.chars)
  if (expected.items) return listSizes(text).includes(expected.items)
  if (expected.datePart) return expected.datePart.test(text)
  return holdsAnswerType(expected.type, text)
}

// what a date question asks for: a day (哪天, 几号), an hour (几点); for a year (哪年) the date evidence as for any
// date (a bare year is everywhere: 2024年奥运会 does not say when something first happened)
const DATE_PARTS: [RegExp, RegExp][] = [
  [/哪一?天|几号|几月几日|哪个日子/, new RegExp(`${NUM}[日号]|之日|当天|当日`)],
  [/几点/, new RegExp(`${NUM}[时点]|上午|下午`)],
]

/** What a date question's answer must hold, when it asks for a day or an hour. */
export function askedDatePart(asked: string): RegExp | undefined {
  return DATE_PARTS.find(([q]) => q.test(asked))?.[1]
}

const CN_DIGITS: Record<string, number> = { 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 }

/** How many items a question asks for (哪四种, 是哪两类, 哪3个), when it says so. */
export function askedItems(asked: string): number | undefined {
  const m = /哪([两二三四五六七八九十]|[2-9])(?:个|种|项|条|样|类|件|句|方面|点|大|位|者)(?!字)/.exec(asked)
  if (!m) return undefined
  return CN_DIGITS[m[1]!] ?? Number(m[1])
}

/** How many characters a question asks for (哪八个字的方针, 用九个字概括, 十六字方针), when it says so. */
export function askedChars(asked: string): number | undefined {
  const m = /([两二三四五六七八九十]{1,3}|[0-9]{1,2})个?字/.exec(asked)
  if (!m) return undefined
  if (/^[0-9]+$/.test(m[1]!)) return Number(m[1])
  const [tens, ones] = m[1]!.includes('十') ? m[1]!.split('十') : ['', m[1]!]
  const n = m[1]!.includes('十') ? (tens ? CN_DIGITS[tens]! : 1) * 10 + (ones ? CN_DIGITS[ones]! : 0) : CN_DIGITS[ones!]!
  return Number.isFinite(n) ? n : undefined
}

/**
 * Lengths, in characters, of the set phrases a text holds: parts of equal length joined by 、 (坚持惩前毖后、
 * 治病救人 holds 惩前毖后、治病救人, 8; 把方向、管大局、保落实, 9; the outer parts may carry other words), the
 * whole clause of such parts, and quoted texts.
 */
export function phraseLengths(text: string): number[] {
  const out: number[] = []
  const chars = (s: string) => (s.match(/[\u3400-\u9fff]/g) ?? []).length
  for (const clause of text.split(/[，。；：！？“”‘’（）《》\n]/)) {
    if (!clause.includes('、')) continue
    out.push(chars(clause))
    const parts = clause.split('、').map(chars)
    const inner = parts.slice(1, -1)
    const size = inner.length ? inner[0]! : Math.min(parts[0]!, parts[1]!)
    if (size >= 2 && inner.every((n) => n === size) && parts[0]! >= size && parts.at(-1)! >= size) out.push(size * parts.length)
  }
  for (const [, quoted] of text.matchAll(/“([^”]{2,24})”/g)) out.push(chars(quoted!))
  return out
}

/**
 * Sizes of the lists a text holds: items joined by 、 within a clause (the last one may join two with
 * 和/及/以及/与), two items joined by 和 alone, or 一是……二是…… / （一）（二）… counted.
 */
export function listSizes(text: string): number[] {
  const sizes: number[] = []
  for (const clause of text.split(/[，。；：！？\n]/)) {
    const items = clause.split('、')
    if (items.length > 1) {
      const last = items.at(-1)!
      sizes.push(items.length + (/[^和及与]{2,}(?:和|以及|及|与)[^和及与]{2,}/.test(last) ? 1 : 0))
    } else if (/[^和及与]{2,}(?:和|以及|及|与)[^和及与]{2,}/.test(clause)) sizes.push(2)
  }
  const ordinals = text.match(/[一二三四五六七八九十]是/g)
  if (ordinals && ordinals.length > 1) sizes.push(ordinals.length)
  const numbered = text.match(/（[一二三四五六七八九十]+）/g)
  if (numbered && numbered.length > 1) sizes.push(numbered.length)
  return sizes
}

// a piece's distinct terms as numbers (in the order the text has them): a passage's pieces are kept
// between questions (search-index.ts), so they are stored compactly
interface Piece { text: string; terms: Int32Array }

/** A passage cut into the spans an answer can be, each with its terms: the same for every question, so it can be kept. */
export interface SpanPieces {
  /** `follow`: for a span that ends by announcing what follows (……下列权利：), the items after it, up to maxChars. */
  candidates: { parts: Piece[]; clipped: boolean; follow?: string }[]
  /** Every term of the passage, as sorted numbers. */
  all: Int32Array
  /** The numbers the terms are stored as. */
  ids: TermIds
}

/** Cut a passage into candidate spans: sentences up to `maxChars`, pairs of short neighbours, runs of clauses of longer ones. */
export function spanPieces(text: string, tokenize: Tokenizer, maxChars: number, ids: TermIds = createTermIds()): SpanPieces {
  const sentences = (text.match(SENTENCE) ?? [text]).map((s) => s.trim()).filter(Boolean)
  const candidates: SpanPieces['candidates'] = []
  const piece = (s: string): Piece => {
    const distinct = new Set(tokenize(s))
    const terms = new Int32Array(distinct.size)
    let i = 0
    for (const t of distinct) terms[i++] = ids.of(t)
    return { text: s, terms }
  }
  const whole = sentences.map((s) => (s.length <= maxChars ? piece(s) : undefined))
  // what follows sentence i, for a span announcing a list (……享有下列权利：)
  const followOf = (i: number) => {
    let out = ''
    for (let j = i + 1; j < sentences.length && out.length < maxChars; j++) out += sentences[j]
    return out.length > maxChars ? `${out.slice(0, maxChars).replace(/[，：、；。]$/, '')}……` : out
  }
  const push = (parts: Piece[], clipped: boolean, last: number) => {
    const end = parts.at(-1)!.text
    candidates.push(!clipped && /：$/.test(end) && last + 1 < sentences.length ? { parts, clipped, follow: followOf(last) } : { parts, clipped })
  }
  // a first line that is the passage's own numbered heading (3.着力提升实际效果。) states the topic, not an answer
  const heading = sentences.length > 1 && HEADING_LINE.test(sentences[0]!) ? piece(sentences[0]!) : undefined
  sentences.forEach((s, i) => {
    const w = whole[i]
    if (heading && i === 0) return
    if (w) {
      push([w], false, i)
      const next = whole[i + 1]
      if (next && w.text.length + next.text.length <= maxChars) push([w, next], false, i + 1)
      return
    }
    const clauses = (s.match(CLAUSE) ?? [s]).map(piece)
    for (let from = 0; from < clauses.length; from++) {
      let size = 0
      const parts: Piece[] = []
      for (let to = from; to < clauses.length && size + clauses[to]!.text.length <= maxChars; to++) {
        parts.push(clauses[to]!)
        size += clauses[to]!.text.length
      }
      if (parts.length) push(parts, from + parts.length < clauses.length, i)
    }
  })
  const all = new Set<number>(heading?.terms)
  for (const c of candidates) for (const p of c.parts) for (const t of p.terms) all.add(t)
  return { candidates, all: Int32Array.from(all).sort(), ids }
}

const HEADING_LINE = /^(?:[0-9]+[.．、]|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)[^，、；：]{1,24}。?$/
const SENTENCE = /[^。；！？\n]+[。；！？]?/g
const CLAUSE = /[^，：、]+[，：、]?/g

/**
 * The best span of `text` for the question: each sentence of at most `maxChars` characters, two
 * neighbouring short sentences, or a run of clauses of a longer sentence; scored by coverage of the
 * question's weighted terms, the answer type found, and length.
 */
export function bestSpan(text: string, query: ParsedQuestion, terms: WeightedTerms, tokenize: Tokenizer, opts: SpanOptions = DEFAULT_SPAN,
  pieces: SpanPieces = spanPieces(text, tokenize, opts.maxChars)): AnswerSpan {
  const { candidates, all, ids } = pieces
  // the question's terms by number; a term without one is in no passage's pieces
  const weights = new Map<number, number>()
  for (const [t, w] of terms.weights) {
    const id = ids.find(t)
    if (id !== undefined) weights.set(id, w)
  }
  let found = 0
  for (const [t, w] of weights) if (holdsId(all, t)) found += w
  const passageCoverage = terms.total ? Math.min(1, found / terms.total) : 0
  const rarest = terms.rarest === undefined ? undefined : ids.find(terms.rarest)
  const rarestFound = terms.rarest === undefined || (rarest !== undefined && holdsId(all, rarest))
  const unknown = terms.unknown ?? 0
  const expected = expectedAnswer(query)
  let best: AnswerSpan = { text: '', coverage: 0, typeFound: false, clipped: false, score: -Infinity, passageCoverage, rarestFound, unknown }
  let follow: string | undefined
  // the question's terms in each piece, looked up once per piece (runs of clauses share their pieces)
  const matched = new Map<Piece, [number, number][]>()
  const termsOf = (p: Piece) => {
    let m = matched.get(p)
    if (!m) {
      m = []
      for (const t of p.terms) {
        const w = weights.get(t)
        if (w !== undefined) m.push([t, w])
      }
      matched.set(p, m)
    }
    return m
  }
  const bonus = expected ? opts.typeBonus : 0
  for (const c of candidates) {
    let mass = 0
    let length = 0
    if (c.parts.length === 1) {
      for (const [, w] of termsOf(c.parts[0]!)) mass += w
      length = c.parts[0]!.text.length
    } else {
      const seen = new Set<number>()
      for (const p of c.parts) {
        length += p.text.length
        for (const [t, w] of termsOf(p)) if (!seen.has(t)) { seen.add(t); mass += w }
      }
    }
    const coverage = terms.total ? Math.min(1, mass / terms.total) : 0
    const base = coverage - opts.lengthCost * length / opts.maxChars
    // the answer-type test (regular expressions over the text) only where it could make this span the best
    if (base + bonus <= best.score) continue
    const own = c.parts.length === 1 ? c.parts[0]!.text : c.parts.map((p) => p.text).join('')
    // a span announcing a list (……下列权利：) is answered by the items after it
    const span = c.follow ? own + c.follow : own
    const typeFound = expected ? holdsAnswer(expected, span) : false
    const score = base + (typeFound ? opts.typeBonus : 0)
    if (score > best.score) { best = { text: span, coverage, typeFound, clipped: c.clipped, score, passageCoverage, rarestFound, unknown }; follow = c.follow }
  }
  if (best.clipped && !follow) best.text = `${best.text.replace(/[，：、]$/, '')}……`
  return best
}
