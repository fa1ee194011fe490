import type { Deps } from '../deps.ts'
import { applyJournalEntry } from './save-reflection.ts'
import { awardReflection } from '../quiz/points.ts'

/**
 * Replay the journal now, whenever the Redis client becomes ready again, and every `intervalMs`
 * while entries wait. Start it once Redis is connected; `stop()` waits for a replay in flight.
 */
export function startJournalReplay(deps: Pick<Deps, 'stores' | 'log' | 'redis' | 'config'>, opts: { intervalMs?: number } = {}): { stop(): Promise<void> } {
  const { journal } = deps.stores
  let running: Promise<void> | undefined
  let stopped = false
  const kick = () => {
    if (stopped || running) return
    running = journal.replay((e) => applyJournalEntry(deps, e).then((r) => awardReflection(deps, r)), deps.log)
      .then((n) => { if (n) deps.log.info({ replayed: n }, 'journal replayed') })
      .catch((err) => deps.log.warn({ err }, 'journal replay incomplete, will retry'))
      .finally(() => { running = undefined })
  }
  const onReady = () => kick()
  deps.redis.on('ready', onReady)
  const timer = setInterval(() => { if (journal.hasPending()) kick() }, opts.intervalMs ?? 5000)
  timer.unref()
  kick()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      deps.redis.off('ready', onReady)
      await running
    },
  }
}
