import type { FaqEntry } from './faq-file.ts'

/** One citable piece of a study document (an article, a numbered section, a paragraph group). */
export interface Passage {
  id: string
  /** File name inside the materials folder, e.g. dangzhang_2022.txt. */
  doc: string
  /** Document title, e.g. 中国共产党章程. */
  title: string
  /** Heading path inside the document, e.g. ['第一章 党员', '第七条']. */
  headings: string[]
  /** Citation as shown to members, e.g. 《中国共产党章程》第一章 党员 第七条. */
  citation: string
  text: string
  /** Position of the passage in its document (0-based). */
  index: number
}

/** A ranked search result. */
export interface Hit {
  passage: Passage
  score: number
}

export interface SearchOptions {
  k?: number
  /** Restrict to these document file names (a group's own subset). */
  docs?: readonly string[]
}

/** The searchable study materials of one folder, kept current as files change. */
export interface MaterialLibrary {
  search(query: string, opts?: SearchOptions): Promise<Hit[]>
  documents(): { doc: string; title: string; passages: number }[]
  passages(doc: string): Passage[]
  /** Questions and answers of the folder's FAQ files (常见问题.xlsx, *.faq.md), matched before the passages. */
  faq?(): FaqEntry[]
  /** Files of the folder that could not be read, with the reason in Chinese. */
  skipped?(): { doc: string; reason: string }[]
  /** Resolves once the materials are loaded (a library may load on first need); documents() and passages() are complete after it. */
  ready(): Promise<void>
  close(): void
}

/** What the bot sends back to a question, and where it came from. */
export interface Answer {
  answered: boolean
  text: string
  sources: { doc: string; citation: string }[]
}
