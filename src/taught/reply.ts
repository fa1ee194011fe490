import type { Answer } from '../materials/types.ts'
import type { TaughtAnswer } from '../store/taught-answers.ts'
import { dateInZone } from '../clock.ts'

/** How the bot answers with a taught entry: its text, then the taught passage's citation or who added it and when. */
export function taughtReply(entry: TaughtAnswer, timezone: string): Answer {
  const citation = entry.citation ? `——${entry.citation}` : `（支部书记 ${entry.by.name} 于 ${dateInZone(entry.at, timezone)} 添加）`
  return {
    answered: true,
    text: `${entry.answer}\n${citation}`,
    sources: [{ doc: entry.doc ?? '', citation: entry.citation ?? citation }],
  }
}
