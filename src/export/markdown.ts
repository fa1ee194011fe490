import fs from 'node:fs/promises'
import type { Reflection } from '../store/reflection-store.ts'
import { EMPTY_MESSAGE, assignmentTitle, statusLabel, type ExportContext } from './columns.ts'

/**
 * Write a printable Markdown document grouped by assignment, then member. It is built in memory:
 * meant for reading and printing, not for the 100,000-row case (use XLSX or CSV there).
 */
export async function writeMarkdown(out: string, reflections: AsyncIterable<Reflection>, ctx: ExportContext): Promise<number> {
  const byAssignment = new Map<string, Map<string, Reflection[]>>()
  let count = 0
  for await (const r of reflections) {
    let members = byAssignment.get(r.assignmentId)
    if (!members) byAssignment.set(r.assignmentId, members = new Map())
    const list = members.get(r.memberId) ?? []
    list.push(r)
    members.set(r.memberId, list)
    count++
  }
  const lines = [`# 心得汇总：${ctx.groupName}`, '', `- 范围：${ctx.range}`, `- 共 ${count} 篇`, '']
  if (!count) lines.push(EMPTY_MESSAGE, '')
  const order = (id: string) => ctx.assignments.get(id)?.openedAt ?? Number.MAX_SAFE_INTEGER
  for (const [assignmentId, members] of [...byAssignment].sort((a, b) => order(a[0]) - order(b[0]))) {
    lines.push(`## 学习任务：${assignmentTitle(ctx, assignmentId)}${assignmentId ? `（${assignmentId}）` : ''}`, '')
    for (const list of members.values()) {
      lines.push(`### ${escapeInline(list[0].memberName)}`, '')
      for (const r of list) {
        const edited = r.editedAt ? `，修改于 ${short(r.editedAt)}` : ''
        lines.push(`**${short(r.submittedAt)} · ${r.chars} 字 · ${statusLabel(r.status)}${edited}**`, '')
        // quoted, so a member's text can never become a heading or a list of the document
        lines.push(...r.text.split(/\r?\n/).map((l) => `> ${l}`), '')
      }
    }
  }
  await fs.writeFile(out, lines.join('\n'))
  return count
}

function short(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ')
}

function escapeInline(s: string): string {
  return s.replace(/[\\`*_[\]#<>]/g, '\\$&')
}
