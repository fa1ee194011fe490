import type { Handler } from '../bot/context.ts'
import { countChars } from '../store/reflection-store.ts'
import { lengthProblem } from '../reflections/rules.ts'
import { command } from './command.ts'

/** `#修改心得 <内容>`: replace the sender's latest reflection for the open assignment. */
export const editReflection: Handler = command({ name: '修改心得', action: 'reflect', example: '#修改心得 1 新的内容……' }, async (ctx, { group, args: text }) => {
  if (!text) return ctx.reply('请在 #修改心得 后面写上新的内容，例如：#修改心得 今天学习了……')
  const { config, stores } = ctx.deps
  const chars = countChars(text)
  const problem = lengthProblem(chars, config.reflections)
  if (problem) return ctx.reply(problem)
  const assignment = await stores.assignments.current(group.key)
  const result = await stores.reflections.editLatest(group.key, ctx.sender.id, assignment?.id ?? '', text)
  const task = assignment ? `学习任务「${assignment.title}」` : '平时心得'
  switch (result.status) {
    case 'edited':
      return ctx.reply(`已修改${ctx.sender.name}的心得（${task}），现在共 ${result.reflection.chars} 字。`)
    case 'unchanged':
      return ctx.reply('新内容与原来的心得相同，没有修改。')
    case 'duplicate':
      return ctx.reply('这段内容与你提交过的另一篇心得相同，没有修改。')
    case 'none':
      return ctx.reply(`没有找到你在${task}下可以修改的心得。请先发送“#心得 内容”提交。`)
    default:
      return undefined
  }
})
