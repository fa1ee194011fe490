import type { Ctx, Handler } from '../bot/context.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { findUpcoming, upcomingQuestions } from '../quiz/question-queue.ts'
import { questionText } from '../quiz/round-text.ts'
import { shownAnswer } from '../quiz/judge-answer.ts'
import type { Question } from '../quiz/types.ts'
import { command, quoted } from './command.ts'

const usage = [
  '每日一题命令（书记可用，结果私聊发送）：',
  '· #出题 预览 —— 查看下一道题和答案',
  '· #出题 换一题 [编号] —— 这道先不出，换下一道',
  '· #出题 删除 [编号] —— 这道以后都不出',
  '导入题库：studybot quiz import 题库.xlsx --group 群名',
].join('\n')

/** A question for the secretary's eyes: with its id, answer and source. */
function previewText(group: GroupConfig, q: Question | undefined, before = ''): string {
  if (!q) return `${before}“${groupName(group)}”已没有可出的题目：请导入题库或添加学习材料。`
  return [
    `${before}“${groupName(group)}”下一道题（编号 ${q.id}，${q.origin === 'bank' ? '来自题库' : '由学习材料生成'}）：`,
    questionText(q, undefined),
    `答案：${shownAnswer(q)}`,
    ...(q.citation ? [`出处：${q.citation}`] : []),
    `换一题：#出题 换一题　删除：#出题 删除`,
  ].join('\n')
}

/** The question `id` names among the next ones, or the next one; undefined (after replying) if there is none. */
async function target(ctx: Ctx, group: GroupConfig, id: string): Promise<Question | undefined> {
  const q = id ? await findUpcoming(ctx.deps, group, id) : (await upcomingQuestions(ctx.deps, group, 1))[0]
  if (!q) await ctx.replyPrivately(id ? `没有找到编号为 ${quoted(id)} 的待出题目。发送“#出题 预览”查看下一道题的编号。` : previewText(group, undefined))
  return q
}

/** `#出题 预览|换一题|删除 [编号]`: secretaries look at the next question privately and skip or ban it. */
export const manageQuiz: Handler = command({ name: '出题', action: 'setQuiz', example: '#出题 1 预览' }, async (ctx, { group, args }) => {
  const [verb = '', id = ''] = args.split(/\s+/)
  const { quiz } = ctx.deps.stores
  switch (verb) {
    case '预览': {
      const [q] = await upcomingQuestions(ctx.deps, group, 1)
      await ctx.replyPrivately(previewText(group, q))
      break
    }
    case '换一题':
    case '删除': {
      const q = await target(ctx, group, id)
      if (!q) break
      if (verb === '删除') await quiz.ban(group.key, q.id)
      else await quiz.markUsed(group.key, q.id)
      const [next] = await upcomingQuestions(ctx.deps, group, 1)
      await ctx.replyPrivately(previewText(group, next, `${verb === '删除' ? '已删除' : '已跳过'}题目 ${q.id}（${q.stem.slice(0, 20)}…）。\n\n`))
      break
    }
    default:
      return ctx.reply(usage)
  }
  if (!ctx.isPrivate) await ctx.reply('已私信发给你。')
})
