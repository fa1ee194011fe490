const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }

/** Value of a Chinese numeral up to 9999 (二十七 → 27, 一百零五 → 105, 二〇三五 → 2035); undefined if not one. */
export function chineseToNumber(s: string): number | undefined {
  if (!s || !/^[零〇一二两三四五六七八九十百千]+$/.test(s)) return undefined
  // digits written one by one, as in a year (二〇三五, 一九四九 → 2035, 1949); not 一两 (one or two) or 三五 (three to five)
  if (/^[〇零一二三四五六七八九]+$/.test(s) && (s.length >= 3 || /[〇零]/.test(s))) return Number([...s].map((c) => DIGITS[c]).join(''))
  let total = 0
  let digit = 0
  for (const c of s) {
    if (c in DIGITS) digit = DIGITS[c]!
    else {
      const unit = c === '十' ? 10 : c === '百' ? 100 : 1000
      total += (digit || 1) * unit
      digit = 0
    }
  }
  return total + digit
}

// Numerals before a counter word: 第七条, 三人, 两年, 十八岁. Only these are rewritten, so
// words such as 统一 or 一切 keep their characters.
const COUNTED = /(第?)([零〇一二两三四五六七八九十百千]+)(?=条|章|节|款|项|编|人|名|年|次|个月|月|天|日|周岁|岁|届|种|位)/g

/** Rewrite counted Chinese numerals as digits so 第七条 and 第7条 match (index and query alike). */
export function digitizeCounts(s: string): string {
  return s.replace(COUNTED, (m, prefix: string, num: string) => {
    const n = chineseToNumber(num)
    return n === undefined ? m : `${prefix}${n}`
  })
}
