import { normalizeText } from './normalize.ts'
import { expandSynonyms } from './synonyms.ts'
import { matchForm } from './tokenize.ts'

/** A member's question made ready for ranking. */
export interface CleanQuery {
  /** The question without blanks, option lines, question words and request phrases. */
  text: string
  /** Texts of lettered options (A. … B. …) from a pasted multiple-choice question. */
  options: string[]
  /** Terms of the documents that mean what the question's words mean (see synonyms.ts). */
  expansions: string[]
  /** The member asked for the whole passage (原文/全文). */
  full: boolean
  /** A pasted quiz question (blanks or lettered options): its wording should be found nearly verbatim. */
  quiz: boolean
  /**
   * For each blank of a pasted quiz question, the text right before and after it (in match form, up to
   * BLANK_CONTEXT characters, stopping at sentence ends and other blanks; empty at a sentence edge).
   * The passage the question was copied from has both, a short filler apart.
   */
  blanks: BlankContext[]
}

export interface BlankContext { left: string; right: string }

/** Characters of context kept on each side of a blank. */
export const BLANK_CONTEXT = 4

const FULL_TEXT = /(原文|全文|完整(内容|条文)?|整条)/
const REQUEST = /(请问|请(你)?(给出|告诉我|说明|列出|发|查)一?下?|我想(知道|了解|问问?)|能不能|可以|帮我(查|找)?一?下?|给我)/g
const QUESTION_WORDS = /(什么时候|啥时候|哪一天|哪天|是什么|是指什么|什么|哪些|哪一项|哪项|哪个|哪里|哪儿|哪|下列|以下|多久|多长时间|多少|几(?=[年次名人个种项条位天月周岁])|怎样|怎么样|怎么|如何|为什么|为何|是否|吗|呢|吧|请问|谁|何时)/g
const BLANK = /_{2,}|＿{2,}|[（(][\s　]*[）)]|【\s*】|\[\s*\]|—{2,}|…{1,}|\.{3,}/g
const OPTION = /(?:^|\s|[。？?；;：:])([A-H])[.．、:：)）]\s*([^\n]*?)(?=\s+[A-H][.．、:：)）]|\n|$)/g

/** Strip what a member pasted around the question: blanks, lettered options, filler. */
export function cleanQuery(raw: string): CleanQuery {
  let s = normalizeText(raw)
  const full = FULL_TEXT.test(s)
  const options: string[] = []
  s = s.replace(OPTION, (m, _letter: string, body: string) => {
    if (body.trim()) options.push(body.trim())
    return m.startsWith('\n') || /^\s/.test(m) ? ' ' : m[0]!
  })
  const quiz = options.length > 0 || new RegExp(BLANK.source).test(s)
  const blanks = blankContexts(s, options.length > 0)
  s = s.replace(BLANK, ' ')
  s = s.replace(FULL_TEXT, ' ').replace(REQUEST, ' ')
  const expansions = expandSynonyms(s)
  s = s.replace(QUESTION_WORDS, ' ')
  s = s.replace(/[?？!！]/g, ' ').replace(/\s+/g, ' ').trim()
  return { text: s, options, expansions, full, quiz, blanks }
}

/** Left and right context of each blank; blanks with no usable context on either side are left out. */
function blankContexts(s: string, choice: boolean): BlankContext[] {
  const parts = matchForm(s).split(BLANK)
  const out: BlankContext[] = []
  for (let i = 0; i + 1 < parts.length; i++) {
    const left = parts[i]!.split(/[。？！?!；;\n]/).at(-1)!.trim().slice(-BLANK_CONTEXT)
    const right = parts[i + 1]!.split(/[。？！?!；;\n]/)[0]!.trim().slice(0, BLANK_CONTEXT)
    // in a multiple-choice stem, a blank ending the sentence (…的是（ ）。) asks for the options: its context is no quotation
    if (choice && right.length < 2) continue
    if (left.length >= 2 || right.length >= 2) out.push({ left: left.length >= 2 ? left : '', right: right.length >= 2 ? right : '' })
  }
  return out
}
