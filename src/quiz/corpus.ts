import type { Passage } from '../materials/types.ts'
import { sentencesOf, type Sentence } from './sentences.ts'
import { tagWords } from './segmenter.ts'
import { kindKey, spansOf, type Span } from './spans.ts'
import { answerForm } from './answer-form.ts'

/** A sentence with the spans it could blank. */
export interface AnalysedSentence extends Sentence {
  spans: Span[]
}

/** One distinct span text of the corpus, a possible distractor. */
export interface PoolEntry {
  text: string
  form: string
  value?: number
  /** Sentences it occurs in (for excluding a question's own sentence). */
  count: number
}

/** The materials a generator draws from: sentences with spans, distractor pools, and the text to check ambiguity against. */
export interface QuizCorpus {
  sentences: AnalysedSentence[]
  /** Distinct span texts by kindKey(). */
  pools: Map<string, PoolEntry[]>
  /** Every passage's text, one per line, for finding other fillers of a blank and distractors that fit. */
  text: string
}

/** Analyse passages once: split sentences, tag words, find spans, pool them by kind. */
export function buildCorpus(passages: readonly Passage[]): QuizCorpus {
  const sentences: AnalysedSentence[] = []
  const pools = new Map<string, Map<string, PoolEntry>>()
  for (const passage of passages) {
    for (const s of sentencesOf(passage)) {
      const spans = s.heading ? [] : spansOf(s.text, tagWords(s.text))
      sentences.push({ ...s, spans })
      for (const span of spans) {
        const key = kindKey(span.kind)
        const pool = pools.get(key) ?? pools.set(key, new Map()).get(key)!
        const entry = pool.get(span.text)
        if (entry) entry.count++
        else pool.set(span.text, { text: span.text, form: answerForm(span.text), value: span.value, count: 1 })
      }
    }
  }
  const text = passages.map((p) => p.text.replace(/\n/g, ' ')).join('\n')
  return {
    sentences,
    pools: new Map([...pools].map(([k, v]) => [k, [...v.values()]])),
    text,
  }
}
