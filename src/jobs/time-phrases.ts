import { parse as parseCronFields, validate as isValidCron } from 'node-cron'

/** A schedule time a secretary typed, turned into a cron expression plus the text after it. */
export interface ParsedTime {
  cron: string
  /** Chinese description of when it fires, e.g. 每周一 09:00. */
  label: string
  /** What follows the time phrase (the content to send). */
  rest: string
}

/** Phrases shown to a secretary whose time phrase could not be read. */
export const timePhraseExamples: readonly string[] = [
  '每天 07:30',
  '工作日 08:00',
  '每周一 09:00（也可写 周一 09:00、星期一 09:00）',
  '每月1日 09:00（也可写 每月1号）',
  '下午3点半、晚上8点 也可以',
  'cron 表达式：0 9 * * 1（分 时 日 月 周）或带秒的 6 段',
]

const weekdayNames: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 0 }
const weekdayLabels = ['日', '一', '二', '三', '四', '五', '六']

const dayPhrases: { re: RegExp; build(m: RegExpExecArray): { dom: string; dow: string; label: string } | undefined }[] = [
  { re: /^(?:每天|每日)/, build: () => ({ dom: '*', dow: '*', label: '每天' }) },
  { re: /^(?:每个工作日|每周工作日|工作日)/, build: () => ({ dom: '*', dow: '1-5', label: '工作日' }) },
  {
    re: /^(?:每周|每星期|每礼拜|周|星期|礼拜)([一二三四五六日天1-7])/,
    build: (m) => {
      const d = weekdayNames[m[1]]
      return { dom: '*', dow: String(d), label: `每周${weekdayLabels[d]}` }
    },
  },
  {
    re: /^每月(\d{1,2})(?:日|号)/,
    build: (m) => {
      const d = Number(m[1])
      return d >= 1 && d <= 31 ? { dom: String(d), dow: '*', label: `每月${d}日` } : undefined
    },
  },
]

const timeRe = /^(上午|早上|早晨|中午|下午|傍晚|晚上)?\s*(\d{1,2})(?::(\d{2})|点(?:(\d{1,2})分?|(半))?)/

/**
 * Read a Chinese time phrase (每天 / 工作日 / 每周一 / 每月N日, each with HH:MM) or a raw
 * 5- or 6-field cron at the start of `input`; undefined when neither is there.
 */
export function parseTimePhrase(input: string): ParsedTime | undefined {
  const text = normalize(input)
  for (const p of dayPhrases) {
    const m = p.re.exec(text)
    if (!m) continue
    const day = p.build(m)
    if (!day) return undefined
    const after = text.slice(m[0].length).trimStart()
    const t = timeRe.exec(after)
    if (!t) return undefined
    let hour = Number(t[2])
    const minute = t[3] !== undefined ? Number(t[3]) : t[4] !== undefined ? Number(t[4]) : t[5] ? 30 : 0
    // 晚上12点 is midnight, which belongs to the next day: ask for 00:00 instead of guessing
    if (t[1] === '晚上' && hour === 12) return undefined
    if ((t[1] === '下午' || t[1] === '傍晚' || t[1] === '晚上') && hour < 12) hour += 12
    if (t[1] === '中午' && hour < 6) hour += 12
    if (hour > 23 || minute > 59) return undefined
    const hhmm = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`
    return {
      cron: `${minute} ${hour} ${day.dom} * ${day.dow}`,
      label: `${day.label} ${hhmm}`,
      rest: after.slice(t[0].length).trim(),
    }
  }
  const tokens = text.split(/\s+/)
  for (const n of [6, 5]) {
    if (tokens.length < n) continue
    const fields = tokens.slice(0, n)
    if (!fields.every((f) => /^[\w*/,?#-]+$/.test(f)) || !/\d|\*/.test(fields[0])) continue
    const cron = fields.join(' ')
    if (isValidCron(cron)) return { cron, label: cron, rest: tokens.slice(n).join(' ') }
  }
  return undefined
}

function normalize(s: string): string {
  return s
    .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
    .replace(/：/g, ':')
    .replace(/\u3000/g, ' ')
    .trim()
}

// ---------------------------------------------------------------------------------------------
// Next fire times, computed in the configured zone whatever the process TZ is. Field values come
// from node-cron's own parser; day matching follows node-cron's TimeMatcher (day-of-month AND
// day-of-week, L / LW / nW / L-n / d#n / dL tokens), so these are the instants node-cron fires at.

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

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number }

const formatters = new Map<string, Intl.DateTimeFormat>()
function partsIn(ms: number, timeZone: string): Parts {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const { type, value } of f.formatToParts(new Date(ms))) if (type !== 'literal') p[type] = Number(value)
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second }
}

function offsetMs(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000
}

/** Epoch ms of a local wall-clock time in the zone; undefined when it does not exist (DST gap). */
function localToEpoch(p: Parts, timeZone: string): number | undefined {
  const guess = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  const candidates = new Set([guess - offsetMs(guess, timeZone)])
  for (const c of [...candidates]) candidates.add(guess - offsetMs(c, timeZone))
  // the earliest instant that reads back as this wall-clock time (a repeated hour runs once)
  const valid = [...candidates].filter((c) => {
    const q = partsIn(c, timeZone)
    return q.year === p.year && q.month === p.month && q.day === p.day && q.hour === p.hour && q.minute === p.minute && q.second === p.second
  })
  return valid.length ? Math.min(...valid) : undefined
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
  const start = partsIn(base, timeZone)
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
            const ts = localToEpoch({ year, month, day, hour, minute, second }, timeZone)
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
