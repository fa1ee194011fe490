/** A pass that runs at start and every `intervalMs`, one at a time (the body of a polling job). */
export interface Poller {
  start(): void
  /** Stop the timer and wait for the pass in flight. */
  stop(): Promise<void>
  /** Run a pass now, or join the one in flight. */
  tick(): Promise<void>
}

/**
 * The timer of a polling job: `pass` runs at start and every `intervalMs`, never two at once. A
 * failed pass goes to `onError` (the job wrapper's catch site) and the next one runs as usual.
 */
export function createPoller(pass: () => Promise<void>, o: { intervalMs: number; onError: (err: unknown) => void }): Poller {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  const tick = (): Promise<void> => {
    running ??= pass().catch(o.onError).finally(() => { running = undefined })
    return running
  }
  return {
    start() {
      if (timer) return
      timer = setInterval(() => { void tick() }, o.intervalMs)
      timer.unref()
      void tick()
    },
    async stop() {
      clearInterval(timer)
      timer = undefined
      await running
    },
    tick,
  }
}
