import type { Handler } from '../bot/context.ts'
import { formatInZone } from '../clock.ts'
import { groupName } from '../config.ts'
import { participation } from '../participation/participation.ts'
import { command, quoted } from './command.ts'

/** `#统计 [任务ID]`: submitted N of M for the open (or named) assignment, and who has not. */
export const showParticipation: Handler = command({ name: '统计', action: 'stats', example: '#统计 1 [任务ID]' }, async (ctx, { group, args: rest }) => {
  const { config, stores } = ctx.deps
  const assignmentId = rest.split(/\s+/)[0] || undefined
  const p = await participation(ctx.deps, ctx.messenger, group, assignmentId)
  if (!p) {
    const recent = (await stores.assignments.list(group.key)).slice(-5).reverse()
    const head = assignmentId ? `没有找到学习任务“${quoted(assignmentId)}”。` : '当前没有进行中的学习任务。'
    const list = recent.map((a) => `· ${a.id}  ${a.title}（${formatInZone(a.openedAt, config.timezone)}）`)
    return ctx.reply(list.length ? `${head}最近的学习任务：\n${list.join('\n')}\n发送“#统计 任务ID”查看。` : head)
  }
  const lines = [
    `${groupName(group)}｜学习任务「${p.assignment.title}」（${p.assignment.id}）`,
    `截止：${formatInZone(p.assignment.dueAt, config.timezone)}`,
    `已提交 ${p.submitted.length} / ${p.members.length} 人`,
  ]
  lines.push(p.missing.length ? `未提交（${p.missing.length} 人）：${p.missing.map((m) => m.name).join('、')}` : '全部已提交。')
  await ctx.reply(lines.join('\n'))
})
