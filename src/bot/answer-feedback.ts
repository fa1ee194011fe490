import type { Deps } from '../deps.ts'
import type { AnswerFeedback } from '../puppet-wecom/mod.ts'
import type { RoomMessenger } from './messenger.ts'
import { groupsOfContact } from './admission.ts'

/**
 * Keep a member's rating of an answer: "inaccurate" is marked like a "不对" reply (for the
 * secretaries' list of questions to teach), "withdrawn" takes the mark back, "accurate" is only
 * logged. A private answer counts in the member's first group.
 */
export async function recordAnswerFeedback(deps: Deps, messenger: RoomMessenger, f: AnswerFeedback): Promise<void> {
  const group = f.roomId
    ? deps.config.groups.find((g) => g.id === f.roomId)
    : (await groupsOfContact(deps, messenger, f.userid))[0]
  if (!group) {
    deps.log.info({ messageId: f.messageId, userid: f.userid }, 'answer feedback from outside the configured groups ignored')
    return
  }
  const marks = deps.stores.answerMarks
  if (f.verdict === 'inaccurate') {
    await marks.mark(group.key, {
      messageId: f.messageId, memberId: f.userid, question: f.question, answer: f.answer, via: 'wecom-feedback',
      ...(f.reasons.length ? { reasons: f.reasons } : {}), ...(f.comment ? { comment: f.comment } : {}),
    })
  } else if (f.verdict === 'withdrawn') {
    await marks.unmark(group.key, f.messageId, f.userid)
  }
  deps.log.info({ group: group.key, messageId: f.messageId, verdict: f.verdict }, 'answer feedback recorded')
}
