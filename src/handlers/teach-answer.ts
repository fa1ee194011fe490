import type { Handler } from '../bot/context.ts'
import { groupName } from '../config.ts'
import { parseTeach, resolveAnswer } from '../taught/teach.ts'
import { taughtReply } from '../taught/reply.ts'
import { command } from './command.ts'

const USAGE = [
  '用法：',
  '#教 问题 => 答案 —— 以后有人问这个问题（或意思相近的问题），按这个答案回复',
  '#教 问题 => 党章第七条 —— 用学习材料中的条文回复，并注明出处',
  '#教 列表 —— 查看本群教过的问答',
  '#教 删除 编号 —— 删除一条',
].join('\n')

const short = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s)

/** `#教 问题 => 答案 | 第X条`, `#教 列表`, `#教 删除 N`: secretaries teach the bot their group's answers. */
export const teachAnswer: Handler = command({ name: '教', action: 'teach', example: '#教 第一党支部学习群 列表' }, async (ctx, { group, args }) => {
  const store = ctx.deps.stores.taught
  if (/^列表$/.test(args)) {
    const entries = await store.list(group.key)
    if (!entries.length) return ctx.reply(`“${groupName(group)}”还没有教过的问答。\n${USAGE}`)
    return ctx.reply([
      `“${groupName(group)}”教过的问答（${entries.length} 条）：`,
      ...entries.map((e) => `${e.id}. ${short(e.question, 30)} => ${short(e.answer.replace(/\s+/g, ' '), 30)}${e.citation ? `（${e.citation}）` : ''}`),
      '删除：#教 删除 编号',
    ].join('\n'))
  }
  const del = /^删除\s*(\S*)$/.exec(args)
  if (del) {
    const id = /^\d{1,6}$/.test(del[1]!) ? Number(del[1]) : NaN
    if (!Number.isInteger(id)) return ctx.reply('请写上要删除的编号，例如：#教 删除 2（编号见 #教 列表）')
    return ctx.reply(await store.remove(group.key, id) ? `已删除第 ${id} 条问答。` : `没有第 ${id} 条问答，发送 #教 列表 查看编号。`)
  }
  const req = parseTeach(args)
  if (!req) return ctx.reply(USAGE)
  if ('problem' in req) return ctx.reply(`${req.problem}\n${USAGE}`)
  const resolved = await resolveAnswer(ctx.deps.library, req.answer, group.materials)
  if ('problem' in resolved) return ctx.reply(resolved.problem)
  const entry = await store.add(group.key, {
    question: req.question,
    answer: resolved.answer,
    ...(resolved.kind === 'passage' ? { citation: resolved.citation, doc: resolved.doc } : {}),
    // the config's label for the secretary (a nickname is the member's own choice), else the display name
    by: { id: ctx.sender.id, name: group.secretaries.find((p) => p.id === ctx.sender.id)?.name ?? ctx.sender.name },
  })
  await ctx.reply([
    `${entry.replaced ? `已更新第 ${entry.id} 条（同一个问题原来的答案已替换）` : `已记下第 ${entry.id} 条`}。以后有人问“${short(req.question, 40)}”或意思相近的问题，我会这样回答：`,
    ...(() => {
      const lines = taughtReply(entry, ctx.deps.config.timezone).text.split('\n')
      return [short(lines.slice(0, -1).join('\n'), 200), lines.at(-1)!]
    })(),
  ].join('\n'))
})
