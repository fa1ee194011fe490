/**
 * Group commit: calls made while a flush is running (or in the same turn of the event loop) are
 * handed to `flush` together, one call for many items. A broadcast to thousands of groups marks
 * each group's begin and outcome through one of these, one Redis round trip per batch instead of
 * one per group, while every caller still waits for its own item to be written. DataLoader
 * (checked) batches per tick but caches and never holds items back while a batch is in flight.
 */
export function createGroupCommit<I, O>(flush: (items: I[]) => Promise<O[]>, o: { max?: number } = {}) {
  const max = o.max ?? 256
  let waiting: Array<{ item: I; resolve: (v: O) => void; reject: (e: unknown) => void }> = []
  let running = false

  const run = async () => {
    while (waiting.length) {
      const batch = waiting.slice(0, max)
      waiting = waiting.slice(max)
      try {
        const out = await flush(batch.map((b) => b.item))
        batch.forEach((b, i) => b.resolve(out[i]))
      } catch (err) {
        for (const b of batch) b.reject(err)
      }
    }
    running = false
  }

  return (item: I): Promise<O> => new Promise<O>((resolve, reject) => {
    waiting.push({ item, resolve, reject })
    if (running) return
    running = true
    setImmediate(() => { void run() })
  })
}
