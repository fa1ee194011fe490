// bench:scale part 1: one slot of a '*' schedule to n groups through the real bot on the mock
// puppet (pacing 0, one instance), timed from the slot to the last group's send.
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from 'pino'
import { parseConfig } from '../src/config.ts'
import { systemClock } from '../src/clock.ts'
import { createKeys } from '../src/store/keys.ts'
import type { Redis } from '../src/store/redis.ts'
import { Scheduler } from '../src/jobs/scheduler.ts'
import { createDeps } from '../src/deps.ts'
import { allSchedules } from '../src/schedules/definitions.ts'
import { startSimulation } from '../src/cli/simulation.ts'
import type { Messenger } from '../src/bot/messenger.ts'

/**
 * `by`: groups configured by room id or by topic. `cold`: the slot fires before the scheduler's
 * start-up room lookups (as right after login); otherwise after them (a running bot), and
 * `lookUpMs` says how long they took. `bare`: a messenger that returns at once instead of the bot
 * (the scheduler's own share).
 */
export async function fanOutBroadcast(o: { n: number; by: 'id' | 'topic'; cold?: boolean; bare?: boolean; redis: Redis; log: Logger; dir: string; slot: number }) {
  const groups = Array.from({ length: o.n }, (_, i) => o.by === 'id' ? { id: `room${i}@chatroom`, topic: `学习群${i}` } : { topic: `学习群${i}` })
  const config = parseConfig({
    bot: { name: '学习助手', sendIntervalMs: 0 }, console: { enabled: false }, dataDir: path.join(o.dir, `data-${o.by}`), groups,
    schedules: [{ id: 'all', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '全体通知' }],
  }, path.join(o.dir, 'bench.yaml'), {})
  const deps = await createDeps({ config, log: o.log, clock: systemClock, redis: o.redis, keys: createKeys(`b${o.by}${Date.now()}`) })
  let messenger: Messenger | undefined
  let sent = 0
  let last = 0
  const onSent = () => { sent++; last = performance.now() }
  const bare: Messenger = { async toGroup() { onSent() }, async toContact() {}, async fileToContact() {}, async groupMembers() { return [] } }
  const sim = o.bare ? undefined : await startSimulation({ deps, jobs: (_d, m) => { messenger = m; return [] }, onSent })
  if (o.bare) messenger = bare
  while (!messenger) await sleep(50)
  const scheduler = new Scheduler(deps, messenger)
  let lookUpMs: number | undefined
  if (!o.cold) {
    const t = performance.now()
    await scheduler.start()
    await scheduler.roomsLookedUp()
    lookUpMs = performance.now() - t
  }
  const [def] = await allSchedules(config, deps.stores.schedules)
  const t0 = performance.now()
  await scheduler.onSlot(def, o.slot, false)
  while (sent < o.n) await sleep(20)
  const ms = last - t0
  await scheduler.stop()
  await sim?.stop()
  return { ms, lookUpMs }
}
