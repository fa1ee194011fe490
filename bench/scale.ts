// npm run bench:scale — issue 15's targets, each next to a baseline measured in the same run:
// 1. one slot of a '*' schedule to N groups (default 6,000; SCALE_GROUPS) by id and by topic through the real
//    bot on the mock puppet, pacing 0, vs N raw Redis claim round trips (SET NX PX, one at a time);
// 1b. 600 groups (WEBHOOK_GROUPS) that each have a group robot, against a local webhook server
//    answering after 100 ms, vs the same calls one at a time (bench/scale-webhooks.ts);
// 2. 60 groups (PACED_GROUPS) at the default pacing (1 message/s per account, PACING_MS) over 2
//    accounts in one process (two Wechaty logins on the mock puppet, `accounts:` in the config), vs
//    one account through the same bot; and (2i) over 2 instances with one account each;
// 3. crash drill: two instances (child processes) share a 200-group broadcast, one is SIGKILLed
//    at a random point and restarted; counts sends per group (REPEAT times, default 20).
// SCALE_PARTS=2 (or 1,1b,2i,3 …) runs only those parts.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { createKeys } from '../src/store/keys.ts'
import { connectRedis } from '../src/store/redis.ts'
import { startLocalRedis } from '../src/store/local-redis-server.ts'
import { createDeps } from '../src/deps.ts'
import { broadcastOverAccounts, broadcastOverInstances } from './scale-accounts.ts'
import { webhookFanOut } from './scale-webhooks.ts'
import { fanOutBroadcast } from './scale-fanout.ts'

const N = Number(process.env.SCALE_GROUPS ?? 6000)
const DRILL_GROUPS = Number(process.env.DRILL_GROUPS ?? 200)
const REPEAT = Number(process.env.REPEAT ?? 20)
/** Which parts run: 1 (fan-out), 1b (webhook groups), 2 (accounts in one process), 2i (two instances), 3 (crash drill); SCALE_PARTS=2 for one. */
const PARTS = new Set((process.env.SCALE_PARTS ?? '1,1b,2,2i,3').split(',').map((p) => p.trim()))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-scale-'))
const server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
const redis = await connectRedis(server.url)
const log = pino({ level: 'silent' })
const slot = Date.UTC(2028, 1, 29, 1, 0) // 2028-02-29 09:00 Beijing: never reached by real time
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

// --- 1. fan-out to N groups ------------------------------------------------------------------
async function rawClaims(prefix: string): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < N; i++) await redis.set(`${prefix}:{g${i}}:claim:${slot}`, 'x', 'PX', 60_000, 'NX')
  return performance.now() - t0
}

if (PARTS.has('1')) {
  console.log(`1. 一个时间点发往 ${N} 个群（pacing 0，单实例，mock puppet）`)
  const base = await rawClaims('raw')
  console.log(`   基准：${N} 次 Redis 认领往返（SET NX PX，逐个）  ${fmt(base)}`)
  const ratio = (ms: number) => `${(ms / base).toFixed(2)}× 基准`
  for (const by of ['id', 'topic'] as const) {
    const t = await fanOutBroadcast({ n: N, by, redis, log, dir, slot })
    console.log(`   按群 ${by === 'id' ? 'id' : '名称（topic）'} 查找：时间点 → 最后一个群  ${fmt(t.ms)}  = ${ratio(t.ms)}（目标 ≤ 3×；启动时后台查找 ${N} 个群的房间用了 ${fmt(t.lookUpMs!)}）`)
  }
  const cold = await fanOutBroadcast({ n: N, by: 'id', cold: true, redis, log, dir, slot })
  console.log(`   刚登录、房间尚未查找（按 id）：${fmt(cold.ms)}  = ${ratio(cold.ms)}（Wechaty 首次加载每个房间的开销）`)
  const bare = await fanOutBroadcast({ n: N, by: 'id', bare: true, redis, log, dir, slot })
  console.log(`   仅调度器（消息接口立即返回，不经 mock puppet）：${fmt(bare.ms)}  = ${ratio(bare.ms)}`)
}

// --- 1b. webhook groups ----------------------------------------------------------------------
if (PARTS.has('1b')) {
  const hooks = Number(process.env.WEBHOOK_GROUPS ?? 600)
  console.log(`1b. ${hooks} 个群各有群机器人（webhook），本地假服务器每次调用 100 ms 后应答`)
  const hook = await webhookFanOut({ n: hooks, latencyMs: 100, redis, log, dir, slot })
  console.log(`   基准：逐个调用（30 次实测的平均 × ${hooks}）  ${fmt(hook.oneAtATime)}；下限（每次 100 个并发）${fmt(hook.floor)}`)
  console.log(`   时间点 → 最后一个群的机器人应答  ${fmt(hook.fanOut)}  = ${(hook.fanOut / hook.oneAtATime).toFixed(3)}× 逐个调用，${(hook.fanOut / hook.floor).toFixed(2)}× 下限`)
}

// --- 2. two accounts: two Wechaty logins in one process; two instances ----------------------
if (PARTS.has('2') || PARTS.has('2i')) {
  const paced = { redis, log, dir, slot, groups: Number(process.env.PACED_GROUPS ?? 60), paceMs: Number(process.env.PACING_MS ?? 1000) }
  console.log(`2. ${paced.groups} 个群，每个账号每 ${paced.paceMs} ms 发一条（默认节奏）`)
  if (PARTS.has('2')) {
    const one = await broadcastOverAccounts(paced, 1)
    console.log(`   基准：1 个账号（一个进程，真实 Wechaty + mock puppet）：时间点 → 最后一个群  ${fmt(one)}`)
    const two = await broadcastOverAccounts(paced, 2)
    console.log(`   2 个账号、同一进程（两个 Wechaty 登录，配置 accounts: 各托管一半的群，各自限速）：${fmt(two)}  = ${(two / one).toFixed(2)}× 单账号（目标 ≤ 0.55×）`)
  }
  if (PARTS.has('2i')) {
    const one = await broadcastOverInstances(paced, 1)
    const two = await broadcastOverInstances(paced, 2)
    console.log(`   另：2 个实例、各 1 个账号（调度器 + 发件箱的发送队列，无 Wechaty）：${fmt(two)}  = ${(two / one).toFixed(2)}× 1 个实例（${fmt(one)}）`)
  }
}

// --- 3. crash drill --------------------------------------------------------------------------
if (PARTS.has('3')) {
  const tsx = path.join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx')
  const instance = (prefix: string, logFile: string, dataDir: string) =>
    spawn(tsx, [path.join(import.meta.dirname, 'scale-instance.ts'), server.url, prefix, String(DRILL_GROUPS), String(slot), logFile, dataDir], { stdio: ['ignore', 'ignore', 'inherit'] })
  const exited = (p: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)))

  console.log(`3. 崩溃演练：两个实例分担 ${DRILL_GROUPS} 个群的一次广播，随机时刻 SIGKILL 其中一个并立即重启，重复 ${REPEAT} 次`)
  let perfect = 0
  let twice = 0
  let unconfirmedTotal = 0
  let neverTotal = 0
  for (let r = 0; r < REPEAT; r++) {
    const prefix = `drill${r}${Date.now()}`
    const logFile = path.join(dir, `platform-${r}.log`)
    const dataDir = fs.mkdtempSync(path.join(dir, 'drill-'))
    const a = instance(prefix, logFile, dataDir)
    const b = instance(prefix, logFile, dataDir)
    // kill b once the broadcast has begun, at a random point of it
    const target = Math.floor(Math.random() * DRILL_GROUPS * 0.8)
    while ((fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').length - 1 : 0) < target) await sleep(5)
    b.kill('SIGKILL')
    await exited(b)
    const restarted = instance(prefix, logFile, dataDir)
    await Promise.all([exited(a), exited(restarted)])
    const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean)
    const counts = new Map<string, number>()
    for (const g of lines) counts.set(g, (counts.get(g) ?? 0) + 1)
    const dup = [...counts.values()].filter((c) => c > 1).length
    const never = DRILL_GROUPS - counts.size
    const deps = await createDeps({ config: parseConfig({ groups: [{ topic: 'x' }], dataDir }, path.join(dataDir, 'x.yaml'), {}), log, redis, keys: createKeys(prefix) })
    const { done } = await deps.stores.slotWork.results('drill', slot)
    const unconfirmed = Object.values(done).filter((o) => o.outcome === 'unconfirmed').length
    twice += dup
    unconfirmedTotal += unconfirmed
    neverTotal += never
    if (dup === 0 && never === 0) perfect++
    console.log(`   第 ${r + 1} 次：在第 ${target} 条后杀掉；送达 ${counts.size}/${DRILL_GROUPS}，重复 ${dup}，未送达 ${never}，记为未确认 ${unconfirmed}`)
  }
  console.log(`   合计：${perfect}/${REPEAT} 次全部送达且无重复；重复 ${twice} 次；未送达 ${neverTotal} 个群（均记为未确认或失败：${unconfirmedTotal} 个未确认）`)
}

redis.disconnect()
await server.stop()
fs.rmSync(dir, { recursive: true, force: true })
process.exit(0)
