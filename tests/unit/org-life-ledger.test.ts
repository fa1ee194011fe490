import { describe, expect, it } from 'vitest'
import { LedgerFileError, parseLedgerRows } from '../../src/org-life/ledger-file.ts'
import { ledgerMemberOf, matchLedger } from '../../src/org-life/ledger.ts'
import type { SheetRow } from '../../src/util/sheet-rows.ts'

const header = ['姓名', '微信ID', '入党日期', '转正日期', '党小组']
const rows = (...data: string[][]): SheetRow[] => [header, ...data].map((cells, i) => ({ row: i + 1, cells }))
const today = '2026-03-05'

describe('parseLedgerRows', () => {
  it('reads members with every date form and optional columns', () => {
    const { members, errors } = parseLedgerRows(rows(
      ['张三', 'wx_zhang', '2016/3/5', '2017年3月5日', '第一党小组'],
      ['李四', '', '45351', '', ''],
      ['王五', '', '2010-07-01T00:00:00Z', '2011-07-01', '第二党小组'],
    ), today)
    expect(errors).toEqual([])
    expect(members).toEqual([
      { key: 'wx_zhang', name: '张三', platformId: 'wx_zhang', joined: '2016-03-05', confirmed: '2017-03-05', cell: '第一党小组', row: 2 },
      { key: '李四', name: '李四', joined: '2024-02-29', row: 3 },
      { key: '王五', name: '王五', joined: '2010-07-01', confirmed: '2011-07-01', cell: '第二党小组', row: 4 },
    ])
  })

  it('reports every bad row with its number and reason, and returns no member', () => {
    const { members, errors } = parseLedgerRows(rows(
      ['张三', '', '2016/3/5', '', ''],
      ['', '', '2016/3/5', '', ''],
      ['李四', '', '2016/2/30', '', ''],
      ['王五', '', '', '', ''],
      ['张三', '', '2018-01-01', '', ''],
      ['赵六', '', '2020-01-01', '2019-01-01', ''],
      ['钱七', '', '2027-01-01', '', ''],
      ['刘八', 'wx1', '2020-01-01', '', ''],
      ['刘九', 'wx1', '2020-01-01', '', ''],
    ), today)
    expect(members).toEqual([])
    expect(errors).toEqual([
      { row: 3, message: '缺少姓名' },
      { row: 4, message: expect.stringContaining('入党日期“2016/2/30”应为日期') },
      { row: 5, message: '缺少入党日期' },
      { row: 6, message: expect.stringContaining('姓名“张三”与第 2 行重复') },
      { row: 7, message: '转正日期 2019-01-01 早于入党日期 2020-01-01' },
      { row: 8, message: '入党日期 2027-01-01 晚于今天' },
      { row: 10, message: 'ID“wx1”与第 9 行重复' },
    ])
  })

  it('lets two members share a name when both rows give an ID', () => {
    const { members, errors } = parseLedgerRows(rows(['张伟', 'wx_a', '2016-01-01', '', ''], ['张伟', 'wx_b', '2018-01-01', '', '']), today)
    expect(errors).toEqual([])
    expect(members.map((m) => m.key)).toEqual(['wx_a', 'wx_b'])
  })

  it('needs a header with 姓名 and 入党日期', () => {
    expect(() => parseLedgerRows([{ row: 1, cells: ['张三', '2016-01-01'] }], today)).toThrow(LedgerFileError)
    expect(() => parseLedgerRows([{ row: 1, cells: ['姓名', '党小组'] }, { row: 2, cells: ['张三', '一组'] }], today)).toThrow(/入党日期/)
  })
})

describe('matchLedger', () => {
  const ledger = parseLedgerRows(rows(
    ['张三', 'wx_zhang', '2016-03-05', '', ''],
    ['李四', '', '2016-03-05', '', ''],
    ['王五', '', '2016-03-05', '', ''],
    ['赵六', 'wx_zhao', '2016-03-05', '', ''],
  ), today).members

  it('matches by ID first, then by a unique name, and reports the others', () => {
    const chat = [
      { id: 'wx_zhang', name: '三哥' },      // renamed in the chat: the ID still finds him
      { id: 'u2', name: '李四' },
      { id: 'u3', name: '王五' }, { id: 'u4', name: '王五' },  // two 王五 in the chat: neither is guessed
    ]
    const m = matchLedger(ledger, chat)
    expect(m.matched.map((x) => [x.member.name, x.contact.id, x.by])).toEqual([['张三', 'wx_zhang', 'id'], ['李四', 'u2', 'name']])
    expect(m.unmatched.map((x) => x.name)).toEqual(['王五', '赵六'])
  })

  it('finds the ledger member a sender is', () => {
    expect(ledgerMemberOf(ledger, { id: 'wx_zhang', name: '三哥' })?.name).toBe('张三')
    expect(ledgerMemberOf(ledger, { id: 'u2', name: '李四' })?.name).toBe('李四')
    expect(ledgerMemberOf(ledger, { id: 'u9', name: '路人' })).toBeUndefined()
  })
})
