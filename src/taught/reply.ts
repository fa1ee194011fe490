import type { Answer } from '../materials/types.ts'
import type { TaughtAnswer } from '../store/taught-answers.ts'
import { dateInZone } from '../clock.ts'
import type { FaqEntry } from '../materials/faq-file.ts'

/** How the bot answers with a taught entry: its text, then the taught passage's citation or who added it and when. */
export function taughtReply(entry: TaughtAnswer, timezone: string): Answer {
  const citation = entry.citation ? `——${entry.citation}` : `（支部书记 ${entry.by.name} 于 ${dateInZone(entry.at, timezone)} 添加）`
  return {
    answered: true,
    text: `${entry.answer}\n${citation}`,
    sources: [{ doc: entry.doc ?? '', citation: entry.citation ?? citation }],
  }
}

/** How the bot answers with an entry of a FAQ file: its answer, then its source column (or the file's name). */
export function faqReply(entry: FaqEntry): Answer {
  // a source written with book marks (《中国共产党章程》第七条) is kept as is; a bare one is shown as written
  const citation = entry.source ?? `（常见问题：${entry.doc}）`
  return {
    answered: true,
    text: `${entry.answer}\n——${citation}`,
    sources: [{ doc: entry.doc, citation }],
  }
}
