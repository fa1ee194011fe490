import type { Deps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Member } from '../bot/messenger.ts'
import { formatInZone } from '../clock.ts'
import { judgeAnswer } from './judge-answer.ts'

// formatting a time costs more than judging an answer; a round's deadline is formatted once
const dueLabels = new Map<string, string>()
function dueLabel(dueAt: number, timeZone: string): string {
  const key = `${timeZone}|${dueAt}`
  let label = dueLabels.get(key)
  if (!label) {
    if (dueLabels.size > 1000) dueLabels.clear()
    label = formatInZone(dueAt, timeZone)
    dueLabels.set(key, label)
  }
  return label
}

// #答 2 B, #答 第2题 一年, #答 2. B
const NUMBERED = /^第?\s*(\d{1,2})\s*(?:题\s*|[.、:：)）]\s*|\s+)([\s\S]+)$/

/**
 * A member's `#答 …` in a group: judged against the open round's question and recorded (a second
 * answer replaces the first until the deadline; a message delivered twice counts once). Returns
 * the reply for the member; whether it was right is only told after the round closes.
 */
export async function submitAnswer(deps: Deps, group: GroupConfig, member: Member, text: string, messageId: string): Promise<string> {
  const { stores, clock } = deps
  const now = clock.now()
  const first = await answerRound(deps, group, member, text, messageId, now)
  if (first !== undefined) return first
  // a newer round opened meanwhile (on another instance): the answer is for that one
  stores.quiz.forgetCurrent(group.key)
  const again = await answerRound(deps, group, member, text, messageId, now)
  return again ?? '题目刚刚更新，请再发送一次答案。'
}

/** Answer the current round; undefined when a newer round opened since this instance last looked. */
async function answerRound(deps: Deps, group: GroupConfig, member: Member, text: string, messageId: string, now: number): Promise<string | undefined> {
  const { stores, config } = deps
  const round = await stores.quiz.currentRound(group.key, now)
  if (!round) return '现在没有进行中的每日一题。题目发出后，回复“#答 答案”即可作答；发送“#我的答题”查看以往结果。'
  let index = 0
  let body = text.trim()
  if (round.questions.length > 1) {
    const m = NUMBERED.exec(body)
    const n = m ? Number(m[1]) : 0
    if (!m || n < 1 || n > round.questions.length) return `本轮共 ${round.questions.length} 题，请写上题号，例如：#答 1 B`
    index = n - 1
    body = m[2]!.trim()
  }
  const question = round.questions[index]!
  const judged = judgeAnswer(question, body)
  if ('problem' in judged) return judged.problem
  const outcome = await stores.quiz.recordAnswer(group.key, round.id, {
    member: member.id, name: member.name, question: index, text: judged.given, correct: judged.correct, at: now, messageId,
  }, now)
  const which = round.questions.length > 1 ? `第${index + 1}题` : ''
  const due = dueLabel(round.dueAt, config.timezone)
  switch (outcome) {
    case 'stale': return undefined
    case 'closed': return '本轮每日一题已经截止，答案已公布。发送“#我的答题”查看结果。'
    case 'changed': return `已把你${which}的答案改为：${judged.given}。截止（${due}）前以最后一次为准。`
    case 'first':
    case 'duplicate': return `已收到你${which}的答案：${judged.given}。截止（${due}）前可以修改，截止后公布答案。`
  }
}
