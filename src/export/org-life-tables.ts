import type { Deps } from '../deps.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { dateInZone } from '../clock.ts'
import { fullYears } from '../org-life/ledger-dates.ts'
import type { Table } from './quiz-tables.ts'

/** 党员台账: one row per ledger member, with years since joining and 党龄 as of today. */
export async function ledgerTable(deps: Pick<Deps, 'stores' | 'config' | 'clock'>, group: GroupConfig): Promise<Table> {
  const today = dateInZone(deps.clock.now(), deps.config.timezone)
  const rows = (await deps.stores.ledger.list(group.key)).map((m) => [
    m.name, m.platformId ?? '', m.joined, m.confirmed ?? '', m.cell ?? '', groupName(group),
    fullYears(m.joined, today), m.confirmed ? fullYears(m.confirmed, today) : '（预备党员）',
  ])
  return { name: '党员台账', headers: ['姓名', '微信/企业微信ID', '入党日期', '转正日期', '党小组', '群', '入党年数', '党龄'], rows }
}
