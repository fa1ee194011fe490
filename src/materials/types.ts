import type { FaqEntry } from './faq-file.ts'
import type { ParsedQuestion } from './question.ts'
import type { AnswerSpan } from './answer-span.ts'

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

/** What one ranking stage made of a hit: its own measure and the score after it (see search-index.ts). */
export interface StageScore {
  stage: 'bm25' | 'coordination' | 'docPrior' | 'namedDoc' | 'phrase' | 'blanks' | 'definition' | 'span' | 'vector'
  value: number
  score: number
}

/** A ranked search result. */
export interface Hit {
  passage: Passage
  score: number
  /** The passage's sentence (or clauses) that best answers the question; on the best few hits. */
  span?: AnswerSpan
  /** How close in meaning (embeddings; 0 = no closer than a typical passage, 1 = the same text), when ranked by meaning too. */
  vector?: number
  /** Per-stage breakdown, when the search was asked to explain. */
  stages?: StageScore[]
}

export interface SearchOptions {
  k?: number
  /** Restrict to these document file names (a group's own subset). */
  docs?: readonly string[]
  /** Record each ranking stage's contribution on the hits (studybot search --explain). */
  explain?: boolean
}

/** The searchable study materials of one folder, kept current as files change. */
export interface MaterialLibrary {
  /** Rank passages for a question: its text, or its parse from parse() (parsed once, used by every stage). */
  search(query: string | ParsedQuestion, opts?: SearchOptions): Promise<Hit[]>
  /** Parse a question with this library's documents (the ones a question can name) and thesaurus; without it, parseQuestion's defaults. */
  parse?(question: string): ParsedQuestion
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
  /** The passage an extractive answer came from (a member may then ask for its 原文). */
  passage?: Passage
}
