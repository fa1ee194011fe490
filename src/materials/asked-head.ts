import { sharedJieba, matchForm } from './tokenize.ts'
import type { Related } from './thesaurus.ts'

/** jieba's part-of-speech tagging of a text: its words in order, each with its tag (n noun, v verb, m numeral …). */
export type Tagger = (text: string) => { word: string; tag: string }[]

const defaultTagger: Tagger = (text) => sharedJieba().tag(text, true)

// a question word the asked-for noun follows (什么任务, 哪次全会, 第几自然段, 几周岁, 多少比例)
const ASKING = /^(?:哪|什么|多少|第几|几|何)/
const ASKING_PART = /^(?:哪一?|什么|多少|第几|几|何)/
// tags of the words a noun phrase is made of: nouns of every kind, numerals, measure words, verbal nouns, idioms
const NOUN_PHRASE = /^(?:n|m|q|vn|j|l)/
// what a numeral with a measure word asks for (三样, 两个, 几项) is a list or a count: the answer type tells those
const MEASURE = /^(?:方面|时候)?$/
const NUMERAL = /^(?:[一两二三四五六七八九十几0-9]+|第几)/

/**
 * The head noun of what a question asks for: the last word of the noun phrase right after its question
 * word (学二十大精神被定为头号什么任务 → 任务, 先在哪次中央全会上通过 → 中央全会, 改的是第几自然段 →
 * 自然段, 超过几周岁 → 周岁); undefined when the question word ends the question (是什么), when it is a
 * unit or a measure word (哪年, 哪三样, 几个: the answer type tests for those), or there is none.
 */
export function askedHead(asked: string, tag: Tagger = defaultTagger): string | undefined {
  const words = tag(asked)
  const at = words.findIndex((w) => ASKING.test(w.word))
  if (at < 0) return undefined
  let head: string | undefined
  for (let i = at + 1; i < words.length && NOUN_PHRASE.test(words[i]!.tag) && !/[\p{P}\s]/u.test(words[i]!.word); i++) head = words[i]!.word
  // the question word may carry the noun itself (哪年, 哪次)
  head ??= words[at]!.word.replace(ASKING_PART, '') || undefined
  head = head?.replace(NUMERAL, '')
  // a one-character noun (年, 天, 分) is a unit: the answer type (a date, a duration, a count) tests for it
  return head === undefined || head.length < 2 || MEASURE.test(head) ? undefined : head
}

/** Whether `text` names the asked-for head: the word itself, a thesaurus term of it, or the end of a compound (中央全会 → 七中全会). */
export function holdsHead(head: string, text: string, related: readonly Related[] = []): boolean {
  const s = matchForm(text)
  const h = matchForm(head)
  if (s.includes(h)) return true
  if (related.some((r) => (r.term.includes(head) || head.includes(r.term)) && r.others.some((o) => s.includes(matchForm(o))))) return true
  return h.length >= 4 && s.includes(h.slice(-2))
}
