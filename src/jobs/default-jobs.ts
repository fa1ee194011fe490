import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from '../main.ts'

/** The jobs every bot runs while logged in. */
export function defaultJobs(deps: Deps, messenger: Messenger): Job[] {
  void deps
  void messenger
  return []
}
