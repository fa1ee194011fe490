import { groupByName, type Config, type GroupConfig } from '../config.ts'
import type { ScheduleDef, ScheduleState, ScheduleStore } from '../store/schedule-store.ts'
import { birthdaySchedule } from '../org-life/birthdays.ts'

/** Every schedule: the config's (with the political-birthday one of its `birthdays` section), then those added in chat. */
export async function allSchedules(config: Config, store: ScheduleStore): Promise<ScheduleDef[]> {
  const birthdays = birthdaySchedule(config)
  return [...config.schedules.map(fromConfig), ...(birthdays ? [birthdays] : []), ...await store.chatSchedules()]
}

const fromConfig = (s: Config['schedules'][number]): ScheduleDef => ({ ...s, source: 'config' as const })

/** One schedule by id (the config's first, with the birthday one, then chat), or undefined. */
export async function scheduleById(config: Config, store: ScheduleStore, id: string): Promise<ScheduleDef | undefined> {
  const own = config.schedules.find((s) => s.id === id)
  if (own) return fromConfig(own)
  const birthdays = birthdaySchedule(config)
  return birthdays?.id === id ? birthdays : store.getChat(id)
}

/** Is it paused now (a chat pause/resume overrides the config)? */
export function isPaused(def: ScheduleDef, state: ScheduleState): boolean {
  return state.paused ?? def.paused
}

/** The configured groups a schedule sends to. */
export function targetGroups(config: Config, def: Pick<ScheduleDef, 'group'>): GroupConfig[] {
  if (def.group === '*') return [...config.groups]
  const g = groupByName(config, def.group)
  return g ? [g] : []
}

/** Collection window of a reflection prompt, in ms (due like 4d or 12h; default 4 days). */
export function dueMs(due: string | undefined): number {
  const m = /^(\d+)([dh])$/.exec(due ?? '4d')
  if (!m) return 4 * 86400_000
  return Number(m[1]) * (m[2] === 'd' ? 86400_000 : 3600_000)
}
