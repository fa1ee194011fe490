import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from '../main.ts'
import { Scheduler } from './scheduler.ts'
import { remindMissing } from './remind.ts'

/** The jobs every bot runs while logged in: the scheduler of prompts and broadcasts. */
export function defaultJobs(deps: Deps, messenger: Messenger): Job[] {
  return [new Scheduler(deps, messenger, { remind: remindMissing })]
}
