import type { Deps } from '../deps.ts'
import type { Messenger } from '../bot/messenger.ts'
import { awardRound, roundResults } from './points.ts'
import { resultText } from './round-text.ts'

/** How long one instance holds the closing of a round; a closer that died is replaced after it. */
export const CLOSE_LEASE_MS = 10 * 60_000
/** A round whose answer could not be posted for this long is closed without posting. */
const GIVE_UP_MS = 24 * 3_600_000

/**
 * Close one round past its deadline, exactly once across instances: lease it, award the points
 * (each award once by id), post the answer with its citation and "N 人答对", then mark it closed.
 * A failed post keeps the lease, so the next try comes after it expires.
 */
export async function closeRound(deps: Deps, messenger: Messenger, groupKey: string, roundId: string, owner: string): Promise<'closed' | 'busy' | 'failed'> {
  const { stores, clock, log } = deps
  if (!await stores.quiz.takeCloseLease(groupKey, roundId, owner, CLOSE_LEASE_MS)) return 'busy'
  const round = await stores.quiz.round(groupKey, roundId)
  if (!round || round.status !== 'open') {
    await stores.quiz.markClosed(groupKey, roundId, round?.results ?? [], round?.closedAt ?? clock.now())
    return 'closed'
  }
  const answers = await stores.quiz.answers(groupKey, roundId)
  const results = roundResults(round, answers)
  await awardRound(deps, round, answers, results)
  try {
    await messenger.toGroup(groupKey, resultText(round, results), { broadcast: true })
  } catch (err) {
    if (clock.now() - round.dueAt < GIVE_UP_MS) {
      log.error({ err, group: groupKey, roundId }, 'quiz answer not posted, retrying later')
      return 'failed'
    }
    log.error({ err, group: groupKey, roundId }, 'quiz answer never posted, closing the round anyway')
  }
  await stores.quiz.markClosed(groupKey, roundId, results, clock.now())
  log.info({ group: groupKey, roundId, answered: results.map((r) => r.answered), correct: results.map((r) => r.correct) }, 'quiz round closed')
  return 'closed'
}
