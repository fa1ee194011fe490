import type { Deps } from '../deps.ts'
import type { MemberAnswer, QuestionResult, Round } from '../store/quiz-store.ts'
import { dateInZone } from '../clock.ts'

/** How a round went, question by question, from the members' final answers. */
export function roundResults(round: Round, answers: readonly MemberAnswer[]): QuestionResult[] {
  return round.questions.map((_q, i) => {
    const mine = answers.filter((a) => a.question === i)
    const right = mine.filter((a) => a.correct).sort((a, b) => a.at - b.at || a.member.localeCompare(b.member))
    return { answered: mine.length, correct: right.length, ...(right[0] ? { firstCorrect: right[0].member } : {}) }
  })
}

/**
 * Points of a closed round: `quiz.points.correct` per correct final answer, and
 * `quiz.points.firstCorrect` more for the first correct one. Each award has its own id, so
 * closing a round twice (two instances, a retry) gives nothing twice. Dated at the deadline.
 */
export async function awardRound(deps: Pick<Deps, 'config' | 'stores'>, round: Round, answers: readonly MemberAnswer[], results: readonly QuestionResult[]): Promise<void> {
  const { correct, firstCorrect } = deps.config.quiz.points
  const points = deps.stores.points
  for (const a of answers) {
    if (!a.correct) continue
    const ref = `${round.id}#${a.question + 1}`
    if (correct) await points.award(round.group, { id: `quiz:${round.id}:${a.question}:${a.member}`, member: a.member, name: a.name, points: correct, reason: 'quiz', ref, at: round.dueAt })
    if (firstCorrect && results[a.question]?.firstCorrect === a.member) {
      await points.award(round.group, { id: `quiz-first:${round.id}:${a.question}`, member: a.member, name: a.name, points: firstCorrect, reason: 'quiz-first', ref, at: round.dueAt })
    }
  }
}

/**
 * Points for a submitted reflection (called by the reflection workflow once it is stored): once
 * per member and assignment, or once per member and day for reflections outside an assignment.
 */
export async function awardReflection(deps: Pick<Deps, 'config' | 'stores'>, r: { group: string; memberId: string; memberName: string; id: string; assignmentId?: string; submittedMs: number }): Promise<void> {
  const points = deps.config.quiz.points.reflection
  if (!points) return
  const scope = r.assignmentId ? `task:${r.assignmentId}` : `day:${dateInZone(r.submittedMs, deps.config.timezone)}`
  await deps.stores.points.award(r.group, {
    id: `reflection:${scope}:${r.memberId}`, member: r.memberId, name: r.memberName, points, reason: 'reflection', ref: r.id, at: r.submittedMs,
  })
}

/** Points for today's study check-in (#打卡); false if the member checked in today already. */
export async function awardCheckin(deps: Pick<Deps, 'config' | 'stores' | 'clock'>, group: string, member: { id: string; name: string }): Promise<boolean> {
  const day = dateInZone(deps.clock.now(), deps.config.timezone)
  return deps.stores.points.award(group, {
    id: `checkin:${day}:${member.id}`, member: member.id, name: member.name, points: deps.config.quiz.points.checkin, reason: 'checkin', ref: day,
  })
}
