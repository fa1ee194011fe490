import type { Ctx } from '../bot/context.ts'

/** Answer the sender privately (member data never goes to the group); in a group, say where the answer went. */
export async function answerPrivately(ctx: Ctx, text: string): Promise<void> {
  await ctx.replyPrivately(text)
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
}
