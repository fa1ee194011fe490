import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import { groupName } from '../config.ts'
import type { Messenger } from '../bot/messenger.ts'
import { tellSecretaries } from '../bot/tell-secretaries.ts'
import { dateInZone, zonedToEpoch } from '../clock.ts'
import type { ScheduleDef } from '../store/schedule-store.ts'
import type { Round } from '../store/quiz-store.ts'
import { takeQuestions, upcomingQuestions } from './question-queue.ts'
import { polishQuestion } from './polish.ts'
import { roundText } from './round-text.ts'
import type { Question } from './types.ts'

/** A round closes no sooner than this after it opens; an earlier deadline moves to the next day. */
const MIN_OPEN_MS = 30 * 60_000
const DAY_MS = 86_400_000

/**
 * When a round opened at `slot` closes: `due` as a duration (12h, 1d) after the slot, as a time
 * of day (21:00, the same day or else the next), or by default at 23:59 of the slot's day.
 */
export function quizDueAt(due: string | undefined, slot: number, timeZone: string): number {
  const duration = /^(\d+)([dh])$/.exec(due ?? '')
  if (duration) return slot + Number(duration[1]) * (duration[2] === 'd' ? DAY_MS : 3_600_000)
  const time = /^(\d{1,2}):(\d{2})$/.exec(due ?? '')
  const at = (day: number) => time
    ? zonedToEpoch(dateInZone(day, timeZone), `${time[1]!.padStart(2, '0')}:${time[2]}`, timeZone)
    : zonedToEpoch(dateInZone(day + DAY_MS, timeZone), '00:00', timeZone) - 60_000
  const sameDay = at(slot)
  return sameDay - slot >= MIN_OPEN_MS ? sameDay : at(slot + DAY_MS)
}

/** Questions per round: the schedule's own number, else the config's default. */
const questionCount = (deps: Pick<Deps, 'config'>, def: ScheduleDef) => def.questions ?? deps.config.quiz.questions

/** What a quiz firing at `slot` would post, without taking the questions. */
export async function previewQuiz(deps: Deps, def: ScheduleDef, group: GroupConfig, slot: number): Promise<string> {
  const questions = await upcomingQuestions(deps, group, questionCount(deps, def))
  if (!questions.length) return '（题库和学习材料中已没有可出的题目；请导入题库或添加学习材料）'
  return roundText({ questions, dueAt: quizDueAt(def.due, slot, deps.config.timezone) }, deps.config.timezone)
}

/** Let the LLM reword generated stems when one is configured and the day's budget allows; the answer never changes. */
async function polished(deps: Deps, group: GroupConfig, questions: Question[]): Promise<Question[]> {
  const { llm, config, log, stores } = deps
  if (!llm || !config.llm) return questions
  const out: Question[] = []
  for (const q of questions) {
    try {
      out.push(q.origin === 'generated' && await stores.askLimits.takeLlmCall(group.key, config.llm.dailyBudget)
        ? await polishQuestion(llm, config.llm, q)
        : q)
    } catch (err) {
      log.warn({ err, group: group.key, questionId: q.id }, 'question polish failed, asking it as generated')
      out.push(q)
    }
  }
  return out
}

/**
 * The `quiz` schedule kind at one slot in one group: take the next questions, open a round, and
 * post it with `send` (the scheduler's send, with its retries). A round that could not be posted
 * is cancelled and its questions go back to the queue. `finished` when nothing is left to ask.
 */
export async function fireQuiz(deps: Deps, messenger: Messenger, def: ScheduleDef, group: GroupConfig, slot: number,
  send: (text: string) => Promise<void>): Promise<'sent' | 'finished'> {
  const { config, clock, stores, log } = deps
  const taken = await takeQuestions(deps, group, questionCount(deps, def))
  if (!taken.length) {
    await tellSecretaries(messenger, config, group, `“${groupName(group)}”的每日一题（定时任务 ${def.id}）已没有可出的题目：题库和学习材料中的题都已出过或被删除。请用 studybot quiz import 导入题库，或添加学习材料。`, log)
    return 'finished'
  }
  const round: Omit<Round, 'status'> = {
    id: `${def.id}-${slot.toString(36)}`, group: group.key, scheduleId: def.id, slot,
    openedAt: clock.now(), dueAt: quizDueAt(def.due, slot, config.timezone),
    questions: await polished(deps, group, taken),
  }
  if (!await stores.quiz.openRound(round)) {
    // the same slot fired twice (a retried firing): keep the first round, give these questions back
    await stores.quiz.unmarkUsed(group.key, taken.map((q) => q.id))
    return 'sent'
  }
  try {
    await send(roundText(round, config.timezone))
  } catch (err) {
    await stores.quiz.cancelRound(group.key, round)
    throw err
  }
  log.info({ group: group.key, roundId: round.id, questions: round.questions.map((q) => q.id), dueAt: round.dueAt }, 'quiz round opened')
  return 'sent'
}

// 每日一题, 每日一题 3题, 答题 2道 截止 22:00, 每日一题 截止21点
const QUIZ_CONTENT = /^(?:每日一题|答题|出题)(?:\s*(\d)\s*(?:道题?|题))?(?:\s*[，,]?\s*截止\s*(\d{1,2})(?:[:：](\d{2})|点(半)?)?)?$/

/** The content of `#定时 添加 <时间> 每日一题 [N题] [截止 HH:MM]`: a quiz schedule's settings, or undefined for a text. */
export function parseQuizContent(text: string): { questions?: number; due?: string } | undefined {
  const m = QUIZ_CONTENT.exec(text.trim())
  if (!m) return undefined
  const [, n, hour, minute, half] = m
  const due = hour !== undefined && Number(hour) < 24 ? `${hour.padStart(2, '0')}:${minute ?? (half ? '30' : '00')}` : undefined
  return { ...(n ? { questions: Math.min(5, Math.max(1, Number(n))) } : {}), ...(due ? { due } : {}) }
}
