import type { Deps } from '../deps.ts'
import { groupName, type GroupConfig } from '../config.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { dateInZone, formatInZone, zonedToEpoch, zoneLabel } from '../clock.ts'
import type { ScheduleDef } from '../store/schedule-store.ts'
import type { DuesPeriod } from '../store/dues-store.ts'
import { countedMembers } from '../participation/participation.ts'
import { matchLedger } from './ledger.ts'
import { parseDuration } from './meetings.ts'

/** The period a `dues` firing at `slot` opens: named by month; due `due` after the slot, or at the end of its month. */
export function duesPeriodAt(def: ScheduleDef, group: GroupConfig, slot: number, timeZone: string): DuesPeriod {
  const day = dateInZone(slot, timeZone)
  const [y, m] = day.split('-').map(Number) as [number, number]
  const due = parseDuration(def.due)
  const nextMonth = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`
  const dueAt = due !== undefined ? slot + due : zonedToEpoch(nextMonth, '00:00', timeZone) - 60_000
  const before = parseDuration(def.notice) ?? 3 * 86_400_000
  return { id: `${def.id}:${day.slice(0, 7)}`, group: group.key, scheduleId: def.id, label: `${y}年${m}月`, openedAt: slot, dueAt, remindAt: Math.max(slot, dueAt - before) }
}

/** The branch's own notice (never a computed amount: rates follow income rules outside the materials), and how to confirm. */
export function duesNoticeText(def: ScheduleDef, p: DuesPeriod, timeZone: string): string {
  return `【党费缴纳通知】${p.label}\n${def.text ?? ''}\n\n缴纳后请发送“#已交党费”确认（只私聊回复你，群里看不到）。截止：${formatInZone(p.dueAt, timeZone)}（${zoneLabel(timeZone)}）`
}

/** The `dues` schedule kind at one slot in one group: open the month's period and post the notice. */
export async function fireDues(deps: Deps, def: ScheduleDef, group: GroupConfig, slot: number, send: (text: string) => Promise<void>): Promise<'sent' | 'nothing'> {
  const period = duesPeriodAt(def, group, slot, deps.config.timezone)
  if (!await deps.stores.dues.open(period)) return 'nothing'
  await send(duesNoticeText(def, period, deps.config.timezone))
  return 'sent'
}

/** Who should confirm: the ledger, else the room's members; with the chat contact of each where known. */
export async function duesMembers(deps: Pick<Deps, 'stores' | 'config'>, messenger: Messenger, group: GroupConfig): Promise<{ key: string; name: string; contactId?: string }[]> {
  const ledger = await deps.stores.ledger.list(group.key)
  if (!ledger.length) return (await countedMembers(messenger, group)).map((c) => ({ key: `contact:${c.id}`, name: c.name, contactId: c.id }))
  const chat = await messenger.groupMembers(group.key).catch(() => [])
  const contacts = new Map(matchLedger(ledger, chat).matched.map((m) => [m.member.key, m.contact.id]))
  return ledger.map((m) => ({ key: m.key, name: m.name, ...(contacts.has(m.key) ? { contactId: contacts.get(m.key)! } : {}) }))
}

/** 应交 N，已确认 M, and who has not confirmed: for `#党费情况`. */
export async function duesStatusText(deps: Deps, messenger: Messenger, group: GroupConfig, p: DuesPeriod): Promise<string> {
  const [members, confirmed] = await Promise.all([duesMembers(deps, messenger, group), deps.stores.dues.confirmations(group.key, p.id)])
  const missing = members.filter((m) => !confirmed.has(m.key))
  return [
    `“${groupName(group)}”${p.label}党费（截止 ${formatInZone(p.dueAt, deps.config.timezone)}）：`,
    `应交 ${members.length} 人，已确认 ${members.length - missing.length} 人`,
    `未确认：${missing.length ? missing.map((m) => m.name).join('、') : '无'}`,
  ].join('\n')
}

/** Remind privately, once per period across instances, those who have not confirmed by `notice` before the deadline; tell the secretaries. */
export async function remindDues(deps: Deps, messenger: Messenger): Promise<void> {
  const { stores, config, clock, log } = deps
  for (const group of config.groups) {
    for (const id of await stores.dues.dueReminders(group.key, clock.now())) {
      if (!await stores.dues.takeReminder(group.key, id)) continue
      const p = await stores.dues.get(group.key, id)
      if (!p || p.dueAt <= clock.now()) continue
      const [members, confirmed] = await Promise.all([duesMembers(deps, messenger, group), stores.dues.confirmations(group.key, id)])
      const missing = members.filter((m) => !confirmed.has(m.key))
      let told = 0
      for (const m of missing) {
        if (!m.contactId) continue
        try {
          await messenger.toContact(m.contactId, `【党费提醒】${m.name}同志，${p.label}党费请在 ${formatInZone(p.dueAt, config.timezone)} 前缴纳；缴纳后请发送“#已交党费”确认。已缴纳的请忽略本提醒并发送确认。`)
          told++
        } catch (err) {
          log.warn({ err, group: group.key, member: m.key }, 'dues reminder not sent')
        }
      }
      const unreachable = missing.filter((m) => !m.contactId)
      if (missing.length) {
        await tellSecretaries(messenger, config, group, [
          `【党费提醒】“${groupName(group)}”${p.label}党费尚有 ${missing.length} 人未确认，已私聊提醒 ${told} 人。`,
          ...(unreachable.length ? [`未能在群里找到、没有提醒到：${unreachable.map((m) => m.name).join('、')}`] : []),
          '发送“#党费情况”查看名单。',
        ].join('\n'), log)
      }
      log.info({ group: group.key, periodId: id, reminded: told, missing: missing.length }, 'dues reminders sent')
    }
  }
}
