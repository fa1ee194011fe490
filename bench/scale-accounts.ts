// Part 2 of bench/scale.ts: a broadcast at the default pacing over several accounts, each paced
// on its own, next to one account in the same run.
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
import { createSendQueue } from '../src/send/send-queue.ts'

/** What every measurement here shares. */
export interface PacedBench {
  redis: Redis
  log: Logger
  dir: string
  /** A slot the schedule never reaches by real time. */
  slot: number
  groups: number
  paceMs: number
}

const schedules = [{ id: 'all', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '通知' }]
const topics = (n: number) => Array.from({ length: n }, (_, i) => `支部${i}`)

/**
 * One process, the real bot: `accounts` Wechaty logins on the mock puppet (one account: no
 * `accounts:` in the config, as today), the groups dealt out in turn. Slot → last group's send, ms.
 */
export async function broadcastOverAccounts(b: PacedBench, accounts: number): Promise<number> {
  const names = topics(b.groups)
  const config = parseConfig({
    bot: { sendIntervalMs: b.paceMs }, console: { enabled: false }, dataDir: path.join(b.dir, `accounts-${accounts}`),
    groups: names.map((topic) => ({ topic })), schedules,
    ...(accounts > 1 ? { accounts: Array.from({ length: accounts }, (_, a) => ({ id: `a${a}`, groups: names.filter((_t, i) => i % accounts === a) })) } : {}),
  }, path.join(b.dir, 'bench.yaml'), {})
  const deps = await createDeps({ config, log: b.log, clock: systemClock, redis: b.redis, keys: createKeys(`acc${accounts}${Date.now()}`) })
  let messenger: Messenger | undefined
  let sent = 0
  let last = 0
  const sim = await startSimulation({ deps, jobs: (_d, m) => { messenger = m; return [] }, onSent: () => { sent++; last = performance.now() } })
  while (!messenger) await sleep(50)
  const [def] = await allSchedules(config, deps.stores.schedules)
  const t0 = performance.now()
  await new Scheduler(deps, messenger).onSlot(def, b.slot, false)
  while (sent < b.groups) await sleep(50)
  await sim.stop()
  return last - t0
}

/** A messenger paced like an account's outbox (one send per interval, the same send queue), reaching `mine`. */
function pacedMessenger(paceMs: number, mine: Set<string> | undefined, onSent: () => void): Messenger {
  const queue = createSendQueue({ limit: { count: 1, windowMs: paceMs }, windowOf: () => 'account', clock: { now: () => performance.now() }, retry: { retries: 0, retryBaseMs: 1 } })
  return {
    async reaches(g) { return !mine || mine.has(g) },
    async toGroup(g) { await queue.send(g, async () => { onSent() }) },
    async toContact() {},
    async fileToContact() {},
    async groupMembers() { return [] },
  }
}

/**
 * `instances` schedulers on one Redis, each with one account's send queue reaching its share of
 * the groups (no Wechaty: the work list's hand-over between instances). Slot → last group, ms.
 */
export async function broadcastOverInstances(b: PacedBench, instances: number): Promise<number> {
  const names = topics(b.groups)
  const config = parseConfig({ groups: names.map((topic) => ({ topic })), dataDir: path.join(b.dir, `instances-${instances}`), schedules }, path.join(b.dir, 'bench.yaml'), {})
  const prefix = `paced${instances}${Date.now()}`
  let sent = 0
  let last = 0
  const onSent = () => { sent++; last = performance.now() }
  const shares = instances === 1 ? [undefined] : Array.from({ length: instances }, (_, h) => new Set(names.filter((_t, i) => i % instances === h)))
  const schedulers = await Promise.all(shares.map(async (mine) => {
    const deps = await createDeps({ config, log: b.log, clock: systemClock, redis: b.redis, keys: createKeys(prefix) })
    const s = new Scheduler(deps, pacedMessenger(b.paceMs, mine, onSent))
    await s.start()
    return { s, deps }
  }))
  const [def] = await allSchedules(config, schedulers[0].deps.stores.schedules)
  const t0 = performance.now()
  await Promise.all(schedulers.map(({ s }) => s.onSlot(def, b.slot, false)))
  while (sent < b.groups) await sleep(50)
  for (const { s } of schedulers) await s.stop()
  return last - t0
}
