import type { Handler } from '../bot/context.ts'
import { refusal } from '../bot/roles.ts'
import { leaderboardText, myPointsText } from '../quiz/member-report.ts'
import { command } from './command.ts'

/**
 * `#积分榜`: the month's top 10, posted where it was asked. Secretaries only, unless
 * `quiz.publicLeaderboard: true`: members resent public rankings, so it is opt-in.
 */
export const showLeaderboard: Handler = command({ name: '积分榜', action: 'quiz', example: '#积分榜 1' }, async (ctx, { group }) => {
  if (!ctx.deps.config.quiz.publicLeaderboard && !ctx.may('setQuiz', group)) {
    return ctx.reply(`${refusal('setQuiz')}发送“#积分”可私下查看自己的积分和名次。`)
  }
  await ctx.reply(await leaderboardText(ctx.deps, group))
})

/** `#积分`: the sender's points this month and in total, with rank, privately. */
export const showMyPoints: Handler = command({ name: '积分', action: 'quiz', example: '#积分 1' }, async (ctx, { group }) => {
  await ctx.replyPrivately(await myPointsText(ctx.deps, group, ctx.sender.id))
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
})
