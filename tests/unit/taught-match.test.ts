import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { bestMatch, TAUGHT_THRESHOLD } from '../../src/taught/match.ts'

const data = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'bench', 'taught-questions.json'), 'utf8')) as {
  taught: string[]; asked: { q: string; match: number | null; half: string }[]
}
const entries = data.taught.map((question, i) => ({ question, i }))

describe('matching an asked question to a taught one', () => {
  it('takes rewordings and leaves near misses on the held-out half of the calibration set', () => {
    const check = data.asked.filter((a) => a.half === 'check')
    const got = check.map((a) => bestMatch(a.q, entries)?.entry.i ?? null)
    const right = got.filter((g, i) => g === check[i]!.match).length
    expect(right / check.length).toBeGreaterThanOrEqual(0.9)
    // a wrong taught answer is worse than none: at most 2 of the 36 (see TAUGHT_THRESHOLD)
    expect(got.filter((g, i) => g !== null && g !== check[i]!.match).length).toBeLessThanOrEqual(2)
  })

  it('folds synonyms and filler, but tells questions wanting other kinds of answer apart', () => {
    const taught = [{ question: '预备党员怎么转正？' }, { question: '党员有哪些权利？' }]
    expect(bestMatch('想问一下预备党员如何转为正式党员', taught)?.entry).toBe(taught[0])
    expect(bestMatch('预备党员的预备期多久', taught)).toBeUndefined()
    expect(bestMatch('党员有哪些义务', taught)).toBeUndefined()
    expect(bestMatch('请问党员都有哪些权利呢', taught)!.score).toBeGreaterThanOrEqual(TAUGHT_THRESHOLD)
  })
})
