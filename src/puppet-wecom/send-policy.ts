import type { Logger } from '../log.ts'
import type { RetryPolicy } from '../send/retry.ts'
import { classifySendError, errcodeOf, errmsgOf, isAckTimeout, WecomSendError } from './errors.ts'

// Codes after which the same frame can succeed later: 6000 command conflict, 45009 frequency
// limit, -1 system busy. Anything else (40008 bad msgtype, 93000, 846608 expired...) is final.
const RETRYABLE = new Set([6000, 45009, -1])

/** Whether a send refused with this errcode is worth sending again. */
export function isRetryable(code: number): boolean {
  return RETRYABLE.has(code)
}

/**
 * How the puppet retries a refused frame: only retryable codes, never a timed-out ack (the frame
 * may have been delivered). Each refusal is logged with its code; what leaves is a WecomSendError
 * (NotActivated, Unconfirmed, Offline...), final for every layer above.
 */
export function wecomRetryPolicy(log: Logger, conversationId: string, what: string): Partial<RetryPolicy> {
  return {
    // our own errors (offline after the wait, takeover) already say whether to retry: they never repeat the wait
    retryable: (err) => !(err instanceof WecomSendError) && isRetryable(errcodeOf(err)) && !isAckTimeout(err),
    onFailure: (err, { attempt, willRetry }) => {
      log.warn({ conversationId, what, code: errcodeOf(err), errmsg: errmsgOf(err), attempt, retry: willRetry }, 'wecom send rejected')
    },
    giveUp: (err) => classifySendError(err),
  }
}
