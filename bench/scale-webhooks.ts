// bench:scale part: a broadcast to groups that each have a group robot (webhook), through the real
// bot on the mock puppet (a broadcast takes the group's robot), against a local HTTP server that
// answers every webhook call after `latencyMs`, as WeCom's would. Baselines in the same run: the
// same server's calls one at a time (raw fetch; what a loop sending one group after another pays)
// and the floor of `webhookConcurrency` calls at a time.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
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

/** A fake group-robot endpoint: every POST answered `{ errcode: 0 }` after `latencyMs`. */
async function slowWebhooks(latencyMs: number) {
  const answered: number[] = []
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"errcode":0,"errmsg":"ok"}')
      answered.push(performance.now())
    }, latencyMs))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: (key: string) => `http://127.0.0.1:${port}/cgi-bin/webhook/send?key=${key}`,
    answered,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}

/** Slot → last webhook answered for `n` groups, next to one-at-a-time calls, in ms. */
export async function webhookFanOut(o: { n: number; latencyMs: number; redis: Redis; log: Logger; dir: string; slot: number }) {
  const hooks = await slowWebhooks(o.latencyMs)
  // one at a time: the mean of 30 raw calls, times n
  const t0 = performance.now()
  for (let i = 0; i < 30; i++) await (await fetch(hooks.url(`base${i}`), { method: 'POST', body: '{}' })).text()
  const oneAtATime = (performance.now() - t0) / 30 * o.n

  const groups = Array.from({ length: o.n }, (_, i) => ({ id: `hook${i}@chatroom`, topic: `机器人群${i}`, webhook: `HOOK_${i}` }))
  const env = Object.fromEntries(groups.map((g, i) => [g.webhook, hooks.url(`KEY${i}`)]))
  const config = parseConfig({
    bot: { name: '学习助手', sendIntervalMs: 0 }, console: { enabled: false }, dataDir: path.join(o.dir, 'data-hooks'), groups,
    schedules: [{ id: 'all', group: '*', cron: '0 9 29 2 *', kind: 'text', text: '全体通知' }],
  }, path.join(o.dir, 'bench.yaml'), env)
  const deps = await createDeps({ config, log: o.log, clock: systemClock, redis: o.redis, keys: createKeys(`bhook${Date.now()}`) })
  let messenger: Messenger | undefined
  const sim = await startSimulation({ deps, jobs: (_d, m) => { messenger = m; return [] } })
  while (!messenger) await sleep(50)
  const scheduler = new Scheduler(deps, messenger)
  const [def] = await allSchedules(config, deps.stores.schedules)
  hooks.answered.length = 0
  const start = performance.now()
  await scheduler.onSlot(def, o.slot, false)
  while (hooks.answered.length < o.n) await sleep(20)
  const fanOut = Math.max(...hooks.answered) - start
  await sim.stop()
  await hooks.close()
  return { fanOut, oneAtATime, floor: Math.ceil(o.n / 100) * o.latencyMs }
}
