import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import type { Job } from './lifecycle.ts'
import { Scheduler } from './scheduler.ts'
import { QuizCloser } from './quiz-closer.ts'
import { OrgLifeJob } from './org-life-job.ts'

/** The jobs every bot runs while logged in: the scheduler of prompts and broadcasts, and the closer of quiz rounds. */
export function defaultJobs(deps: Deps, messenger: Messenger): Job[] {
  return [new Scheduler(deps, messenger), new QuizCloser(deps, messenger), new OrgLifeJob(deps, messenger)]
}
