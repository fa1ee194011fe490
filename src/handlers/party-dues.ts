import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { formatInZone } from '../clock.ts'
import { attendeeOf } from '../org-life/meetings.ts'
import { duesStatusText } from '../org-life/dues.ts'
import { answerPrivately } from './answer-privately.ts'
import { command } from './command.ts'

/** `#已交党费`: a member confirms this month's dues; answered privately. */
export const confirmDues: Handler = command({ name: '已交党费', action: 'orgLife', example: '#已交党费 1' }, async (ctx, { group, args }) => {
  if (args.trim()) return ctx.replyPrivately('确认缴纳党费只需发送“#已交党费”，不用写金额或其他内容。')
  const { dues } = ctx.deps.stores
  const period = await dues.current(group.key)
  if (!period) return ctx.replyPrivately(`“${groupName(group)}”还没有发布党费缴纳通知，收到通知并缴纳后再发送“#已交党费”。`)
  const who = await attendeeOf(ctx.deps, group.key, ctx.sender)
  const first = await dues.confirm(group.key, period.id, { ...who, at: ctx.deps.clock.now() })
  if (first) return ctx.replyPrivately(`已记录：${who.name}已确认缴纳${period.label}党费。谢谢！`)
  const prior = (await dues.confirmations(group.key, period.id)).get(who.key)
  await ctx.replyPrivately(`${who.name}已于 ${formatInZone(prior?.at ?? ctx.deps.clock.now(), ctx.deps.config.timezone)} 确认过${period.label}党费，不用重复确认。`)
})

/** `#党费情况`: who has not confirmed this month's dues, privately to secretaries and organizers. */
export const showDues: Handler = command({ name: '党费情况', action: 'orgRecords', example: '#党费情况 1' }, async (ctx, { group }) => {
  const period = await ctx.deps.stores.dues.current(group.key)
  if (!period) return answerPrivately(ctx, `“${groupName(group)}”还没有发布党费缴纳通知（在配置中添加 kind: dues 的定时任务）。`)
  await answerPrivately(ctx, await duesStatusText(ctx.deps, ctx.messenger, group, period))
})
