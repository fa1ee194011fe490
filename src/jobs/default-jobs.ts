import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { Scheduler } from './scheduler.ts'

/** The jobs every bot runs while logged in: the scheduler of prompts and broadcasts. */
export function defaultJobs(deps: Deps, messenger: Messenger): Job[] {
  return [new Scheduler(deps, messenger)]
}
