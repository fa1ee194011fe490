import { parseQuestion } from '../materials/question.ts'
import { builtInThesaurus } from '../materials/thesaurus.ts'
import { matchForm, sharedJieba } from '../materials/tokenize.ts'

/**
 * Lowest similarity at which an asked question is taken to be a taught one. Chosen with
 * `npm run bench:taught` on the tuning half of bench/taught-questions.json (22 taught questions
 * written from the materials; 72 asked: rewordings of a taught question, and near misses that share
 * its topic but ask something else); the other half is reported beside it. With parseQuestion and
 * the built-in thesaurus, tuning half at 0.7: 0.889 right, 4 missed, 0 wrong (0.65 ties at 0.889
 * with 2 missed, 2 wrong). Check half: 1.000 (before the thesaurus, with the 18 synonym groups:
 * tune 0.917, check 0.917 with 2 wrong).
 * Search-mode words beat whole words on the tuning half (0.917 vs 0.889, with the 18 groups). A miss falls back to
 * the materials; a wrong match answers with another taught question, so the higher value is kept.
 */
export const TAUGHT_THRESHOLD = 0.7

/** A question as the matcher compares it: its words, synonyms folded into one form. */
export interface QuestionShape {
  words: Set<string>
}

// every member of a synonym group becomes the group's token, longest terms first
const folds = builtInThesaurus().groups.flatMap((group, i) => group.map((term) => [matchForm(term), `§${i}§`] as const))
  .sort((a, b) => b[0].length - a[0].length)
// chat filler left by the question parse: particles and "may I ask"
const FILLER = /(想问一?下|问一下|请教一?下|一般|大概|到底|我们|咱们|支部的?|[的了啊呀吧呢嘛哦么])/g

// single characters that carry no meaning of their own
const STOP = new Set([...'有要和是在能会与及或被把对给就都也还才得地过吗呢让'])
// what kind of answer the question wants, from its question words: two questions that want
// different kinds of answer (多久 / 怎么办) are different questions even on the same topic
const ANSWER_KINDS: readonly [string, RegExp][] = [
  ['duration', /多久|多长时间|几年|多少年|期限/],
  ['date', /什么时候|啥时候|哪天|哪一天|几号|何时|时间/],
  ['count', /多少|几[个名次种项条位人天月周岁]|多大/],
  ['list', /哪些|哪几|包括什么/],
  ['procedure', /怎么办|怎么|如何|怎样|程序|流程/],
  ['yesno', /吗[？?]?$|能不能|可不可以|是否/],
]

/** Parse a question the way retrieval does (filler, question words), fold synonyms, keep its words. */
export function questionShape(question: string): QuestionShape {
  let s = matchForm(parseQuestion(question).text)
  for (const [term, token] of folds) s = s.split(term).join(` ${token} `)
  s = s.replace(FILLER, ' ')
  const words = new Set<string>()
  for (const part of s.split(/\s+/)) {
    if (/^§\d+§$/.test(part)) { words.add(part); continue }
    for (const run of part.match(/[\u3400-\u9fff0-9a-z]+/g) ?? []) {
      for (const w of sharedJieba().cutForSearch(run, true)) if (!STOP.has(w)) words.add(w)
    }
  }
  for (const [kind, re] of ANSWER_KINDS) if (re.test(question)) { words.add(`?${kind}`); break }
  return { words }
}

/** How alike two questions are, 0..1 (Dice coefficient of their words). */
export function similarity(a: QuestionShape, b: QuestionShape): number {
  if (!a.words.size || !b.words.size) return 0
  let shared = 0
  for (const w of a.words) if (b.words.has(w)) shared++
  return (2 * shared) / (a.words.size + b.words.size)
}

// entries (a FAQ file's, kept by the library until it reloads) are parsed once
const shapes = new WeakMap<object, QuestionShape & { question: string }>()

/** The entry whose question is most like `question`, if it reaches `threshold`. */
export function bestMatch<T extends { question: string }>(
  question: string, entries: readonly T[], threshold = TAUGHT_THRESHOLD,
): { entry: T; score: number } | undefined {
  const asked = questionShape(question)
  let best: { entry: T; score: number } | undefined
  for (const entry of entries) {
    let shape = shapes.get(entry)
    if (!shape || shape.question !== entry.question) shapes.set(entry, shape = { question: entry.question, ...questionShape(entry.question) })
    const score = similarity(asked, shape)
    if (score >= threshold && (!best || score > best.score)) best = { entry, score }
  }
  return best
}
