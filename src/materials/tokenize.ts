import { createRequire } from 'node:module'
import { Jieba } from '@node-rs/jieba'
import { digitizeCounts } from './numbers.ts'

/** Which token kinds the index uses; chosen by measurement in bench/qa.ts. */
export interface TokenizerOptions {
  /** Overlapping Chinese character pairs. */
  bigrams: boolean
  /** jieba words of two or more characters (search mode), prefixed `w:`. */
  words: boolean
}

/** Turns text into index terms. */
export type Tokenizer = (text: string) => string[]

export const DEFAULT_TOKENIZER: TokenizerOptions = { bigrams: true, words: true }

let jieba: Jieba | undefined
// jieba's dictionary module reads 11 MB of files when it loads: required on first use, not at start-up
const require = createRequire(import.meta.url)

/** The process's one jieba segmenter (retrieval and quiz share it); its dictionary loads on first use. */
export function sharedJieba(): Jieba {
  jieba ??= Jieba.withDict((require('@node-rs/jieba/dict.js') as typeof import('@node-rs/jieba/dict.js')).dict)
  return jieba
}
// Chinese runs may hold numbers (第7条, 2035年); a number counts as one unit inside its run.
const RUN = /[\u3400-\u9fff0-9.]*[\u3400-\u9fff][\u3400-\u9fff0-9.]*|[a-z0-9]+(?:\.[0-9]+)?/g
const UNIT = /[0-9]+(?:\.[0-9]+)?|[^0-9.]/g

/** Lower-case, unify number forms; the shared first step for passages and queries. */
export function matchForm(text: string): string {
  return digitizeCounts(text.toLowerCase())
}

/** Build a tokenizer; jieba's dictionary is loaded once per process on first use. */
export function createTokenizer(opts: TokenizerOptions = DEFAULT_TOKENIZER): Tokenizer {
  const segmenter = opts.words ? sharedJieba() : undefined
  return (text) => {
    const s = matchForm(text)
    const out: string[] = []
    for (const run of s.match(RUN) ?? []) {
      if (!/[\u3400-\u9fff]/.test(run)) { out.push(run); continue }
      if (opts.bigrams) {
        const units = run.match(UNIT) ?? []
        if (units.length === 1) out.push(units[0]!)
        for (let i = 0; i + 1 < units.length; i++) out.push(units[i]! + units[i + 1]!)
      }
      if (opts.words) {
        for (const w of segmenter!.cutForSearch(run, true)) if (w.length >= 2) out.push(`w:${w}`)
      }
    }
    return out
  }
}
