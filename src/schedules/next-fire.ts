import { parse as parseCronFields } from 'node-cron'
import { wallClockIn, wallClockToEpoch } from '../clock.ts'

// Next fire times, computed in the configured zone whatever the process TZ is (zone arithmetic is
// clock.ts's). Field values come from node-cron's own parser; day matching follows node-cron's
// TimeMatcher (day-of-month AND day-of-week, L / LW / nW / L-n / d#n / dL tokens), so these are
// the instants node-cron fires at.

type Fields = ReturnType<typeof parseCronFields>
const fieldCache = new Map<string, Fields>()

function fieldsOf(cron: string): Fields {
  let f = fieldCache.get(cron)
  if (!f) {
    f = parseCronFields(cron)
    for (const k of ['second', 'minute', 'hour', 'month'] as const) f[k] = [...f[k]].sort((a, b) => a - b)
    if (fieldCache.size > 5000) fieldCache.clear()
    fieldCache.set(cron, f)
  }
  return f
}

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate()
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay()

function nearestWeekday(y: number, m: number, target: number): number {
  const last = lastDay(y, m)
  if (target < 1 || target > last) return -1
  const wd = weekdayOf(y, m, target)
  if (wd === 6) return target === 1 ? target + 2 : target - 1
  if (wd === 0) return target === last ? target - 2 : target + 1
  return target
}

function matchesDayOfMonth(field: (number | string)[], y: number, m: number, d: number): boolean {
  for (const v of field) {
    if (v === d) return true
    if (typeof v !== 'string') continue
    if (v === 'L' && d === lastDay(y, m)) return true
    const w = /^(\d{1,2}|L)W$/.exec(v)
    if (w && nearestWeekday(y, m, w[1] === 'L' ? lastDay(y, m) : Number(w[1])) === d) return true
    const off = /^L-(\d{1,2})$/.exec(v)
    if (off && lastDay(y, m) - Number(off[1]) === d) return true
  }
  return false
}

function matchesDayOfWeek(field: (number | string)[], y: number, m: number, d: number): boolean {
  const wd = weekdayOf(y, m, d)
  for (const v of field) {
    if (v === wd) return true
    if (typeof v !== 'string') continue
    const nth = /^([0-7])#([1-5])$/.exec(v)
    if (nth) {
      if (Number(nth[1]) % 7 === wd && Math.floor((d - 1) / 7) + 1 === Number(nth[2])) return true
      continue
    }
    const last = /^([0-7])L$/i.exec(v)
    if (last && Number(last[1]) % 7 === wd && d + 7 > lastDay(y, m)) return true
  }
  return false
}

/** The first instant strictly after `fromMs` at which `cron` fires in `timeZone`; undefined if none within ~8 years. */
export function nextFireTime(cron: string, timeZone: string, fromMs: number): number | undefined {
  const f = fieldsOf(cron)
  const base = Math.floor(fromMs / 1000) * 1000
  const start = wallClockIn(base, timeZone)
  let { year, month, day } = start
  for (let i = 0; i < 366 * 8 + 2; i++) {
    if (f.month.includes(month) && matchesDayOfMonth(f.dayOfMonth, year, month, day) && matchesDayOfWeek(f.dayOfWeek, year, month, day)) {
      // on the first day, wall-clock times before `from` map to earlier instants even across DST
      const floor = i === 0 ? start.hour * 3600 + start.minute * 60 + start.second : -1
      for (const hour of f.hour) {
        if (hour * 3600 + 3599 < floor) continue
        for (const minute of f.minute) {
          if (hour * 3600 + minute * 60 + 59 < floor) continue
          for (const second of f.second) {
            if (hour * 3600 + minute * 60 + second < floor) continue
            const ts = wallClockToEpoch({ year, month, day, hour, minute, second }, timeZone)
            if (ts !== undefined && ts > fromMs) return ts
          }
        }
      }
    }
    const next = new Date(Date.UTC(year, month - 1, day + 1))
    year = next.getUTCFullYear(); month = next.getUTCMonth() + 1; day = next.getUTCDate()
  }
  return undefined
}

/** The next `n` fire times (epoch ms) strictly after `fromMs`, computed in `timeZone`. */
export function nextFireTimes(cron: string, timeZone: string, fromMs: number, n: number): number[] {
  const out: number[] = []
  let t = fromMs
  while (out.length < n) {
    const next = nextFireTime(cron, timeZone, t)
    if (next === undefined) break
    out.push(next)
    t = next
  }
  return out
}

/** Slots in (afterMs, untilMs], oldest first, at most `limit` of them (the earliest ones). */
export function slotsBetween(cron: string, timeZone: string, afterMs: number, untilMs: number, limit: number): number[] {
  const out: number[] = []
  let t = afterMs
  while (out.length < limit) {
    const next = nextFireTime(cron, timeZone, t)
    if (next === undefined || next > untilMs) break
    out.push(next)
    t = next
  }
  return out
}
