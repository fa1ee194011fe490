import { commandArgs, type Handler } from '../bot/context.ts'
import { formatInZone } from '../clock.ts'
import { groupName } from '../config.ts'
import { statusLabel } from '../export/columns.ts'

// a private chat stays readable; older ones are in the organizers' export
const SHOWN = 20
const EXCERPT = 60

/** `#我的心得`: the sender's own reflections, answered privately. */
export const listMyReflections: Handler = async (ctx, next) => {
  if (commandArgs(ctx.text, '我的心得') === undefined) return next()
  const { config } = ctx.deps
  const { reflections: store, assignments } = ctx.deps.stores
  const groups = ctx.room ? [ctx.room] : ctx.senderGroups
  const sections: string[] = []
  let total = 0
  for (const group of groups) {
    const mine = await store.listMember(group.key, ctx.sender.id)
    if (!mine.length) continue
    total += mine.length
    const titles = new Map((await assignments.list(group.key)).map((a) => [a.id, a.title]))
    const lines = mine.slice(-SHOWN).reverse().map((r, i) => {
      const text = [...r.text.replace(/\s+/g, ' ')]
      const excerpt = text.length > EXCERPT ? `${text.slice(0, EXCERPT).join('')}……` : text.join('')
      const task = r.assignmentId ? `「${titles.get(r.assignmentId) ?? r.assignmentId}」` : '平时心得'
      return `${i + 1}. ${formatInZone(r.submittedMs, config.timezone)} ${task} ${r.chars} 字 ${statusLabel(r.status)}\n   ${excerpt}`
    })
    const more = mine.length > SHOWN ? `\n（仅显示最近 ${SHOWN} 篇，共 ${mine.length} 篇）` : ''
    sections.push(`【${groupName(group)}】\n${lines.join('\n')}${more}`)
  }
  await ctx.replyPrivately(total ? `你的心得（共 ${total} 篇）：\n\n${sections.join('\n\n')}` : '你还没有提交过心得。发送“#心得 内容”即可提交。')
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
}
