import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { formatInZone } from '../clock.ts'
import { unansweredQuestions } from '../taught/unanswered.ts'
import { KEPT_QUESTIONS } from '../store/question-log.ts'
import { command } from './command.ts'

const SHOWN = 15

/** `#未答问题`: the questions the bot refused or members said it answered wrongly, newest first, with counts. */
export const showUnanswered: Handler = command({ name: '未答问题', action: 'teach', example: '#未答问题 第一党支部学习群' }, async (ctx, { group }) => {
  const { stores, config } = ctx.deps
  const [refused, marks] = await Promise.all([stores.questionLog.refused(group.key, KEPT_QUESTIONS), stores.answerMarks.recent(group.key, KEPT_QUESTIONS)])
  const rows = unansweredQuestions(refused, marks)
  if (!rows.length) return ctx.reply(`“${groupName(group)}”最近没有未答上或被指出答得不对的问题。`)
  const counts = (r: (typeof rows)[number]) => [r.refused ? `未答上 ${r.refused} 次` : '', r.marked ? `被指出不对 ${r.marked} 次` : ''].filter(Boolean).join('，')
  await ctx.reply([
    `“${groupName(group)}”最近未答上或被指出答得不对的问题（共 ${rows.length} 个${rows.length > SHOWN ? `，显示最近 ${SHOWN} 个` : ''}）：`,
    ...rows.slice(0, SHOWN).map((r, i) => `${i + 1}. ${r.question.length > 40 ? `${r.question.slice(0, 40)}…` : r.question}（${counts(r)}；最近 ${formatInZone(r.lastAt, config.timezone).slice(5)}）`),
    '教机器人回答：#教 问题 => 答案（或 => 党章第七条）',
  ].join('\n'))
})
