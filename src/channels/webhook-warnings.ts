import { groupName, type GroupConfig } from '../config.ts'
import type { Deps } from '../deps.ts'
import { allSchedules, targetGroups } from '../schedules/definitions.ts'

/**
 * Groups with schedules (from the config or added in chat) but no group robot. On WeCom their
 * broadcasts go through the intelligent bot, which may post only where a member messaged it
 * recently: after a quiet weekend, Monday's prompt is refused.
 */
export async function groupsWithoutWebhook(deps: Pick<Deps, 'config' | 'stores'>): Promise<GroupConfig[]> {
  const { config } = deps
  const scheduled = new Set<string>()
  for (const def of await allSchedules(config, deps.stores.schedules)) {
    for (const g of targetGroups(config, def)) scheduled.add(g.key)
  }
  return config.groups.filter((g) => scheduled.has(g.key) && !config.secrets.webhooks[g.key])
}

/** The warning `studybot start` prints for such a group, in Chinese. */
export function webhookWarning(group: GroupConfig): string {
  return `提醒：群“${groupName(group)}”有定时任务，但没有配置群机器人（webhook）。企业微信只允许智能机器人在最近有人和它说过话的群里主动发言，`
    + `这个群安静一段时间后（例如周末过后的周一早上）定时通知会发不出去。请为该群添加群机器人，并在配置中为它写上 webhook（见 docs/wecom.md“创建群机器人”）。`
}
