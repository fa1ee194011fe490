import type { Handler } from '../bot/context.ts'
import { awardCheckin } from '../quiz/points.ts'
import { command } from './command.ts'

/** `#打卡` (`#学习打卡`): today's study check-in, worth `quiz.points.checkin` points; off when that is 0. */
export const checkIn: Handler = command({ name: ['学习打卡', '打卡'], action: 'quiz', example: '#打卡 1' }, async (ctx, { group }) => {
  if (!ctx.deps.config.quiz.points.checkin) return ctx.reply('本群没有开启学习打卡。')
  const first = await awardCheckin(ctx.deps, group.key, ctx.sender)
  await ctx.reply(first ? `${ctx.sender.name}今天已打卡，学习积分已记上（发送“#积分”查看）。` : `${ctx.sender.name}今天已经打过卡了，明天再来。`)
})
