import type { Deps } from '../deps.ts'
import type { Answer } from '../materials/types.ts'
import { answerQuestion, type Limited, type Question } from '../materials/answer-question.ts'
import { bestMatch } from './match.ts'
import { taughtReply } from './reply.ts'

/**
 * Answer a member's question in chat: an entry a secretary taught this group first, then the
 * study materials.
 */
export async function answerMember(deps: Deps, input: Question): Promise<Answer | Limited> {
  const { group } = input
  return answerQuestion(deps, input, {
    first: async () => {
      if (!group) return undefined
      try {
        const match = bestMatch(input.question, await deps.stores.taught.list(group.key))
        if (!match) return undefined
        deps.log.info({ group: group.key, entry: match.entry.id, score: Number(match.score.toFixed(3)) }, 'answered from a taught entry')
        return taughtReply(match.entry, deps.config.timezone)
      } catch (err) {
        deps.log.warn({ err, group: group.key }, 'taught answers unavailable, answering from the materials')
        return undefined
      }
    },
  })
}
