/**
 * `npm run bench:taught`: how well the taught-question matcher tells a rewording of a taught
 * question from a near miss, at each threshold, on the tuning half and the check half of
 * bench/taught-questions.json. The committed TAUGHT_THRESHOLD is chosen on the tuning half.
 */
import fs from 'node:fs'
import path from 'node:path'
import { bestMatch, TAUGHT_THRESHOLD } from '../src/taught/match.ts'

interface Asked { q: string; match: number | null; half: 'tune' | 'check' }
const data = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'taught-questions.json'), 'utf8')) as { taught: string[]; asked: Asked[] }
const entries = data.taught.map((question, i) => ({ question, i }))

/** Share of asked questions matched to the right entry (or to none), and the two kinds of error. */
export function evaluate(threshold: number, half: Asked['half']) {
  const rows = data.asked.filter((a) => a.half === half)
  let right = 0; let missed = 0; let wrong = 0
  for (const a of rows) {
    const got = bestMatch(a.q, entries, threshold)?.entry.i ?? null
    if (got === a.match) right++
    else if (got === null) missed++
    else wrong++
  }
  return { accuracy: right / rows.length, missed, wrong, n: rows.length }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('threshold | tune acc | tune missed/wrong | check acc | check missed/wrong')
  for (let t = 0.3; t <= 0.81; t += 0.05) {
    const a = evaluate(t, 'tune'); const b = evaluate(t, 'check')
    const mark = Math.abs(t - TAUGHT_THRESHOLD) < 1e-9 ? ' (committed)' : ''
    console.log(`${t.toFixed(2)} | ${a.accuracy.toFixed(3)} | ${a.missed}/${a.wrong} | ${b.accuracy.toFixed(3)} | ${b.missed}/${b.wrong}${mark}`)
  }
}
