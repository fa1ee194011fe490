import type { MaterialsDeps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Answer } from './types.ts'
import { extractiveAnswer } from './answer-extractive.ts'
import { llmAnswer } from './answer-llm.ts'
import { cleanQuery } from './query.ts'

/** What answerQuestion needs: full Deps qualify; without stores no limits apply (offline CLI). */
export type AskDeps = MaterialsDeps

/** A question from a member; `group` is absent in a private chat. */
export interface Question {
  question: string
  group?: GroupConfig
  memberId: string
}

/** Returned instead of an answer when the member asked too often; `limited` is the reply to send. */
export interface Limited {
  limited: string
}

/** How the caller extends answering. */
export interface AnswerOptions {
  /** Tried after the rate limit, before the materials: an answer to send instead (e.g. one a secretary taught). */
  first?: () => Promise<Answer | undefined>
}

const PRIVATE = 'private'
const TOO_OFTEN = '提问有点频繁了，请稍等一分钟再问。'
const BUDGET_SPENT = '（今天的智能解答次数已用完，以下为学习材料原文摘录。）'

/**
 * Answer a member's question from the study materials (the group's own subset if it names one).
 * With an LLM configured and budget left, a grounded LLM answer is tried first; any failure falls
 * back to the extractive answer, so the member always gets a reply.
 */
export async function answerQuestion(deps: AskDeps, input: Question, opts: AnswerOptions = {}): Promise<Answer | Limited> {
  const { config, log } = deps
  const group = input.group?.key ?? PRIVATE
  const limits = deps.stores?.askLimits

  if (limits) {
    try {
      if (!(await limits.takeQuestion(group, input.memberId, config.ask.perMemberPerMinute))) return { limited: TOO_OFTEN }
    } catch (err) {
      log.warn({ err, group }, 'ask rate limit unavailable, allowing question')
    }
  }

  const first = await opts.first?.()
  if (first) return first

  const hits = await deps.library.search(input.question, { k: 5, docs: input.group?.materials })
  const extractive = extractiveAnswer(input.question, hits, { answerChars: config.ask.answerChars })
  if (!extractive.answered || !deps.llm || !config.llm || cleanQuery(input.question).full) return extractive

  if (limits) {
    try {
      if (!(await limits.takeLlmCall(group, config.llm.dailyBudget))) {
        log.info({ group }, 'llm budget spent, extractive answer')
        return { ...extractive, text: `${BUDGET_SPENT}\n${extractive.text}` }
      }
    } catch (err) {
      log.warn({ err, group }, 'llm budget unavailable, allowing call')
    }
  }
  try {
    const answer = await llmAnswer(deps.llm, config.llm, input.question, hits.slice(0, 3))
    if (answer) return answer
    log.info({ group }, 'llm answer not grounded, extractive answer')
  } catch (err) {
    log.warn({ err, group }, 'llm failed, extractive answer')
  }
  return extractive
}
