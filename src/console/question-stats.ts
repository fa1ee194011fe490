import { dateInZone } from '../clock.ts'
import type { LoggedQuestion } from '../store/question-log.ts'

/** Questions asked on one day (in the configured zone) and how many of them were answered. */
export interface QuestionDay {
  /** YYYY-MM-DD */
  date: string
  asked: number
  answered: number
}

/** Questions per day over the last `days` days up to `now`, oldest first; days without questions count 0. */
export function questionsPerDay(log: readonly LoggedQuestion[], o: { now: number; days: number; timezone: string }): QuestionDay[] {
  const out: QuestionDay[] = []
  const byDate = new Map<string, QuestionDay>()
  for (let i = o.days - 1; i >= 0; i--) {
    // 24-hour steps back from now; a date met twice (a daylight-saving shift) is one day
    const date = dateInZone(o.now - i * 86_400_000, o.timezone)
    if (byDate.has(date)) continue
    const day = { date, asked: 0, answered: 0 }
    byDate.set(date, day)
    out.push(day)
  }
  for (const q of log) {
    const day = byDate.get(dateInZone(q.at, o.timezone))
    if (!day) continue
    day.asked++
    if (q.answered) day.answered++
  }
  return out
}

/** Share answered in percent (0 when nothing was asked). */
export function answeredPct(d: { asked: number; answered: number }): number {
  return d.asked ? Math.round((d.answered / d.asked) * 100) : 0
}

/** True when the kept log may not reach back over the whole window (the oldest kept entry is inside it). */
export function logTruncated(log: readonly LoggedQuestion[], kept: number, windowStart: number): boolean {
  return log.length >= kept && (log.at(-1)?.at ?? 0) > windowStart
}
