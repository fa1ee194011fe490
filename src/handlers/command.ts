import { commandArgs, type Ctx, type Handler } from '../bot/context.ts'
import type { GroupConfig } from '../config.ts'
import type { Action } from '../bot/roles.ts'
import { pickGroup } from './pick-group.ts'

/** What a command handler receives: the group it is about and the words after the command. */
export interface Command {
  group: GroupConfig
  args: string
}

/**
 * The opening every group command shares: `#名称 …` or pass the message on; the sender may do
 * `action` in the group (the room, or privately the one named, numbered or only one), or is told
 * who may; then `body` runs. `example` shows a member of several groups how to name one.
 */
export function command(
  spec: { name: string | readonly string[]; action: Action; example: string },
  body: (ctx: Ctx, cmd: Command) => Promise<unknown>,
): Handler {
  const names = typeof spec.name === 'string' ? [spec.name] : spec.name
  return async (ctx, next) => {
    const args = commandArgs(ctx.text, ...names)
    if (args === undefined) return next()
    const picked = pickGroup(ctx, args, spec.action, spec.example)
    if ('reply' in picked) return ctx.reply(picked.reply)
    await body(ctx, { group: picked.group, args: picked.rest })
  }
}

/**
 * A member's argument as a reply may quote it: at most `max` characters, then "…". A reply never
 * echoes a whole argument (a `#定时 暂停 <78 KB>` once came back as 118 messages).
 */
export function quoted(arg: string, max = 20): string {
  const chars = Array.from(arg)
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : arg
}
