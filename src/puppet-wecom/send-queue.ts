import type { Logger } from '../log.ts'
import type { Clock } from '../clock.ts'
import { createRateWindow, realSleep, type RateLimit, type Sleep } from '../channels/rate-window.ts'
import { errcodeOf, errmsgOf, WecomSendError } from './errors.ts'

// Codes after which the same frame can succeed later: 6000 command conflict, 45009 frequency
// limit, -1 system busy. Anything else (40008 bad msgtype, 93000, 846608 expired...) is final.
const RETRYABLE = new Set([6000, 45009, -1])

/** Whether a send refused with this errcode is worth sending again. */
export function isRetryable(code: number): boolean {
  return RETRYABLE.has(code)
}

/** Options of the per-conversation send queue. */
export interface SendQueueOptions {
  log: Logger
  clock: Clock
  sleep?: Sleep
  /** WeCom: 30 messages per minute per conversation, replies and proactive sends together. */
  limit: RateLimit
  retries: number
  retryBaseMs: number
}

/**
 * One ordered queue per conversation: each send waits for its turn and for the rate limit
 * (never dropped), and a refused send is logged with its code and retried only if retryable.
 */
export function createSendQueue(opts: SendQueueOptions) {
  const sleep = opts.sleep ?? realSleep
  const window = createRateWindow({ limit: opts.limit, clock: opts.clock, sleep })
  const tails = new Map<string, Promise<unknown>>()

  const attempts = async <T>(conversationId: string, what: string, attempt: () => Promise<T>): Promise<T> => {
    for (let i = 0; ; i++) {
      await window.acquire(conversationId)
      try {
        return await attempt()
      } catch (err) {
        const code = errcodeOf(err)
        const retry = isRetryable(code) && i < opts.retries && !/timeout/i.test(errmsgOf(err))
        opts.log.warn({ conversationId, what, code, errmsg: errmsgOf(err), attempt: i + 1, retry }, 'wecom send rejected')
        if (!retry) throw err instanceof WecomSendError ? err : new WecomSendError(code, errmsgOf(err))
        await sleep(opts.retryBaseMs * 2 ** i)
      }
    }
  }

  return {
    /** Run `attempt` (possibly several times) once earlier sends to this conversation are done. */
    run<T>(conversationId: string, what: string, attempt: () => Promise<T>): Promise<T> {
      const result = (tails.get(conversationId) ?? Promise.resolve()).then(() => attempts(conversationId, what, attempt))
      const tail = result.catch(() => undefined)
      tails.set(conversationId, tail)
      void tail.then(() => { if (tails.get(conversationId) === tail) tails.delete(conversationId) })
      return result
    },
  }
}
