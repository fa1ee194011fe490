import fs from 'node:fs/promises'
import path from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { checkZipExpansion, ExpansionLimitError, expansionReason } from './archive-limits.ts'

/** The file cannot be read as a sheet at all (wrong type, missing, too large, broken); the message is Chinese. */
export class SheetFileError extends Error {}

/** One spreadsheet row: its number as shown in Excel, and its cells as text. */
export interface SheetRow {
  row: number
  cells: string[]
}

const MAX_FILE_BYTES = 20 * 1024 * 1024

/**
 * Read the first non-empty sheet of an .xlsx, or a .csv (UTF-8 or GBK), as rows of text cells.
 * `label` names the file to the user (题库, 台账). Excel date cells come out as YYYY-MM-DD.
 */
export async function readSheetRows(file: string, label: string): Promise<SheetRow[]> {
  const ext = path.extname(file).toLowerCase()
  if (ext !== '.xlsx' && ext !== '.csv') throw new SheetFileError(`只支持 .xlsx 或 .csv ${label}文件（收到“${path.basename(file)}”）`)
  let stat
  try {
    stat = await fs.stat(file)
  } catch {
    throw new SheetFileError(`找不到文件：${file}`)
  }
  if (stat.size > MAX_FILE_BYTES) throw new SheetFileError(`文件过大（${Math.round(stat.size / 1048576)} MB），${label}文件不能超过 20 MB`)
  return ext === '.csv' ? csvRows(await fs.readFile(file)) : await xlsxRows(file)
}

async function xlsxRows(file: string): Promise<SheetRow[]> {
  // exceljs is large; it loads on the first sheet read
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  try {
    const bytes = await fs.readFile(file)
    // exceljs holds every part in memory: a zip bomb must not reach it
    await checkZipExpansion(bytes)
    await book.xlsx.load(bytes as never)
  } catch (err) {
    if (err instanceof ExpansionLimitError) throw new SheetFileError(`无法读取这个 .xlsx 文件：${expansionReason(err)}`)
    throw new SheetFileError('无法读取这个 .xlsx 文件（是否已损坏，或其实是 .xls 旧格式？请在 Excel 中另存为 .xlsx）')
  }
  const sheet = book.worksheets.find((ws) => ws.rowCount > 0)
  if (!sheet) throw new SheetFileError('文件里没有任何数据')
  const rows: SheetRow[] = []
  sheet.eachRow({ includeEmpty: false }, (r) => {
    const cells: string[] = []
    for (let c = 1; c <= r.cellCount; c++) {
      const cell = r.getCell(c)
      // exceljs reads date cells as UTC midnight; its .text would be Date#toString() in the process zone
      cells.push(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : cell.text ?? '')
    }
    rows.push({ row: r.number, cells })
  })
  return rows
}

function csvRows(bytes: Buffer): SheetRow[] {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Excel on Chinese Windows saves CSV in GBK
    text = new TextDecoder('gb18030').decode(bytes)
  }
  let records: string[][]
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: false })
  } catch (err) {
    const line = (err as { lines?: number }).lines
    throw new SheetFileError(`CSV 格式有误${line ? `（约第 ${line} 行，可能是引号没有配对）` : ''}`)
  }
  return records.map((cells, i) => ({ row: i + 1, cells }))
}
