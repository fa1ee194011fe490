import type { Handler } from '../bot/context.ts'
import { myAnswersText } from '../quiz/member-report.ts'
import { command } from './command.ts'

/** `#我的答题`: the sender's answers and results in the latest quiz rounds, privately. */
export const listMyAnswers: Handler = command({ name: '我的答题', action: 'quiz', example: '#我的答题 1' }, async (ctx, { group }) => {
  await ctx.replyPrivately(await myAnswersText(ctx.deps, group, ctx.sender.id))
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
})
