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
