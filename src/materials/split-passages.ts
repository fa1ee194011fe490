import type { Passage } from './types.ts'

const NUM = '[一二三四五六七八九十百零〇两0-9]+'
const DOC_TYPES = /(章程|决定|意见|建议|报告|决议|通知|办法|条例|规定|纲要|准则|讲话|规划|问|摘登|说明|通稿|纪要|公报)[）)]?$/
const ENDS_SENTENCE = /[。；：，、！？!?;:,…]$/
const MAX_LABEL = 40
/** Paragraphs shorter than this are merged with the next one of the same section. */
const SHORT_PARAGRAPH = 60
const MERGE_LIMIT = 400

interface Heading {
  level: number
  label: string
  /** The heading line is also content (第七条 预备党员的预备期为一年……). */
  inline: boolean
}

/** Split a normalised document into citable passages that keep their heading path. */
export function splitPassages(doc: string, text: string): Passage[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  const { title, body } = takeTitle(doc, lines)
  const passages: Passage[] = []
  const stack: { level: number; label: string }[] = []
  let buffer: string[] = []
  let inArticle = false

  const flush = () => {
    if (!buffer.length) return
    const headings = stack.map((h) => h.label)
    passages.push({
      id: `${doc}#${passages.length}`,
      doc,
      title,
      headings,
      citation: citationOf(title, headings),
      text: buffer.join('\n'),
      index: passages.length,
    })
    buffer = []
  }

  body.forEach((line, i) => {
    const heading = detectHeading(line, body[i + 1], inArticle)
    if (heading) {
      flush()
      while (stack.length && stack[stack.length - 1]!.level >= heading.level) stack.pop()
      stack.push({ level: heading.level, label: heading.label })
      inArticle = heading.level === ARTICLE
      if (heading.inline) buffer.push(line)
      return
    }
    if (!inArticle && buffer.length && (buffer.join('').length >= SHORT_PARAGRAPH || buffer.join('').length + line.length > MERGE_LIMIT)) flush()
    buffer.push(line)
  })
  flush()
  return passages
}

/** Citation as shown to members: 《title》 then the heading path. */
export function citationOf(title: string, headings: readonly string[]): string {
  // a title that quotes another document keeps its inner marks distinct: 《…〈中国共产党章程（修正案）〉…》
  return `《${title.replace(/《/g, '〈').replace(/》/g, '〉')}》${headings.join(' ')}`.trim()
}

const ARTICLE = 12

function detectHeading(line: string, next: string | undefined, inArticle: boolean): Heading | undefined {
  const md = /^(#{1,6})\s+(.+?)\s*#*$/.exec(line)
  if (md) return { level: md[1]!.length, label: clip(md[2]!), inline: false }
  if (/^(总纲|序言|前言|总则|附则|结束语)$/.test(line)) return { level: 10, label: line, inline: false }
  let m = new RegExp(`^第${NUM}([编章节])(?:\\s+|$)(.*)$`).exec(line)
  if (m && line.length <= 30 && !ENDS_SENTENCE.test(line)) {
    return { level: m[1] === '编' ? 9 : m[1] === '章' ? 10 : 11, label: clip(line.replace(/\s+/, ' ')), inline: false }
  }
  m = new RegExp(`^(第${NUM}条)(?:\\s+|(?=[\\u4e00-\\u9fff“（]))`).exec(line)
  if (m) return { level: ARTICLE, label: m[1]!, inline: true }
  if (inArticle) return undefined
  if (/^问[：:]/.test(line)) return { level: 14, label: clip(line), inline: false }
  m = new RegExp(`^(${NUM}、|[（(]${NUM}[）)]|[0-9]{1,2}[.．、](?![0-9]))`).exec(line)
  if (m) {
    const level = m[1]!.endsWith('、') && !/^[0-9]/.test(m[1]!) ? 13 : m[1]!.startsWith('（') || m[1]!.startsWith('(') ? 14 : 15
    if (line.length <= MAX_LABEL && !/[。；]$/.test(line)) return { level, label: clip(line.replace(/[：:，,]$/, '')), inline: false }
    // （1）进一步全面深化改革的重要性和必要性。改革开放是…… : the first sentence is the section's title
    const first = /^[^。；！？]{2,34}[。；]/.exec(line)
    if (first && level > 13) return { level, label: clip(first[0].slice(0, -1)), inline: true }
    return undefined
  }
  // A short line without closing punctuation, followed by a longer paragraph, is a heading.
  if (line.length <= MAX_LABEL + 10 && !ENDS_SENTENCE.test(line) && !/[。！？]/.test(line.slice(0, -1))
    && next !== undefined && next.length > line.length && !/^[（(].*[）)]$/.test(line)) {
    return { level: 13, label: clip(line), inline: false }
  }
  return undefined
}

function takeTitle(doc: string, lines: string[]): { title: string; body: string[] } {
  const fallback = doc.replace(/\.[^.]+$/, '')
  const first = lines[0]
  if (!first) return { title: fallback, body: [] }
  const md = /^#\s+(.+?)\s*#*$/.exec(first)
  if (md) return { title: md[1]!, body: lines.slice(1) }
  if (first.length > 60 || /[。；！？]$/.test(first)) return { title: fallback, body: lines }
  const second = lines[1]
  // a title broken over two lines: 中共中央关于进一步全面深化改革 / 推进中国式现代化的决定
  if (second && /关于/.test(first) && !DOC_TYPES.test(first) && DOC_TYPES.test(second) && second.length <= 30) {
    return { title: `${first} ${second}`, body: lines.slice(2) }
  }
  return { title: first.replace(/^《(.+)》$/, '$1'), body: lines.slice(1) }
}

function clip(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label
}
