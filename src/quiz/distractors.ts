import type { PoolEntry, QuizCorpus } from './corpus.ts'
import { kindKey, type Span } from './spans.ts'
import { answerForm } from './answer-form.ts'
import { distractorFits, overlappingOptions } from './ambiguity.ts'
import { stableHash } from './stable-hash.ts'

/** Wrong options a single-choice question needs besides its answer. */
export const DISTRACTORS = 3

/**
 * Up to `n` wrong options of the same kind as the span: numbers with the same unit and script
 * near its size, other years, quoted terms and enumeration items and terms that look alike.
 * None occurs in the sentence, overlaps another option, or fits the blank in the materials.
 */
export function pickDistractors(corpus: QuizCorpus, span: Span, sentence: string, stem: string, seed: string, n = DISTRACTORS): string[] {
  const pool = corpus.pools.get(kindKey(span.kind)) ?? []
  const own = answerForm(span.text)
  const sentenceForm = answerForm(sentence)
  const ranked = pool
    .filter((e) => e.form !== own && !sentenceForm.includes(e.form))
    .map((e) => ({ e, score: likeness(span, e) }))
    .filter((c) => c.score > 0)
    .map((c) => ({ ...c, tie: stableHash(seed + c.e.text) }))
    .sort((a, b) => b.score - a.score || a.tie - b.tie)
  const chosen: string[] = []
  for (const { e } of ranked) {
    if (chosen.length >= n) break
    if (overlappingOptions([span.text, ...chosen, e.text])) continue
    if (distractorFits(corpus.text, stem, e.text)) continue
    chosen.push(e.text)
  }
  return chosen
}

/** How alike a pool entry is to the span (0 = not of the same kind). */
function likeness(span: Span, e: PoolEntry): number {
  const a = span.text
  const b = e.text
  switch (span.kind.kind) {
    case 'number': {
      if (!span.value || !e.value) return 0
      const ratio = Math.abs(Math.log(e.value / span.value))
      if (ratio > Math.log(20)) return 0
      const sameDecimals = a.includes('.') === b.includes('.') ? 1 : 0
      return 10 - ratio * 2 + sameDecimals
    }
    case 'year': {
      const gap = Math.abs((e.value ?? 0) - (span.value ?? 0))
      return gap > 0 && gap <= 50 ? 10 - gap / 10 : 0
    }
    case 'term':
      // same tag is the pool; same length and the same last two characters make it the same category (…主义, …制度)
      return b.length === a.length && b.slice(-2) === a.slice(-2) ? 5 + shared(a, b) : 0
    case 'quoted': {
      if (Math.abs(a.length - b.length) > 1 || (b.slice(-1) !== a.slice(-1) && b[0] !== a[0])) return 0
      return (b.length === a.length ? 3 : 1) + shared(a, b) + (b[0] === a[0] ? 1 : 0)
    }
    case 'enum': {
      // parallel items look alike: 更加充分 / 更加公平, 理论创新 / 制度创新
      if (b.length !== a.length) return 0
      const end = b.slice(-2) === a.slice(-2) || (a.length >= 3 && b.slice(-1) === a.slice(-1))
      const start = b.slice(0, 2) === a.slice(0, 2)
      return end || start ? 3 + shared(a, b) + (start ? 2 : 0) : 0
    }
  }
}

/** Characters two texts share, position by position from the end. */
function shared(a: string, b: string): number {
  let n = 0
  for (let i = 1; i <= Math.min(a.length, b.length); i++) if (a.at(-i) === b.at(-i)) n++
  return n
}
