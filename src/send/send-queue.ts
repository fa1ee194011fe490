import type { Clock } from '../clock.ts'
import { createKeyedQueue } from '../util/keyed-queue.ts'
import { createRateWindow, type RateLimit, type Sleep } from './rate-window.ts'
import { withRetry, type RetryPolicy } from './retry.ts'

/** Options of a send queue: the platform's rate limit and how a refused send is retried. */
export interface SendQueueOptions {
  /** Sends allowed per window, counted per `windowOf(conversation)`; failed attempts count too. */
  limit: RateLimit
  /** Which rate window a conversation's sends count against: its own (default) or a shared one. */
  windowOf?: (conversation: string) => string
  clock: Clock
  sleep?: Sleep
  retry: Omit<RetryPolicy, 'sleep'>
}

/**
 * The one send pipeline: a serial queue per conversation (order kept, never dropped), each
 * attempt paced by the rate limit and retried by the policy. One conversation's backoff never
 * holds up another; a shared window (`windowOf`) paces the whole account.
 */
export function createSendQueue(opts: SendQueueOptions) {
  const queue = createKeyedQueue()
  const window = createRateWindow({ limit: opts.limit, clock: opts.clock, sleep: opts.sleep })
  const windowOf = opts.windowOf ?? ((conversation: string) => conversation)

  /** One send, paced and retried (not queued). */
  const attempt = <T>(conversation: string, send: (n: number) => Promise<T>, policy: Partial<RetryPolicy> = {}): Promise<T> =>
    withRetry(async (n) => {
      await window.acquire(windowOf(conversation))
      return send(n)
    }, { ...opts.retry, sleep: opts.sleep, ...policy })

  return {
    attempt,
    /** Run `task` (which may call `attempt` several times, e.g. for the parts of a long text) in the conversation's turn. */
    run: <T>(conversation: string, task: () => Promise<T>): Promise<T> => queue.run(conversation, task),
    /** One send in the conversation's turn, paced and retried. */
    send: <T>(conversation: string, send: (n: number) => Promise<T>, policy?: Partial<RetryPolicy>): Promise<T> =>
      queue.run(conversation, () => attempt(conversation, send, policy)),
    /** Resolves once everything queued so far has been sent (or has failed). */
    idle: () => queue.idle(),
  }
}

/** A send queue. */
export type SendQueue = ReturnType<typeof createSendQueue>
