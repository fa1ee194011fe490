import type { Clock } from '../clock.ts'

/** An incoming message that can still be answered with `aibot_respond_msg`. */
interface Pending {
  reqId: string
  userid: string
  receivedAt: number
}

/**
 * Incoming messages per conversation whose reply lifetime has not run out. A send to the
 * conversation takes one of them (the oldest from a mentioned user; in a private chat, else the
 * oldest): each req_id gets one finished reply; later sends go out proactively. In a group, a
 * send that mentions none of the waiting askers (a scheduled broadcast) is never a reply.
 */
export function createReplyWindows(opts: { lifetimeMs: number; clock: Clock }) {
  const pending = new Map<string, Pending[]>()

  const live = (conversationId: string): Pending[] => {
    const cutoff = opts.clock.now() - opts.lifetimeMs
    const list = (pending.get(conversationId) ?? []).filter((p) => p.receivedAt > cutoff)
    if (list.length) pending.set(conversationId, list)
    else pending.delete(conversationId)
    return list
  }

  return {
    /** Remember an incoming message's req_id as answerable. */
    remember(conversationId: string, reqId: string, userid: string): void {
      const list = live(conversationId)
      list.push({ reqId, userid, receivedAt: opts.clock.now() })
      pending.set(conversationId, list)
    },
    /** Take the req_id to answer in this conversation, if any is still inside its lifetime. */
    take(conversationId: string, mentionIds: string[] = [], isGroup = false): string | undefined {
      const list = live(conversationId)
      const mentioned = list.findIndex((p) => mentionIds.includes(p.userid))
      if (mentioned < 0 && isGroup) return undefined
      const index = Math.max(0, mentioned)
      const [taken] = list.splice(index, 1)
      if (!list.length) pending.delete(conversationId)
      return taken?.reqId
    },
  }
}
