import { readSheetRows, SheetFileError, type SheetRow } from '../util/sheet-rows.ts'
import { parseLedgerDate } from './ledger-dates.ts'
import type { LedgerMember } from './ledger.ts'

/** The file cannot be read as a ledger (wrong type, no header); nothing is imported. */
export class LedgerFileError extends Error {}

/** A row that cannot become a ledger member, with its row number as the spreadsheet shows it. */
export interface LedgerRowError {
  row: number
  message: string
}

/** What a ledger file holds: members if every row is good, else every bad row and no member. */
export interface ParsedLedger {
  members: LedgerMember[]
  errors: LedgerRowError[]
}

export const LEDGER_HEADER = '姓名、微信ID（可不填）、入党日期、转正日期、党小组'

const COLUMNS: Record<string, string[]> = {
  name: ['姓名', '党员姓名', '名字'],
  id: ['微信ID', '微信号', '企业微信ID', '企业微信账号', 'USERID', 'ID', '微信/企业微信ID', '账号'],
  joined: ['入党日期', '入党时间', '入党年月日'],
  confirmed: ['转正日期', '转正时间'],
  cell: ['党小组', '所在党小组', '小组'],
}

function columnsOf(header: readonly string[]): Record<string, number | undefined> {
  const names = header.map((h) => String(h ?? '').normalize('NFKC').replace(/[\s:：（）()]/g, '').replace(/可不填|选填/g, '').toUpperCase())
  const out: Record<string, number | undefined> = {}
  for (const [key, aliases] of Object.entries(COLUMNS)) {
    const at = names.findIndex((n) => aliases.some((a) => a.toUpperCase() === n))
    if (at >= 0) out[key] = at
  }
  return out
}

const DATE_HINT = '应为日期，如 2021-07-01、2021/7/1 或 2021年7月1日'

/**
 * Turn sheet rows (header within the first five rows) into ledger members, or report every bad
 * row: a missing name or 入党日期, a date that is not one or lies after `today`, 转正日期 before
 * 入党日期, a name used twice without IDs to tell the rows apart, an ID used twice.
 */
export function parseLedgerRows(rows: readonly SheetRow[], today: string): ParsedLedger {
  const headerAt = rows.slice(0, 5).findIndex((r) => columnsOf(r.cells).name !== undefined)
  if (headerAt < 0) throw new LedgerFileError(`找不到表头：前几行中应有一行列名，如 ${LEDGER_HEADER}`)
  const columns = columnsOf(rows[headerAt]!.cells)
  if (columns.joined === undefined) throw new LedgerFileError(`表头中没有“入党日期”列（表头应为 ${LEDGER_HEADER}）`)
  const members: LedgerMember[] = []
  const errors: LedgerRowError[] = []
  const names = new Map<string, { row: number; id?: string }[]>()
  const ids = new Map<string, number>()
  for (const r of rows.slice(headerAt + 1)) {
    if (r.cells.every((c) => !String(c ?? '').trim())) continue
    const cell = (key: string) => {
      const at = columns[key]
      return at === undefined ? '' : String(r.cells[at] ?? '').normalize('NFKC').trim()
    }
    const problems: string[] = []
    const name = cell('name').replace(/\s+/g, '')
    const id = cell('id') || undefined
    if (!name) problems.push('缺少姓名')
    const date = (key: 'joined' | 'confirmed', label: string, required: boolean) => {
      const text = cell(key)
      if (!text) {
        if (required) problems.push(`缺少${label}`)
        return undefined
      }
      const d = parseLedgerDate(text)
      if (!d) problems.push(`${label}“${text}”${DATE_HINT}`)
      else if (d > today) problems.push(`${label} ${d} 晚于今天`)
      return d
    }
    const joined = date('joined', '入党日期', true)
    const confirmed = date('confirmed', '转正日期', false)
    if (joined && confirmed && confirmed < joined) problems.push(`转正日期 ${confirmed} 早于入党日期 ${joined}`)
    if (id) {
      const seen = ids.get(id)
      if (seen !== undefined) problems.push(`ID“${id}”与第 ${seen} 行重复`)
      else ids.set(id, r.row)
    }
    if (name) {
      const same = names.get(name) ?? []
      const clash = same.find((s) => !s.id || !id)
      if (clash) problems.push(`姓名“${name}”与第 ${clash.row} 行重复（同名的党员请都填写微信/企业微信 ID 以便区分）`)
      same.push({ row: r.row, id })
      names.set(name, same)
    }
    for (const message of problems) errors.push({ row: r.row, message })
    if (!problems.length) {
      members.push({
        key: id ?? name, name, joined: joined!, row: r.row,
        ...(id ? { platformId: id } : {}), ...(confirmed ? { confirmed } : {}), ...(cell('cell') ? { cell: cell('cell') } : {}),
      })
    }
  }
  if (!errors.length && !members.length) errors.push({ row: rows[headerAt]!.row + 1, message: '表头下面没有党员' })
  return errors.length ? { members: [], errors } : { members, errors }
}

/** Read an .xlsx or .csv ledger; every bad row is reported, and then no member is returned. */
export async function readLedgerFile(file: string, today: string): Promise<ParsedLedger> {
  let rows: SheetRow[]
  try {
    rows = await readSheetRows(file, '台账')
  } catch (err) {
    if (err instanceof SheetFileError) throw new LedgerFileError(err.message)
    throw err
  }
  return parseLedgerRows(rows, today)
}

/** The errors of a ledger that was not imported, as the CLI and chat print them. */
export function ledgerErrorsText(file: string, errors: readonly LedgerRowError[]): string {
  return [
    `台账 ${file} 有 ${errors.length} 处问题，没有导入任何党员：`,
    ...errors.map((e) => `  第 ${e.row} 行：${e.message}`),
    '改正后重新导入即可。',
  ].join('\n')
}
