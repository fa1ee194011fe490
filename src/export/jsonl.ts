import fs from 'node:fs'
import { once } from 'node:events'
import type { Reflection } from '../store/reflection-store.ts'
import { assignmentTitle, type ExportContext } from './columns.ts'

/** Write one JSON object per reflection and line (an empty group gives an empty file); returns the count. */
export async function writeJsonl(out: string, reflections: AsyncIterable<Reflection>, ctx: ExportContext): Promise<number> {
  const stream = fs.createWriteStream(out)
  let count = 0
  try {
    for await (const r of reflections) {
      const line = JSON.stringify({ ...r, groupName: ctx.groupName, assignmentTitle: r.assignmentId ? assignmentTitle(ctx, r.assignmentId) : '' })
      if (!stream.write(`${line}\n`)) await once(stream, 'drain')
      count++
    }
  } finally {
    stream.end()
    await once(stream, 'close')
  }
  return count
}
