import { describe, expect, it } from 'vitest'
import { answeredPct, logTruncated, questionsPerDay } from '../../src/console/question-stats.ts'
import type { LoggedQuestion } from '../../src/store/question-log.ts'

const tz = 'Asia/Shanghai'
const at = (iso: string) => Date.parse(iso)
const q = (when: string, answered: boolean): LoggedQuestion => ({
  at: at(when), messageId: when, memberId: 'u1', question: '预备期多久', answered, source: answered ? 'materials' : 'none', answer: '',
})

describe('questions per day on 概览 and 问答', () => {
  const now = at('2026-12-03T10:00:00+08:00')

  it('counts questions by Beijing date, with empty days, oldest first', () => {
    const log = [
      q('2026-12-03T09:00:00+08:00', true),
      q('2026-12-03T00:30:00+08:00', false), // 2026-12-02 16:30 UTC: still 12-03 in Beijing
      q('2026-12-01T23:59:00+08:00', true),
      q('2026-11-20T12:00:00+08:00', true), // outside the window
    ]
    const days = questionsPerDay(log, { now, days: 3, timezone: tz })
    expect(days).toEqual([
      { date: '2026-12-01', asked: 1, answered: 1 },
      { date: '2026-12-02', asked: 0, answered: 0 },
      { date: '2026-12-03', asked: 2, answered: 1 },
    ])
    expect(days.map(answeredPct)).toEqual([100, 0, 50])
  })

  it('says when the kept log does not reach back over the window', () => {
    const full = Array.from({ length: 200 }, (_, i) => q(new Date(now - i * 60_000).toISOString(), true))
    expect(logTruncated(full, 200, now - 14 * 86_400_000)).toBe(true)
    expect(logTruncated(full.slice(0, 199), 200, now - 14 * 86_400_000)).toBe(false)
    expect(logTruncated([...full.slice(0, 199), q('2026-11-01T00:00:00+08:00', true)], 200, now - 14 * 86_400_000)).toBe(false)
  })
})
