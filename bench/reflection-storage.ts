// npm run bench:reflection-storage — Redis memory per reflection at 1M reflections in one group,
// next to the text bytes stored (the baseline, measured in the same run; target ≤ 1.5×) and to
// the previous one-hash-per-reflection format on a sample; then `archive` and `export` of all of
// them in child processes, whose peak RSS is compared with an idle child's and with the same
// archive and export of a small group (SMALL, 10,000) in the same run: flat memory means the
// 1M peaks are close to the small ones; the children also sample the heap kept after a full GC
// every 5 s (live heap), which separates retained memory from GC slack. REFLECTIONS=200000 for a shorter run.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { systemClock, zonedToEpoch } from '../src/clock.ts'
import { createDeps, type Deps } from '../src/deps.ts'
import { connectRedis, type Redis } from '../src/store/redis.ts'
import { createKeys } from '../src/store/keys.ts'
import { reflectionDigest } from '../src/store/reflection-store.ts'

const GROUP = '第一党支部学习群'
const root = path.resolve(import.meta.dirname, '..')
const sample = fs.readFileSync(path.join(root, '..', 'shared', 'samples', 'reflection-shenzhen-2020.txt'), 'utf8').replace(/\s+/g, '')
/** ~1,150-byte reflections cut from a real one, each different. */
const textOf = (i: number) => {
  const at = (i * 131) % (sample.length - 600)
  return `${sample.slice(at, at + 560)}（第${i}篇）`
}
const usedMemory = async (redis: Redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1])

async function depsFor(url: string, dataDir: string, prefix: string): Promise<{ deps: Deps; redis: Redis }> {
  const redis = await connectRedis(url)
  const config = parseConfig({ dataDir, groups: [{ topic: GROUP }] }, path.join(dataDir, 'studybot.yaml'), {})
  return { deps: await createDeps({ config, log: pino({ level: 'silent' }), redis, keys: createKeys(prefix), clock: systemClock }), redis }
}

// ---- child: one archive or export run over every reflection, reporting its peak RSS ----
if (process.argv[2] === 'child') {
  const [, , , mode, url, dataDir, prefix] = process.argv
  const { deps, redis } = await depsFor(url!, dataDir!, prefix!)
  // what is really kept: heap + external right after a full GC (node --expose-gc), every 5 s and at the end
  let liveMb = 0
  const sampleLive = () => {
    globalThis.gc!()
    const m = process.memoryUsage()
    liveMb = Math.max(liveMb, (m.heapUsed + m.external) / 2 ** 20)
  }
  const sampler = setInterval(sampleLive, 5000)
  const started = performance.now()
  let count = 0
  if (mode === 'archive') {
    const { archiveReflections } = await import('../src/reflections/archive.ts')
    const [o] = await archiveReflections(deps, [GROUP], zonedToEpoch('2100-01-01', '00:00', 'Asia/Shanghai'), '2100-01-01')
    count = o!.count
  } else if (mode === 'export') {
    const { exportGroup } = await import('../src/export/export-group.ts')
    count = await exportGroup(deps, deps.config.groups[0]!, { format: 'csv', out: path.join(dataDir!, 'all.csv') })
  }
  const s = (performance.now() - started) / 1000
  clearInterval(sampler)
  sampleLive()
  redis.disconnect()
  process.stdout.write(JSON.stringify({ count, s, maxRssMb: process.resourceUsage().maxRSS / 1024, liveMb }))
  process.exit(0)
}

/** Submit reflections `from`..`to` (inclusive) through the store, 1,000 in flight; their text bytes. */
async function seed(deps: Deps, from: number, to: number): Promise<number> {
  const store = deps.stores.reflections
  let textBytes = 0
  for (let i = from; i <= to; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, to - i + 1) }, (_, j) => i + j)
    await Promise.all(batch.map((k) => {
      const text = textOf(k)
      textBytes += Buffer.byteLength(text)
      return store.submit({ id: `r${k}`, group: GROUP, memberId: `m${k % 2000}`, memberName: `成员${k % 2000}`, text, assignmentId: `a${Math.floor(k / 20000)}`, submittedMs: start + k * 1000 })
    }))
  }
  return textBytes
}

const n = Number(process.env.REFLECTIONS ?? 1_000_000)
const { startLocalRedis } = await import('../src/store/local-redis-server.ts')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-storage-'))
const server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
const dataDir = path.join(dir, 'data')
const start = zonedToEpoch('2026-01-01', '08:00', 'Asia/Shanghai')
try {
  const { deps, redis } = await depsFor(server.url, dataDir, 'bench')

  // the previous format on a sample, for comparison: one hash per reflection
  const legacyN = Math.min(n, 20_000)
  const lk = createKeys('legacy')
  const lBefore = await usedMemory(redis)
  let legacyText = 0
  for (let i = 0; i < legacyN; i += 1000) {
    const pipe = redis.pipeline()
    for (let k = i; k < i + 1000; k++) {
      const text = textOf(k)
      legacyText += Buffer.byteLength(text)
      const id = `r${k}`
      const digest = reflectionDigest(`m${k % 2000}`, text)
      pipe.hset(lk.reflection(GROUP, id), { id, group: GROUP, memberId: `m${k % 2000}`, memberName: `成员${k % 2000}`, assignmentId: 'a0', text, chars: '560', submittedAt: '2026-01-01T08:00:00+08:00', submittedMs: String(start + k), status: 'submitted', digest })
      pipe.xadd(lk.reflectionLog(GROUP), '*', 'id', id)
      pipe.hset(lk.reflectionDigests(GROUP), digest, id)
      pipe.rpush(lk.memberReflections(GROUP, `m${k % 2000}`), id)
    }
    await pipe.exec()
  }
  const legacyPer = (await usedMemory(redis) - lBefore) / legacyN
  await redis.flushall()

  // the compact format, through the store, at full size
  await seed(deps, 0, 0)
  const before = await usedMemory(redis)
  const t0 = performance.now()
  const textBytes = await seed(deps, 1, n)
  const fillS = (performance.now() - t0) / 1000
  const perReflection = (await usedMemory(redis) - before) / n
  const perText = textBytes / n
  const keys = createKeys('bench')
  const usage = async (k: string) => Number(await redis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'))
  const keyBytes = (await usage(keys.reflectionMeta(GROUP)) + await usage(keys.reflectionText(GROUP)) + await usage(keys.reflectionLog(GROUP)) + await usage(keys.reflectionDigests(GROUP))) / (n + 1)
  redis.disconnect()

  // archive and export every reflection in children, peak RSS next to an idle child's
  const child = (mode: string, data = dataDir, prefix = 'bench') => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', import.meta.filename, 'child', mode, server.url, data, prefix], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    return JSON.parse(r.stdout) as { count: number; s: number; maxRssMb: number; liveMb: number }
  }
  const idle = child('idle')
  const archive = child('archive')
  const exported = child('export')

  // the same archive and export of a small group, in the same run: the flat-memory baseline
  const small = Number(process.env.SMALL ?? 10_000)
  const smallData = path.join(dir, 'data-small')
  const s = await depsFor(server.url, smallData, 'small')
  await seed(s.deps, 0, small - 1)
  s.redis.disconnect()
  const smallArchive = child('archive', smallData, 'small')
  const smallExport = child('export', smallData, 'small')

  const f = (b: number) => b.toFixed(0).padStart(6)
  console.log(`reflection storage, ${n.toLocaleString('en')} reflections in one group (node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`)
  console.log(`  text (the baseline)                   ${f(perText)} B per reflection`)
  console.log(`  compact: INFO used_memory delta       ${f(perReflection)} B  ${(perReflection / perText).toFixed(2)}× text (target ≤ 1.5×)`)
  console.log(`  compact: MEMORY USAGE of its keys     ${f(keyBytes)} B  ${(keyBytes / perText).toFixed(2)}× text`)
  console.log(`  previous format, ${legacyN.toLocaleString('en')} sample       ${f(legacyPer)} B  ${(legacyPer / (legacyText / legacyN)).toFixed(2)}× text`)
  console.log(`  filled through the store in ${fillS.toFixed(0)} s (${(n / fillS).toFixed(0)} submits/s)`)
  const row = (label: string, r: typeof idle) => `  ${label.padEnd(38)}${r.count.toLocaleString('en').padStart(10)} ${r.s.toFixed(1).padStart(6)} s ${r.maxRssMb.toFixed(0).padStart(5)} MB peak RSS  ${(r.maxRssMb / idle.maxRssMb).toFixed(2)}× idle  ${r.liveMb.toFixed(0).padStart(4)} MB live heap`
  console.log(row('idle child (the baseline)', idle))
  console.log(row('studybot archive (every reflection)', archive))
  console.log(row('export csv (all from the archive)', exported))
  console.log(row(`archive, ${small.toLocaleString('en')} (small run)`, smallArchive))
  console.log(row(`export csv, ${small.toLocaleString('en')} (small run)`, smallExport))
  console.log(`  flat memory: peak RSS at ${n.toLocaleString('en')} / at ${small.toLocaleString('en')}: archive ${(archive.maxRssMb / smallArchive.maxRssMb).toFixed(2)}×, export ${(exported.maxRssMb / smallExport.maxRssMb).toFixed(2)}×; live heap: archive ${(archive.liveMb / smallArchive.liveMb).toFixed(2)}×, export ${(exported.liveMb / smallExport.liveMb).toFixed(2)}×`)
} finally {
  await server.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
