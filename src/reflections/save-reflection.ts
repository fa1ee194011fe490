import { ReplyError } from 'ioredis'
import type { Deps } from '../deps.ts'
import type { Assignment } from '../store/assignment-store.ts'
import type { Reflection, SubmitResult } from '../store/reflection-store.ts'
import { findArchived } from './archive.ts'
import { JournalWriteError, type JournalEntry, type JournalFailure } from '../store/reflection-journal.ts'

// Replies of a Redis that is up but cannot take writes now (or not for this key: MOVED/ASK from a
// cluster node behind a single-node client); the journal keeps the reflection.
const REFUSING_WRITES = /^(OOM|READONLY|MISCONF|LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|MOVED|ASK)\b/

/**
 * True for errors meaning Redis cannot store the reflection now (unreachable, timed out, or
 * refusing writes), as opposed to a bug or a command Redis rejected for good.
 */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof ReplyError) return REFUSING_WRITES.test((err as Error).message)
  return !(err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError)
}

/** Where a submission ended up: in Redis (with the store's verdict), in the journal, or nowhere (and why). */
export type SaveResult =
  | (SubmitResult & { assignment?: Assignment })
  | { status: 'journaled'; assignment?: Assignment }
  | { status: 'failed'; reason: JournalFailure }

/**
 * Save a submission to Redis; if Redis is unreachable, to the local journal (`journaled` only once
 * it is flushed to disk). `failed` only when both are unavailable. The submission is attached to the group's open assignment.
 */
export async function saveReflection(
  deps: Pick<Deps, 'stores' | 'log'>,
  input: Omit<JournalEntry, 'v' | 'assignmentId'>,
): Promise<SaveResult> {
  const { stores, log } = deps
  let assignment: Assignment | undefined
  let assignmentKnown = false
  try {
    assignment = await stores.assignments.current(input.group)
    assignmentKnown = true
    const result = await stores.reflections.submit({ ...input, assignmentId: assignment?.id })
    return { ...result, assignment }
  } catch (err) {
    if (!isUnreachable(err)) throw err
    log.warn({ err, group: input.group, reflectionId: input.id }, 'redis unreachable, journaling reflection')
  }
  try {
    const entry: JournalEntry = { v: 1, ...input, ...(assignmentKnown ? { assignmentId: assignment?.id ?? '' } : {}) }
    await stores.journal.append(entry)
    return { status: 'journaled', assignment }
  } catch (err) {
    const reason = err instanceof JournalWriteError ? err.reason : 'io'
    log.error({ err, group: input.group, reflectionId: input.id, reason }, 'reflection journal failed')
    return { status: 'failed', reason }
  }
}

/**
 * Apply one journal entry to Redis, exactly once: submit is idempotent by id, and an entry whose
 * reflection was stored and then archived (`studybot archive`) before the replay is not stored again.
 */
export async function applyJournalEntry(deps: Pick<Deps, 'stores' | 'log' | 'config'>, entry: JournalEntry): Promise<Reflection> {
  const { stores, log } = deps
  const archived = await findArchived(deps.config, entry.group, entry.id, entry.submittedMs)
  if (archived) {
    log.info({ group: entry.group, reflectionId: entry.id }, 'journaled reflection already archived, not stored again')
    return archived
  }
  const assignmentId = entry.assignmentId ?? (await stores.assignments.at(entry.group, entry.submittedMs))?.id
  const result = await stores.reflections.submit({ ...entry, assignmentId })
  log.info({ group: entry.group, reflectionId: entry.id, result: result.status }, 'journaled reflection replayed')
  return result.reflection
}
