/**
 * Reflections benchmark (`npm run bench:reflections`), every figure next to a baseline measured in
 * this run on a private redis-server:
 *  1. `#心得` submissions per second through the real bot (Wechaty on wechaty-puppet-mock, listener,
 *     de-duplication, route chain, outbox, Redis), next to a raw ioredis XADD pipeline;
 *  2. export time and peak RSS for 100,000 reflections (XLSX, CSV), next to a raw XRANGE dump and
 *     the bare process (node + tsx + the same imports, no work).
 * Exports run in fresh child processes so each peak RSS is its own; Node's GC flags are left alone.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { spawnSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import type { Redis } from '../src/store/redis.ts'
import type { Ctx } from '../src/bot/context.ts'
import type { Deps } from '../src/deps.ts'
import type { MaterialLibrary } from '../src/materials/types.ts'

const GROUP = '第一党支部学习群'
const SEQUENTIAL = Number(process.env.BENCH_SUBMISSIONS ?? 1000)
const LANES = 8
const EXPORTED = Number(process.env.BENCH_EXPORTED ?? 100_000)

const SENTENCES = [
  '通过这次集中学习，我对党的创新理论有了更加系统的认识，深刻体会到理论武装的重要性。',
  '结合本职工作，我认为要把学习成果转化为推动工作的实际举措，做到学思用贯通、知信行统一。',
  '学习中我反思了自身在服务群众方面的不足，今后要多到一线走一走、听一听、问一问。',
  '党章是党的根本大法，作为一名党员，必须时刻对照党章查找差距，自觉履行党员义务。',
  '要坚持问题导向，把调查研究贯穿工作全过程，真正把情况摸清、把问题找准、把对策提实。',
  '支部组织的专题研讨形式新颖，大家畅所欲言，互相启发，让我对许多问题的理解更深了一层。',
  '今后我将坚持每天抽出时间自学，做好读书笔记，积极参加支部的各项学习活动。',
  '在学习过程中，我深刻认识到加强作风建设的紧迫性，要从小事做起、从自身做起。',
]

/** A realistic 心得 of roughly 250–600 characters; the number keeps each text distinct. */
function essay(i: number): string {
  const parts = [`第${i}次学习体会：`]
  for (let k = 0; k < 6 + (i % 8); k++) parts.push(SENTENCES[(i * 7 + k * 3) % SENTENCES.length])
  return parts.join('')
}

/** Fields of a stored reflection, for the raw XADD baselines. */
function rawFields(i: number, text: string): string[] {
  return ['id', `r${i}`, 'group', GROUP, 'memberId', `u${i % 500}`, 'memberName', `成员${i % 500}`,
    'assignmentId', 'a1', 'text', text, 'chars', String(text.length), 'submittedAt', new Date().toISOString(), 'status', 'submitted']
}

const rate = (n: number, ms: number) => n / (ms / 1000)

async function benchDeps(redis: Redis, prefix: string, dataDir: string, config: Record<string, unknown> = {}, library?: MaterialLibrary): Promise<Deps> {
  const { parseConfig } = await import('../src/config.ts')
  const { systemClock } = await import('../src/clock.ts')
  const { createKeys } = await import('../src/store/keys.ts')
  const { createDeps } = await import('../src/deps.ts')
  const pino = (await import('pino')).default
  const parsed = parseConfig({ groups: [{ topic: GROUP, organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] }], dataDir, console: { enabled: false }, ...config }, path.join(dataDir, 'studybot.yaml'), {})
  return createDeps({ config: parsed, redis, keys: createKeys(prefix), clock: systemClock, log: pino({ level: 'silent' }), library })
}

/** 1. Submissions: the real bot, sequential and in lanes, next to raw XADD and the bare handler chain. */
async function benchSubmissions(redisUrl: string, dir: string) {
  const { connectRedis } = await import('../src/store/redis.ts')
  const { startSimulation } = await import('../src/cli/simulation.ts')
  const { createLibrary } = await import('../src/materials/library.ts')
  const { compose } = await import('../src/bot/compose.ts')
  const { routes } = await import('../src/bot/routes.ts')

  const redis = await connectRedis(redisUrl)
  const botConfig = { bot: { name: '学习助手', sendIntervalMs: 0 }, materials: path.join(import.meta.dirname, '..', 'materials') }
  const library = await createLibrary({ dir: botConfig.materials, log: (await import('pino')).default({ level: 'silent' }), watch: true })
  const d = await benchDeps(redis, 'bench1', dir, botConfig, library)
  await d.stores.assignments.open({ id: 'a1', group: GROUP, title: '学习党章', dueAt: Date.now() + 86400000 })
  let confirmed = 0
  const sim = await startSimulation({
    deps: d,
    onSent: (m) => { if (m.text.includes('的心得（')) confirmed++ },
  })
  const { reflectionLog } = d.keys
  try {
    // warm up Wechaty's caches and the Lua scripts; not counted
    for (let i = 0; i < 20; i++) await sim.say(`预热${i}`, `#心得 ${essay(-i - 1)}`, { room: GROUP })
    const warm = confirmed

    let t0 = performance.now()
    for (let i = 0; i < SEQUENTIAL; i++) await sim.say(`成员${i % 200}`, `#心得 ${essay(i)}`, { room: GROUP })
    const seqMs = performance.now() - t0

    // say() waits for the next message from that member, so each lane has members of its own;
    // it then waits until the bot is idle, so the lanes proceed in waves of LANES messages
    t0 = performance.now()
    const perLane = Math.ceil(SEQUENTIAL / LANES)
    await Promise.all(Array.from({ length: LANES }, async (_, lane) => {
      for (let k = 0; k < perLane; k++) {
        const i = SEQUENTIAL + lane * perLane + k
        await sim.say(`第${lane}组成员${k % 25}`, `#心得 ${essay(i)}`, { room: GROUP })
      }
    }))
    const lanesMs = performance.now() - t0
    const total = SEQUENTIAL + perLane * LANES
    const stored = await redis.xlen(reflectionLog(GROUP))
    if (confirmed - warm !== total || stored !== total + warm) {
      throw new Error(`expected ${total} confirmations and ${total + warm} stored, got ${confirmed - warm} and ${stored}`)
    }

    // the same number of entries straight into a stream, 1000 per pipeline (after one warm-up batch)
    const warmup = redis.pipeline()
    for (let j = 0; j < 1000; j++) warmup.xadd('bench1:raw-warmup', '*', ...rawFields(j, essay(j)))
    await warmup.exec()
    t0 = performance.now()
    for (let i = 0; i < SEQUENTIAL; i += 1000) {
      const pipe = redis.pipeline()
      for (let j = i; j < Math.min(i + 1000, SEQUENTIAL); j++) pipe.xadd('bench1:raw-pipeline', '*', ...rawFields(j, essay(j)))
      await pipe.exec()
    }
    const pipelineMs = performance.now() - t0

    // one awaited XADD at a time: the round-trip floor a sequential caller cannot beat
    t0 = performance.now()
    for (let i = 0; i < SEQUENTIAL; i++) await redis.xadd('bench1:raw-single', '*', ...rawFields(i, essay(i)))
    const singleMs = performance.now() - t0

    // the reflection routes alone with a stub context (no Wechaty, no listener, no outbox)
    const run = compose(routes)
    const group = d.config.groups[0]
    const ctx = (i: number): Ctx => ({
      deps: d, messenger: {} as Ctx['messenger'], messageId: `chain${i}`, text: `#心得 ${essay(i)}`, mentioned: false,
      isPrivate: false, room: group, senderGroups: [group], sender: { id: `chain${i % 200}`, name: `成员${i % 200}` },
      may: () => true, reply: async () => {}, replyPrivately: async () => {}, sendFilePrivately: async () => {},
    })
    t0 = performance.now()
    for (let i = 0; i < SEQUENTIAL; i++) await run(ctx(total + i))
    const chainMs = performance.now() - t0

    return {
      sequential: { n: SEQUENTIAL, rate: rate(SEQUENTIAL, seqMs), msEach: seqMs / SEQUENTIAL },
      lanes: { n: perLane * LANES, rate: rate(perLane * LANES, lanesMs) },
      pipeline: rate(SEQUENTIAL, pipelineMs),
      single: { rate: rate(SEQUENTIAL, singleMs), msEach: singleMs / SEQUENTIAL },
      chain: { rate: rate(SEQUENTIAL, chainMs), msEach: chainMs / SEQUENTIAL },
    }
  } finally {
    await sim.stop()
    redis.disconnect()
  }
}

/** Seed `EXPORTED` reflections through the store, and the same rows into a plain stream for the raw dump. */
async function seedExport(redisUrl: string, dir: string) {
  const { connectRedis } = await import('../src/store/redis.ts')
  const redis = await connectRedis(redisUrl)
  const d = await benchDeps(redis, 'bench2', dir)
  const store = d.stores.reflections
  // 20 assignments, so the participation sheet is a real 500 × 20 grid
  const assignments = d.stores.assignments
  for (let a = 0; a < 20; a++) await assignments.open({ id: `a${a}`, group: GROUP, title: `第${a + 1}次学习`, dueAt: Date.now() + 86400000, openedAt: Date.now() - 86400000 * (20 - a) })
  const t0 = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: 300 }, async () => {
    while (next < EXPORTED) {
      const i = next++
      await store.submit({ id: `r${i}`, group: GROUP, memberId: `u${i % 500}`, memberName: `成员${i % 500}`, assignmentId: `a${i % 20}`, text: essay(i) })
    }
  }))
  const seedS = (performance.now() - t0) / 1000
  for (let i = 0; i < EXPORTED; i += 2000) {
    const pipe = redis.pipeline()
    for (let j = i; j < Math.min(i + 2000, EXPORTED); j++) pipe.xadd('bench2:raw', '*', ...rawFields(j, essay(j)))
    await pipe.exec()
  }
  redis.disconnect()
  return seedS
}

interface ChildResult { ms: number; count: number; maxRssMb: number; maxHeapMb: number; maxExternalMb: number; bytes: number }

/** Child process: export, raw-dump or nothing (idle), then print elapsed ms, peak RSS and peak heap. */
async function child(mode: string, url: string, prefix: string, dataDir: string, out: string) {
  // the same imports in every mode, so `idle` is the bare process the others are compared with
  const { connectRedis } = await import('../src/store/redis.ts')
  const { exportGroup } = await import('../src/export/export-group.ts')
  let maxHeap = 0
  let maxExternal = 0
  const sample = () => {
    const m = process.memoryUsage()
    maxHeap = Math.max(maxHeap, m.heapUsed)
    maxExternal = Math.max(maxExternal, m.external + m.arrayBuffers)
  }
  const sampler = setInterval(sample, 20)
  const redis = await connectRedis(url)
  const d = await benchDeps(redis, prefix, dataDir)
  const t0 = performance.now()
  let count = 0
  if (mode === 'raw') {
    const stream = fs.createWriteStream(out)
    let start = '-'
    for (;;) {
      const entries = await redis.xrange(`${prefix}:raw`, start, '+', 'COUNT', 1000)
      for (const [, fields] of entries) {
        if (!stream.write(`${JSON.stringify(fields)}\n`)) await once(stream, 'drain')
        count++
      }
      if (entries.length < 1000) break
      start = `(${entries[entries.length - 1][0]}`
    }
    stream.end()
    await once(stream, 'close')
  } else if (mode === 'idle') {
    fs.writeFileSync(out, '')
  } else {
    count = await exportGroup(d, d.config.groups[0], { format: mode as 'xlsx' | 'csv', out })
  }
  const ms = performance.now() - t0
  clearInterval(sampler)
  sample()
  redis.disconnect()
  const mb = (n: number) => n / 1048576
  const result: ChildResult = {
    ms, count, maxRssMb: process.resourceUsage().maxRSS / 1024, maxHeapMb: mb(maxHeap), maxExternalMb: mb(maxExternal), bytes: fs.statSync(out).size,
  }
  process.stdout.write(JSON.stringify(result))
}

function runChild(mode: string, url: string, prefix: string, dataDir: string, out: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, 'child', mode, url, prefix, dataDir, out], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout) as ChildResult
}

async function main() {
  const { startLocalRedis } = await import('../src/store/local-redis-server.ts')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-'))
  const server = await startLocalRedis({ dir, persistent: false })
  try {
    const s = await benchSubmissions(server.url, dir)
    const seedS = await seedExport(server.url, dir)
    const run = (mode: string, ext: string) => runChild(mode, server.url, 'bench2', dir, path.join(dir, `out-${mode}.${ext}`))
    // each twice, interleaved; the higher peak is reported (GC timing moves a single run's peak)
    const results = { idle: [] as ChildResult[], raw: [] as ChildResult[], xlsx: [] as ChildResult[], csv: [] as ChildResult[] }
    for (let round = 0; round < 2; round++) {
      results.idle.push(run('idle', 'txt'))
      results.raw.push(run('raw', 'jsonl'))
      results.xlsx.push(run('xlsx', 'xlsx'))
      results.csv.push(run('csv', 'csv'))
    }
    const worst = (rs: ChildResult[]) => rs.reduce((a, b) => (b.maxRssMb > a.maxRssMb ? b : a))
    const range = (rs: ChildResult[]) => rs.map((r) => r.maxRssMb.toFixed(0)).join('/')
    const idle = worst(results.idle)
    const raw = worst(results.raw)
    const xlsx = worst(results.xlsx)
    const csv = worst(results.csv)

    const f = (n: number, digits = 0) => n.toFixed(digits)
    console.log(`心得基准（${new Date().toISOString()}，Node ${process.version}，${os.cpus()[0]?.model ?? ''}）`)
    console.log(`提交：真实机器人（Wechaty + puppet-mock → 监听 → 去重 → 路由链 → Redis → 发件箱，发送间隔 0）`)
    console.log(`  顺序 ${s.sequential.n} 篇（每篇 say() 等到回复发出）：${f(s.sequential.rate)} 篇/秒，每篇 ${f(s.sequential.msEach, 2)} ms`)
    console.log(`  ${LANES} 路并发 ${s.lanes.n} 篇（每路成员不同）：    ${f(s.lanes.rate)} 篇/秒`)
    console.log(`  仅处理链（无 Wechaty，桩上下文，顺序）：  ${f(s.chain.rate)} 篇/秒，每篇 ${f(s.chain.msEach, 2)} ms`)
    console.log(`  基线 ioredis XADD 流水线（每批 1000）：   ${f(s.pipeline)} 条/秒`)
    console.log(`  基线 ioredis XADD 逐条等待：              ${f(s.single.rate)} 条/秒，每条 ${f(s.single.msEach, 3)} ms`)
    console.log(`  比值 机器人顺序/流水线：${f(s.sequential.rate / s.pipeline, 4)}，${LANES} 路并发/流水线：${f(s.lanes.rate / s.pipeline, 4)}；`
      + `机器人顺序/逐条 XADD：${f(s.sequential.rate / s.single.rate, 3)}；处理链/流水线：${f(s.chain.rate / s.pipeline, 3)}`)
    console.log(`导出：${xlsx.count} 篇（经存储写入用时 ${f(seedS, 1)} 秒）；每项在新子进程中跑两轮，报峰值 RSS 较高的一轮（两轮：括号内）`)
    console.log(`  空进程（node + tsx + 相同 import，连上 Redis，不做事）：峰值 RSS ${f(idle.maxRssMb)} MB（${range(results.idle)}）`)
    const line = (name: string, r: ChildResult, all: ChildResult[]) => console.log(
      `  ${name}${f(r.ms / 1000, 2)} 秒，峰值 RSS ${f(r.maxRssMb)} MB（${range(all)}），高于空进程 ${f(r.maxRssMb - idle.maxRssMb)} MB，`
      + `堆峰值 ${f(r.maxHeapMb)} MB，external ${f(r.maxExternalMb)} MB，文件 ${f(r.bytes / 1048576, 1)} MB`)
    line('XLSX：', xlsx, results.xlsx)
    line('CSV： ', csv, results.csv)
    line('基线 XRANGE 原样导出：', raw, results.raw)
    const above = (r: ChildResult) => (r.maxRssMb - idle.maxRssMb) / Math.max(1, raw.maxRssMb - idle.maxRssMb)
    console.log(`  比值 XLSX/基线：用时 ${f(xlsx.ms / raw.ms, 2)}，RSS ${f(xlsx.maxRssMb / raw.maxRssMb, 2)}，高于空进程部分 ${f(above(xlsx), 2)}；`
      + `CSV/基线：用时 ${f(csv.ms / raw.ms, 2)}，RSS ${f(csv.maxRssMb / raw.maxRssMb, 2)}，高于空进程部分 ${f(above(csv), 2)}`)
  } finally {
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
