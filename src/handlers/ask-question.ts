import type { Handler } from '../bot/context.ts'
import { answerMember } from '../taught/ask.ts'

/**
 * A question: an @-mention in a group or any private message that is not a command. Answered
 * only from the study materials, with citations, or an honest "not in the materials".
 */
export const askQuestion: Handler = async (ctx, next) => {
  if (!ctx.mentioned || /^[#＃]/.test(ctx.text)) return next()
  const question = ctx.text.trim()
  if (!question || !/[\p{L}\p{N}]/u.test(question)) {
    const name = ctx.deps.config.bot.name
    await ctx.reply(ctx.isPrivate
      ? '请直接发送你的问题，例如：预备党员的预备期是多久？发送 #帮助 查看全部功能。'
      : `请在 @${name} 后面写上你的问题，例如：@${name} 预备党员的预备期是多久？`)
    return
  }
  const group = ctx.room ?? (ctx.senderGroups.length === 1 ? ctx.senderGroups[0] : undefined)
  const result = await answerMember(ctx.deps, {
    question, group, memberId: ctx.sender.id, messageId: ctx.messageId, memberName: ctx.sender.name,
    logGroup: ctx.room ?? ctx.senderGroups[0],
  })
  // past the rate limit a member is told once per window, then the bot stays silent
  if ('limited' in result) {
    if (!result.silent) await ctx.reply(result.limited)
    return
  }
  await ctx.reply(result.text)
}
