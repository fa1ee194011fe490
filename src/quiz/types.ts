/** How a question is answered: fill in the blank, one option, several options, or true/false. */
export type QuestionType = 'fill' | 'single' | 'multi' | 'judge'

/** What kind of span a generated question blanks; distractors are drawn from the same kind. */
export type SpanKind =
  | { kind: 'number'; unit: string; script: 'arabic' | 'chinese' }
  | { kind: 'year' }
  | { kind: 'quoted' }
  | { kind: 'enum' }
  | { kind: 'term'; tag: string }

/** Where a generated question came from: the blanked span inside a passage's text. */
export interface QuestionSource {
  doc: string
  passageId: string
  citation: string
  /** Offsets of the blanked span in the passage's text. */
  start: number
  end: number
}

/** One quiz question, generated from the materials or imported from a bank. */
export interface Question {
  /** Stable id: the same material or bank row gives the same id on every instance and restart. */
  id: string
  origin: 'generated' | 'bank'
  type: QuestionType
  /** The question text; a fill or generated choice question has its blank as BLANK. */
  stem: string
  /** Option texts in A, B, C ... order (choice and judge questions). */
  options: string[]
  /**
   * The correct answer: option letters (`B`, `AC`) for choice and judge questions, the blanked
   * text for fill questions.
   */
  answer: string
  /** Other answers accepted for a fill question (e.g. the number without its unit). */
  accepted?: string[]
  /** Shown at close after the answer: 解析 from a bank, the full sentence for generated ones. */
  explanation?: string
  /** Citation shown at close (《…》第七条 or the bank's 出处). */
  citation?: string
  /** For generated questions: the span of the cited passage the answer is. */
  source?: QuestionSource
  spanKind?: SpanKind
}

/** The blank as shown in a question's stem. */
export const BLANK = '____'
