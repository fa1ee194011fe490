import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../log.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'

/** A submission kept on local disk while Redis was unreachable. */
export interface JournalEntry {
  v: 1
  id: string
  group: string
  memberId: string
  memberName: string
  text: string
  submittedMs: number
  /** Known when the open assignment could be read; otherwise resolved by time at replay. */
  assignmentId?: string
}

// Appends and the replay's hand-over (rename) of one journal file never interleave in this process.
const byFile = createKeyedQueue()
const locked = <T>(file: string, fn: () => Promise<T>): Promise<T> => byFile.run(file, fn)

/** The local journal of reflections: one fsync'd JSON line per submission, replayed into Redis later. */
export type ReflectionJournal = ReturnType<typeof createReflectionJournal>

/** Build the journal in `dir` (config.dataDir/journal). */
export function createReflectionJournal(dir: string) {
  const file = path.join(dir, 'reflections.jsonl')
  const batches = async () => (await fsp.readdir(dir).catch(() => [] as string[]))
    .filter((f) => /^reflections\.replaying-\d+\.jsonl$/.test(f)).sort().map((f) => path.join(dir, f))

  return {
    file,
    /** Append one entry and flush it to disk before resolving. */
    async append(entry: JournalEntry): Promise<void> {
      await locked(file, async () => {
        await fsp.mkdir(dir, { recursive: true })
        const handle = await fsp.open(file, 'a', 0o600)
        try {
          // the leading newline keeps this entry whole even after a line torn by a crash
          await handle.write(`\n${JSON.stringify(entry)}\n`)
          await handle.sync()
        } finally {
          await handle.close()
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
          let entry: JournalEntry
          try {
            entry = JSON.parse(line) as JournalEntry
          } catch (err) {
            // a torn line from a crash mid-write; kept aside for a human once the batch is done
            log.error({ err, batch, line: i + 1 }, 'unreadable journal line set aside')
            unreadable.push(line)
            continue
          }
          await apply(entry)
          applied++
        }
        if (unreadable.length) await fsp.appendFile(path.join(dir, 'reflections.unreadable'), `${unreadable.join('\n')}\n`)
        await fsp.rm(batch)
      }
      return applied
    },
  }
}
