import type { Deps } from '../deps.ts'
import { groupName, type Config, type GroupConfig } from '../config.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { dateInZone } from '../clock.ts'
import type { ScheduleDef } from '../store/schedule-store.ts'
import { anniversaryIn, chineseDate, fullYears } from './ledger-dates.ts'
import { matchLedger, type LedgerMember } from './ledger.ts'

/** Id of the daily schedule the `birthdays` config section adds. */
export const BIRTHDAYS_SCHEDULE_ID = 'political-birthdays'

/** The daily greeting schedule at `birthdays.time` in every group, when the config has a `birthdays` section. */
export function birthdaySchedule(config: Config): ScheduleDef | undefined {
  if (!config.birthdays) return undefined
  const [hour, minute] = config.birthdays.time.split(':').map(Number)
  return { id: BIRTHDAYS_SCHEDULE_ID, group: '*', cron: `${minute} ${hour} * * *`, kind: 'birthdays', wrap: false, paused: false, source: 'config', label: `每天 ${config.birthdays.time}` }
}

/** A member whose political birthday is `today`, with the years to say. */
export interface BirthdayToday {
  member: LedgerMember
  /** Years since 入党日期. */
  years: number
  /** 党龄: years since 转正日期; undefined for a 预备党员. */
  partyYears?: number
}

/** Ledger members whose 入党日期 recurs on `today` (29 February on 28 February in other years), at least one year on. */
export function birthdaysOn(ledger: readonly LedgerMember[], today: string): BirthdayToday[] {
  const year = Number(today.slice(0, 4))
  return ledger
    .filter((m) => anniversaryIn(m.joined, year) === today && fullYears(m.joined, today) >= 1)
    .map((m) => ({ member: m, years: fullYears(m.joined, today), ...(m.confirmed ? { partyYears: fullYears(m.confirmed, today) } : {}) }))
}

/** 入党 N 周年, with 党龄 when it differs. */
export function yearsText(b: BirthdayToday): string {
  if (b.partyYears === undefined) return `入党 ${b.years} 周年（预备党员）`
  return b.partyYears === b.years ? `入党 ${b.years} 周年，党龄 ${b.years} 年` : `入党 ${b.years} 周年，党龄 ${b.partyYears} 年（从转正之日算起）`
}

/**
 * 入党誓词: from the materials' 党章 第六条 when that article carries the text, else the config's
 * `birthdays.oath`.
 */
export async function oathText(deps: Pick<Deps, 'library' | 'config'>): Promise<string> {
  await deps.library.ready()
  for (const d of deps.library.documents()) {
    if (!/党章|章程/.test(d.title + d.doc)) continue
    for (const p of deps.library.passages(d.doc)) {
      if (p.headings.at(-1) !== '第六条' && !p.text.startsWith('第六条')) continue
      const at = p.text.indexOf('我志愿加入中国共产党')
      if (at >= 0) return p.text.slice(at).replace(/\s+/g, '').trim()
    }
  }
  return deps.config.birthdays?.oath ?? ''
}

/** The greeting posted in the group, @-mentioning the member (the mention itself is added by the platform). */
export function greetingText(b: BirthdayToday, oath: string): string {
  return [
    `【政治生日】${b.member.name}同志，今天是你的政治生日！`,
    `${chineseDate(b.member.joined)}，你在党旗下庄严宣誓。今天是你${yearsText(b)}。`,
    '让我们一起重温入党誓词：',
    oath,
    '不忘初心，牢记使命！',
  ].join('\n')
}

/**
 * The `birthdays` schedule kind in one group: greet each member whose political birthday is the
 * slot's day, once per member and year (a claim in Redis, given back if the send fails), then
 * tell the secretaries privately. `nothing` when nobody has a birthday.
 */
export async function fireBirthdays(deps: Deps, messenger: Messenger, group: GroupConfig, slot: number,
  send: (text: string, mentions: string[]) => Promise<void>, owner: string): Promise<'sent' | 'nothing'> {
  const { config, stores, log } = deps
  const today = dateInZone(slot, config.timezone)
  const year = Number(today.slice(0, 4))
  const due = birthdaysOn(await stores.ledger.list(group.key), today)
  if (!due.length) return 'nothing'
  const match = matchLedger(due.map((b) => b.member), await messenger.groupMembers(group.key))
  const contactOf = new Map(match.matched.map((m) => [m.member.key, m.contact.id]))
  const oath = await oathText(deps)
  const greeted: { b: BirthdayToday; mentioned: boolean }[] = []
  for (const b of due) {
    if (!await stores.birthdays.claimGreeting(group.key, year, b.member.key, owner)) continue
    const contact = contactOf.get(b.member.key)
    try {
      await send(greetingText(b, oath), contact ? [contact] : [])
    } catch (err) {
      await stores.birthdays.releaseGreeting(group.key, year, b.member.key)
      throw err
    }
    log.info({ group: group.key, member: b.member.key, years: b.years }, 'political birthday greeted')
    greeted.push({ b, mentioned: Boolean(contact) })
  }
  if (!greeted.length) return 'nothing'
  await tellSecretaries(messenger, config, group, [
    `【政治生日】今天（${chineseDate(today)}）“${groupName(group)}”有 ${greeted.length} 位同志过政治生日，群里已发送问候：`,
    ...greeted.map(({ b, mentioned }) => `· ${b.member.name}：${yearsText(b)}${mentioned ? '' : '（未能在群里找到本人，问候没有 @ 到，请核对台账姓名或 ID）'}`),
    `请安排生日谈话；谈话后发送“#生日谈话 ${greeted[0]!.b.member.name} 已完成”记录。`,
  ].join('\n'), log)
  return 'sent'
}

/** What the birthday schedule would post at `slot` in `group`, without sending or claiming. */
export async function previewBirthdays(deps: Deps, group: GroupConfig, slot: number): Promise<string> {
  const today = dateInZone(slot, deps.config.timezone)
  const due = birthdaysOn(await deps.stores.ledger.list(group.key), today)
  if (!due.length) return `（${chineseDate(today)}台账中没有同志过政治生日）`
  const oath = await oathText(deps)
  return due.map((b) => greetingText(b, oath)).join('\n\n')
}
