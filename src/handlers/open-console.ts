import { commandArgs, type Handler } from '../bot/context.ts'
import { consoleRoles } from '../console/access.ts'

/** `#后台` (secretaries, organizers, in a private chat): a one-time login link for the web console. */
export const openConsole: Handler = async (ctx, next) => {
  if (commandArgs(ctx.text, '后台') === undefined) return next()
  const { config, stores } = ctx.deps
  if (!config.console.enabled) return ctx.reply('网页后台没有开启（配置项 console.enabled）。')
  const roles = consoleRoles(ctx.senderGroups, ctx.sender)
  if (!Object.keys(roles).length) return ctx.reply('抱歉，网页后台只对书记和组织委员开放。')
  // the console's server module (and Hono) loads on first use
  const { consoleUrl, loginLink } = await import('../console/server.ts')
  const token = await stores.consoleSessions.issueLink({ who: ctx.sender, roles, via: 'chat' })
  // a link said in a group could be opened by anyone there: it only ever goes privately
  await ctx.replyPrivately([
    '网页后台登录链接（10 分钟内有效，只能使用一次，请勿转发）：',
    loginLink(consoleUrl(config), token),
    '打开后点击“进入后台”，登录后 12 小时内有效。',
  ].join('\n'))
  if (!ctx.isPrivate) await ctx.reply('登录链接已私信发给你。')
}
