// npm run bench:schedules — slot-to-send delay with 100 schedules × 50 groups, next to bare node-cron
// tasks firing the same slots in the same run; then idle CPU and memory with 1,000 schedules.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { createTask, type ScheduledTask } from 'node-cron'
import { parseConfig } from '../src/config.ts'
import { systemClock } from '../src/clock.ts'
import { createKeys } from '../src/store/keys.ts'
import { connectRedis } from '../src/store/redis.ts'
import { startLocalRedis } from '../src/store/local-redis-server.ts'
import { Scheduler } from '../src/jobs/scheduler.ts'
import { createDeps, type Deps } from '../src/deps.ts'
import type { Messenger } from '../src/bot/messenger.ts'

const tz = 'Asia/Shanghai'
const everyS = 5
const cron = `*/${everyS} * * * * *`
const slotsMeasured = 3

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-'))
const server = await startLocalRedis({ dir, persistent: false })
const redis = await connectRedis(server.url)
const log = pino({ level: 'silent' })

const groups = Array.from({ length: 50 }, (_, i) => ({ topic: `学习群${String(i + 1).padStart(2, '0')}` }))

function deps(schedules: unknown[], prefix: string): Promise<Deps> {
  const config = parseConfig({ groups, schedules }, path.join(dir, 'bench.yaml'), {})
  return createDeps({ config, log, clock: systemClock, redis, keys: createKeys(prefix) })
}

function recordingMessenger(onSend: (text: string, at: number) => void): Messenger {
  return {
    async toGroup(_g, text) { onSend(text, Date.now()) },
    async toContact() {},
    async fileToContact() {},
    async groupMembers() { return [] },
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN
}
const slotOf = (at: number) => Math.floor(at / (everyS * 1000)) * everyS * 1000
/** Wait until just after a slot, so measurement windows hold whole slots. */
const alignToSlot = async () => { await sleep(everyS * 1000 - (Date.now() % (everyS * 1000)) + 200) }

// --- 1. delay from slot to send ------------------------------------------------------------------
console.log(`调度延迟：100 个定时任务 × 50 个群，cron "${cron}"，测 ${slotsMeasured} 个时间点`)

// baseline: 100 bare node-cron tasks, same cron, same zone
const bare: number[] = []
await alignToSlot()
const bareTasks: ScheduledTask[] = Array.from({ length: 100 }, () =>
  createTask(cron, (ctx) => { bare.push(Date.now() - ctx.date.getTime()) }, { timezone: tz }))
bareTasks.forEach((t) => t.start())
await sleep(slotsMeasured * everyS * 1000)
for (const t of bareTasks) await t.destroy()

// the scheduler: claims per (schedule, group, slot) in Redis, records every firing
const first = new Map<string, number>()
const last = new Map<string, number>()
let sends = 0
const schedules = Array.from({ length: 100 }, (_, i) => ({ id: `s${i}`, group: '*', cron, kind: 'text', text: `s${i} 学习提醒` }))
const messenger = recordingMessenger((text, at) => {
  sends++
  const key = `${text.split(' ')[0]}@${slotOf(at)}`
  if (!first.has(key)) first.set(key, at)
  last.set(key, at)
})
const scheduler = new Scheduler(await deps(schedules, 'bench-delay'), messenger)
await scheduler.start()
// measure exactly `slotsMeasured` slots: from 0.5 s before one to 4.5 s after the last
await sleep(everyS * 1000 - (Date.now() % (everyS * 1000)) - 500)
if (Date.now() % (everyS * 1000) < everyS * 500) await sleep(everyS * 1000)
first.clear(); last.clear(); sends = 0
await sleep((slotsMeasured - 1) * everyS * 1000 + 5000 - 500)
await scheduler.stop()

const firstDelays = [...first].map(([k, at]) => at - Number(k.split('@')[1]))
const lastDelays = [...last].map(([k, at]) => at - Number(k.split('@')[1]))
const row = (name: string, xs: number[]) => `  ${name.padEnd(34)} p50 ${String(pct(xs, 50)).padStart(5)} ms   p99 ${String(pct(xs, 99)).padStart(5)} ms   (n=${xs.length})`
console.log(row('node-cron 裸任务（基线）', bare))
console.log(row('Scheduler：时间点→该任务首条发送', firstDelays))
console.log(row('Scheduler：时间点→该任务第 50 个群', lastDelays))
console.log(`  每个时间点发送 ${Math.round(sends / slotsMeasured)} 条（应为 5000）`)
const ratio = (xs: number[], p: number) => (pct(xs, p) / Math.max(1, pct(bare, p))).toFixed(1)
console.log(`  与基线之比：首条发送 p50 ${ratio(firstDelays, 50)}×、p99 ${ratio(firstDelays, 99)}×；第 50 个群 p50 ${ratio(lastDelays, 50)}×、p99 ${ratio(lastDelays, 99)}×`)

// --- 2. idle CPU and memory with 1,000 schedules -------------------------------------------------
const idleMs = 32_000 // includes one periodic resync (every 30 s)
const measureIdle = async (ms: number) => {
  global.gc?.()
  const mem0 = process.memoryUsage()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await sleep(ms)
  const cpu = process.cpuUsage(cpu0)
  const wall = performance.now() - t0
  return { cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, rssMb: process.memoryUsage().rss / 2 ** 20, heapMb: process.memoryUsage().heapUsed / 2 ** 20, mem0 }
}
const idleCron = '0 9 * * 1'
console.log(`\n空闲：1000 个定时任务（cron "${idleCron}"，50 个群）`)
const before = process.memoryUsage()
const idleBare = Array.from({ length: 1000 }, () => createTask(idleCron, () => {}, { timezone: tz }))
idleBare.forEach((t) => t.start())
const bareIdle = await measureIdle(10_000)
for (const t of idleBare) await t.destroy()

const idleSchedules = Array.from({ length: 1000 }, (_, i) => ({ id: `i${i}`, group: '*', cron: idleCron, kind: 'text', text: '每周学习' }))
const idleScheduler = new Scheduler(await deps(idleSchedules, 'bench-idle'), recordingMessenger(() => {}))
const heapBefore = process.memoryUsage().heapUsed
await idleScheduler.start()
const schedIdle = await measureIdle(idleMs)
const heapAfter = process.memoryUsage().heapUsed
await idleScheduler.stop()
console.log(`  node-cron 裸任务（基线）            CPU ${bareIdle.cpuPct.toFixed(2)}%   RSS ${bareIdle.rssMb.toFixed(0)} MB`)
console.log(`  Scheduler（${idleMs / 1000} s，含一次周期同步）   CPU ${schedIdle.cpuPct.toFixed(2)}%   RSS ${schedIdle.rssMb.toFixed(0)} MB   堆增量 ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MB`)
console.log(`  （进程起始 RSS ${(before.rss / 2 ** 20).toFixed(0)} MB）`)
console.log(`  与基线之比：CPU ${(schedIdle.cpuPct / Math.max(0.01, bareIdle.cpuPct)).toFixed(2)}×、RSS ${(schedIdle.rssMb / bareIdle.rssMb).toFixed(2)}×`)

redis.disconnect()
await server.stop()
fs.rmSync(dir, { recursive: true, force: true })
