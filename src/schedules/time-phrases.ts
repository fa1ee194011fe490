import { validate as isValidCron } from 'node-cron'

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
