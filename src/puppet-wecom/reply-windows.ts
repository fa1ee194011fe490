import type { Clock } from '../clock.ts'

/** An incoming message that can still be answered with `aibot_respond_msg`. */
export interface Pending {
  reqId: string
  messageId: string
  userid: string
  receivedAt: number
  /** Set once a first (unfinished) frame was sent: the reply must continue this stream. */
  stream?: { id: string; startedAt: number }
}

/**
 * Incoming messages per conversation that have not been answered yet. A send to the
 * conversation takes one of them (the oldest from a mentioned user; in a private chat, else the
 * oldest): each req_id gets one reply; later sends go out proactively. In a group, a send that
 * mentions none of the waiting askers (a scheduled broadcast) is never a reply.
 */
export function createReplyWindows(opts: { lifetimeMs: number; clock: Clock }) {
  const pending = new Map<string, Pending[]>()

  const live = (conversationId: string): Pending[] => {
    const cutoff = opts.clock.now() - opts.lifetimeMs
    // an open stream stays until it is finished or released, even past the first-frame window
    const list = (pending.get(conversationId) ?? []).filter((p) => p.stream || p.receivedAt > cutoff)
    if (list.length) pending.set(conversationId, list)
    else pending.delete(conversationId)
    return list
  }

  const remove = (conversationId: string, p: Pending) => {
    const list = live(conversationId).filter((x) => x !== p)
    if (list.length) pending.set(conversationId, list)
    else pending.delete(conversationId)
  }

  return {
    /** Remember an incoming message's req_id as answerable. */
    remember(conversationId: string, p: Omit<Pending, 'receivedAt' | 'stream'>): void {
      const list = live(conversationId)
      list.push({ ...p, receivedAt: opts.clock.now() })
      pending.set(conversationId, list)
    },
    /** Take the message to answer in this conversation, if any is still answerable. */
    take(conversationId: string, mentionIds: string[] = [], isGroup = false): Pending | undefined {
      const list = live(conversationId)
      const mentioned = list.findIndex((p) => mentionIds.includes(p.userid))
      if (mentioned < 0 && isGroup) return undefined
      const taken = list[Math.max(0, mentioned)]
      if (taken) remove(conversationId, taken)
      return taken
    },
    /** The waiting entry of one message, without taking it. */
    find(conversationId: string, messageId: string): Pending | undefined {
      return live(conversationId).find((p) => p.messageId === messageId)
    },
    /** Forget one message (answered elsewhere, or nothing will answer it); returns its entry. */
    release(conversationId: string, messageId: string): Pending | undefined {
      const p = live(conversationId).find((x) => x.messageId === messageId)
      if (p) remove(conversationId, p)
      return p
    },
  }
}
