import type { Deps } from '../deps.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { dateInZone, formatInZone } from '../clock.ts'
import { fullYears } from '../org-life/ledger-dates.ts'
import type { MsRange, Table } from './quiz-tables.ts'

/** 党员台账: one row per ledger member, with years since joining and 党龄 as of today. */
export async function ledgerTable(deps: Pick<Deps, 'stores' | 'config' | 'clock'>, group: GroupConfig): Promise<Table> {
  const today = dateInZone(deps.clock.now(), deps.config.timezone)
  const rows = (await deps.stores.ledger.list(group.key)).map((m) => [
    m.name, m.platformId ?? '', m.joined, m.confirmed ?? '', m.cell ?? '', groupName(group),
    fullYears(m.joined, today), m.confirmed ? fullYears(m.confirmed, today) : '（预备党员）',
  ])
  return { name: '党员台账', headers: ['姓名', '微信/企业微信ID', '入党日期', '转正日期', '党小组', '群', '入党年数', '党龄'], rows }
}

const STATUS = { present: '已签到', leave: '请假' } as const

/** 会议签到: one row per meeting and expected member (the ledger, or the meeting's 党小组), and anyone else who signed in. */
export async function meetingTable(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, range: MsRange = {}): Promise<Table> {
  const tz = deps.config.timezone
  const ledger = await deps.stores.ledger.list(group.key)
  const rows: (string | number)[][] = []
  const meetings = (await deps.stores.meetings.list(group.key))
    .filter((m) => (range.sinceMs === undefined || m.startsAt >= range.sinceMs) && (range.untilMs === undefined || m.startsAt < range.untilMs))
  for (const m of meetings) {
    const answers = new Map((await deps.stores.meetings.attendance(group.key, m.id)).map((a) => [a.key, a]))
    const expected = ledger.filter((x) => !m.cell || x.cell === m.cell).map((x) => ({ key: x.key, name: x.name }))
    const people = [...expected, ...[...answers.values()].filter((a) => !expected.some((e) => e.key === a.key))]
    const base = [formatInZone(m.startsAt, tz), m.type, m.topic ?? '', m.place ?? '']
    for (const p of people) {
      const a = answers.get(p.key)
      const inScope = expected.some((e) => e.key === p.key)
      rows.push([...base, p.name, a ? STATUS[a.status] : '未签到', a?.reason ?? '', a ? formatInZone(a.at, tz) : '', inScope ? '是' : '否', m.minutes?.text ?? ''])
    }
    if (!people.length) rows.push([...base, '', '（无人签到）', '', '', '', m.minutes?.text ?? ''])
  }
  return { name: '会议签到', headers: ['会议时间', '会议类型', '主题', '地点', '姓名', '签到情况', '请假理由', '签到时间', '应参会', '会议记录'], rows }
}

/** 党费确认: one row per dues period and ledger member (and anyone else who confirmed): confirmed or not, and when. */
export async function duesTable(deps: Pick<Deps, 'stores' | 'config'>, group: GroupConfig, range: MsRange = {}): Promise<Table> {
  const tz = deps.config.timezone
  const ledger = await deps.stores.ledger.list(group.key)
  const rows: (string | number)[][] = []
  const periods = (await deps.stores.dues.list(group.key))
    .filter((p) => (range.sinceMs === undefined || p.openedAt >= range.sinceMs) && (range.untilMs === undefined || p.openedAt < range.untilMs))
  for (const p of periods) {
    const confirmed = await deps.stores.dues.confirmations(group.key, p.id)
    const people = [...ledger.map((m) => ({ key: m.key, name: m.name })), ...[...confirmed.values()].filter((c) => !ledger.some((m) => m.key === c.key))]
    for (const person of people) {
      const c = confirmed.get(person.key)
      rows.push([p.label, groupName(group), person.name, c ? '已确认' : '未确认', c ? formatInZone(c.at, tz) : '', formatInZone(p.dueAt, tz)])
    }
  }
  return { name: '党费确认', headers: ['月份', '群', '姓名', '确认情况', '确认时间', '截止时间'], rows }
}
