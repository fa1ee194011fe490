import { chineseToNumber } from '../materials/numbers.ts'

const NUMERAL = '[零〇一二两三四五六七八九十百千]'
const DIGIT_BY_DIGIT: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' }
// 百分之五点二 → 5.2%; 五点五 → 5.5
const PERCENT = new RegExp(`百分之(${NUMERAL}+|[0-9.]+)`, 'g')
const DECIMAL = new RegExp(`(${NUMERAL}+)点(${NUMERAL}+)`, 'g')
const RUN = new RegExp(`${NUMERAL}+`, 'g')
// Everything that is not a letter, a digit, a Han character, % or a decimal point is noise in an answer.
const NOISE = /[^\p{L}\p{N}%.]/gu

/**
 * The form two answers are compared in: full width folded to half width, case, spaces and
 * punctuation dropped, Chinese numerals as digits (第七条 = 第7条, 一年 = 1年, 百分之五点二 = 5.2%).
 * Both sides of a comparison go through this, so rewriting numerals inside words (统一 → 统1) is harmless.
 */
export function answerForm(text: string): string {
  let s = text.normalize('NFKC').toLowerCase()
  s = s.replace(DECIMAL, (_m, a: string, b: string) => `${numeralValue(a)}.${digitByDigit(b)}`)
  s = s.replace(PERCENT, (_m, n: string) => `${numeralValue(n)}%`)
  s = s.replace(RUN, (run) => numeralValue(run))
  return s.replace(NOISE, '').replace(/\.(?![0-9])|(?<![0-9])\./g, '')
}

/** Digits of a Chinese numeral: 二十七 → 27, 二〇三五 → 2035 (read digit by digit when it has no 十百千). */
function numeralValue(run: string): string {
  if (/^[0-9.]+$/.test(run)) return run
  if (!/[十百千]/.test(run)) return digitByDigit(run)
  const n = chineseToNumber(run)
  return n === undefined ? run : String(n)
}

function digitByDigit(run: string): string {
  return [...run].map((c) => DIGIT_BY_DIGIT[c] ?? (c === '两' ? '2' : c)).join('')
}

/** The option letters a choice answer names (`B`, `选b`, `Ｂ.`, `A、C`), upper case and sorted; undefined if it names none. */
export function optionLetters(text: string, optionCount: number): string | undefined {
  const s = text.normalize('NFKC').trim().replace(/^(我?选(择)?|答案(是|为)?|答)[:：\s]*/, '')
  if (!/^[A-Za-z](?:[\s,，、.;；]*[A-Za-z])*[\s.。．)）]*$/.test(s)) return undefined
  const letters = [...new Set(s.toUpperCase().match(/[A-Z]/g) ?? [])].sort()
  const last = String.fromCharCode(64 + optionCount)
  return letters.every((l) => l <= last) ? letters.join('') : undefined
}

/** The letter of option `i` (0 → A). */
export const letterOf = (i: number): string => String.fromCharCode(65 + i)
