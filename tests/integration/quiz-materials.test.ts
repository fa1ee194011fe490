import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { createLibrary, type FolderLibrary } from '../../src/materials/library.ts'
import { buildCorpus, type QuizCorpus } from '../../src/quiz/corpus.ts'
import { generateQuestions } from '../../src/quiz/generate.ts'
import type { Question } from '../../src/quiz/types.ts'
import { judge } from '../../bench/quiz-judge.ts'

// The same judge bench:quiz uses, on the same 11 shared documents, so CI notices a regression.
let library: FolderLibrary
let corpus: QuizCorpus
let questions: Question[]

beforeAll(async () => {
  library = await createLibrary({ dir: path.resolve(__dirname, '..', '..', '..', 'shared', 'materials'), log: pino({ level: 'silent' }) })
  corpus = buildCorpus(library.documents().flatMap((d) => library.passages(d.doc)))
  questions = []
  for (const q of generateQuestions(corpus)) if (questions.push(q) >= 100) break
})
afterAll(() => library?.close())

describe('questions generated from the shared materials', () => {
  it('come from every document, and each answer is the blanked span of its cited passage', () => {
    expect(questions).toHaveLength(100)
    expect(new Set(questions.map((q) => q.source!.doc)).size).toBe(library.documents().length)
    const passages = new Map(library.documents().flatMap((d) => library.passages(d.doc)).map((p) => [p.id, p]))
    const judged = questions.map((q) => judge(q, passages.get(q.source!.passageId), corpus.text))
    expect(judged.filter((j) => j.grounded.length)).toEqual([])
    expect(judged.filter((j) => !j.ambiguous.length).length).toBeGreaterThanOrEqual(95)
  })

  it('mix fill-in and single-choice questions, and never repeat a question', () => {
    expect(questions.some((q) => q.type === 'single')).toBe(true)
    expect(questions.some((q) => q.type === 'fill')).toBe(true)
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length)
  })
})
