import type { Deps, MaterialsDeps } from '../deps.ts'
import type { GroupConfig } from '../config.ts'
import type { Answer } from '../materials/types.ts'
import { answerQuestion, type Limited, type Question } from '../materials/answer-question.ts'
import type { LoggedQuestion } from '../store/question-log.ts'
import { bestMatch } from './match.ts'
import { faqReply, taughtReply } from './reply.ts'

/** A member's question in chat: which message it was, and the group it is logged under. */
export interface MemberQuestion extends Question {
  messageId: string
  memberName?: string
  /** Where the question is logged: the room, or privately the member's group (default: `group`). */
  logGroup?: GroupConfig
}

/**
 * Answer a member's question in chat: an entry a secretary taught this group first, then an entry
 * of the materials' FAQ files, then the study materials. Every answered or refused question is logged for the group.
 */
export async function answerMember(deps: Deps, input: MemberQuestion): Promise<Answer | Limited> {
  const { group } = input
  let source: LoggedQuestion['source'] = 'materials'
  const result = await answerQuestion(deps, input, {
    first: async () => {
      if (group) {
        try {
          const match = bestMatch(input.question, await deps.stores.taught.list(group.key))
          if (match) {
            deps.log.info({ group: group.key, entry: match.entry.id, score: Number(match.score.toFixed(3)) }, 'answered from a taught entry')
            source = 'taught'
            return taughtReply(match.entry, deps.config.timezone)
          }
        } catch (err) {
          deps.log.warn({ err, group: group.key }, 'taught answers unavailable, answering from the materials')
        }
      }
      const faq = await answerFromFaq(deps, input.question, group)
      if (faq) source = 'faq'
      return faq
    },
  })
  const logGroup = input.logGroup ?? group
  if (logGroup && !('limited' in result)) {
    await deps.stores.questionLog.record(logGroup.key, {
      messageId: input.messageId, memberId: input.memberId, ...(input.memberName ? { memberName: input.memberName } : {}),
      question: input.question, answered: result.answered, source: result.answered ? source : 'none',
      ...(result.sources[0] ? { citation: result.sources[0].citation } : {}), answer: result.text,
    }).catch((err: unknown) => deps.log.warn({ err, group: logGroup.key }, 'question log unavailable'))
  }
  return result
}

/** The answer from the materials folder's FAQ files (the group's own subset when it names one), if one matches. */
export async function answerFromFaq(deps: MaterialsDeps, question: string, group?: GroupConfig): Promise<Answer | undefined> {
  await deps.library.ready()
  const faq = (deps.library.faq?.() ?? []).filter((e) => !group?.materials || group.materials.includes(e.doc))
  const match = bestMatch(question, faq)
  if (!match) return undefined
  deps.log.info({ group: group?.key, doc: match.entry.doc, score: Number(match.score.toFixed(3)) }, 'answered from a FAQ file')
  return faqReply(match.entry)
}
