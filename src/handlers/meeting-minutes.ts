import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { formatInZone } from '../clock.ts'
import { answerPrivately } from './answer-privately.ts'
import { command } from './command.ts'

/** `#会议记录 内容`: a secretary attaches minutes to the group's latest meeting (shown in the export). */
export const recordMinutes: Handler = command({ name: '会议记录', action: 'orgRecords', example: '#会议记录 1 会议传达学习了……' }, async (ctx, { group, args }) => {
  const text = args.trim()
  if (!text) return answerPrivately(ctx, '请在命令后写上会议记录，例如：#会议记录 会议传达学习了党章第一章，讨论了本季度发展党员工作。')
  if (text.length > 5000) return answerPrivately(ctx, `会议记录最多 5000 字（现在 ${text.length} 字），请分条整理后再发。`)
  const { meetings } = ctx.deps.stores
  const now = ctx.deps.clock.now()
  const latest = (await meetings.list(group.key)).filter((m) => m.startsAt <= now).at(-1)
  if (!latest) return answerPrivately(ctx, `“${groupName(group)}”还没有开过会，会议开始后才能添加会议记录。`)
  await meetings.setMinutes(group.key, latest.id, text, ctx.sender.name)
  await answerPrivately(ctx, `已为 ${formatInZone(latest.startsAt, ctx.deps.config.timezone)} 的${latest.type}${latest.minutes ? '更新' : '保存'}会议记录（${text.length} 字），导出时可见。`)
})
