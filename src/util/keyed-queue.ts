/**
 * Runs tasks one after another per key, different keys side by side: one conversation's messages
 * stay in order while another conversation never waits for it. A failed task fails its own
 * caller only; the next task under the key still runs.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>()
  const settle = () => undefined

  return {
    /** Run `task` once every task queued earlier under `key` has settled. */
    run<T>(key: string, task: () => T | Promise<T>): Promise<T> {
      const result = (tails.get(key) ?? Promise.resolve()).then(task)
      // the tail only orders the next task; the caller of `result` sees its failure
      const tail = result.then(settle, settle)
      tails.set(key, tail)
      void tail.then(() => { if (tails.get(key) === tail) tails.delete(key) })
      return result
    },
    /** Resolves once every task queued so far (and any queued meanwhile) has settled. */
    async idle(): Promise<void> {
      while (tails.size) await Promise.all(tails.values())
    },
    /** True while some task is queued or running. */
    busy(): boolean {
      return tails.size > 0
    },
  }
}

/** A keyed serial queue. */
export type KeyedQueue = ReturnType<typeof createKeyedQueue>
