import type { Handler } from '../bot/context.ts'
import { remindMissing } from '../participation/participation.ts'
import { command } from './command.ts'

/** `#提醒` (secretaries): @-mention everyone who has not submitted to the open assignment. */
export const remindMissingMembers: Handler = command({ name: '提醒', action: 'remind', example: '#提醒 1' }, async (ctx, { group }) => {
  const result = await remindMissing(ctx.deps, ctx.messenger, group)
  if (result.status === 'no-assignment') return ctx.reply('当前没有进行中的学习任务，无需提醒。')
  const { missing, members } = result.participation
  if (result.status === 'all-submitted') return ctx.reply(`全部 ${members.length} 人都已提交，无需提醒。`)
  // in the group the reminder itself is the answer; privately, say what was done
  if (ctx.isPrivate) await ctx.reply(`已在群里提醒 ${missing.length} 位尚未提交的同志。`)
})
