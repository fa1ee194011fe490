import { randomUUID } from 'node:crypto'
import type { WSClient } from '@wecom/aibot-node-sdk'
import type { FileBoxInterface } from 'file-box'
import type { Logger } from '../log.ts'
import type { Clock } from '../clock.ts'
import { splitText } from '../bot/split-text.ts'
import type { SendQueue } from '../send/send-queue.ts'
import { errcodeOf, isAckTimeout } from './errors.ts'
import type { createReplyWindows, Pending } from './reply-windows.ts'
import { wecomRetryPolicy } from './send-policy.ts'
import { uploadFile } from './upload.ts'

// WeCom answers a req_id that can no longer be replied to with these; the text then goes proactive.
const REPLY_GONE = new Set([846608, 846605])
/** OFF §2 / SDK: one stream frame holds at most 20,480 bytes of UTF-8 markdown. */
export const MAX_STREAM_BYTES = 20480

/** What the senders need from the puppet. */
export interface RepliesOptions {
  log: Logger
  clock: Clock
  queue: SendQueue
  windows: ReturnType<typeof createReplyWindows>
  /** The connected client, waiting for a reconnect if need be. */
  ready(): Promise<WSClient>
  /** Whether a conversation id is a group chatid (the puppet has seen or been asked for it as a room). */
  isGroup(conversationId: string): boolean
  /** DOC: a stream must be finished within 6 minutes of its first frame. */
  streamLifetimeMs: number
  /** The "still looking" frame, e.g. 正在查找…. */
  thinkingText: string
  /** Shown when a stream that had only the thinking frame gets no answer at all. */
  abandonedText: string
  /** A reply is being finished for this message (its text), e.g. to explain a later feedback_event. */
  onAnswered(messageId: string, text: string): void
}

/**
 * Sending over the long connection. A text answers the waiting message it belongs to as one
 * stream (continuing the thinking frame if one was shown), up to 20,480 bytes; what does not fit,
 * or comes after the stream can no longer be used, goes out proactively. `chat_type` is left out
 * as the SDK does: the chatid itself says whether it is a group or a userid.
 */
export function createReplies(opts: RepliesOptions) {
  const { log, queue, windows } = opts

  const alive = (p: Pending) => !p.stream || opts.clock.now() - p.stream.startedAt < opts.streamLifetimeMs

  /** One stream frame for a waiting message; the first frame carries the feedback id (the msgid). */
  const frame = async (client: WSClient, p: Pending, content: string, finish: boolean) => {
    const first = !p.stream
    p.stream ??= { id: randomUUID(), startedAt: opts.clock.now() }
    try {
      await client.replyStream({ headers: { req_id: p.reqId } }, p.stream.id, content, finish, undefined, first ? { id: p.messageId } : undefined)
    } catch (err) {
      // a timed-out first frame most likely arrived: keep its stream id for what follows
      if (first && !isAckTimeout(err)) p.stream = undefined
      throw err
    }
  }

  const proactive = (client: WSClient, conversationId: string, content: string) =>
    client.sendMessage(conversationId, { msgtype: 'markdown', markdown: { content } })

  /** One frame, paced and retried by the puppet's policy (not queued: callers are in the conversation's turn). */
  const attempt = <T>(conversationId: string, what: string, send: () => Promise<T>): Promise<T> =>
    queue.attempt(conversationId, send, wecomRetryPolicy(log, conversationId, what))
  /** One frame in the conversation's turn. */
  const run = <T>(conversationId: string, what: string, send: () => Promise<T>): Promise<T> =>
    queue.send(conversationId, send, wecomRetryPolicy(log, conversationId, what))

  return {
    /** Send markdown to a conversation: as the reply to a waiting message if there is one. */
    async text(conversationId: string, content: string, mentionIds: string[]): Promise<void> {
      if (!content.trim()) {
        // a blank finish frame would leave the bubble spinning (ADAPTER); a blank message helps nobody
        log.warn({ conversationId }, 'blank wecom message not sent')
        return
      }
      const [head, ...tail] = splitText(content, MAX_STREAM_BYTES)
      await queue.run(conversationId, async () => {
        let pending = windows.take(conversationId, mentionIds, opts.isGroup(conversationId))
        await attempt(conversationId, 'text', async () => {
          const client = await opts.ready()
          if (pending && alive(pending)) {
            try {
              // noted before the ack: a rating can arrive as soon as members see it
              opts.onAnswered(pending.messageId, head)
              await frame(client, pending, head, true)
              return
            } catch (err) {
              if (!REPLY_GONE.has(errcodeOf(err))) throw err
              log.info({ conversationId, code: errcodeOf(err) }, 'reply window closed, sending proactively')
            }
          }
          pending = undefined
          await proactive(client, conversationId, head)
        })
        for (const part of tail) await attempt(conversationId, 'text', async () => { await proactive(await opts.ready(), conversationId, part) })
      })
    },

    /** Show the thinking frame on a message still waiting for its answer (at most once). */
    async thinking(conversationId: string, messageId: string): Promise<void> {
      const p = windows.find(conversationId, messageId)
      if (!p || p.stream) return
      await run(conversationId, 'thinking', async () => {
        // the answer may have taken it meanwhile
        if (windows.find(conversationId, messageId) !== p || p.stream) return
        await frame(await opts.ready(), p, opts.thinkingText, false)
      }).catch((err: unknown) => log.warn({ err, conversationId, messageId }, 'thinking frame not sent'))
    },

    /** Nothing more will answer this message: forget it, and close its stream if one is open. */
    async done(conversationId: string, messageId: string): Promise<void> {
      const p = windows.release(conversationId, messageId)
      if (!p?.stream || !alive(p)) return
      await run(conversationId, 'close stream', async () => { await frame(await opts.ready(), p, opts.abandonedText, true) })
        .catch((err: unknown) => log.warn({ err, conversationId, messageId }, 'open stream not closed'))
    },

    /** Upload a file (3 days) and send it by media_id. */
    async file(conversationId: string, file: FileBoxInterface): Promise<void> {
      let mediaId: string | undefined
      await run(conversationId, 'file', async () => {
        const client = await opts.ready()
        mediaId ??= await uploadFile(client, file)
        await client.sendMessage(conversationId, { msgtype: 'file', file: { media_id: mediaId } } as Parameters<WSClient['sendMessage']>[1])
      })
    },
  }
}
