import fs from 'node:fs'
import { once } from 'node:events'
import type { Reflection } from '../store/reflection-store.ts'
import { EMPTY_MESSAGE, HEADERS, toRow, type ExportContext } from './columns.ts'

/** One CSV field: RFC 4180 quoting, and a leading ' on anything a spreadsheet would run as a formula. */
export function csvField(value: string | number): string {
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Write reflections as CSV (UTF-8 with BOM so Excel shows Chinese, CRLF line ends); returns the count. */
export async function writeCsv(out: string, reflections: AsyncIterable<Reflection>, ctx: ExportContext): Promise<number> {
  const stream = fs.createWriteStream(out)
  // a write error (a full disk) may come between two writes: 'error' was then emitted already and
  // a 'drain' never comes, so the next write throws it instead of waiting
  const write = async (line: string) => {
    if (stream.errored) throw stream.errored
    if (!stream.write(line)) await once(stream, 'drain')
  }
  stream.on('error', () => { /* thrown by the next write or by once(); without a listener it would be unhandled */ })
  let count = 0
  try {
    await write(`\uFEFF${HEADERS.map(csvField).join(',')}\r\n`)
    for await (const r of reflections) {
      await write(`${toRow(r, ctx).map(csvField).join(',')}\r\n`)
      count++
    }
    if (!count) await write(`${csvField(EMPTY_MESSAGE)}\r\n`)
  } finally {
    // after a write error (a full disk) the stream is already closed: waiting would never end
    if (!stream.closed) {
      stream.end()
      await once(stream, 'close')
    }
  }
  return count
}
