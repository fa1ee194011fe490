import type { GroupConfig } from '../config.ts'

/** What a sender is in a group. */
export type Role = 'member' | 'secretary' | 'organizer'

/** Things a handler may need permission for. */
export type Action = 'ask' | 'reflect' | 'schedule' | 'remind' | 'stats' | 'export' | 'quiz' | 'setQuiz' | 'orgLife' | 'orgRecords' | 'teach'

const allowed: Record<Action, readonly Role[]> = {
  ask: ['member', 'secretary', 'organizer'],
  reflect: ['member', 'secretary', 'organizer'],
  schedule: ['secretary'],
  remind: ['secretary'],
  stats: ['secretary', 'organizer'],
  export: ['organizer'],
  /** answer quizzes, see one's own results and points, check in */
  quiz: ['member', 'secretary', 'organizer'],
  /** #出题, and #积分榜 unless quiz.publicLeaderboard */
  setQuiz: ['secretary'],
  /** organisation life for oneself: #签到, #请假, #已交党费 */
  orgLife: ['member', 'secretary', 'organizer'],
  /** others' organisation-life data: the ledger, birthdays, attendance, dues (#台账, #本月政治生日, #党费情况, …) */
  orgRecords: ['secretary', 'organizer'],
  /** #教 (teach the bot an answer), #未答问题 */
  teach: ['secretary'],
}

/** Roles of a contact (by id or display name) in a group; everyone is at least a member. */
export function rolesIn(group: GroupConfig, who: { id: string; name: string }): Role[] {
  const is = (list: readonly string[]) => list.includes(who.id) || list.includes(who.name)
  const roles: Role[] = ['member']
  if (is(group.secretaries)) roles.push('secretary')
  if (is(group.organizers)) roles.push('organizer')
  return roles
}

/** The one question every handler asks: may this sender do this in this group? */
export function may(group: GroupConfig, who: { id: string; name: string }, action: Action): boolean {
  return rolesIn(group, who).some((r) => allowed[action].includes(r))
}

/** Short Chinese refusal naming who may do it. */
export function refusal(action: Action): string {
  const who = allowed[action].filter((r) => r !== 'member').map((r) => (r === 'secretary' ? '书记' : '组织委员')).join('或')
  return `抱歉，这个操作只有${who}可以使用。`
}
