import type { Deps } from '../deps.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { zonedToEpoch } from '../clock.ts'
import type { Reflection } from '../store/reflection-store.ts'
import type { ExportContext } from './columns.ts'
import { writeCsv } from './csv.ts'
import { writeJsonl } from './jsonl.ts'
import { writeMarkdown } from './markdown.ts'
import { writeXlsx } from './xlsx.ts'
import { pointsTable, quizTable, type MsRange } from './quiz-tables.ts'
import { writeTable } from './table.ts'
import { withArchived } from '../reflections/archive.ts'
import { duesTable, meetingTable } from './org-life-tables.ts'

/** Export file formats. */
export const FORMATS = ['xlsx', 'csv', 'md', 'json'] as const
export type ExportFormat = (typeof FORMATS)[number]

/** Which reflections: dates are calendar days in the configured zone, both inclusive. */
export interface ReflectionQuery {
  since?: string
  until?: string
  assignmentId?: string
  /** Part of the member's name, or their exact id. */
  member?: string
  /** Words the text contains (case and width ignored). */
  text?: string
}

/** What to export: a query, a format and where to write. */
export interface ExportRequest extends ReflectionQuery {
  format: ExportFormat
  out: string
  members?: { id: string; name: string }[]
}

const writers = { xlsx: writeXlsx, csv: writeCsv, md: writeMarkdown, json: writeJsonl }

/** The day after a YYYY-MM-DD date. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** What `studybot export --what` exports: reflections (with every sheet in xlsx), quiz answers, or monthly points. */
export const WHATS = ['reflections', 'quiz', 'points'] as const
export type ExportWhat = (typeof WHATS)[number]

/** A query's days as epoch-ms bounds in the configured zone. */
function msRange(q: Pick<ReflectionQuery, 'since' | 'until'>, tz: string): MsRange {
  return {
    sinceMs: q.since ? zonedToEpoch(q.since, '00:00', tz) : undefined,
    untilMs: q.until ? zonedToEpoch(nextDay(q.until), '00:00', tz) : undefined,
  }
}

/** Write one group's quiz answers or monthly points to `req.out`; returns the row count. */
export async function exportQuizTable(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, what: 'quiz' | 'points', req: ExportRequest): Promise<number> {
  const range = msRange(req, deps.config.timezone)
  const table = what === 'quiz' ? await quizTable(deps, group, range) : await pointsTable(deps, group, range)
  return writeTable(req.format, req.out, table, `${table.name}：${groupName(group)}`)
}

/** Write one group's reflections to `req.out` (xlsx: with 答题情况 and 月度积分 sheets); returns how many reflections were written. */
export async function exportGroup(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, req: ExportRequest): Promise<number> {
  const all = await deps.stores.assignments.list(group.key)
  const assignments = new Map(all.filter((a) => !req.assignmentId || a.id === req.assignmentId).map((a) => [a.id, a]))
  const ctx: ExportContext = {
    groupName: groupName(group),
    assignments,
    range: [
      req.since || req.until ? `${req.since ?? '最早'} 至 ${req.until ?? '现在'}` : '全部',
      req.assignmentId ? `学习任务 ${assignments.get(req.assignmentId)?.title ?? req.assignmentId}` : '',
    ].filter(Boolean).join('，'),
    members: req.members,
    ...(req.format === 'xlsx' && !req.assignmentId && !req.member && !req.text
      ? { sheets: [await quizTable(deps, group, msRange(req, deps.config.timezone)), await pointsTable(deps, group, msRange(req, deps.config.timezone)), await meetingTable(deps, group, msRange(req, deps.config.timezone)), await duesTable(deps, group, msRange(req, deps.config.timezone))] }
      : {}),
  }
  return writers[req.format](req.out, matchingReflections(deps, group, req), ctx)
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase()

/** A group's reflections matching `q`, oldest first, one at a time (#导出, the CLI and the console). */
export async function* matchingReflections(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, q: ReflectionQuery): AsyncGenerator<Reflection> {
  const tz = deps.config.timezone
  const memberId = q.member?.trim()
  const member = memberId ? fold(memberId) : undefined
  const words = q.text?.trim() ? fold(q.text).split(/\s+/).filter(Boolean) : []
  const filter = { ...msRange(q, tz), assignmentId: q.assignmentId }
  // archived reflections (studybot archive) first, then those still in Redis
  const all = withArchived(deps.config, group.key, filter, deps.stores.reflections.all(group.key, {
    ...filter,
    // a page lives while its rows are written, long enough for V8 to promote it to the old
    // generation; smaller pages leave less garbage there (about 10 MB less peak RSS at 100,000)
    pageSize: 250,
  }))
  for await (const r of all) {
    if (member && r.memberId !== memberId && !fold(r.memberName).includes(member)) continue
    if (words.length) {
      const text = fold(r.text)
      if (!words.every((w) => text.includes(w))) continue
    }
    yield r
  }
}
