import type { SpanKind } from './types.ts'
import type { TaggedWord } from './segmenter.ts'
import { answerForm } from './answer-form.ts'

/** A part of a sentence that could be blanked. Offsets are relative to the sentence. */
export interface Span {
  start: number
  end: number
  text: string
  kind: SpanKind
  /** Numeric value of a number or year, for choosing distractors of similar size. */
  value?: number
}

// units measured in the materials; a multiplier (万, 亿, 万亿) is part of the unit so 126万亿元
// gets distractors in 万亿元 and not in 元
const BASE_UNITS = ['个百分点', '%', '‰', '元', '斤', '公斤', '吨', '亩', '平方公里', '公里', '千瓦', '人次', '人', '名',
  '周年', '周岁', '岁', '个月', '年', '天', '倍', '届', '次', '项', '户', '所', '家']
const UNIT = `(?:万亿|亿|万)?(?:${[...BASE_UNITS].sort((a, b) => b.length - a.length).join('|')})`
const CN_NUMERAL = '[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?'
const NUMBER = new RegExp(`(?<![0-9.零〇一二两三四五六七八九十百千万亿第多几])([0-9]+(?:\\.[0-9]+)?|${CN_NUMERAL})(${UNIT})(?![0-9])`, 'g')
const YEAR = /(?<![0-9])((?:19|20)[0-9]{2}|[一二][〇零九][〇零一二三四五六七八九]{2})年(?![0-9零〇一二三四五六七八九十]+月)/g
const QUOTED = /“([^“”，。；、：！？\s]{2,12})”/g
const CLAUSE = /[^，。；：！？（）()]+/g
/** Word classes that name things: nouns, proper nouns, idioms, verbal nouns. */
const TERM_TAGS = new Set(['n', 'nz', 'nt', 'nr', 'l', 'i', 'vn'])
const ITEM_MAX = 12

/** Every span of a sentence that could be blanked: numbers with units, years, quoted terms, enumeration items, terms. */
export function spansOf(text: string, words: readonly TaggedWord[]): Span[] {
  const bounds = new Set<number>()
  for (const w of words) bounds.add(w.start).add(w.start + w.word.length)
  const aligned = (s: number, e: number) => bounds.has(s) && bounds.has(e)
  const quoted = [...text.matchAll(QUOTED)].map((m) => ({ start: m.index! + 1, end: m.index! + m[0].length - 1 }))
  const inQuotes = (s: number) => quoted.some((q) => s >= q.start && s < q.end)
  const out: Span[] = []

  for (const m of text.matchAll(YEAR)) {
    const end = m.index! + m[0].length
    out.push({ start: m.index!, end, text: m[0], kind: { kind: 'year' }, value: Number(answerForm(m[1]!)) })
  }
  for (const m of text.matchAll(NUMBER)) {
    const [all, num, unit] = m as unknown as [string, string, string]
    const start = m.index!
    if (out.some((s) => s.start === start) || inQuotes(start) || !aligned(start, start + all.length)) continue
    // 百年, 千年: a word, not a figure
    if (/^[十百千]+$/.test(num) && num !== '十') continue
    const script = /^[0-9]/.test(num) ? 'arabic' : 'chinese'
    const value = Number(answerForm(num))
    if (!Number.isFinite(value)) continue
    out.push({ start, end: start + all.length, text: all, kind: { kind: 'number', unit, script }, value })
  }
  for (const q of quoted) out.push({ ...q, text: text.slice(q.start, q.end), kind: { kind: 'quoted' } })
  for (const m of text.matchAll(CLAUSE)) {
    const items = m[0].split('、')
    if (items.length < 3) continue
    let at = m.index! + items[0]!.length + 1
    for (const item of items.slice(1, -1)) {
      const trimmed = item.trim()
      if (trimmed.length >= 2 && trimmed.length <= ITEM_MAX && !/[“”]/.test(trimmed) && !inQuotes(at)) {
        const start = at + item.indexOf(trimmed)
        out.push({ start, end: start + trimmed.length, text: trimmed, kind: { kind: 'enum' } })
      }
      at += item.length + 1
    }
  }
  for (const w of words) {
    if (!TERM_TAGS.has(w.tag) || w.word.length < 3 || /[0-9零〇一二两三四五六七八九十百千万亿]/.test(w.word)) continue
    if (inQuotes(w.start) || out.some((s) => w.start < s.end && s.start < w.start + w.word.length)) continue
    out.push({ start: w.start, end: w.start + w.word.length, text: w.word, kind: { kind: 'term', tag: w.tag } })
  }
  return out
}

/** The pool a span's distractors come from: same unit and script for numbers, same class otherwise (jieba's noun tags are too unsteady to split terms by). */
export function kindKey(kind: SpanKind): string {
  switch (kind.kind) {
    case 'number': return `number:${kind.unit}:${kind.script}`
    default: return kind.kind
  }
}
