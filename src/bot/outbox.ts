import { setTimeout as sleep } from 'node:timers/promises'
import { performance } from 'node:perf_hooks'
import type { FileBoxInterface } from 'file-box'
import type { Contact, Room } from 'wechaty'
import type { Logger } from '../log.ts'
import { splitText } from './split-text.ts'

/** Raised when a message could not be sent after every retry. */
export class SendError extends Error {
  /** True when sending again cannot help or could deliver twice; callers must not retry either. */
  constructor(message: string, readonly permanent: boolean, options?: ErrorOptions) {
    super(message, options)
  }
}

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
}

/**
 * One queue for everything this account sends: long texts are split, sends are paced and
 * retried a bounded number of times. Order is kept across all conversations.
 */
export function createOutbox(opts: OutboxOptions) {
  let tail: Promise<unknown> = Promise.resolve()
  // pacing measures elapsed time, so a monotonic clock rather than the (fakeable) wall clock
  let lastSentAt = -Infinity
  let pending = 0

  const attempt = async (label: Record<string, unknown>, send: () => Promise<unknown>) => {
    for (let i = 0; ; i++) {
      const wait = lastSentAt + opts.intervalMs - performance.now()
      if (wait > 0) await sleep(wait)
      try {
        await send()
        lastSentAt = performance.now()
        return
      } catch (err) {
        lastSentAt = performance.now()
        // a platform that already retried (or for which a repeat could deliver twice) says so
        const permanent = (err as { permanent?: boolean }).permanent === true
        if (i >= opts.retries || permanent) {
          opts.log.error({ err, ...label, attempts: i + 1 }, 'send failed')
          throw new SendError(`发送失败：${(err as Error).message}`, permanent, { cause: err })
        }
        opts.log.warn({ err, ...label, attempt: i + 1 }, 'send failed, retrying')
        await sleep((opts.retryBaseMs ?? 500) * 2 ** i)
      }
    }
  }

  const enqueue = (job: () => Promise<void>): Promise<void> => {
    pending++
    const run = tail.then(job)
    tail = run.catch(() => undefined).finally(() => { pending-- })
    return run
  }

  return {
    /** Queue `text` for a room or contact; the first part carries the @-mentions. */
    send(target: Room | Contact, text: string, mentions: Contact[] = []): Promise<void> {
      const parts = splitText(text, opts.maxBytes)
      const label = { conversation: target.id }
      return enqueue(async () => {
        for (const [i, part] of parts.entries()) {
          await attempt(label, () => (i === 0 && mentions.length && isRoom(target)
            ? target.say(part, ...mentions)
            : target.say(part)))
        }
      })
    },
    /** Queue a file for a room or contact. */
    sendFile(target: Room | Contact, file: FileBoxInterface): Promise<void> {
      return enqueue(() => attempt({ conversation: target.id, file: file.name }, () => target.say(file)))
    },
    /** Resolves once everything queued so far has been sent (or has failed). */
    async idle(): Promise<void> {
      while (pending > 0) await tail
    },
  }
}

/** The account's outgoing queue. */
export type Outbox = ReturnType<typeof createOutbox>

function isRoom(target: Room | Contact): target is Room {
  return 'topic' in target && typeof (target as Room).topic === 'function'
}
