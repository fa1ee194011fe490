// The bench's own judge of a generated question, written apart from the generator so it does not
// grade its own homework: it reads the cited passage and the whole corpus as plain strings.
import type { Passage } from '../src/materials/types.ts'
import { answerForm } from '../src/quiz/answer-form.ts'
import { BLANK, type Question } from '../src/quiz/types.ts'

/** What the judge found wrong with a question: grounding problems and ambiguity problems, in Chinese. */
export interface Judgement {
  grounded: string[]
  ambiguous: string[]
}

/** The text a question counts as right: the option the letter names, or the blank's answer. */
export function expectedText(q: Question): string {
  return q.type === 'single' ? q.options[q.answer.charCodeAt(0) - 65] ?? '' : q.answer
}

function count(haystack: string, needle: string): number {
  let n = 0
  for (let at = haystack.indexOf(needle); needle && at >= 0; at = haystack.indexOf(needle, at + 1)) n++
  return n
}

/** Judge one generated question against its cited passage and the corpus text. */
export function judge(q: Question, passage: Passage | undefined, corpus: string): Judgement {
  const grounded: string[] = []
  const ambiguous: string[] = []
  const answer = expectedText(q)
  if (!passage) return { grounded: ['出处段落不存在'], ambiguous }
  if (!answer) grounded.push('没有答案')
  if (q.citation !== passage.citation) grounded.push('出处与段落不符')
  if (passage.text.slice(q.source!.start, q.source!.end) !== answer) grounded.push('答案不是出处段落中挖空的那一段')
  if (!passage.text.includes(q.stem.replace(BLANK, answer))) grounded.push('题干填回答案后不在出处段落中')

  const sentence = q.explanation ?? ''
  if (count(sentence, answer) !== 1 || count(answerForm(sentence), answerForm(answer)) !== 1) ambiguous.push('答案在句中出现不止一次')
  const bare = sentence.replace(/[。；！？]$/, '')
  if (!/[。；！？”]$/.test(sentence) || passage.headings.some((h) => h.includes(bare))) ambiguous.push('题干是标题')
  for (const a of q.options) {
    for (const b of q.options) {
      if (a !== b && answerForm(a).includes(answerForm(b))) ambiguous.push(`选项“${b}”包含在选项“${a}”中`)
    }
  }
  const at = q.stem.indexOf(BLANK)
  const left = q.stem.slice(Math.max(0, at - 4), at)
  const right = q.stem.slice(at + BLANK.length, at + BLANK.length + 4)
  if (q.type === 'fill' && left && right) {
    // another filler: left context, then up to answer+8 characters without punctuation, then right context
    for (let i = corpus.indexOf(left); i >= 0; i = corpus.indexOf(left, i + 1)) {
      const after = corpus.slice(i + left.length, i + left.length + answer.length + 8 + right.length)
      const j = after.indexOf(right)
      if (j <= 0) continue
      const filler = after.slice(0, j)
      if (!/[，。；：！？]/.test(filler) && answerForm(filler) !== answerForm(answer)) {
        ambiguous.push(`材料中同一上下文还填“${filler}”`)
        break
      }
    }
  }
  if (q.type === 'single') {
    const l3 = q.stem.slice(Math.max(0, at - 3), at)
    const r3 = q.stem.slice(at + BLANK.length, at + BLANK.length + 3)
    for (const o of q.options) {
      if (o !== answer && l3 && r3 && corpus.includes(l3 + o + r3)) ambiguous.push(`干扰项“${o}”填入后也见于材料`)
    }
  }
  return { grounded, ambiguous }
}
