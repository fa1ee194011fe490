import type { Passage } from './types.ts'
import { documentYear } from './document-catalog.ts'

// How a section opening dates what it tells, relative to the document's year.
const PERIODS: [RegExp, (year: number) => number[]][] = [
  [/过去五年|五年来/, (y) => [y - 5, y - 4, y - 3, y - 2, y - 1]],
  [/过去一年|一年来|去年/, (y) => [y - 1]],
  [/今年|本年/, (y) => [y]],
]

/**
 * The years each passage is about: those its section's heading path or the opening of the section's
 * first passage gives relative to the document's year (a 2024 report's 过去一年 section is about 2023,
 * its 今年 sections about 2024, a 2023 report's 五年来 sections about 2018–2022), else the document's
 * own year; none for a document without a year.
 */
export function passageYears(passages: readonly Passage[]): number[][] {
  const years = new Map<string, number | undefined>()
  const first = new Map<string, Passage>()
  for (const p of passages) if (!first.has(p.doc) || p.index < first.get(p.doc)!.index) first.set(p.doc, p)
  for (const [doc, p] of first) years.set(doc, documentYear(p))
  const sections = new Map<string, number[]>()
  return passages.map((p) => {
    const year = years.get(p.doc)
    if (year === undefined) return []
    const key = `${p.doc}\u0000${p.headings.join('\u0000')}`
    let about = sections.get(key)
    if (!about) {
      // the first passage of a section met speaks for it (passages come in document order)
      const opening = `${p.headings.join(' ')} ${p.text.split(/[。\n]/)[0] ?? ''}`
      sections.set(key, about = PERIODS.find(([re]) => re.test(opening))?.[1](year) ?? [year])
    }
    return about
  })
}
