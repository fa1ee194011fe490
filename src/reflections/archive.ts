import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import type { Deps } from '../deps.ts'
import type { Config } from '../config.ts'
import { zonedToEpoch } from '../clock.ts'
import { matchesFilter, type Reflection, type ReflectionFilter } from '../store/reflection-store.ts'

/**
 * Reflections moved out of Redis live in `dataDir/archive/<group>/before-<date>-<ms>.jsonl.gz`: one
 * JSON line per reflection (as exported, plus `logId`, its entry in the group's log), gzip. A file
 * is written as `.partial`, read back and compared, renamed, and only then are its reflections
 * removed from Redis; while that runs a `.removing` marker sits beside it, so a crash leaves a
 * marker that the next `studybot archive` finishes and `studybot export` reads around.
 */
const ARCHIVE = /^before-\d{4}-\d{2}-\d{2}-\d+\.jsonl\.gz$/

/** What one group's archiving did. */
export interface ArchiveOutcome {
  group: string
  /** Reflections written to `file` and removed from Redis. */
  count: number
  file?: string
  /** Reflections of an interrupted earlier run whose removal this run finished. */
  resumed: number
}

/** Folder of a group's archives (the group key made safe as a file name). */
export function archiveDir(config: Pick<Config, 'dataDir'>, group: string): string {
  return path.join(config.dataDir, 'archive', group.replace(/[/\\:*?"<>|\x00-\x1f]/g, '_'))
}

/** A group's archive files, oldest first. */
function archiveFiles(config: Pick<Config, 'dataDir'>, group: string): string[] {
  const dir = archiveDir(config, group)
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir).filter((f) => ARCHIVE.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((f) => path.join(dir, f))
}

type Line = Reflection & { logId: string }

async function* readLines(file: string): AsyncGenerator<string> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })
  for await (const line of lines) if (line) yield line
}

/**
 * Move every reflection submitted before `beforeMs` out of Redis into one archive file per group
 * (`date` names it, YYYY-MM-DD). Memory stays flat: pages of the log are streamed to the file.
 */
export async function archiveReflections(deps: Pick<Deps, 'stores' | 'config' | 'log' | 'clock'>, groups: string[], beforeMs: number, date: string): Promise<ArchiveOutcome[]> {
  const out: ArchiveOutcome[] = []
  for (const group of groups) {
    const resumed = await finishRemovals(deps, group)
    const dir = archiveDir(deps.config, group)
    fs.mkdirSync(dir, { recursive: true })
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.partial')) fs.rmSync(path.join(dir, f)) // an earlier run's unverified file
    const file = path.join(dir, `before-${date}-${deps.clock.now()}.jsonl.gz`)
    const partial = `${file}.partial`
    const written = await writeArchive(deps, group, beforeMs, partial)
    if (!written.count) {
      fs.rmSync(partial)
      out.push({ group, count: 0, resumed })
      continue
    }
    const back = await digestOf(partial)
    if (back.count !== written.count || back.sha256 !== written.sha256) {
      fs.rmSync(partial)
      throw new Error(`archive of ${group} did not read back as written (${back.count} of ${written.count} lines); nothing was removed`)
    }
    fs.renameSync(partial, file)
    await removeArchived(deps, group, file)
    deps.log.info({ group, file, count: written.count }, 'reflections archived')
    out.push({ group, count: written.count, file, resumed })
  }
  return out
}

/** Stream the group's reflections before `beforeMs` to a gzip file; the count and digest of its lines. */
async function writeArchive(deps: Pick<Deps, 'stores'>, group: string, beforeMs: number, file: string): Promise<{ count: number; sha256: string }> {
  const gzip = createGzip()
  const done = pipeline(gzip, fs.createWriteStream(file, { flags: 'wx' }))
  const hash = createHash('sha256')
  let count = 0
  try {
    for await (const page of deps.stores.reflections.logPages(group, 500)) {
      for (const { logId, reflection } of page) {
        if (reflection.submittedMs >= beforeMs) continue
        const line = `${JSON.stringify({ ...reflection, logId })}\n`
        hash.update(line)
        count++
        if (!gzip.write(line)) await once(gzip, 'drain')
      }
    }
  } finally {
    gzip.end()
    await done
  }
  return { count, sha256: hash.digest('hex') }
}

/** Read an archive back: how many lines, their digest; every line must be a reflection. */
async function digestOf(file: string): Promise<{ count: number; sha256: string }> {
  const hash = createHash('sha256')
  let count = 0
  for await (const line of readLines(file)) {
    const r = JSON.parse(line) as Line
    if (typeof r.id !== 'string' || typeof r.logId !== 'string' || typeof r.text !== 'string') throw new Error(`archive ${file}: line ${count + 1} is not a reflection`)
    hash.update(`${line}\n`)
    count++
  }
  return { count, sha256: hash.digest('hex') }
}

/** Remove a verified archive's reflections from Redis, marked so an interruption is finished later. */
async function removeArchived(deps: Pick<Deps, 'stores'>, group: string, file: string): Promise<number> {
  const marker = `${file}.removing`
  fs.writeFileSync(marker, '')
  let count = 0
  let batch: { logId: string; id: string; memberId: string }[] = []
  for await (const line of readLines(file)) {
    const r = JSON.parse(line) as Line
    batch.push({ logId: r.logId, id: r.id, memberId: r.memberId })
    count++
    if (batch.length === 500) {
      await deps.stores.reflections.remove(group, batch)
      batch = []
    }
  }
  await deps.stores.reflections.remove(group, batch)
  fs.rmSync(marker)
  return count
}

/** Finish removals an earlier run was interrupted in (the archives themselves were verified). */
async function finishRemovals(deps: Pick<Deps, 'stores' | 'config'>, group: string): Promise<number> {
  let n = 0
  for (const file of archiveFiles(deps.config, group)) {
    if (fs.existsSync(`${file}.removing`)) n += await removeArchived(deps, group, file)
  }
  return n
}

/**
 * Reflection `id` of `group` as archived, if an archive holds it: only archives cut off after
 * `submittedMs` can (a rare read: a journaled reflection older than the newest archive). The
 * journal's replay asks, so a reflection archived meanwhile is not stored in Redis a second time.
 */
export async function findArchived(config: Pick<Config, 'dataDir' | 'timezone'>, group: string, id: string, submittedMs: number): Promise<Reflection | undefined> {
  const head = `{"id":${JSON.stringify(id)},`
  for (const file of archiveFiles(config, group)) {
    const date = /^before-(\d{4}-\d{2}-\d{2})-/.exec(path.basename(file))![1]!
    if (zonedToEpoch(date, '00:00', config.timezone) <= submittedMs) continue
    for await (const line of readLines(file)) {
      if (!line.startsWith(head)) continue
      const { logId: _, ...r } = JSON.parse(line) as Line
      return r
    }
  }
  return undefined
}

/**
 * A group's archived reflections matching `filter`, oldest archive first, then `live` (the ones
 * still in Redis): what `studybot export` and `#导出` read. A reflection both archived and still
 * in Redis (an interrupted removal) is given once.
 */
export async function* withArchived(config: Pick<Config, 'dataDir'>, group: string, filter: Omit<ReflectionFilter, 'pageSize'>, live: AsyncIterable<Reflection>): AsyncGenerator<Reflection> {
  const interrupted = new Set<string>()
  for (const file of archiveFiles(config, group)) {
    const removing = fs.existsSync(`${file}.removing`)
    for await (const line of readLines(file)) {
      const { logId: _, ...r } = JSON.parse(line) as Line
      if (removing) interrupted.add(r.id)
      if (matchesFilter(r, filter)) yield r
    }
  }
  for await (const r of live) if (!interrupted.has(r.id)) yield r
}
