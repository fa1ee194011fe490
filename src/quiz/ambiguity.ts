import { answerForm } from './answer-form.ts'
import { BLANK } from './types.ts'

/** Why a candidate question was not asked. */
export type RejectReason =
  | 'heading'        // the sentence is a heading or section title
  | 'repeated'       // the answer occurs again in the sentence, so the blank gives itself away or is ambiguous
  | 'option-overlap' // one option occurs inside another, so two options could be right
  | 'other-filler'   // the words around the blank occur elsewhere with something else in it
  | 'little-context' // too few words around the blank to pin it down
  | 'no-distractors' // not enough options of the same kind in the materials

/** A candidate question that was not asked, and why. */
export interface Rejection {
  reason: RejectReason
  detail: string
}

/** Characters on each side of a blank used to look for other fillers in the materials. */
export const CONTEXT = 4
/** The least context (both sides together) a blank needs. */
const MIN_CONTEXT = 4

/** The answer occurs in the sentence besides at the blank (compared in answer form). */
export function repeatedIn(sentence: string, start: number, end: number, answer: string): boolean {
  const rest = answerForm(sentence.slice(0, start) + '\u0000' + sentence.slice(end))
  return rest.includes(answerForm(answer))
}

/** The first pair of options where one occurs inside the other, or undefined. */
export function overlappingOptions(options: readonly string[]): [string, string] | undefined {
  const forms = options.map(answerForm)
  for (let i = 0; i < forms.length; i++) {
    for (let j = 0; j < forms.length; j++) {
      if (i !== j && forms[i]!.includes(forms[j]!)) return [options[i]!, options[j]!]
    }
  }
  return undefined
}

/** Text right before and after the blank of a stem. */
export function blankContext(stem: string, width = CONTEXT): { left: string; right: string } {
  const at = stem.indexOf(BLANK)
  return { left: stem.slice(Math.max(0, at - width), at), right: stem.slice(at + BLANK.length, at + BLANK.length + width) }
}

/**
 * Other texts the materials put between the stem's left and right context, e.g. the 2023 report's
 * 增长3% where the question blanks the 2024 report's 增长5.2%. With one side empty (a blank at
 * the stem's edge) the other side alone is matched, so fewer blanks pass.
 */
export function otherFillers(corpus: string, stem: string, answer: string): string[] | Rejection {
  const { left, right } = blankContext(stem)
  if (left.length + right.length < MIN_CONTEXT) return { reason: 'little-context', detail: `空前后只有“${left}”“${right}”` }
  const max = answer.length + 8
  const filler = `([^，。；：！？\\n]{1,${max}}?)`
  const re = left && right
    ? new RegExp(`${escape(left)}${filler}${escape(right)}`, 'g')
    : left ? new RegExp(`${escape(left)}([^，。；：！？\\n]{1,${answer.length}})`, 'g')
      : new RegExp(`([^，。；：！？\\n]{1,${answer.length}})${escape(right)}`, 'g')
  const own = answerForm(answer)
  const others = new Set<string>()
  for (const m of corpus.matchAll(re)) {
    const f = m[1]!
    if (answerForm(f) !== own) others.add(f)
  }
  return [...others]
}

/**
 * A distractor that, put in the blank, gives words found in the materials: it may be right too.
 * At a stem's edge one character of the other side is enough (十年来 for a blank before 来).
 */
export function distractorFits(corpus: string, stem: string, distractor: string): boolean {
  const { left, right } = blankContext(stem, 3)
  if (!left || !right) return corpus.includes(`${left.slice(-1)}${distractor}${right.slice(0, 1)}`)
  return corpus.includes(`${left}${distractor}${right}`)
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
