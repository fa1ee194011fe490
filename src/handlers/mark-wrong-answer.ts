import type { Handler } from '../bot/context.ts'

/** What a member says to tell the bot its last answer was wrong. */
const WRONG = /^(不对|不正确|答非所问|没答上|没有答上|答错了|回答不对|不是这个意思)[。！!？?，,\s]*$/
// a quoted reply in personal WeChat: 「学习助手：…」, a dashed line, then the member's own words
const QUOTE = /^「[\s\S]*」\s*\n\s*(?:-\s*){5,}\n/

/** What the member wrote, without a quoted message before it. */
function ownWords(text: string): string {
  return text.replace(QUOTE, '').trim()
}

/** A "不对" counts for the member's answer of the last half hour. */
export const MARK_WINDOW_MS = 30 * 60_000

/**
 * "不对", "答非所问", "没答上" after an answer: mark the member's last question in this group, so
 * `#未答问题` shows it to the secretaries (a refused one is listed there already).
 */
export const markWrongAnswer: Handler = async (ctx, next) => {
  if (!ctx.mentioned || !WRONG.test(ownWords(ctx.text))) return next()
  const group = ctx.room ?? ctx.senderGroups[0]
  if (!group) return next()
  const { stores, clock } = ctx.deps
  const last = await stores.questionLog.lastAsked(group.key, ctx.sender.id, clock.now() - MARK_WINDOW_MS)
  if (!last) return ctx.reply('没有找到我最近回答你的问题。可以把问题再发一次，我重新查找；也可以请教支部书记。')
  const shown = last.question.length > 30 ? `${last.question.slice(0, 30)}…` : last.question
  // a refusal is in the secretaries' list already
  if (!last.answered) return ctx.reply(`“${shown}”已记入未答问题，书记会补充答案。谢谢！`)
  await stores.answerMarks.mark(group.key, {
    messageId: last.messageId, memberId: ctx.sender.id, question: last.question, answer: last.answer, via: 'reply', comment: ownWords(ctx.text),
  })
  ctx.deps.log.info({ group: group.key, messageId: last.messageId }, 'answer marked wrong by a reply')
  await ctx.reply(`收到，已记下“${shown}”没有答好，书记会补充答案。谢谢指正！`)
}
