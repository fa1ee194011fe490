import type { Member } from '../bot/messenger.ts'

/** One Party member of a branch's ledger (党员台账). Dates are YYYY-MM-DD. */
export interface LedgerMember {
  /** Stable within the ledger: the platform id when the row gave one, else the name. */
  key: string
  name: string
  /** 微信 / 企业微信 ID from the ledger, if given. */
  platformId?: string
  /** 入党日期: the day the branch meeting admitted them as 预备党员 (the political birthday). */
  joined: string
  /** 转正日期: full membership; 党龄 counts from it. Absent for 预备党员. */
  confirmed?: string
  /** 党小组. */
  cell?: string
  /** Row of the imported file, for messages that point back at it. */
  row: number
}

/** Ledger members matched to the chat: by platform id first, then by a unique display name. */
export interface LedgerMatch {
  matched: { member: LedgerMember; contact: Member; by: 'id' | 'name' }[]
  unmatched: LedgerMember[]
}

/** Match ledger members to a group's chat members: by ID first, then by name (a name two chat members share matches neither). */
export function matchLedger(ledger: readonly LedgerMember[], chat: readonly Member[]): LedgerMatch {
  const byId = new Map(chat.map((c) => [c.id, c]))
  const byName = new Map<string, Member | null>()
  for (const c of chat) byName.set(c.name, byName.has(c.name) ? null : c)
  const taken = new Set<string>()
  const out: LedgerMatch = { matched: [], unmatched: [] }
  const pending: LedgerMember[] = []
  for (const m of ledger) {
    const c = m.platformId ? byId.get(m.platformId) : undefined
    if (c) {
      out.matched.push({ member: m, contact: c, by: 'id' })
      taken.add(c.id)
    } else pending.push(m)
  }
  for (const m of pending) {
    const c = byName.get(m.name)
    if (c && !taken.has(c.id)) {
      out.matched.push({ member: m, contact: c, by: 'name' })
      taken.add(c.id)
    } else out.unmatched.push(m)
  }
  return out
}

/** The ledger member a chat contact is: the one with their id, else the one with their name. */
export function ledgerMemberOf(ledger: readonly LedgerMember[], who: Member): LedgerMember | undefined {
  return ledger.find((m) => m.platformId === who.id) ?? ledger.find((m) => !m.platformId && m.name === who.name)
    ?? ledger.find((m) => m.name === who.name)
}

/** Short Chinese report of a match: how many were found, and who was not. */
export function matchReport(match: LedgerMatch): string {
  const total = match.matched.length + match.unmatched.length
  const lines = [`台账 ${total} 人中，${match.matched.length} 人已对应到群成员。`]
  if (match.unmatched.length) {
    lines.push(`未能对应的 ${match.unmatched.length} 人：${match.unmatched.map((m) => m.name).join('、')}`)
    lines.push('（请核对台账中的姓名或微信/企业微信 ID 与群昵称是否一致；他们的政治生日问候将无法 @ 到本人。）')
  }
  return lines.join('\n')
}
