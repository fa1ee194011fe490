import { describe, expect, it } from 'vitest'
import { anniversaryIn, chineseDate, fullYears, parseLedgerDate } from '../../src/org-life/ledger-dates.ts'

describe('parseLedgerDate', () => {
  it('reads the forms branches type into one calendar date', () => {
    for (const text of ['2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日', '2026年03月05日', '２０２６／３／５', '20260305', '2026-03-05T00:00:00.000Z', ' 2026 - 3 - 5 ']) {
      expect(parseLedgerDate(text), text).toBe('2026-03-05')
    }
  })

  it('reads Excel serial dates (a date cell saved as a number), leap days included', () => {
    expect(parseLedgerDate('46086')).toBe('2026-03-05')
    expect(parseLedgerDate('45351')).toBe('2024-02-29')
    expect(parseLedgerDate('22463')).toBe('1961-07-01')
    expect(parseLedgerDate('46086.0')).toBe('2026-03-05')
  })

  it('refuses what is not a real date', () => {
    for (const text of ['', '2026-02-29', '2026/13/1', '2026年2月30日', '三月五日', '9999', '99999', '2026-3', '去年']) {
      expect(parseLedgerDate(text), text).toBeUndefined()
    }
  })
})

describe('党龄 and anniversaries', () => {
  it('counts full years: the anniversary itself completes one', () => {
    expect(fullYears('2016-07-01', '2026-06-30')).toBe(9)
    expect(fullYears('2016-07-01', '2026-07-01')).toBe(10)
    expect(fullYears('2025-03-05', '2026-03-05')).toBe(1)
    expect(fullYears('2026-03-05', '2026-03-05')).toBe(0)
  })

  it('remembers 29 February on 28 February in years without one', () => {
    expect(anniversaryIn('2020-02-29', 2026)).toBe('2026-02-28')
    expect(anniversaryIn('2020-02-29', 2028)).toBe('2028-02-29')
    expect(anniversaryIn('2019-03-01', 2028)).toBe('2028-03-01')
    expect(fullYears('2020-02-29', '2021-02-27')).toBe(0)
    expect(fullYears('2020-02-29', '2021-02-28')).toBe(1)
    expect(fullYears('2020-02-29', '2024-02-28')).toBe(3)
    expect(fullYears('2020-02-29', '2024-02-29')).toBe(4)
  })

  it('names a date in Chinese', () => {
    expect(chineseDate('2026-03-05')).toBe('2026年3月5日')
  })
})
