import { sharedJieba } from '../materials/tokenize.ts'

/** A word of a sentence with its part-of-speech tag and offset. */
export interface TaggedWord {
  word: string
  tag: string
  start: number
}

/** Words of a sentence with jieba's part-of-speech tags; the dictionary loads once on first use. */
export function tagWords(text: string): TaggedWord[] {
  const out: TaggedWord[] = []
  let at = 0
  for (const { word, tag } of sharedJieba().tag(text, true)) {
    const start = text.indexOf(word, at)
    if (start < 0) continue
    out.push({ word, tag, start })
    at = start + word.length
  }
  return out
}
