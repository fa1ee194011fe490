import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { groupName, type Config, type GroupConfig } from '../config.ts'
import { formatInZone, zoneLabel } from '../clock.ts'
import type { Firing, ScheduleDef } from '../store/schedule-store.ts'
import { remindMissing } from '../participation/participation.ts'
import { dueMs } from './definitions.ts'
import { platformFailureOf, SendError } from '../send/send-error.ts'
import { withRetry } from '../send/retry.ts'
import { fireQuiz, previewQuiz } from '../quiz/quiz-schedule.ts'
import { redactSecrets } from '../util/redact.ts'
import { fireBirthdays, previewBirthdays } from '../org-life/birthdays.ts'
import { meetingAt, openMeeting } from '../org-life/meetings.ts'
import { duesNoticeText, duesPeriodAt, fireDues } from '../org-life/dues.ts'

/** What a firing needs besides the schedule: the world, and how hard to try a send. */
export interface FireEnv {
  deps: Deps
  messenger: Messenger
  /** Tries per send, the first included. */
  sendAttempts: number
  /** Backoff before the 2nd try; doubles each time, capped at 30 s. */
  retryBaseMs: number
  /** Names this process in claims it makes while firing. */
  instance?: string
}

/** Raised when a scheduled send failed for good (after every retry, or at once when final). */
export class SendFailedError extends SendError {}

function reflectionPromptText(config: Config, text: string, dueAt: number): string {
  return `${text}\n\n提交方式：在群里发送“#心得 你的学习体会”。\n截止时间：${formatInZone(dueAt, config.timezone)}（${zoneLabel(config.timezone)}）`
}

function studyPlanText(p: { citation: string; text: string }, n: number, total: number): string {
  return `【每日学习 ${n}/${total}】${p.citation}\n\n${p.text}`
}

/** Where a study plan stands in a group: the passage to send next, or that it is over. */
async function studyPlanStep(deps: Deps, def: ScheduleDef, group: GroupConfig) {
  const store = deps.stores.schedules
  await deps.library.ready()
  const passages = deps.library.passages(def.doc ?? '')
  const cursor = await store.cursor(group.key, def.id)
  let index = cursor.next
  if (index >= passages.length && def.wrap && passages.length) index = 0
  return { passages, index, cursor, passage: passages[index] }
}

/** Exactly what a firing at `slot` would send to `group`, without sending or changing anything. */
export async function previewContent(deps: Deps, def: ScheduleDef, group: GroupConfig, slot: number): Promise<string> {
  switch (def.kind) {
    case 'text':
      return def.text ?? ''
    case 'reflection-prompt':
      return reflectionPromptText(deps.config, def.text ?? '', slot + dueMs(def.due))
    case 'study-plan': {
      const step = await studyPlanStep(deps, def, group)
      if (!step.passages.length) return `（材料“${def.doc}”中没有可发送的段落）`
      if (!step.passage) return `（学习计划已全部发送完毕，不再发送；书记会收到私聊通知）`
      return studyPlanText(step.passage, step.index + 1, step.passages.length)
    }
    case 'remind':
      return '@ 尚未提交本期心得的成员，提醒按时提交（名单在发送时确定）。'
    case 'quiz':
      return previewQuiz(deps, def, group, slot)
    case 'birthdays':
      return previewBirthdays(deps, group, slot)
    case 'meeting': {
      const m = meetingAt(def, group, slot)
      return `【${m.type}】会议现在开始签到：请发送“#签到”；不能参加的请发送“#请假 理由”。签到截止 ${formatInZone(m.closesAt, deps.config.timezone).slice(11)}。（会前的会议通知另行发送）`
    }
    case 'dues':
      return duesNoticeText(def, duesPeriodAt(def, group, slot, deps.config.timezone), deps.config.timezone)
  }
}

/**
 * Send to a group. A failure the sending layer already retried (a final SendError) ends it at
 * once; any other (the room not found yet, a messenger without retries) is retried with bounded
 * backoff. SendFailedError after the last try.
 */
function sendWithRetry(env: FireEnv, group: GroupConfig, text: string, mentions?: string[]): Promise<void> {
  return withRetry(() => env.messenger.toGroup(group.key, text, { broadcast: true, ...(mentions?.length ? { mentions } : {}) }), {
    retries: env.sendAttempts - 1,
    retryBaseMs: env.retryBaseMs,
    onFailure: (err, { attempt, willRetry }) => {
      if (willRetry) env.deps.log.warn({ err, group: group.key, attempt }, 'scheduled send failed, retrying')
    },
    giveUp: (err, attempts) => new SendFailedError(`send failed after ${attempts} tries: ${(err as Error).message}`, { retryable: false, cause: err }),
  })
}

/**
 * Fire one schedule in one group: build the content, send it (with retries) and apply its
 * effects (cursor, assignment). Returns the firing to record; throws if it could not be sent.
 */
export async function fireInGroup(env: FireEnv, def: ScheduleDef, group: GroupConfig, slot: number): Promise<Firing> {
  const { deps } = env
  const store = deps.stores.schedules
  const firing = (outcome: Firing['outcome']): Firing => ({ scheduleId: def.id, group: group.key, slot, outcome, at: deps.clock.now() })
  switch (def.kind) {
    case 'text':
      await sendWithRetry(env, group, def.text ?? '')
      return firing('sent')
    case 'reflection-prompt': {
      const dueAt = slot + dueMs(def.due)
      const title = (def.text ?? '').split('\n')[0].slice(0, 60)
      // opened before the prompt goes out, so the quickest replies already attach to it
      const assignments = deps.stores.assignments
      const assignment = await assignments.open({
        id: `${def.id}-${slot.toString(36)}`, group: group.key, title, dueAt, scheduleId: def.id, openedAt: Math.min(slot, deps.clock.now()),
      })
      try {
        await sendWithRetry(env, group, reflectionPromptText(deps.config, def.text ?? '', dueAt))
      } catch (err) {
        // nobody saw the prompt: no reminders or statistics for it
        await assignments.close(group.key, assignment.id)
        throw err
      }
      return firing('sent')
    }
    case 'study-plan': {
      const step = await studyPlanStep(deps, def, group)
      if (!step.passages.length) throw new Error(`document ${def.doc} has no passages`)
      if (!step.passage) {
        if (!step.cursor.endAnnounced) {
          const title = step.passages[0].title
          await tellSecretaries(env.messenger, deps.config, group, `学习计划《${title}》在“${groupName(group)}”已全部发送完毕（共 ${step.passages.length} 段），定时任务 ${def.id} 不再发送。如需从头开始，可在配置中为它设置 wrap: true。`, deps.log)
          await store.markEndAnnounced(group.key, def.id)
        }
        return firing('finished')
      }
      await sendWithRetry(env, group, studyPlanText(step.passage, step.index + 1, step.passages.length))
      await store.setCursor(group.key, def.id, step.index + 1)
      return firing('sent')
    }
    case 'remind':
      await remindMissing(deps, env.messenger, group, { broadcast: true })
      return firing('sent')
    case 'quiz':
      return firing(await fireQuiz(deps, env.messenger, def, group, slot, (text) => sendWithRetry(env, group, text)))
    case 'birthdays':
      return firing(await fireBirthdays(deps, env.messenger, group, slot, (text, mentions) => sendWithRetry(env, group, text, mentions), env.instance ?? 'bot'))
    case 'meeting':
      return firing(await openMeeting(deps, def, group, slot, (text) => sendWithRetry(env, group, text)))
    case 'dues':
      return firing(await fireDues(deps, def, group, slot, (text) => sendWithRetry(env, group, text)))
  }
}

/**
 * The job wrapper (one of the three catch sites): fire one schedule in one group at `slot` and
 * log `{ err, scheduleId, group, slot }` when it fails. Returns the firing to record; the caller
 * records it (a broadcast writes the records of many groups at once).
 */
export async function attemptFiring(env: FireEnv, def: ScheduleDef, group: GroupConfig, slot: number, extra: { late?: boolean; manual?: boolean } = {}): Promise<Firing> {
  const { log } = env.deps
  try {
    const f = { ...await fireInGroup(env, def, group, slot), ...extra }
    log.info({ scheduleId: def.id, group: group.key, slot, outcome: f.outcome, ...extra }, 'schedule fired')
    return f
  } catch (err) {
    // the platform's own reason (in Chinese) is what a secretary reads in #定时 列表
    const platform = platformFailureOf(err)
    const outcome = platform?.failure === 'unconfirmed' ? 'unconfirmed' : 'failed'
    log[outcome === 'failed' ? 'error' : 'warn']({ err, scheduleId: def.id, group: group.key, slot }, outcome === 'failed' ? 'schedule firing failed' : 'schedule firing delivery unconfirmed')
    return { scheduleId: def.id, group: group.key, slot, outcome, at: env.deps.clock.now(), error: redactSecrets((platform ?? err as Error).message), ...(platform ? { failure: platform.failure } : {}), ...extra }
  }
}

/** Fire one schedule in one group at `slot` (attemptFiring) and record the outcome. */
export async function runFiring(env: FireEnv, def: ScheduleDef, group: GroupConfig, slot: number, extra: { late?: boolean; manual?: boolean } = {}): Promise<Firing> {
  const f = await attemptFiring(env, def, group, slot, extra)
  try {
    await env.deps.stores.schedules.recordFiring(f)
  } catch (err) {
    env.deps.log.error({ err, scheduleId: def.id, group: group.key, slot }, 'firing record failed')
  }
  return f
}
