import type { Table } from './quiz-tables.ts'
import type { Assignment } from '../store/assignment-store.ts'
import type { Reflection, ReflectionStatus } from '../store/reflection-store.ts'

/** What every writer needs besides the reflections themselves. */
export interface ExportContext {
  /** The group's display name (topic or key). */
  groupName: string
  /** The group's assignments by id, for titles and the participation sheet's columns. */
  assignments: Map<string, Assignment>
  /** Human description of the range, e.g. 2026-11-01 至 2026-11-30. */
  range: string
  /** Room members to list in participation even without any reflection. */
  members?: { id: string; name: string }[]
  /** More sheets of the xlsx after 心得 and 参与情况 (答题情况, 月度积分). */
  sheets?: Table[]
}

/** Column headers of the reflection table (CSV, XLSX), in order. */
export const HEADERS = ['提交时间', '群', '成员', '成员ID', '学习任务', '任务ID', '字数', '状态', '修改时间', '撤回时间', '内容', '心得ID'] as const

/** Written in place of rows when nothing matched. */
export const EMPTY_MESSAGE = '（该群在所选范围内没有心得）'

const statusLabels: Record<ReflectionStatus, string> = { submitted: '已提交', edited: '已修改', withdrawn: '已撤回' }

/** Chinese label of a status. */
export function statusLabel(s: ReflectionStatus): string {
  return statusLabels[s] ?? s
}

/** Title of a reflection's assignment, or （无） when it had none. */
export function assignmentTitle(ctx: ExportContext, id: string): string {
  if (!id) return '（无）'
  return ctx.assignments.get(id)?.title ?? id
}

/** One reflection as table cells, in HEADERS order. */
export function toRow(r: Reflection, ctx: ExportContext): (string | number)[] {
  return [
    r.submittedAt, ctx.groupName, r.memberName, r.memberId, assignmentTitle(ctx, r.assignmentId), r.assignmentId,
    r.chars, statusLabel(r.status), r.editedAt ?? '', r.withdrawnAt ?? '', r.text, r.id,
  ]
}

/** Who submitted to which assignment (withdrawn reflections do not count), gathered while streaming. */
export function createParticipation(ctx: ExportContext) {
  const members = new Map<string, { name: string; done: Set<string> }>()
  for (const m of ctx.members ?? []) members.set(m.id, { name: m.name, done: new Set() })
  let noAssignment = false
  return {
    add(r: Reflection) {
      let m = members.get(r.memberId)
      if (!m) members.set(r.memberId, m = { name: r.memberName, done: new Set() })
      if (r.status === 'withdrawn') return
      if (!r.assignmentId) noAssignment = true
      m.done.add(r.assignmentId)
    },
    /** Column ids: the context's assignments (oldest first), then '' if some reflections had none. */
    columns(): string[] {
      return [...[...ctx.assignments.values()].sort((a, b) => a.openedAt - b.openedAt).map((a) => a.id), ...(noAssignment ? [''] : [])]
    },
    rows() {
      return [...members.entries()].map(([id, m]) => ({ id, name: m.name, done: m.done }))
    },
  }
}
