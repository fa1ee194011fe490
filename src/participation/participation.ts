import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Member, Messenger } from '../bot/messenger.ts'
import { formatInZone } from '../clock.ts'
import type { Assignment } from '../store/assignment-store.ts'

/** Who should and who did submit to one assignment. */
export interface Participation {
  assignment: Assignment
  /** Room members minus the bot and the group's `exclude` list. */
  members: Member[]
  submitted: Member[]
  missing: Member[]
}

// WeChat shows long @-lists badly and anti-spam limits are stricter for them
const MENTIONS_PER_MESSAGE = 20

/** Members of a group who count for participation: the room minus anyone in the config's `exclude`. */
export async function countedMembers(messenger: Messenger, group: GroupConfig): Promise<Member[]> {
  const excluded = new Set(group.exclude)
  return (await messenger.groupMembers(group.key)).filter((m) => !excluded.has(m.id) && !excluded.has(m.name))
}

/** Submitted N of M for an assignment (the open one unless `assignmentId` names another); undefined if none. */
export async function participation(
  deps: Pick<Deps, 'stores'>, messenger: Messenger, group: GroupConfig, assignmentId?: string,
): Promise<Participation | undefined> {
  const { assignments } = deps.stores
  const assignment = assignmentId ? await assignments.get(group.key, assignmentId) : await assignments.current(group.key)
  if (!assignment) return undefined
  const [members, done] = await Promise.all([countedMembers(messenger, group), assignments.submitters(group.key, assignment.id)])
  return {
    assignment,
    members,
    submitted: members.filter((m) => done.has(m.id)),
    missing: members.filter((m) => !done.has(m.id)),
  }
}

/** What a reminder did. */
export type RemindResult =
  | { status: 'no-assignment' }
  | { status: 'all-submitted'; participation: Participation }
  | { status: 'reminded'; participation: Participation; messages: number }

/**
 * Remind those who have not submitted to the group's open assignment: @-mentions in batches of
 * 20 per message. Used by `#提醒` and by the scheduler's `remind` job kind.
 */
export async function remindMissing(
  deps: Pick<Deps, 'stores' | 'config'>, messenger: Messenger, group: GroupConfig, o: { broadcast?: boolean } = {},
): Promise<RemindResult> {
  const p = await participation(deps, messenger, group)
  if (!p) return { status: 'no-assignment' }
  if (!p.missing.length) return { status: 'all-submitted', participation: p }
  const due = formatInZone(p.assignment.dueAt, deps.config.timezone)
  const batches: Member[][] = []
  for (let i = 0; i < p.missing.length; i += MENTIONS_PER_MESSAGE) batches.push(p.missing.slice(i, i + MENTIONS_PER_MESSAGE))
  for (const [i, batch] of batches.entries()) {
    const part = batches.length > 1 ? `（${i + 1}/${batches.length}）` : ''
    await messenger.toGroup(group.key,
      `提醒${part}：学习任务「${p.assignment.title}」的心得还未提交，请在 ${due} 前发送“#心得 你的体会”。`,
      { mentions: batch.map((m) => m.id), broadcast: o.broadcast })
  }
  return { status: 'reminded', participation: p, messages: batches.length }
}
