import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createTask } from 'node-cron'
import { parseTimePhrase } from '../../src/schedules/time-phrases.ts'
import { nextFireTimes, slotsBetween } from '../../src/schedules/next-fire.ts'
import { isoInZone, zonedToEpoch } from '../../src/clock.ts'

const tz = 'Asia/Shanghai'
const at = (local: string) => zonedToEpoch(local.slice(0, 10), local.slice(11, 16), tz)
const iso = (ms: number[]) => ms.map((t) => isoInZone(t, tz))

describe('parseTimePhrase', () => {
  it.each([
    ['每天 07:30 早上好', '30 7 * * *', '每天 07:30', '早上好'],
    ['每日7:05 学习', '5 7 * * *', '每天 07:05', '学习'],
    ['工作日 08:00 打卡', '0 8 * * 1-5', '工作日 08:00', '打卡'],
    ['每周一 09:00 本周学习安排', '0 9 * * 1', '每周一 09:00', '本周学习安排'],
    ['周五 17:30 周末愉快', '30 17 * * 5', '每周五 17:30', '周末愉快'],
    ['星期日 20:00 复习', '0 20 * * 0', '每周日 20:00', '复习'],
    ['每周天 20:00 复习', '0 20 * * 0', '每周日 20:00', '复习'],
    ['每月1日 09:00 主题党日', '0 9 1 * *', '每月1日 09:00', '主题党日'],
    ['每月15号 10:00 交党费', '0 10 15 * *', '每月15日 10:00', '交党费'],
    ['每天 下午3点半 喝水', '30 15 * * *', '每天 15:30', '喝水'],
    ['每天 晚上8点 读书', '0 20 * * *', '每天 20:00', '读书'],
    ['每天 ０９：００ 全角', '0 9 * * *', '每天 09:00', '全角'],
    ['0 9 * * 1 原始 cron', '0 9 * * 1', '0 9 * * 1', '原始 cron'],
    ['*/2 * * * * * 秒级', '*/2 * * * * *', '*/2 * * * * *', '秒级'],
  ])('%s', (input, cron, label, rest) => {
    expect(parseTimePhrase(input)).toEqual({ cron, label, rest })
  })

  it.each(['明天 9点 开会', '每周八 09:00 x', '每天 25:00 x', '每月32日 09:00 x', '每天 九点 x', '随便说点什么', ''])(
    'rejects %s', (input) => {
      expect(parseTimePhrase(input)).toBeUndefined()
    },
  )
})

describe('nextFireTimes', () => {
  it('gives Beijing wall-clock times for a weekly schedule', () => {
    // 2026-11-25 is a Wednesday
    expect(iso(nextFireTimes('0 9 * * 1', tz, at('2026-11-25T10:00'), 3))).toEqual([
      '2026-11-30T09:00:00+08:00', '2026-12-07T09:00:00+08:00', '2026-12-14T09:00:00+08:00',
    ])
  })

  it('is strictly after `from` and handles seconds', () => {
    const from = at('2026-01-01T00:00')
    expect(nextFireTimes('*/2 * * * * *', tz, from, 3).map((t) => t - from)).toEqual([2000, 4000, 6000])
    expect(nextFireTimes('*/2 * * * * *', tz, from + 500, 1)[0] - from).toBe(2000)
  })

  it('skips months without the day and knows leap years', () => {
    expect(iso(nextFireTimes('0 9 31 * *', tz, at('2026-04-01T00:00'), 2))).toEqual([
      '2026-05-31T09:00:00+08:00', '2026-07-31T09:00:00+08:00',
    ])
    expect(iso(nextFireTimes('0 0 29 2 *', tz, at('2026-03-01T00:00'), 1))).toEqual(['2028-02-29T00:00:00+08:00'])
  })

  it('does not depend on the process time zone (computed in the given zone)', () => {
    const from = Date.UTC(2026, 10, 29, 23, 30) // 2026-11-30 07:30 in Beijing
    expect(iso(nextFireTimes('0 9 * * 1', tz, from, 1))).toEqual(['2026-11-30T09:00:00+08:00'])
    expect(isoInZone(nextFireTimes('0 9 * * 1', 'UTC', from, 1)[0], 'UTC')).toBe('2026-11-30T09:00:00+00:00')
  })

  it('runs a repeated DST hour once and skips a missing one (America/New_York)', () => {
    const ny = 'America/New_York'
    // 2026-03-08 02:30 does not exist; 2026-11-01 01:30 happens twice
    const spring = nextFireTimes('30 2 * * *', ny, Date.UTC(2026, 2, 8, 0), 1)[0]
    expect(isoInZone(spring, ny)).toBe('2026-03-09T02:30:00-04:00')
    const fall = nextFireTimes('30 1 * * *', ny, Date.UTC(2026, 10, 1, 0), 2)
    expect(fall.map((t) => isoInZone(t, ny))).toEqual(['2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00'])
  })

  it('agrees with clock.ts on wall-clock times just after a DST change', () => {
    const ny = 'America/New_York'
    // 03:30 on the spring-forward night is 07:30 UTC (EDT); a one-pass offset guess says 08:30
    const fired = nextFireTimes('30 3 * * *', ny, Date.UTC(2026, 2, 8, 0), 1)[0]
    expect(fired).toBe(Date.UTC(2026, 2, 8, 7, 30))
    expect(zonedToEpoch('2026-03-08', '03:30', ny)).toBe(fired)
    expect(zonedToEpoch('2026-11-01', '01:30', ny)).toBe(nextFireTimes('30 1 * * *', ny, Date.UTC(2026, 10, 1, 0), 1)[0])
  })

  it('slotsBetween lists the slots in a half-open window', () => {
    const from = at('2026-01-05T08:00')
    expect(iso(slotsBetween('0 9 * * *', tz, from, at('2026-01-07T09:00'), 10))).toEqual([
      '2026-01-05T09:00:00+08:00', '2026-01-06T09:00:00+08:00', '2026-01-07T09:00:00+08:00',
    ])
  })

  it('agrees with node-cron\'s own matcher walked minute by minute', () => {
    const field = (min: number, max: number) => fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 2, max: Math.max(2, Math.floor((max - min) / 2)) }).map((s) => `*/${s}`),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((v) => v.join(',')),
    )
    const cron = fc.tuple(field(0, 59), field(0, 23), fc.oneof(fc.constant('*'), field(1, 28), fc.constant('L')), fc.constant('*'), fc.oneof(field(0, 6), fc.constant('1#2'), fc.constant('5L')))
      .map((f) => f.join(' '))
    const zone = fc.constantFrom('Asia/Shanghai', 'UTC', 'Asia/Kolkata')
    const start = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) })
    const horizonMinutes = 3 * 24 * 60

    fc.assert(fc.property(cron, zone, start, (expr, timeZone, from) => {
      const task = createTask(expr, () => {}, { timezone: timeZone })
      try {
        const expected: number[] = []
        let t = Math.floor(from / 60000) * 60000 + 60000
        for (let i = 0; i < horizonMinutes && expected.length < 3; i++, t += 60000) {
          if (task.match(new Date(t))) expected.push(t)
        }
        const ours = nextFireTimes(expr, timeZone, from, 3)
        if (expected.length === 3) expect(ours).toEqual(expected)
        else {
          expect(ours.slice(0, expected.length)).toEqual(expected)
          if (ours.length > expected.length) expect(ours[expected.length]).toBeGreaterThan(t - 60000)
        }
      } finally {
        task.destroy()
      }
    }), { numRuns: 100 })
  })

  it('does not read 晚上12点 as noon: it asks for 00:00 instead', () => {
    expect(parseTimePhrase('每天 晚上12点 学习')).toBeUndefined()
    expect(parseTimePhrase('每天 晚上8点 学习')?.cron).toBe('0 20 * * *')
  })
})
