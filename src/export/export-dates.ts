const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Why a YYYY-MM-DD date names no real day (2026-02-31), in Chinese; undefined when it is one or not of that form. */
export function impossibleDate(value: string): string | undefined {
  const m = DATE.exec(value)
  if (!m) return undefined
  const [y, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12) return `没有 ${month} 月`
  const days = new Date(Date.UTC(y, month, 0)).getUTCDate()
  if (day < 1 || day > days) return `${y} 年 ${month} 月只有 ${days} 天`
  return undefined
}

/** True for a YYYY-MM-DD date that names a real day. */
export function isExportDate(value: string): boolean {
  return DATE.test(value) && impossibleDate(value) === undefined
}
