import type { Passage } from './types.ts'
import type { Thesaurus } from './thesaurus.ts'
import { matchForm } from './tokenize.ts'

/** What a question can call a document by: its title, its date line, their thesaurus terms, its year. */
export interface DocumentProfile {
  doc: string
  title: string
  /** Year of the document: from its title, else its date line, else a 4-digit year in its file name. */
  year?: number
  /** Character pairs of the title, the date line and their thesaurus terms (党章, 二十大, 三中全会 …). */
  pairs: Set<string>
  /** Thesaurus terms the title or date line stands for (中国共产党章程 → 党章). */
  aliases: string[]
  /** The title and date line. */
  names: string
}

export interface NamedDocuments { docs: string[]; years: number[]; names: string[] }

/** The documents of a library, for finding the one a question names. */
export interface DocumentCatalog {
  readonly profiles: readonly DocumentProfile[]
  /**
   * Documents the question names (best first; several on a tie), the years it gives for them, and
   * the words that named them (in match form: 党章, 2023年那份政府工作报告), which say nothing about the topic.
   */
  namedIn(question: string): NamedDocuments
}

// Words that end a document's name in a question: 二十大报告, 三中全会决定, 2025年一号文件, 党章.
export const KIND = '报告|决定|建议|意见|文件|决议|章程|党章|规划|纲要|公报|答问|问答|讲话|条例|准则|修正案|全会'
const SPAN = new RegExp(`[^，。,；;？?！!\\s“”"]{0,12}?(?:[0-9]{2,4}年[^，。,；;？?！!\\s]{0,12})?(?:${KIND})+`, 'g')
const YEAR = /(?<![0-9])([0-9]{2}|(?:19|20)[0-9]{2})年/g
const DATED = /(?:19|20)[0-9]{2}年[0-9]{1,2}月/
/**
 * Least score for a document to count as named: 2 for its kind (报告, 决定 …), 1 per character pair of
 * the name found in its title or date line, 1 for a thesaurus alias (党章), 2 for its year.
 */
const MIN_SCORE = 4

/** Profiles of the documents the passages come from. */
export function buildCatalog(passages: readonly Passage[], thesaurus: Thesaurus): DocumentCatalog {
  const first = new Map<string, Passage>()
  for (const p of passages) if (!first.has(p.doc) || p.index < first.get(p.doc)!.index) first.set(p.doc, p)
  const profiles = [...first.values()].map((p) => profile(p, thesaurus))
  return { profiles, namedIn: (question) => namedIn(question, profiles) }
}

/** A document's date line (`（2024年7月18日……通过）`) among its first lines, or ''. */
function dateLine(p: Passage): string {
  return [p.headings[0] ?? '', p.text.split('\n')[0] ?? ''].find((l) => l.length <= 100 && (DATED.test(l) || /^[（(].*[）)]$/.test(l))) ?? ''
}

/** Year of a document, from its first passage: its title, else its date line, else a 4-digit year in its file name. */
export function documentYear(first: Passage): number | undefined {
  const yearOf = (s: string) => {
    const m = /(?:19|20)[0-9]{2}(?=年)/.exec(matchForm(s)) ?? undefined
    return m ? Number(m[0]) : undefined
  }
  const inName = /(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])/.exec(first.doc)
  return yearOf(first.title) ?? yearOf(dateLine(first)) ?? (inName ? Number(inName[0]) : undefined)
}

function profile(p: Passage, thesaurus: Thesaurus): DocumentProfile {
  const names = `${p.title} ${dateLine(p)}`
  // every term of a group the title or date line mentions (中国共产党章程 → 党章, though 党章 is inside it)
  // (a term of 3+ characters: 报告 alone would make every report an alias of 请示报告)
  const aliases = [...new Set(thesaurus.groups.filter((g) => g.some((t) => t.length >= 3 && names.includes(t))).flat())]
  return { doc: p.doc, title: p.title, year: documentYear(p), pairs: pairsOf(`${names} ${aliases.join(' ')}`), aliases, names: matchForm(names) }
}

function pairsOf(text: string): Set<string> {
  const out = new Set<string>()
  for (const run of matchForm(text).match(/[\u3400-\u9fff]+/g) ?? []) for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2))
  return out
}

function namedIn(question: string, profiles: readonly DocumentProfile[]): NamedDocuments {
  const scores = new Map<string, number>()
  const names = new Map<string, string>()
  const years = new Set<number>()
  for (const span of matchForm(question).match(SPAN) ?? []) {
    const spanYears = [...span.matchAll(YEAR)].map((m) => (m[1]!.length === 2 ? 2000 + Number(m[1]) : Number(m[1])))
    const pairs = pairsOf(span.replace(YEAR, ' '))
    const kind = new RegExp(`(?:${KIND})$`).exec(span)![0]
    for (const d of profiles) {
      // the kind of document named (报告, 决定, 党章 …) must be this one's: 二十大报告 is no 决定
      if (!d.names.includes(kind) && !d.aliases.some((a) => a.includes(kind))) continue
      if (spanYears.length && d.year !== undefined && !spanYears.includes(d.year)) continue
      let score = 2
      for (const x of pairs) if (d.pairs.has(x)) score++
      if (d.aliases.some((a) => span.includes(a))) score++
      // the document IS what the name stands for (党章 → 中国共产党章程), not one about it (…《中国共产党章程（修正案）》答记者问)
      if (d.aliases.some((a) => span.includes(a)) && d.aliases.includes(d.title)) score++
      if (spanYears.length && d.year !== undefined) score += 2
      if (score >= MIN_SCORE && score > (scores.get(d.doc) ?? 0)) {
        scores.set(d.doc, score)
        names.set(d.doc, nameIn(span, d))
        if (spanYears.length && d.year !== undefined) years.add(d.year)
      }
    }
  }
  const best = Math.max(0, ...scores.values())
  const docs = [...scores].filter(([, s]) => s === best).map(([doc]) => doc)
  return {
    docs,
    years: [...years].filter((y) => profiles.some((d) => d.year === y && docs.includes(d.doc))),
    names: [...new Set(docs.map((d) => names.get(d)!))],
  }
}

/**
 * The part of a span that names the document: the run of character pairs found in its names, read
 * back from the kind word, a single pair between two found ones allowed (三中全会决定, 二十大报告),
 * with a year just before it (2023年那份政府工作报告); so the question's own words before the name
 * are kept (总书记对党代表提的学党章 → 党章).
 */
function nameIn(span: string, d: DocumentProfile): string {
  let start = span.length
  let misses = 0
  for (let i = span.length - 2; i >= 0; i--) {
    if (d.pairs.has(span.slice(i, i + 2))) { start = i; misses = 0 } else if (++misses > 1) break
  }
  const year = /(?<![0-9])[0-9]{2,4}年(?:的|那份|这份|那个|这个)?$/.exec(span.slice(0, start))
  return (year ? year[0] : '') + span.slice(start)
}
