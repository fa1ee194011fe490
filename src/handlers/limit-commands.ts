import type { Handler } from '../bot/context.ts'

const TOO_OFTEN = '命令发得有点频繁了，请稍等一分钟再发。'

/**
 * Every #command counts against `bot.commandsPerMemberPerMinute` (questions have their own
 * limit, ask.perMemberPerMinute). Past it the member is told once per minute, then the bot stays
 * silent: a flood of commands never becomes a flood of replies.
 */
export const limitCommands: Handler = async (ctx, next) => {
  if (!/^[#＃]/.test(ctx.text)) return next()
  const limits = ctx.deps.stores.askLimits
  let verdict: Awaited<ReturnType<typeof limits.takeCommand>> = 'ok'
  try {
    verdict = await limits.takeCommand(ctx.sender.id, ctx.deps.config.bot.commandsPerMemberPerMinute)
  } catch (err) {
    ctx.deps.log.warn({ err, memberId: ctx.sender.id }, 'command rate limit unavailable, allowing command')
  }
  if (verdict === 'ok') return next()
  if (verdict === 'notify') await ctx.reply(TOO_OFTEN)
  else ctx.deps.log.debug({ memberId: ctx.sender.id }, 'command over the rate limit ignored')
}
