/**
 * Calendar dates of the member ledger (入党日期, 转正日期) as YYYY-MM-DD strings: parsing the
 * forms branches type, full years between two dates, and the day a date recurs in a year.
 */

/** YYYY-MM-DD if y-m-d is a real calendar date, else undefined. */
function isoDate(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

// Excel's day 0 is 1899-12-30 once its fictitious 1900-02-29 (serial 60) is behind
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)
/** Five-digit serials, 1927-05-18 (10000) to 2100-12-31 (73415): any 入党日期 a ledger holds today. */
const SERIAL_MIN = 10000
const SERIAL_MAX = 73415

/**
 * A ledger date as YYYY-MM-DD, or undefined if the text is not one: 2026-03-05, 2026/3/5,
 * 2026.3.5, 2026年3月5日, 20260305, ISO with a time (2026-03-05T00:00:00Z), or an Excel serial
 * (46086) as a date cell saved as a number reads.
 */
export function parseLedgerDate(text: string): string | undefined {
  const s = text.normalize('NFKC').trim().replace(/\s+/g, '')
  if (!s) return undefined
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s)
    ?? /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/.exec(s)
    ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s)
  if (ymd) return isoDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]))
  if (/^\d{5}(?:\.0+)?$/.test(s)) {
    const serial = Math.floor(Number(s))
    if (serial < SERIAL_MIN || serial > SERIAL_MAX) return undefined
    return new Date(EXCEL_EPOCH + serial * 86_400_000).toISOString().slice(0, 10)
  }
  return undefined
}

const parts = (date: string) => date.split('-').map(Number) as [number, number, number]

/** Is `year` a leap year (Gregorian)? */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/**
 * The day `date` is remembered in `year` (MM-DD kept): 29 February falls on 28 February in
 * years without one.
 */
export function anniversaryIn(date: string, year: number): string {
  const [, m, d] = parts(date)
  const day = m === 2 && d === 29 && !isLeapYear(year) ? 28 : d
  return isoDate(year, m, day)!
}

/**
 * Full years from `from` to `to` (both YYYY-MM-DD): 党龄 from 转正日期, years since 入党日期. A
 * 29 February date completes its year on 28 February in years without one.
 */
export function fullYears(from: string, to: string): number {
  const [fy] = parts(from)
  const [ty] = parts(to)
  const years = ty - fy
  return to >= anniversaryIn(from, ty) ? years : years - 1
}

/** Chinese form of a ledger date, e.g. 2026年3月5日. */
export function chineseDate(date: string): string {
  const [y, m, d] = parts(date)
  return `${y}年${m}月${d}日`
}
