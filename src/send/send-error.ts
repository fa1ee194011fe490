/**
 * How a send ended for good, where the platform told us:
 * - `refused`: the platform said no (a bad request, a removed robot...);
 * - `not-activated`: the platform lets the bot speak only where someone messaged it recently;
 * - `unconfirmed`: it went out but its receipt never came, so it was most likely delivered;
 * - `offline`: the connection was down, nothing went out.
 */
export type SendFailure = 'refused' | 'not-activated' | 'unconfirmed' | 'offline'

/**
 * A message could not be sent. `retryable` says whether sending it again may succeed; the retry
 * helper clears it once its attempts are used up, so no layer above sends the message again.
 * Platform errors (WeCom, the group-robot webhook) are subclasses and say their `failure`.
 */
export class SendError extends Error {
  retryable: boolean
  readonly failure?: SendFailure
  constructor(message: string, opts: { retryable: boolean; cause?: unknown; failure?: SendFailure }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = new.target.name
    this.retryable = opts.retryable
    this.failure = opts.failure
  }
}

/** Whether a failed send is worth another attempt: a SendError says so itself; any other failure (a network error) is. */
export function isRetryableSend(err: unknown): boolean {
  return err instanceof SendError ? err.retryable : true
}

/** The innermost SendError that says how the platform ended it, through wrapping layers' causes. */
export function platformFailureOf(err: unknown): (SendError & { failure: SendFailure }) | undefined {
  let found: (SendError & { failure: SendFailure }) | undefined
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof SendError && e.failure) found = e as SendError & { failure: SendFailure }
  }
  return found
}
