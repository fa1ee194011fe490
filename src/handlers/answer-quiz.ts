import type { Handler } from '../bot/context.ts'
import { submitAnswer } from '../quiz/answer-round.ts'
import { command } from './command.ts'

/**
 * `#答 B`, `#答 一年`, `#答 2 B`: answer the group's open quiz round. The reply goes privately, so
 * the group sees neither the answer nor a stream of acknowledgements.
 */
export const answerQuiz: Handler = command({ name: '答', action: 'quiz', example: '#答 第一党支部学习群 B' }, async (ctx, { group, args }) => {
  await ctx.replyPrivately(await submitAnswer(ctx.deps, group, ctx.sender, args, ctx.messageId))
})
