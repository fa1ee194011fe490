/** What a broadcast's fan-out needs: where to take work from, which lane each item takes and how to send it. */
export interface FanOut<T, L extends string> {
  /** Up to `max` items to do (leased for this instance); none when nothing is free to take. */
  take(max: number): Promise<T[]>
  laneOf(item: T): L
  /** Items of one lane in flight at once (the bot account's outbox; each group robot is its own). */
  limits: Record<L, number>
  /** Most items taken at once. */
  batch: number
  /**
   * Send one item. `sent()` gives its lane place to the next item before the bookkeeping after a
   * send (its outcome record) is done; the fan-out still waits for the whole handler.
   */
  handle(item: T, sent: () => void): Promise<void>
}

/**
 * Send items as they are taken, each lane up to its limit, never waiting for a batch to finish:
 * a group whose send hangs holds one place in its lane and nothing else. More is taken only when
 * every item taken so far has started, so none waits long under its lease behind a full lane;
 * after an empty take, again each time an item is done. Resolves once a take found nothing with
 * nothing in flight; rejects with the first failure of `take` or `handle` (after the items in
 * flight settle).
 */
export function fanOut<T, L extends string>(o: FanOut<T, L>): Promise<void> {
  const lanes = Object.keys(o.limits) as L[]
  const running = Object.fromEntries(lanes.map((l) => [l, 0])) as Record<L, number>
  const queue: T[] = []
  let exhausted = false
  let taking = false
  let handling = 0
  let failure: { err: unknown } | undefined
  const free = () => lanes.reduce((n, l) => n + Math.max(0, o.limits[l] - running[l]), 0)
  const busy = () => handling > 0

  return new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (failure) {
        if (!busy()) reject(failure.err)
        return
      }
      for (let i = 0; i < queue.length;) {
        const lane = o.laneOf(queue[i])
        if (running[lane] >= o.limits[lane]) { i++; continue }
        const [item] = queue.splice(i, 1)
        running[lane]++
        handling++
        let placed = true
        const sent = () => {
          if (!placed) return
          placed = false
          running[lane]--
          queueMicrotask(pump)
        }
        o.handle(item, sent).catch((err: unknown) => { failure ??= { err } }).finally(() => {
          handling--
          // what others handed back meanwhile (groups they cannot reach) is worth another look
          exhausted = false
          sent()
          pump()
        })
      }
      if (!queue.length && !exhausted && !taking && free() > 0) {
        taking = true
        o.take(Math.min(o.batch, free())).then((items) => {
          if (!items.length) exhausted = true
          queue.push(...items)
        }, (err: unknown) => { failure ??= { err } }).finally(() => {
          taking = false
          pump()
        })
        return
      }
      if (exhausted && !queue.length && !taking && !busy()) resolve()
    }
    pump()
  })
}
