/**
 * Reflections benchmark (`npm run bench:reflections`): submissions per second through the handler
 * chain into Redis next to a raw XADD pipeline, and export time / peak RSS for 100,000 reflections
 * next to a raw XRANGE dump, each measured in this run on a private redis-server.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { systemClock } from '../src/clock.ts'
import { startLocalRedis } from '../src/store/local-redis-server.ts'
import { connectRedis, type Redis } from '../src/store/redis.ts'
import { createKeys } from '../src/store/keys.ts'
import { createReflectionStore } from '../src/store/reflection-store.ts'
import { compose } from '../src/bot/compose.ts'
import type { Ctx } from '../src/bot/context.ts'
import type { Deps } from '../src/deps.ts'
import type { MaterialLibrary } from '../src/materials/types.ts'
import { reflectionRoutes } from '../src/handlers/reflection-routes.ts'
import { exportGroup } from '../src/export/export-group.ts'

const GROUP = '第一党支部学习群'
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 5000)
const EXPORTED = Number(process.env.BENCH_EXPORTED ?? 100_000)
const CONCURRENCY = 50
const text = (i: number) => `第${i}篇：学习了党的创新理论，深刻领会其精神实质，要联系工作实际，做到学思用贯通、知信行统一。`.repeat(3)

function deps(redis: Redis, prefix: string, dataDir: string): Deps {
  const config = parseConfig({ groups: [{ topic: GROUP }], dataDir }, path.join(dataDir, 'studybot.yaml'), {})
  return { config, redis, keys: createKeys(prefix), clock: systemClock, log: pino({ level: 'silent' }), library: {} as MaterialLibrary }
}

async function pool(n: number, body: (i: number) => Promise<unknown>) {
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < n) await body(next++) }))
}

/** Child process: export or raw-dump, then print elapsed ms and peak RSS (fresh process, clean peak). */
async function child(mode: string, url: string, prefix: string, dataDir: string, out: string) {
  const redis = await connectRedis(url)
  const d = deps(redis, prefix, dataDir)
  const t0 = performance.now()
  let count = 0
  if (mode === 'raw') {
    const stream = fs.createWriteStream(out)
    let start = '-'
    for (;;) {
      const entries = await redis.xrange(`${prefix}:raw`, start, '+', 'COUNT', 1000)
      for (const [, fields] of entries) { stream.write(`${JSON.stringify(fields)}\n`); count++ }
      if (entries.length < 1000) break
      start = `(${entries[entries.length - 1][0]}`
    }
    await new Promise((r) => stream.end(r))
  } else {
    count = await exportGroup(d, d.config.groups[0], { format: mode as 'xlsx' | 'csv', out })
  }
  const ms = performance.now() - t0
  redis.disconnect()
  process.stdout.write(JSON.stringify({ ms, count, maxRssMb: process.resourceUsage().maxRSS / 1024, bytes: fs.statSync(out).size }))
}

function runChild(mode: string, url: string, prefix: string, dataDir: string, out: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', mode, url, prefix, dataDir, out], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as { ms: number; count: number; maxRssMb: number; bytes: number }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-'))
  const server = await startLocalRedis({ dir, persistent: false })
  const redis = await connectRedis(server.url)
  try {
    // 1. submissions through the reflection handler chain (limits, assignment lookup, Lua submit, reply)
    const d = deps(redis, 'bench1', dir)
    const run = compose(reflectionRoutes)
    const group = d.config.groups[0]
    const ctx = (i: number): Ctx => ({
      deps: d, messenger: {} as Ctx['messenger'], messageId: `m${i}`, text: `#心得 ${text(i)}`, mentioned: false,
      isPrivate: false, room: group, senderGroups: [group], sender: { id: `u${i % 300}`, name: `成员${i % 300}` },
      may: () => true, reply: async () => {}, replyPrivately: async () => {}, sendFilePrivately: async () => {},
    })
    let t0 = performance.now()
    await pool(SUBMISSIONS, (i) => run(ctx(i)))
    const handlerRate = SUBMISSIONS / ((performance.now() - t0) / 1000)

    t0 = performance.now()
    for (let i = 0; i < SUBMISSIONS; i += 1000) {
      const pipe = redis.pipeline()
      for (let j = i; j < Math.min(i + 1000, SUBMISSIONS); j++) pipe.xadd('bench1:rawsubmit', '*', 'id', `m${j}`, 'memberId', `u${j % 300}`, 'text', text(j))
      await pipe.exec()
    }
    const rawRate = SUBMISSIONS / ((performance.now() - t0) / 1000)

    // 2. seed 100,000 reflections (through the store) and the same rows into a raw stream
    const d2 = deps(redis, 'bench2', dir)
    const store = createReflectionStore(redis, d2.keys, systemClock, d2.config.timezone)
    t0 = performance.now()
    await pool(EXPORTED, (i) => store.submit({ id: `r${i}`, group: GROUP, memberId: `u${i % 500}`, memberName: `成员${i % 500}`, text: text(i) }))
    const seedS = (performance.now() - t0) / 1000
    for (let i = 0; i < EXPORTED; i += 2000) {
      const pipe = redis.pipeline()
      for (let j = i; j < Math.min(i + 2000, EXPORTED); j++) {
        pipe.xadd('bench2:raw', '*', 'id', `r${j}`, 'group', GROUP, 'memberId', `u${j % 500}`, 'memberName', `成员${j % 500}`, 'text', text(j), 'submittedAt', new Date().toISOString())
      }
      await pipe.exec()
    }

    const xlsx = runChild('xlsx', server.url, 'bench2', dir, path.join(dir, 'out.xlsx'))
    const csv = runChild('csv', server.url, 'bench2', dir, path.join(dir, 'out.csv'))
    const raw = runChild('raw', server.url, 'bench2', dir, path.join(dir, 'out.jsonl'))

    const f = (n: number, digits = 0) => n.toFixed(digits)
    console.log(`心得基准（${new Date().toISOString()}，Node ${process.version}，${os.cpus()[0]?.model ?? ''}）`)
    console.log(`提交：${SUBMISSIONS} 篇，并发 ${CONCURRENCY}`)
    console.log(`  处理链（#心得 → 校验 → 任务 → Lua 提交）：${f(handlerRate)} 篇/秒`)
    console.log(`  基线 ioredis XADD 流水线：            ${f(rawRate)} 条/秒`)
    console.log(`  比值 处理链/基线：${f(handlerRate / rawRate, 3)}`)
    console.log(`导出：${xlsx.count} 篇（写入用时 ${f(seedS, 1)} 秒）`)
    console.log(`  XLSX：${f(xlsx.ms / 1000, 2)} 秒，峰值 RSS ${f(xlsx.maxRssMb)} MB，文件 ${f(xlsx.bytes / 1048576, 1)} MB`)
    console.log(`  CSV： ${f(csv.ms / 1000, 2)} 秒，峰值 RSS ${f(csv.maxRssMb)} MB，文件 ${f(csv.bytes / 1048576, 1)} MB`)
    console.log(`  基线 XRANGE 原样导出：${f(raw.ms / 1000, 2)} 秒，峰值 RSS ${f(raw.maxRssMb)} MB`)
    console.log(`  比值 XLSX/基线：用时 ${f(xlsx.ms / raw.ms, 2)}，RSS ${f(xlsx.maxRssMb / raw.maxRssMb, 2)}；CSV/基线：用时 ${f(csv.ms / raw.ms, 2)}，RSS ${f(csv.maxRssMb / raw.maxRssMb, 2)}`)
  } finally {
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'child') {
  const [kind, url, prefix, dataDir, out] = rest
  await child(kind, url, prefix, dataDir, out)
} else {
  await main()
}
