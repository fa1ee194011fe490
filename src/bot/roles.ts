import { groupName, looksLikeId, type Config, type GroupConfig, type RolePerson } from '../config.ts'

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

/**
 * Roles of a contact in a group, by platform id only: a display name is chosen by the member
 * (anyone can rename themselves 张书记), so it never grants anything. Everyone is a member.
 */
export function rolesIn(group: GroupConfig, who: { id: string }): Role[] {
  const is = (list: readonly RolePerson[]) => list.some((p) => p.id !== undefined && p.id === who.id)
  const roles: Role[] = ['member']
  if (is(group.secretaries)) roles.push('secretary')
  if (is(group.organizers)) roles.push('organizer')
  return roles
}

/** The one question every handler asks: may this sender do this in this group? */
export function may(group: GroupConfig, who: { id: string }, action: Action): boolean {
  return rolesIn(group, who).some((r) => allowed[action].includes(r))
}

/** Short Chinese refusal naming who may do it. */
export function refusal(action: Action): string {
  const who = allowed[action].filter((r) => r !== 'member').map((r) => (r === 'secretary' ? '书记' : '组织委员')).join('或')
  return `抱歉，这个操作只有${who}可以使用。`
}

/** A role entry that is a name rather than an id, so it grants nothing until an id replaces it. */
export interface NameOnlyRole {
  group: GroupConfig
  role: 'secretary' | 'organizer'
  entry: string
}

/** Role entries the config could not tie to a platform id (not an id, not in `members:`). */
export function nameOnlyRoles(config: Config): NameOnlyRole[] {
  const out: NameOnlyRole[] = []
  const unbound = (p: RolePerson) => !p.id || (!looksLikeId(p.id) && !(p.id in config.members))
  for (const group of config.groups) {
    for (const p of group.secretaries) if (unbound(p)) out.push({ group, role: 'secretary', entry: p.entry })
    for (const p of group.organizers) if (unbound(p)) out.push({ group, role: 'organizer', entry: p.entry })
  }
  return out
}

/** The Chinese start-up warning for one name-only role entry; `selfChosen`: nicknames are the members' own. */
export function nameOnlyRoleWarning(r: NameOnlyRole, selfChosen: boolean): string {
  const role = r.role === 'secretary' ? '书记（secretaries）' : '组织委员（organizers）'
  const why = selfChosen
    ? '个人微信的昵称由成员自己设定，谁都能改成这个名字，所以机器人只按 ID 授予权限'
    : '它不是 ID，也不在 members 名单中，机器人只按 ID 授予权限'
  return `警告：群“${groupName(r.group)}”的${role}“${r.entry}”只写了名字：${why}，这一项现在不授予任何权限。请运行 studybot whois 查到此人的 ID，改写为 - { id: ID, name: ${r.entry} }。`
}
