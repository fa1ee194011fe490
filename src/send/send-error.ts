/**
 * A message could not be sent. `retryable` says whether sending it again may succeed; the retry
 * helper clears it once its attempts are used up, so no layer above sends the message again.
 * Platform errors (WeCom, the group-robot webhook) are subclasses.
 */
export class SendError extends Error {
  retryable: boolean
  constructor(message: string, opts: { retryable: boolean; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.retryable = opts.retryable
  }
}

/** Whether a failed send is worth another attempt: a SendError says so itself; any other failure (a network error) is. */
export function isRetryableSend(err: unknown): boolean {
  return err instanceof SendError ? err.retryable : true
}
