import type { Handler } from '../bot/context.ts'
import { formatInZone } from '../clock.ts'
import { groupName } from '../config.ts'
import { countChars } from '../store/reflection-store.ts'
import { saveReflection } from '../reflections/save-reflection.ts'
import { lengthProblem, reflectionIdFor } from '../reflections/rules.ts'
import { awardReflection } from '../quiz/points.ts'
import { command } from './command.ts'
import type { JournalFailure } from '../store/reflection-journal.ts'

// why the local journal could not keep it either, as the member is told
const JOURNAL_PROBLEM: Record<JournalFailure, string> = {
  'disk-full': '服务器磁盘已满',
  'not-writable': '服务器的暂存目录无法写入',
  io: '服务器写入暂存文件时出错',
}

// `#心得 <内容>`, also `#心得体会`
const REFLECTION_COMMANDS = ['心得体会', '心得']

/** `#心得 <内容>`: store a reflection for the group's open assignment (journaled if Redis is down). */
export const submitReflection: Handler = command({ name: REFLECTION_COMMANDS, action: 'reflect', example: '#心得 1 今天学习了……' }, async (ctx, { group, args: text }) => {
  if (!text) return ctx.reply('请在 #心得 后面写上你的心得体会，例如：#心得 今天学习了……')
  const { config, clock } = ctx.deps
  const chars = countChars(text)
  const problem = lengthProblem(chars, config.reflections)
  if (problem) return ctx.reply(problem)

  const where = ctx.isPrivate && ctx.senderGroups.length > 1 ? `在“${groupName(group)}”` : ''
  const saved = await saveReflection(ctx.deps, {
    id: reflectionIdFor(ctx.messageId), group: group.key, memberId: ctx.sender.id, memberName: ctx.sender.name,
    text, submittedMs: clock.now(),
  })
  if (saved.status === 'stored') await awardReflection(ctx.deps, saved.reflection)
  switch (saved.status) {
    case 'stored':
    case 'exists': {
      const task = saved.assignment ? `计入学习任务「${saved.assignment.title}」` : '当前没有进行中的学习任务，记为平时心得'
      return ctx.reply(`已收到${ctx.sender.name}${where}的心得（${saved.reflection.chars} 字），${task}。`)
    }
    case 'duplicate':
      return ctx.reply(`你在 ${formatInZone(saved.reflection.submittedMs, config.timezone)} 已提交过相同内容的心得，无需重复提交。如需修改，请发送“#修改心得 新内容”。`)
    case 'journaled':
      return ctx.reply(`已收到${ctx.sender.name}${where}的心得（${chars} 字）。系统正在恢复，心得已安全暂存，稍后会自动保存并计入学习任务，无需重发。`)
    case 'failed':
      return ctx.reply(`抱歉，你的心得没有保存：数据库暂时连不上，而${JOURNAL_PROBLEM[saved.reason]}，无法暂存，请稍后重新发送。`)
  }
})
