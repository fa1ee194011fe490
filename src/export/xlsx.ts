import fs from 'node:fs'
import { once } from 'node:events'
import type ExcelJS from 'exceljs'
import { setImmediate as yieldToIo } from 'node:timers/promises'
import type { Reflection } from '../store/reflection-store.ts'
import { addTableSheet } from './table.ts'
import { xmlRow } from './xml-text.ts'
import { EMPTY_MESSAGE, HEADERS, assignmentTitle, createParticipation, toRow, type ExportContext } from './columns.ts'

// Excel refuses cells longer than this
const MAX_CELL = 32767
// rows between checks of the zip's backlog; each check costs one event-loop turn at most
const ROWS_PER_CHECK = 200

/** What a write stream says about its backlog, in both Node's and the readable-stream package's streams. */
type Sink = NodeJS.EventEmitter & { writableNeedDrain?: boolean; _writableState?: { needDrain?: boolean } }

/**
 * Wait until the zip has taken what the sheet wrote so far. exceljs's StreamBuf writes into the
 * zip without backpressure (write() always returns true), so unless we wait here the uncompressed
 * sheet XML piles up in memory while deflate and the file catch up. Archiver wraps the sheet in
 * readable-stream's PassThrough, which predates `writableNeedDrain`, hence `_writableState`.
 */
async function zipCaughtUp(sheetStream: unknown): Promise<void> {
  const pipes = (sheetStream as { pipes?: Sink[] }).pipes
  if (!Array.isArray(pipes)) return yieldToIo()
  const full = (s: Sink) => s.writableNeedDrain ?? s._writableState?.needDrain ?? false
  for (const dest of pipes) while (full(dest)) await once(dest, 'drain')
}

/**
 * A streaming workbook on `out` whose write errors (a full disk) reject `guard()`ed steps at once:
 * exceljs only listens for them when it finalizes, so a failed write would otherwise leave the
 * export waiting for a drain that never comes.
 */
export async function openWorkbook(out: string): Promise<{ book: ExcelJS.stream.xlsx.WorkbookWriter; guard<T>(step: Promise<T>): Promise<T> }> {
  // exceljs is large; it loads on the first export
  const { default: ExcelJSModule } = await import('exceljs')
  const file = fs.createWriteStream(out)
  let failure: Error | undefined
  const failed = new Promise<never>((_, reject) => file.once('error', (err) => { failure = err; reject(err) }))
  failed.catch(() => undefined)
  const book = new ExcelJSModule.stream.xlsx.WorkbookWriter({ stream: file, useStyles: false, useSharedStrings: false })
  return {
    book,
    guard: (step) => {
      if (failure) return Promise.reject(failure)
      return Promise.race([step, failed])
    },
  }
}

/**
 * Write a workbook with a 心得 sheet (one row per reflection) and a 参与情况 sheet (member ×
 * assignment), streaming rows to disk so memory stays flat, then the context's other sheets;
 * returns the count of reflections.
 */
export async function writeXlsx(out: string, reflections: AsyncIterable<Reflection>, ctx: ExportContext): Promise<number> {
  const { book, guard } = await openWorkbook(out)
  const sheet = book.addWorksheet('心得')
  sheet.addRow([...HEADERS]).commit()
  const participation = createParticipation(ctx)
  let count = 0
  for await (const r of reflections) {
    sheet.addRow(xmlRow(toRow(r, ctx)).map((v) => (typeof v === 'string' && v.length > MAX_CELL ? v.slice(0, MAX_CELL) : v))).commit()
    participation.add(r)
    if (++count % ROWS_PER_CHECK === 0) await guard(zipCaughtUp((sheet as unknown as { stream: unknown }).stream))
  }
  if (!count) sheet.addRow([EMPTY_MESSAGE]).commit()
  sheet.commit()

  const grid = book.addWorksheet('参与情况')
  const columns = participation.columns()
  grid.addRow(xmlRow(['成员', '成员ID', ...columns.map((id) => assignmentTitle(ctx, id)), '提交次数'])).commit()
  const members = participation.rows()
  for (const m of members) {
    const cells = columns.map((id) => (m.done.has(id) ? '已提交' : ''))
    grid.addRow(xmlRow([m.name, m.id, ...cells, cells.filter(Boolean).length])).commit()
  }
  if (!members.length) grid.addRow([EMPTY_MESSAGE]).commit()
  grid.commit()
  for (const table of ctx.sheets ?? []) addTableSheet(book, table)
  await guard(book.commit())
  return count
}
