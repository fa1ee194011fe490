import type { Passage } from '../materials/types.ts'

/** A sentence of a passage that a question may quote. */
export interface Sentence {
  passage: Passage
  text: string
  /** Offset of `text` in the passage's text. */
  start: number
  /** A heading or section title: never a question. */
  heading: boolean
}

const NUM = '[一二三四五六七八九十百零〇两0-9]+'
// markers in front of a line's content: ——, 答：, 第七条, （一）, 1., 一、
const LEAD = new RegExp(`^(?:——|答[：:]|问[：:]|第${NUM}条\\s*|[（(]${NUM}[）)]|${NUM}[、.．](?![0-9]))\\s*`)
const SENTENCE = /[^。！？；]+[。！？；]?/g
const CLOSES = /[。！？；…”」]$/
/** Section titles that open a line: （3）进一步全面深化改革的总目标。 */
const TITLE_MAX = 40

/** Split a passage into sentences, each marked as heading or content. */
export function sentencesOf(passage: Passage): Sentence[] {
  const out: Sentence[] = []
  const labels = new Set(passage.headings.map(stripLabel))
  let offset = 0
  for (const line of passage.text.split('\n')) {
    const lead = LEAD.exec(line)?.[0] ?? ''
    const body = line.slice(lead.length)
    const closed = CLOSES.test(body.trim())
    let first = true
    for (const m of body.matchAll(SENTENCE)) {
      const raw = m[0]
      const text = raw.trim()
      if (!text) continue
      const start = offset + lead.length + m.index! + raw.indexOf(text)
      const title = first && lead !== '' && !lead.startsWith('第') && text.length <= TITLE_MAX
      const heading = !closed || title || labels.has(stripLabel(text))
      out.push({ passage, text, start, heading })
      first = false
    }
    offset += line.length + 1
  }
  return out
}

/** A heading label without its number and closing punctuation, for comparison with sentences. */
function stripLabel(label: string): string {
  return label.replace(LEAD, '').replace(/[。：:；，]$/, '').trim()
}
