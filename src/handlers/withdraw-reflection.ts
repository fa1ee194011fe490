import type { Handler } from '../bot/context.ts'
import { command } from './command.ts'

/** `#撤回心得`: withdraw the sender's latest reflection for the open assignment (kept as withdrawn). */
export const withdrawReflection: Handler = command({ name: '撤回心得', action: 'reflect', example: '#撤回心得 1' }, async (ctx, { group }) => {
  const { stores } = ctx.deps
  const assignment = await stores.assignments.current(group.key)
  const result = await stores.reflections.withdrawLatest(group.key, ctx.sender.id, assignment?.id ?? '')
  const task = assignment ? `学习任务「${assignment.title}」` : '平时心得'
  if (result.status === 'none') return ctx.reply(`没有找到你在${task}下可以撤回的心得。`)
  if (result.status !== 'withdrawn') return undefined
  await ctx.reply(`已撤回${ctx.sender.name}的心得（${task}，${result.reflection.chars} 字）。记录会保留，但不再计为已提交。`)
})
