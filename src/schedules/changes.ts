import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Firing, ScheduleDef } from '../store/schedule-store.ts'
import { nextFireTimes } from './next-fire.ts'
import { runFiring } from './firing.ts'

/**
 * True when two firings of `cron` would come closer than config.minScheduleIntervalMinutes
 * (default 10): a message every few seconds would flood the group and block every other reply.
 */
export function firesTooOften(deps: Pick<Deps, 'config' | 'clock'>, cron: string): boolean {
  const [first, second] = nextFireTimes(cron, deps.config.timezone, deps.clock.now(), 2)
  return first !== undefined && second !== undefined && second - first < deps.config.minScheduleIntervalMinutes * 60_000
}

/** Add a text schedule for `group` (from chat or the console) and tell every instance's scheduler at once. */
export async function addTextSchedule(deps: Pick<Deps, 'config' | 'stores'>, group: GroupConfig,
  s: { cron: string; label: string; text: string }, createdBy: string): Promise<ScheduleDef> {
  return addChatSchedule(deps, group, { ...s, kind: 'text' }, createdBy)
}

/** Add a schedule of any kind from chat or the console, and tell every scheduler. */
export async function addChatSchedule(deps: Pick<Deps, 'config' | 'stores'>, group: GroupConfig,
  s: Pick<ScheduleDef, 'cron' | 'label' | 'kind' | 'text' | 'questions' | 'due'>, createdBy: string): Promise<ScheduleDef> {
  const store = deps.stores.schedules
  const def = await store.addChat({ ...s, group: group.key, wrap: false, createdBy }, new Set(deps.config.schedules.map((x) => x.id)))
  await store.announceChange(def.id)
  return def
}

/** Pause or resume a schedule everywhere (a resume does not catch up the paused slots). */
export async function setSchedulePaused(deps: Pick<Deps, 'stores'>, id: string, paused: boolean): Promise<void> {
  await deps.stores.schedules.setPaused(id, paused)
  await deps.stores.schedules.announceChange(id)
}

/** Delete a schedule added in chat or the console, everywhere; false if there was none. */
export async function deleteChatSchedule(deps: Pick<Deps, 'stores'>, id: string): Promise<boolean> {
  const removed = await deps.stores.schedules.removeChat(id)
  await deps.stores.schedules.announceChange(id)
  return removed
}

/** Fire a schedule in one group now, outside its cron (`#定时 立即`, the console's 立即执行); recorded as manual. */
export function runScheduleNow(deps: Deps, messenger: Messenger, def: ScheduleDef, group: GroupConfig): Promise<Firing> {
  return runFiring({ deps, messenger, sendAttempts: 3, retryBaseMs: 2000 }, def, group, deps.clock.now(), { manual: true })
}
