import type { MaterialsDeps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Answer, Passage } from './types.ts'
import { extractiveAnswer, fromPassage } from './answer-extractive.ts'
import { llmAnswer, rewriteQueries } from './answer-llm.ts'
import { fuseHits, usableRewrites } from './rewrite-fusion.ts'
import type { Hit } from './types.ts'
import { parseQuestion } from './question.ts'

/** What answerQuestion needs: full Deps qualify; without stores no limits apply (offline CLI). */
export type AskDeps = MaterialsDeps

/** A question from a member; `group` is absent in a private chat. */
export interface Question {
  question: string
  group?: GroupConfig
  memberId: string
}

/** Returned instead of an answer when the member asked too often; `limited` is the reply, sent in chat only once per window (not when `silent`). */
export interface Limited {
  limited: string
  /** Already told in this window: chat sends nothing. */
  silent?: boolean
}

/** How the caller extends answering. */
export interface AnswerOptions {
  /** Tried after the rate limit, before the materials: an answer to send instead (e.g. one a secretary taught). */
  first?: () => Promise<Answer | undefined>
}

const PRIVATE = 'private'
const TOO_OFTEN = '提问有点频繁了，请稍等一分钟再问。'
const NOTHING_TO_EXPAND = '请先提问，收到回答后再回复“原文”查看完整条文。'
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
      const verdict = await limits.takeQuestion(group, input.memberId, config.ask.perMemberPerMinute)
      if (verdict !== 'ok') return { limited: TOO_OFTEN, ...(verdict === 'silent' ? { silent: true } : {}) }
    } catch (err) {
      log.warn({ err, group }, 'ask rate limit unavailable, allowing question')
    }
  }

  const first = await opts.first?.()
  if (first) return first

  // one parse per question, with the library's documents (so it can tell which one the question names)
  await deps.library.ready()
  const parsed = deps.library.parse ? deps.library.parse(input.question) : parseQuestion(input.question)
  if (parsed.fullOnly) return fullTextOfLast(deps, group, input.memberId)
  let hits = await deps.library.search(parsed, { k: 5, docs: input.group?.materials })
  if (deps.llm && config.llm?.rewriteQueries && !parsed.quiz) hits = await withRewrites(deps, input, hits, group)
  const extractive = extractiveAnswer(parsed, hits, { answerChars: config.ask.answerChars })
  if (extractive.passage) await rememberAnswer(deps, group, input.memberId, extractive.passage)
  if (!extractive.answered || !deps.llm || !config.llm || parsed.full) return extractive

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
    if ('answered' in answer) return answer
    log.info({ group, reason: answer.reason }, 'llm answer not grounded, extractive answer')
  } catch (err) {
    log.warn({ err, group }, 'llm failed, extractive answer')
  }
  return extractive
}

/**
 * The question's hits fused with those of up to three model rewrites (config.llm.rewriteQueries).
 * A rewrite naming a document the materials do not hold is dropped; any failure keeps the
 * question's own hits. The rewrite counts against the daily LLM budget.
 */
async function withRewrites(deps: AskDeps, input: Question, own: Hit[], group: string): Promise<Hit[]> {
  const { config, log } = deps
  try {
    if (deps.stores?.askLimits && !(await deps.stores.askLimits.takeLlmCall(group, config.llm!.dailyBudget))) return own
    const queries = await rewriteQueries(deps.llm!, config.llm!, input.question)
    await deps.library.ready()
    const { kept, dropped } = usableRewrites(queries, deps.library.documents().map((d) => d.title))
    if (dropped.length) log.info({ group, dropped }, 'rewrites naming a document not in the materials dropped')
    if (!kept.length) return own
    const lists = await Promise.all(kept.map((q) => deps.library.search(q, { k: 5, docs: input.group?.materials })))
    return fuseHits(own, lists, 5)
  } catch (err) {
    log.warn({ err, group }, 'query rewriting failed, searching the question alone')
    return own
  }
}

/** "原文" after an answer: the whole passage that answer came from. */
async function fullTextOfLast(deps: AskDeps, group: string, memberId: string): Promise<Answer> {
  let from
  try {
    from = await deps.stores?.lastAnswers?.recall(group, memberId)
  } catch (err) {
    deps.log.warn({ err, group }, 'last answer unavailable for 原文')
  }
  const passage = from && deps.library.passages(from.doc).find((p) => p.index === from.index)
  return passage ? fromPassage(passage) : { answered: false, text: NOTHING_TO_EXPAND, sources: [] }
}

async function rememberAnswer(deps: AskDeps, group: string, memberId: string, passage: Passage): Promise<void> {
  try {
    await deps.stores?.lastAnswers?.remember(group, memberId, { doc: passage.doc, index: passage.index })
  } catch (err) {
    deps.log.warn({ err, group }, 'last answer not kept; 原文 will not find it')
  }
}
