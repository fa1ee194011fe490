import { realSleep, type Sleep } from './rate-window.ts'
import { isRetryableSend, SendError } from './send-error.ts'

/** How a send is retried: bounded attempts, exponential backoff. */
export interface RetryPolicy {
  /** Attempts after the first, for failures worth retrying. */
  retries: number
  /** Backoff before the second attempt; doubles each time, capped at `maxBackoffMs` (default 30 s). */
  retryBaseMs: number
  maxBackoffMs?: number
  /** Is this failure worth another attempt? Default: isRetryableSend. */
  retryable?: (err: unknown) => boolean
  /** Told about every failed attempt, before any backoff (for the log line). */
  onFailure?: (err: unknown, info: { attempt: number; willRetry: boolean }) => void
  /**
   * The error to throw when no attempt is left or the failure is final. Default: the failure itself
   * when it is a SendError (its `retryable` cleared), else a SendError wrapping it.
   */
  giveUp?: (err: unknown, attempts: number) => Error
  sleep?: Sleep
}

/**
 * Run `attempt` until it succeeds, the failure is final, or the attempts run out. What it throws is
 * never retryable: retries happen in this one layer, whoever calls it.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const retryable = policy.retryable ?? isRetryableSend
  const sleep = policy.sleep ?? realSleep
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (err) {
      const willRetry = n <= policy.retries && retryable(err)
      policy.onFailure?.(err, { attempt: n, willRetry })
      if (!willRetry) throw final(policy.giveUp ? policy.giveUp(err, n) : err)
      await sleep(Math.min(policy.retryBaseMs * 2 ** (n - 1), policy.maxBackoffMs ?? 30_000))
    }
  }
}

function final(err: unknown): Error {
  if (err instanceof SendError) {
    err.retryable = false
    return err
  }
  return new SendError((err as Error)?.message ?? String(err), { retryable: false, cause: err })
}
