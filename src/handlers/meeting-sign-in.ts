import { commandArgs, type Ctx, type Handler } from '../bot/context.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { formatInZone } from '../clock.ts'
import type { Meeting } from '../store/meeting-store.ts'
import { attendeeOf } from '../org-life/meetings.ts'
import { pickGroup } from './pick-group.ts'

const NO_MEETING = '现在没有正在签到的会议。会议开始后才能签到或请假；会前请假请直接联系书记。'

/**
 * The group and open meeting a `#签到` / `#请假` is for: the room; privately, the group named
 * first, else the sender's only group with a meeting open now, else as any group command picks.
 */
async function meetingFor(ctx: Ctx, args: string, example: string): Promise<{ group: GroupConfig; meeting?: Meeting; rest: string } | { reply: string }> {
  const { meetings } = ctx.deps.stores
  if (!ctx.room) {
    const first = args.split(/\s+/)[0] ?? ''
    const named = ctx.senderGroups.some((g) => g.topic === first || g.key === first || g.id === first)
    if (!named && ctx.senderGroups.length > 1) {
      const open = (await Promise.all(ctx.senderGroups.map(async (g) => ({ g, m: await meetings.current(g.key) })))).filter((x) => x.m)
      if (open.length === 1) return { group: open[0]!.g, meeting: open[0]!.m, rest: args }
      if (!open.length) return { reply: NO_MEETING }
    }
  }
  const picked = pickGroup(ctx, args, 'orgLife', example)
  if ('reply' in picked) return picked
  return { ...picked, meeting: await meetings.current(picked.group.key) }
}

const meetingName = (m: Meeting) => `${m.type}${m.topic ? `（${m.topic}）` : ''}`

/** `#签到`: sign in to the group's meeting while its window is open; answered privately. */
export const signIn: Handler = async (ctx, next) => {
  const args = commandArgs(ctx.text, '签到')
  if (args === undefined) return next()
  const found = await meetingFor(ctx, args, '#签到 第一党支部学习群')
  if ('reply' in found) return ctx.replyPrivately(found.reply)
  const { group, meeting } = found
  if (!meeting) return ctx.replyPrivately(NO_MEETING)
  const who = await attendeeOf(ctx.deps, group.key, ctx.sender)
  await ctx.deps.stores.meetings.record(group.key, meeting.id, { ...who, status: 'present', at: ctx.deps.clock.now() })
  await ctx.replyPrivately(`${who.name}已签到：“${groupName(group)}”${formatInZone(meeting.startsAt, ctx.deps.config.timezone)} ${meetingName(meeting)}。`)
}

/** `#请假 理由`: ask for leave from the group's meeting while its window is open; answered privately. */
export const askLeave: Handler = async (ctx, next) => {
  const args = commandArgs(ctx.text, '请假')
  if (args === undefined) return next()
  const found = await meetingFor(ctx, args, '#请假 第一党支部学习群 出差在外')
  if ('reply' in found) return ctx.replyPrivately(found.reply)
  const { group, meeting } = found
  const reason = found.rest.trim()
  if (!reason) return ctx.replyPrivately('请写上请假理由，例如：#请假 出差在外')
  if (reason.length > 200) return ctx.replyPrivately('请假理由请控制在 200 字以内，例如：#请假 出差在外')
  if (!meeting) return ctx.replyPrivately(NO_MEETING)
  const who = await attendeeOf(ctx.deps, group.key, ctx.sender)
  await ctx.deps.stores.meetings.record(group.key, meeting.id, { ...who, status: 'leave', reason, at: ctx.deps.clock.now() })
  await ctx.replyPrivately(`已向书记报告${who.name}请假（${reason}）：${meetingName(meeting)}。`)
}
