import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { ReplyError } from 'ioredis'
import type { Deps } from '../deps.ts'
import type { Logger } from '../log.ts'
import { createAssignmentStore, type Assignment } from './assignment-store.ts'
import { createReflectionStore, type Reflection, type SubmitResult } from './reflection-store.ts'

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
const locks = new Map<string, Promise<unknown>>()
function locked<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const run = (locks.get(file) ?? Promise.resolve()).then(fn)
  locks.set(file, run.catch(() => undefined))
  return run
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

// Replies of a Redis that is up but cannot take writes now; the journal keeps the reflection.
const REFUSING_WRITES = /^(OOM|READONLY|MISCONF|LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN)\b/

/**
 * True for errors meaning Redis cannot store the reflection now (unreachable, timed out, or
 * refusing writes), as opposed to a bug or a command Redis rejected for good.
 */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof ReplyError) return REFUSING_WRITES.test((err as Error).message)
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError)
}

/** Where a submission ended up: in Redis (with the store's verdict), in the journal, or nowhere. */
export type SaveResult =
  | (SubmitResult & { assignment?: Assignment })
  | { status: 'journaled'; assignment?: Assignment }
  | { status: 'failed' }

/** Journal of a deployment, under config.dataDir. */
export function journalOf(deps: Pick<Deps, 'config'>): ReflectionJournal {
  return createReflectionJournal(path.join(deps.config.dataDir, 'journal'))
}

/**
 * Save a submission to Redis; if Redis is unreachable, to the local journal. `failed` only when
 * both are unavailable. The submission is attached to the group's open assignment.
 */
export async function saveReflection(
  deps: Deps,
  input: Omit<JournalEntry, 'v' | 'assignmentId'>,
): Promise<SaveResult> {
  const { config, redis, keys, clock, log } = deps
  const assignments = createAssignmentStore(redis, keys, clock)
  const store = createReflectionStore(redis, keys, clock, config.timezone)
  let assignment: Assignment | undefined
  let assignmentKnown = false
  try {
    assignment = await assignments.current(input.group)
    assignmentKnown = true
    const result = await store.submit({ ...input, assignmentId: assignment?.id })
    return { ...result, assignment }
  } catch (err) {
    if (!isUnreachable(err)) throw err
    log.warn({ err, group: input.group, reflectionId: input.id }, 'redis unreachable, journaling reflection')
  }
  try {
    const entry: JournalEntry = { v: 1, ...input, ...(assignmentKnown ? { assignmentId: assignment?.id ?? '' } : {}) }
    await journalOf(deps).append(entry)
    return { status: 'journaled', assignment }
  } catch (err) {
    log.error({ err, group: input.group, reflectionId: input.id }, 'reflection journal failed')
    return { status: 'failed' }
  }
}

/** Apply one journal entry to Redis (exactly once: submit is idempotent by id). */
export async function applyJournalEntry(deps: Deps, entry: JournalEntry): Promise<Reflection> {
  const { config, redis, keys, clock } = deps
  const assignmentId = entry.assignmentId
    ?? (await createAssignmentStore(redis, keys, clock).at(entry.group, entry.submittedMs))?.id
  const result = await createReflectionStore(redis, keys, clock, config.timezone).submit({ ...entry, assignmentId })
  deps.log.info({ group: entry.group, reflectionId: entry.id, result: result.status }, 'journaled reflection replayed')
  return result.reflection
}

/**
 * Replay the journal now, whenever the Redis client becomes ready again, and every `intervalMs`
 * while entries wait. Start it once Redis is connected; `stop()` waits for a replay in flight.
 */
export function startJournalReplay(deps: Deps, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const journal = journalOf(deps)
  let running: Promise<void> | undefined
  let stopped = false
  const kick = () => {
    if (stopped || running) return
    running = journal.replay((e) => applyJournalEntry(deps, e).then(() => undefined), deps.log)
      .then((n) => { if (n) deps.log.info({ replayed: n }, 'journal replayed') })
      .catch((err) => deps.log.warn({ err }, 'journal replay incomplete, will retry'))
      .finally(() => { running = undefined })
  }
  const onReady = () => kick()
  deps.redis.on('ready', onReady)
  const timer = setInterval(() => { if (journal.hasPending()) kick() }, opts.intervalMs ?? 5000)
  timer.unref()
  kick()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      deps.redis.off('ready', onReady)
      await running
    },
  }
}
