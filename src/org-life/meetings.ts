import type { Deps } from '../deps.ts'
import { groupName, type Config, type GroupConfig } from '../config.ts'
import type { Member, Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { formatInZone, zoneLabel } from '../clock.ts'
import type { ScheduleDef } from '../store/schedule-store.ts'
import type { Attendance, Meeting } from '../store/meeting-store.ts'
import { countedMembers } from '../participation/participation.ts'
import { targetGroups } from '../schedules/definitions.ts'
import { nextFireTime } from '../schedules/next-fire.ts'
import { ledgerMemberOf } from './ledger.ts'

/** The 三会一课 meeting types a `meeting` schedule may hold. */
export const MEETING_TYPES = ['支部党员大会', '支委会', '党小组会', '党课', '主题党日'] as const
export type MeetingType = (typeof MEETING_TYPES)[number]

/** A duration like 1d, 2h or 30m in ms; undefined if it is not one. */
export function parseDuration(text: string | undefined): number | undefined {
  const m = /^(\d+)([dhm])$/.exec(text ?? '')
  if (!m) return undefined
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm']
}

/** How long before a meeting its notice goes out (default 1 day). */
export const noticeMs = (def: Pick<ScheduleDef, 'notice'>) => parseDuration(def.notice) ?? 86_400_000
/** How long sign-in stays open after the meeting starts (default 2 hours). */
export const signInMs = (def: Pick<ScheduleDef, 'signIn'>) => parseDuration(def.signIn) ?? 2 * 3_600_000

const title = (m: Pick<Meeting, 'type' | 'topic'>) => `【${m.type}】${m.topic ? `主题：${m.topic}` : ''}`

/** The notice posted before a meeting: time, place and topic. */
export function noticeText(config: Config, def: ScheduleDef, startsAt: number): string {
  return [
    `【会议通知】${def.meeting}`,
    `时间：${formatInZone(startsAt, config.timezone)}（${zoneLabel(config.timezone)}）`,
    ...(def.place ? [`地点：${def.place}`] : []),
    ...(def.topic ? [`主题：${def.topic}`] : []),
    ...(def.cell ? [`参加：${def.cell}全体党员`] : []),
    '会议开始后请发送“#签到”；不能参加的请发送“#请假 理由”（会议开始后可发）。',
  ].join('\n')
}

/** Every `meeting` schedule of the config. */
export function meetingSchedules(config: Config): ScheduleDef[] {
  return config.schedules.filter((s) => s.kind === 'meeting').map((s) => ({ ...s, source: 'config' as const }))
}

/** The meeting a `meeting` schedule holds at `slot` in `group`. */
export function meetingAt(def: ScheduleDef, group: GroupConfig, slot: number): Meeting {
  return {
    id: `${def.id}-${slot.toString(36)}`, group: group.key, scheduleId: def.id, type: def.meeting ?? '会议', startsAt: slot, closesAt: slot + signInMs(def),
    ...(def.topic ? { topic: def.topic } : {}), ...(def.place ? { place: def.place } : {}), ...(def.cell ? { cell: def.cell } : {}),
  }
}

/**
 * The `meeting` schedule kind at its slot: open the sign-in window and say so in the group. A
 * window opened already (the slot fired twice) is not announced again.
 */
export async function openMeeting(deps: Deps, def: ScheduleDef, group: GroupConfig, slot: number, send: (text: string) => Promise<void>): Promise<'sent' | 'nothing'> {
  const meeting = meetingAt(def, group, slot)
  if (!await deps.stores.meetings.open(meeting)) return 'nothing'
  await send(`${title(meeting)}\n会议现在开始签到：请发送“#签到”；不能参加的请发送“#请假 理由”。签到截止 ${formatInZone(meeting.closesAt, deps.config.timezone).slice(11)}。`)
  deps.log.info({ group: group.key, meetingId: meeting.id }, 'meeting sign-in opened')
  return 'sent'
}

/** Who should attend: the ledger (only the meeting's 党小组 when it names one), else the room's counted members. */
export async function expectedMembers(deps: Pick<Deps, 'stores' | 'config'>, messenger: Messenger, meeting: Meeting): Promise<{ key: string; name: string }[]> {
  const ledger = (await deps.stores.ledger.list(meeting.group)).filter((m) => !meeting.cell || m.cell === meeting.cell)
  if (ledger.length) return ledger.map((m) => ({ key: m.key, name: m.name }))
  const group = deps.config.groups.find((g) => g.key === meeting.group)
  return group ? (await countedMembers(messenger, group)).map((m) => ({ key: `contact:${m.id}`, name: m.name })) : []
}

/** The attendance key and name of a sender: their ledger entry, or themselves when not in it. */
export async function attendeeOf(deps: Pick<Deps, 'stores'>, group: string, sender: Member): Promise<{ key: string; name: string }> {
  const m = ledgerMemberOf(await deps.stores.ledger.list(group), sender)
  return m ? { key: m.key, name: m.name } : { key: `contact:${sender.id}`, name: sender.name }
}

/** 应到 N，实到 M，请假 K and who neither signed in nor asked for leave. */
export function summaryText(config: Config, meeting: Meeting, expected: readonly { key: string; name: string }[], answers: readonly Attendance[]): string {
  const byKey = new Map(answers.map((a) => [a.key, a]))
  const present = expected.filter((e) => byKey.get(e.key)?.status === 'present')
  const leave = expected.filter((e) => byKey.get(e.key)?.status === 'leave')
  const absent = expected.filter((e) => !byKey.has(e.key))
  const extra = answers.filter((a) => a.status === 'present' && !expected.some((e) => e.key === a.key))
  return [
    `【签到结果】${meeting.type}（${formatInZone(meeting.startsAt, config.timezone)}）${meeting.topic ? ` 主题：${meeting.topic}` : ''}`,
    `应到 ${expected.length}，实到 ${present.length}，请假 ${leave.length}`,
    `未签到也未请假：${absent.length ? absent.map((e) => e.name).join('、') : '无'}`,
    ...(leave.length ? [`请假：${leave.map((e) => `${e.name}（${byKey.get(e.key)!.reason ?? ''}）`).join('、')}`] : []),
    ...(extra.length ? [`另有 ${extra.length} 人签到（不在台账或本次参会范围内）：${extra.map((a) => a.name).join('、')}`] : []),
    '发送“#会议记录 内容”可为本次会议添加会议记录。',
  ].join('\n')
}

/** Sum up every meeting whose window has closed: secretaries get the summary privately, once across instances. */
export async function closeDueMeetings(deps: Deps, messenger: Messenger): Promise<void> {
  const now = deps.clock.now()
  for (const group of deps.config.groups) {
    for (const id of await deps.stores.meetings.dueIds(group.key, now)) {
      if (!await deps.stores.meetings.takeClosed(group.key, id)) continue
      const meeting = await deps.stores.meetings.get(group.key, id)
      if (!meeting) continue
      const [expected, answers] = await Promise.all([expectedMembers(deps, messenger, meeting), deps.stores.meetings.attendance(group.key, id)])
      await tellSecretaries(messenger, deps.config, group, summaryText(deps.config, meeting, expected, answers), deps.log)
      deps.log.info({ group: group.key, meetingId: id, expected: expected.length, answers: answers.length }, 'meeting sign-in closed')
    }
  }
}

/** Post each meeting's notice once, `notice` before it starts (late, if the bot was down then, but never after the start). */
export async function sendDueNotices(deps: Deps, messenger: Messenger): Promise<void> {
  const { config, clock, stores, log } = deps
  const now = clock.now()
  const states = await stores.schedules.states(meetingSchedules(config).map((d) => d.id))
  for (const [i, def] of meetingSchedules(config).entries()) {
    if (states[i]?.paused ?? def.paused) continue
    const startsAt = nextFireTime(def.cron, config.timezone, now)
    if (startsAt === undefined || startsAt - noticeMs(def) > now) continue
    for (const group of targetGroups(config, def)) {
      if (!await stores.meetings.claimNotice(group.key, def.id, startsAt, noticeMs(def) + 86_400_000)) continue
      try {
        await messenger.toGroup(group.key, noticeText(config, def, startsAt), { broadcast: true })
        log.info({ group: group.key, scheduleId: def.id, startsAt }, 'meeting notice sent')
      } catch (err) {
        // given back: the next pass tries again, until the meeting starts
        await stores.meetings.releaseNotice(group.key, def.id, startsAt)
        log.warn({ err, group: group.key, scheduleId: def.id }, 'meeting notice not sent')
      }
    }
  }
}

/** The 应到 frequencies of 三会一课 (days between meetings at most), checked as warnings. */
const USUAL_DAYS: Partial<Record<MeetingType, { days: number; label: string }>> = {
  支部党员大会: { days: 92, label: '每季度' }, 支委会: { days: 31, label: '每月' }, 党小组会: { days: 31, label: '每月' }, 党课: { days: 92, label: '每季度' },
}

/**
 * Warnings (never errors: branches differ) where the meeting schedules depart from the usual
 * frequencies: 支部党员大会 and 党课 quarterly, 支委会 and 党小组会 monthly.
 */
export function meetingFrequencyWarnings(config: Config, fromMs: number): string[] {
  const defs = meetingSchedules(config)
  if (!defs.length) return []
  const warnings: string[] = []
  for (const [type, usual] of Object.entries(USUAL_DAYS)) {
    const mine = defs.filter((d) => d.meeting === type)
    if (!mine.length) {
      warnings.push(`没有 ${type} 的定时任务（通常${usual!.label}召开一次）`)
      continue
    }
    // the longest gap over the next year between meetings of this type, all its schedules together
    const slots: number[] = []
    for (const d of mine) {
      let t = fromMs
      for (let i = 0; i < 400; i++) {
        const next = nextFireTime(d.cron, config.timezone, t)
        if (next === undefined || next > fromMs + 366 * 86_400_000) break
        slots.push(next)
        t = next
      }
    }
    slots.sort((a, b) => a - b)
    const bounds = [fromMs, ...slots, fromMs + 366 * 86_400_000]
    const longest = Math.max(...bounds.slice(1).map((s, i) => s - bounds[i]!)) / 86_400_000
    if (longest > usual!.days) warnings.push(`${type}通常${usual!.label}召开一次，按现有定时任务（${mine.map((d) => d.id).join('、')}）最长约 ${Math.round(longest)} 天才开一次`)
  }
  return warnings
}
