import { setImmediate as yieldToIo } from 'node:timers/promises'
import ExcelJS from 'exceljs'
import type { Reflection } from '../store/reflection-store.ts'
import { EMPTY_MESSAGE, HEADERS, assignmentTitle, createParticipation, toRow, type ExportContext } from './columns.ts'

// Excel refuses cells longer than this
const MAX_CELL = 32767

/**
 * Write a workbook with a 心得 sheet (one row per reflection) and a 参与情况 sheet (member ×
 * assignment), streaming rows to disk so memory stays flat; returns the count.
 */
export async function writeXlsx(out: string, reflections: AsyncIterable<Reflection>, ctx: ExportContext): Promise<number> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: false, useSharedStrings: false })
  const sheet = book.addWorksheet('心得')
  sheet.addRow([...HEADERS]).commit()
  const participation = createParticipation(ctx)
  let count = 0
  for await (const r of reflections) {
    sheet.addRow(toRow(r, ctx).map((v) => (typeof v === 'string' && v.length > MAX_CELL ? v.slice(0, MAX_CELL) : v))).commit()
    participation.add(r)
    // let the zip and file streams drain, or compressed chunks pile up in memory
    if (++count % 500 === 0) await yieldToIo()
  }
  if (!count) sheet.addRow([EMPTY_MESSAGE]).commit()
  sheet.commit()

  const grid = book.addWorksheet('参与情况')
  const columns = participation.columns()
  grid.addRow(['成员', '成员ID', ...columns.map((id) => assignmentTitle(ctx, id)), '提交次数']).commit()
  for (const m of participation.rows()) {
    const cells = columns.map((id) => (m.done.has(id) ? '已提交' : ''))
    grid.addRow([m.name, m.id, ...cells, cells.filter(Boolean).length]).commit()
  }
  if (!participation.rows().length) grid.addRow([EMPTY_MESSAGE]).commit()
  grid.commit()
  await book.commit()
  return count
}
