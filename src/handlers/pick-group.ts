import type { Ctx } from '../bot/context.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { refusal, type Action } from '../bot/roles.ts'

/** The group a command is about, the rest of its arguments, or the reply to send instead. */
export type Picked = { group: GroupConfig; rest: string } | { reply: string }

/**
 * Choose the group for a command: the room it was said in; privately, the sender's only group
 * where they may do `action`, or the one named (or numbered) by the first word, as in
 * `#心得 第一党支部学习群 内容` or `#心得 2 内容`.
 */
export function pickGroup(ctx: Ctx, args: string, action: Action, example: string): Picked {
  if (ctx.room) return ctx.may(action, ctx.room) ? { group: ctx.room, rest: args } : { reply: refusal(action) }
  const candidates = ctx.senderGroups.filter((g) => ctx.may(action, g))
  if (!candidates.length) return { reply: refusal(action) }
  const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(args)
  if (m) {
    const word = m[1]
    const n = /^\d{1,2}$/.test(word) ? Number(word) : 0
    const named = candidates.find((g) => g.topic === word || g.key === word || g.id === word)
      ?? (candidates.length > 1 && n >= 1 && n <= candidates.length ? candidates[n - 1] : undefined)
    if (named) return { group: named, rest: (m[2] ?? '').trim() }
  }
  if (candidates.length === 1) return { group: candidates[0], rest: args }
  return {
    reply: [
      '你在多个学习群中，请在命令后写上群名或序号，例如：',
      example,
      ...candidates.map((g, i) => `${i + 1}. ${groupName(g)}`),
    ].join('\n'),
  }
}
