import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Logger } from '../log.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'
import { writeFailureOf, type WriteFailure } from '../util/write-failure.ts'

/** One journal line: a submission kept on local disk while Redis was unreachable. */
const journalEntrySchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  group: z.string().min(1),
  memberId: z.string().min(1),
  memberName: z.string(),
  text: z.string().min(1),
  submittedMs: z.number().int().nonnegative(),
  /** Known when the open assignment could be read; otherwise resolved by time at replay. */
  assignmentId: z.string().optional(),
})

/** A submission kept on local disk while Redis was unreachable. */
export type JournalEntry = z.infer<typeof journalEntrySchema>

/** Why an entry could not be journaled: the disk is full, the folder cannot be written, or another I/O error. */
export type JournalFailure = WriteFailure

/** Raised by append() when the entry is not safely on disk; nothing of it is left in the journal. */
export class JournalWriteError extends Error {
  constructor(readonly reason: JournalFailure, message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

const failureOf = (err: unknown): JournalFailure => writeFailureOf(err) ?? 'io'

// Appends and the replay's hand-over (rename) of one journal file never interleave in this process.
const byFile = createKeyedQueue()
const locked = <T>(file: string, fn: () => Promise<T>): Promise<T> => byFile.run(file, fn)

/** Write all of `data` at the end of the file; a write that stops short (a full disk) throws. */
async function writeAll(handle: fsp.FileHandle, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await handle.write(data, done, data.length - done)
    // a regular file only takes fewer bytes than asked when there is no room for more
    if (bytesWritten <= 0) throw Object.assign(new Error(`short write: ${done} of ${data.length} bytes`), { code: 'ENOSPC' })
    done += bytesWritten
  }
}

/** The local journal of reflections: one fsync'd JSON line per submission, replayed into Redis later. */
export type ReflectionJournal = ReturnType<typeof createReflectionJournal>

/** Build the journal in `dir` (config.dataDir/journal). */
export function createReflectionJournal(dir: string) {
  const file = path.join(dir, 'reflections.jsonl')
  const batches = async () => (await fsp.readdir(dir).catch(() => [] as string[]))
    .filter((f) => /^reflections\.replaying-\d+\.jsonl$/.test(f)).sort().map((f) => path.join(dir, f))

  return {
    file,
    /**
     * Append one entry; resolves only once every byte of it is written and flushed to disk.
     * Otherwise throws a JournalWriteError and leaves the journal as it was (no partial line).
     */
    async append(entry: JournalEntry): Promise<void> {
      await locked(file, async () => {
        let handle: fsp.FileHandle | undefined
        let size = 0
        try {
          await fsp.mkdir(dir, { recursive: true })
          handle = await fsp.open(file, 'a', 0o600)
          size = (await handle.stat()).size
          // the leading newline keeps this entry whole even after a line torn by a crash
          await writeAll(handle, Buffer.from(`\n${JSON.stringify(entry)}\n`))
          await handle.sync()
          // a new file's name must reach the disk too
          if (size === 0) await syncDir(dir)
        } catch (err) {
          // a partial line would be replayed as a torn one: cut it off again
          await handle?.truncate(size).catch(() => undefined)
          const reason = failureOf(err)
          throw new JournalWriteError(reason, `journal append failed (${reason}): ${(err as Error).message}`, { cause: err })
        } finally {
          await handle?.close().catch(() => undefined)
        }
      })
    },

    /** True when entries wait to be replayed. */
    hasPending(): boolean {
      try {
        return fs.readdirSync(dir).some((f) => f.startsWith('reflections.replaying-')
          || (f === 'reflections.jsonl' && fs.statSync(file).size > 0))
      } catch {
        return false
      }
    },

    /**
     * Apply every journaled entry, oldest first. A batch file is removed only once all its entries
     * applied; on failure it stays and is applied again later (entries are idempotent by id).
     * Lines that are not an entry (torn by a crash, or valid JSON of another shape) are set aside
     * in `reflections.unreadable` with an error log naming the file and line, and replay goes on.
     */
    async replay(apply: (entry: JournalEntry) => Promise<void>, log: Logger): Promise<number> {
      await locked(file, async () => {
        if (fs.existsSync(file) && fs.statSync(file).size > 0) {
          await fsp.rename(file, path.join(dir, `reflections.replaying-${String(Date.now()).padStart(15, '0')}.jsonl`))
        }
      })
      let applied = 0
      for (const batch of await batches()) {
        const lines = (await fsp.readFile(batch, 'utf8')).split('\n')
        const unreadable: string[] = []
        for (const [i, line] of lines.entries()) {
          if (!line.trim()) continue
          const entry = parseEntry(line)
          if (!entry.ok) {
            // kept aside for a human once the batch is done, so a failed attempt does not set it aside twice
            log.error({ file: batch, line: i + 1, problem: entry.problem }, 'unreadable journal line set aside')
            unreadable.push(line)
            continue
          }
          await apply(entry.value)
          applied++
        }
        if (unreadable.length) await fsp.appendFile(path.join(dir, 'reflections.unreadable'), `${unreadable.join('\n')}\n`)
        await fsp.rm(batch)
      }
      return applied
    },
  }
}

function parseEntry(line: string): { ok: true; value: JournalEntry } | { ok: false; problem: string } {
  let json: unknown
  try {
    json = JSON.parse(line)
  } catch (err) {
    return { ok: false, problem: `torn line: ${(err as Error).message}` }
  }
  const parsed = journalEntrySchema.safeParse(json)
  if (!parsed.success) return { ok: false, problem: `not an entry: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}` }
  return { ok: true, value: parsed.data }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
