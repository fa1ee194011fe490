import { performance } from 'node:perf_hooks'
import type { FileBoxInterface } from 'file-box'
import type { Contact, Room } from 'wechaty'
import type { Logger } from '../log.ts'
import type { Clock } from '../clock.ts'
import { SendError } from '../send/send-error.ts'
import { createSendQueue } from '../send/send-queue.ts'
import type { Sleep } from '../send/rate-window.ts'
import { splitText } from './split-text.ts'

/** Options for the account's outgoing queue. */
export interface OutboxOptions {
  log: Logger
  /** Minimum pause between two sends of this account (platform anti-spam limits). */
  intervalMs: number
  /** Split text into messages of at most this many UTF-8 bytes. */
  maxBytes: number
  /** Extra attempts after a failed send. */
  retries: number
  /** Base of the exponential backoff between attempts. */
  retryBaseMs?: number
  /** Waits between attempts and for the pace (tests pass one they control). */
  sleep?: Sleep
  /** What the pace is measured by (default monotonic time; tests pass a manual clock with their sleep). */
  clock?: Clock
  /** Messages (parts of split texts) one conversation may have waiting; more are refused. */
  maxQueued?: number
}

/** Raised when a conversation already has `maxQueued` messages waiting: the new text is not sent. */
export class OutboxFullError extends SendError {
  constructor() { super('发送队列已满，这条消息没有发出', { retryable: false }) }
}

// pacing measures elapsed time, so a monotonic clock rather than the (fakeable) wall clock
const monotonic = { now: () => performance.now() }

/**
 * Everything this account sends, through the send pipeline: long texts are split, each
 * conversation keeps its order, every send of the account is paced, and a failed send is retried
 * a bounded number of times (unless the platform already did, see SendError.retryable).
 */
export function createOutbox(opts: OutboxOptions) {
  const queue = createSendQueue({
    limit: { count: 1, windowMs: opts.intervalMs },
    windowOf: () => 'account',
    clock: opts.clock ?? monotonic,
    sleep: opts.sleep,
    retry: { retries: opts.retries, retryBaseMs: opts.retryBaseMs ?? 500 },
  })

  const attempt = (label: Record<string, unknown>, send: () => Promise<unknown>) =>
    queue.attempt(String(label.conversation), send, {
      onFailure: (err, { attempt: n, willRetry }) => {
        if (willRetry) opts.log.warn({ err, ...label, attempt: n }, 'send failed, retrying')
        else opts.log.error({ err, ...label, attempts: n }, 'send failed')
      },
      giveUp: (err) => new SendError(`发送失败：${(err as Error).message}`, { retryable: false, cause: err }),
    })

  // a flood (a member's 100 commands, a reply to a huge argument) must not queue without end
  const maxQueued = opts.maxQueued ?? 50
  const waiting = new Map<string, number>()
  const admit = <T>(conversation: string, parts: number, what: Record<string, unknown>, task: () => Promise<T>): Promise<T> => {
    const now = waiting.get(conversation) ?? 0
    if (now + parts > maxQueued) {
      opts.log.warn({ conversation, waiting: now, parts, maxQueued, ...what }, 'outbox full for this conversation; message dropped')
      return Promise.reject(new OutboxFullError())
    }
    waiting.set(conversation, now + parts)
    return queue.run(conversation, task).finally(() => {
      const left = (waiting.get(conversation) ?? parts) - parts
      if (left > 0) waiting.set(conversation, left)
      else waiting.delete(conversation)
    })
  }

  return {
    /**
     * Queue `text` for a room or contact; the first part carries the @-mentions. Parts are cut
     * from the text as the platform receives it, "@名字 " included, so none exceeds `maxBytes`.
     * Refused with OutboxFullError (and logged) when the conversation has `maxQueued` waiting.
     */
    send(target: Room | Contact, text: string, mentions: Contact[] = []): Promise<void> {
      const label = { conversation: target.id }
      const parts = splitText(text, opts.maxBytes).length
      const dropped = { bytes: Buffer.byteLength(text), text: text.slice(0, 80) }
      return admit(target.id, parts, dropped, async () => {
        const mentioning = mentions.length > 0 && isRoom(target) && text.trim() !== ''
        const { first, rest } = mentioning
          ? splitAfterPrefix(await mentionPrefix(target, mentions), text, opts.maxBytes)
          : { first: undefined, rest: splitText(text, opts.maxBytes) }
        if (first !== undefined) await attempt(label, () => (target as Room).say(first, ...mentions))
        for (const part of rest) await attempt(label, () => target.say(part))
      })
    },
    /** Queue a file for a room or contact. */
    async sendFile(target: Room | Contact, file: FileBoxInterface): Promise<void> {
      await admit(target.id, 1, { file: file.name }, () => attempt({ conversation: target.id, file: file.name }, () => target.say(file)))
    },
    /** Resolves once everything queued so far has been sent (or has failed). */
    idle: (): Promise<void> => queue.idle(),
  }
}

/** The account's outgoing queue. */
export type Outbox = ReturnType<typeof createOutbox>

/** What Wechaty's `Room.say(text, ...mentions)` puts in front of the text: "@名字 " (room alias first). */
async function mentionPrefix(room: Room, mentions: Contact[]): Promise<string> {
  const names = await Promise.all(mentions.map(async (c) => `@${(await room.alias(c)) || c.name()}`))
  return `${names.join('\u2005')} `
}

/**
 * Split `prefix + text` at `maxBytes`; `first` is the first part without the prefix (the platform
 * adds it back). A prefix too long to share a part with any text gets the mentions alone.
 */
function splitAfterPrefix(prefix: string, text: string, maxBytes: number): { first: string; rest: string[] } {
  const parts = splitText(prefix + text.trim(), maxBytes)
  if (parts[0]?.startsWith(prefix)) return { first: parts[0].slice(prefix.length), rest: parts.slice(1) }
  return { first: '', rest: splitText(text, maxBytes) }
}

function isRoom(target: Room | Contact): target is Room {
  return 'topic' in target && typeof (target as Room).topic === 'function'
}
