import fs from 'node:fs/promises'
import type ExcelJS from 'exceljs'
import { csvField } from './csv.ts'
import type { ExportFormat } from './export-group.ts'
import type { Table } from './quiz-tables.ts'
import { xmlRow } from './xml-text.ts'
import { openWorkbook } from './xlsx.ts'

/** Written in place of rows when a table is empty. */
const EMPTY = '（所选范围内没有记录）'

/** Add a table as a sheet of a streaming workbook (the reflections export's extra sheets). */
export function addTableSheet(book: ExcelJS.stream.xlsx.WorkbookWriter, table: Table): void {
  const sheet = book.addWorksheet(table.name)
  sheet.addRow(xmlRow(table.headers)).commit()
  for (const row of table.rows) sheet.addRow(xmlRow(row)).commit()
  if (!table.rows.length) sheet.addRow([EMPTY]).commit()
  sheet.commit()
}

/** Write one table in a format (`studybot export --what quiz|points`); returns the row count. */
export async function writeTable(format: ExportFormat, out: string, table: Table, title: string): Promise<number> {
  switch (format) {
    case 'xlsx': {
      const { book, guard } = await openWorkbook(out)
      addTableSheet(book, table)
      await guard(book.commit())
      break
    }
    case 'csv': {
      const lines = [table.headers, ...table.rows].map((r) => r.map(csvField).join(','))
      if (!table.rows.length) lines.push(csvField(EMPTY))
      await fs.writeFile(out, `\uFEFF${lines.join('\r\n')}\r\n`)
      break
    }
    case 'md': {
      const cell = (v: string | number) => String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
      const lines = [`# ${title}`, '', `| ${table.headers.join(' | ')} |`, `|${table.headers.map(() => ' --- ').join('|')}|`,
        ...table.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)]
      if (!table.rows.length) lines.push('', EMPTY)
      await fs.writeFile(out, `${lines.join('\n')}\n`)
      break
    }
    case 'json':
      await fs.writeFile(out, table.rows.map((r) => `${JSON.stringify(Object.fromEntries(table.headers.map((h, i) => [h, r[i] ?? ''])))}\n`).join(''))
      break
  }
  return table.rows.length
}
