/**
 * Web console benchmark (`npm run bench:console`): how long the 概览 page takes with 50 groups and
 * 10,000 reflections, next to reading the same data from Redis in the same run:
 *  - raw: the exact Redis reads one 概览 request sends (recorded with MONITOR during a warm-up
 *    request), replayed in one ioredis pipeline: the floor for reading that data;
 *  - members: the groups' member lists alone, as Wechaty gives them (part of read);
 *  - read: readOverview(), the product's own read of what the page shows (stores and the member
 *    lists Wechaty holds), without HTML or HTTP;
 *  - http: GET / over HTTP from the console the bot serves, with a logged-in session cookie, until
 *    the whole body is read;
 *  - browser: Debian's chromium opening 概览 until every group's two Chart.js charts (submissions,
 *    questions per day) are drawn.
 * The bot is the real one (Wechaty on wechaty-puppet-mock, startApp, #后台 login link) on a private
 * redis-server. Rounds interleave the four, so machine noise hits them alike.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { parseConfig } from '../src/config.ts'
import { systemClock } from '../src/clock.ts'
import { createKeys } from '../src/store/keys.ts'
import { createDeps } from '../src/deps.ts'
import { connectRedis, isCluster, type Redis } from '../src/store/redis.ts'
import { startLocalRedis } from '../src/store/local-redis-server.ts'
import { openLibrary } from '../src/cli/library.ts'
import { startSimulation } from '../src/cli/simulation.ts'
import { readOverview } from '../src/console/pages/overview.ts'
import { freePort, launchBrowser } from '../tests/support/browser.ts'

const GROUPS = Number(process.env.BENCH_GROUPS ?? 50)
const REFLECTIONS = Number(process.env.BENCH_REFLECTIONS ?? 10_000)
const MEMBERS = 40
const ASSIGNMENTS = 10
const QUESTIONS = 30
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30)
const WARMUP = 3
const DAY = 86_400_000
const root = path.resolve(import.meta.dirname, '..')

const groupTopic = (g: number) => `第${g + 1}党支部学习群`

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return { median: at(0.5), p90: at(0.9), min: s[0] }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-bench-console-'))
  const server = await startLocalRedis({ dir: path.join(dir, 'redis'), persistent: false })
  const redis = await connectRedis(server.url)
  const port = await freePort()
  const config = parseConfig({
    bot: { name: '学习助手', sendIntervalMs: 0 },
    dataDir: path.join(dir, 'data'),
    materials: path.join(root, 'materials'),
    console: { enabled: true, host: '127.0.0.1', port },
    groups: Array.from({ length: GROUPS }, (_, g) => ({ topic: groupTopic(g), secretaries: [{ id: 'wxid_zhangshuji', name: '张书记' }], organizers: [{ id: 'wxid_liweiyuan', name: '李委员' }] })),
    // a weekly prompt per group and one reminder for all: 概览 lists each group's next five
    schedules: [
      ...Array.from({ length: GROUPS }, (_, g) => ({ id: `prompt${g + 1}`, group: groupTopic(g), cron: `0 9 * * ${(g % 5) + 1}`, kind: 'reflection-prompt', text: `第${g + 1}支部本周学习：党章第${(g % 11) + 1}章` })),
      { id: 'remind-all', group: '*', cron: '0 20 * * 5', kind: 'remind' },
    ],
  }, path.join(dir, 'studybot.yaml'), {})
  const log = pino({ level: 'silent' })
  const library = await openLibrary(config, log)
  const deps = await createDeps({ config, redis, keys: createKeys('benchconsole'), clock: systemClock, log, library })
  let lastPrivate = ''
  // no jobs: nothing fires while the page is measured
  const sim = await startSimulation({ deps, jobs: () => [], console: true, onSent: (m) => { if (m.to) lastPrivate = m.text } })
  const browser = await launchBrowser()
  try {
    const url = sim.app.console!.url
    const members = Array.from({ length: MEMBERS }, (_, i) => sim.world.member(`成员${i + 1}`))
    const groups = config.groups

    // seed: ASSIGNMENTS per group a week apart (the last still open), REFLECTIONS spread over them
    let t0 = performance.now()
    const now = Date.now()
    for (const g of groups) {
      for (let a = 0; a < ASSIGNMENTS; a++) {
        const opened = now - (ASSIGNMENTS - a) * 7 * DAY
        await deps.stores.assignments.open({ id: `a${a + 1}`, group: g.key, title: `第${a + 1}期 党章学习`, openedAt: opened, dueAt: a === ASSIGNMENTS - 1 ? now + 3 * DAY : opened + 5 * DAY })
      }
    }
    let next = 0
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (next < REFLECTIONS) {
        const i = next++
        const g = groups[i % groups.length]
        // each assignment of a group gets a different half of its members (7 is coprime with 40)
        const k = Math.floor(i / groups.length)
        const a = k % ASSIGNMENTS
        const m = members[(Math.floor(k / ASSIGNMENTS) * 7 + a) % MEMBERS]
        const submittedMs = now - (ASSIGNMENTS - a) * 7 * DAY + (k % 48) * 3600_000
        const res = await deps.stores.reflections.submit({ id: `r${i}`, group: g.key, memberId: m.id, memberName: m.payload.name, assignmentId: `a${a + 1}`, submittedMs, text: `第${i}篇心得：学习党章，联系支部工作实际，进一步增强党员意识，做到学思用贯通、知信行统一。` })
        if (res.status !== 'stored') throw new Error(`seed submit ${i}: ${res.status}`)
      }
    }))
    // QUESTIONS a group, two in three answered with a citation (the log keeps the newest 200 a group)
    for (const g of groups) {
      for (let q = 0; q < QUESTIONS; q++) {
        const m = members[q % MEMBERS]
        const answered = q % 3 !== 2
        await deps.stores.questionLog.record(g.key, {
          messageId: `q-${g.key}-${q}`, memberId: m.id, memberName: m.payload.name, question: `预备党员的预备期是多久？（第${q}问）`, answered,
          source: answered ? 'materials' : 'none', ...(answered ? { citation: '《中国共产党章程》第一章 党员 第七条' } : {}),
          answer: answered ? '预备党员的预备期为一年。——《中国共产党章程》第一章 党员 第七条' : '学习材料里没有找到能回答这个问题的内容。',
        })
      }
    }
    const seedS = (performance.now() - t0) / 1000

    // log in as a secretary does: #后台 privately, then press 进入后台 (POST the link's token)
    await sim.say('张书记', '#后台', { private: true })
    const link = /https?:\/\/\S+/.exec(lastPrivate)?.[0]
    if (!link) throw new Error(`no login link in ${JSON.stringify(lastPrivate)}`)
    const login = await fetch(`${url}/login`, { method: 'POST', body: new URLSearchParams({ t: new URL(link).searchParams.get('t')! }), redirect: 'manual' })
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
    if (login.status !== 303 || !cookie) throw new Error(`login failed: ${login.status}`)

    const getPage = async () => {
      const res = await fetch(`${url}/`, { headers: { cookie } })
      const text = await res.text()
      if (res.status !== 200) throw new Error(`概览 answered ${res.status}`)
      return text
    }

    // check the page shows what the stores hold, and record the commands one request sends
    const html = await getPage()
    const data = await readOverview(deps, sim.app.messenger, groups)
    const cards = (html.match(/<section class="card" aria-label=/g) ?? []).length
    const open = data[0].current
    if (cards !== GROUPS || !open || !html.includes(`${open.submitted} / ${data[0].members}`)) throw new Error(`概览 does not show the seeded data (${cards} cards)`)
    const commands = await recordCommands(server.url, getPage)

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addCookies([{ name: 'studybot_console', value: cookie.split('=')[1], url }])
    const tab = await context.newPage()
    const loadInBrowser = async () => {
      await tab.goto(`${url}/`)
      await tab.waitForFunction(`document.querySelectorAll('canvas[data-drawn]').length === ${2 * GROUPS}`)
    }

    const measure = async (f: () => Promise<unknown>) => { const t = performance.now(); await f(); return performance.now() - t }
    const times = { raw: [] as number[], members: [] as number[], read: [] as number[], http: [] as number[], browser: [] as number[] }
    for (let r = 0; r < WARMUP + ROUNDS; r++) {
      const round = {
        raw: await measure(() => replay(redis, commands)),
        members: await measure(() => Promise.all(groups.map((g) => sim.app.messenger.groupMembers(g.key)))),
        read: await measure(() => readOverview(deps, sim.app.messenger, groups)),
        http: await measure(getPage),
        browser: await measure(loadInBrowser),
      }
      if (r >= WARMUP) for (const k of Object.keys(times) as Array<keyof typeof times>) times[k].push(round[k])
    }

    const raw = stats(times.raw)
    const row = (name: string, ms: number[]) => {
      const s = stats(ms)
      return `${name.padEnd(44)} ${s.median.toFixed(1).padStart(8)} ${s.p90.toFixed(1).padStart(8)} ${(s.median / raw.median).toFixed(1).padStart(8)}×`
    }
    console.log(`bench:console — ${GROUPS} groups × ${MEMBERS} members, ${ASSIGNMENTS} assignments each, ${REFLECTIONS} reflections, ${QUESTIONS} questions each, ${config.schedules.length} schedules`)
    console.log(`seeded in ${seedS.toFixed(1)} s; 概览 HTML ${(Buffer.byteLength(html) / 1024).toFixed(0)} KB; one request sends ${commands.length} Redis reads`)
    console.log(`${ROUNDS} rounds after ${WARMUP} warm-up, interleaved; node ${process.version}, ${os.cpus().length} cores`)
    console.log(`${'what'.padEnd(44)} ${'median'.padStart(8)} ${'p90'.padStart(8)} ${'÷ raw'.padStart(9)}`)
    console.log(row('raw: the same Redis commands, one pipeline (ms)', times.raw))
    console.log(row('members: room member lists from Wechaty (ms)', times.members))
    console.log(row('read: readOverview() (stores + members) (ms)', times.read))
    console.log(row('http: GET / with a session, body read (ms)', times.http))
    console.log(row('browser: chromium until all charts drawn (ms)', times.browser))
    await context.close()
  } finally {
    await browser.close()
    await sim.stop()
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The read commands one call of `f` sends to Redis (from any connection), recorded with MONITOR. */
async function recordCommands(url: string, f: () => Promise<unknown>): Promise<string[][]> {
  const watcher = await connectRedis(url)
  if (isCluster(watcher)) throw new Error('MONITOR needs a single node')
  const monitor = await watcher.monitor()
  const seen: string[][] = []
  monitor.on('monitor', (_time: string, args: string[]) => { seen.push(args) })
  await f()
  // MONITOR reports asynchronously: a PING sent after f() arrives after f()'s commands
  const marker = await connectRedis(url)
  await marker.ping('bench-console-end')
  while (!seen.some((a) => a[0]?.toLowerCase() === 'ping' && a[1] === 'bench-console-end')) await new Promise((r) => setTimeout(r, 10))
  monitor.disconnect()
  watcher.disconnect()
  marker.disconnect()
  const reads = seen.filter((a) => READS.has(a[0]?.toLowerCase()))
  const others = seen.filter((a) => !READS.has(a[0]?.toLowerCase()) && !['ping', 'info', 'select', 'client', 'hello', 'auth'].includes(a[0]?.toLowerCase()))
  if (others.length) throw new Error(`概览 sent commands that are not reads: ${others.map((a) => a[0]).join(', ')}`)
  if (!reads.length) throw new Error('MONITOR saw no commands from the 概览 request')
  return reads
}

const READS = new Set(['get', 'hgetall', 'hget', 'hmget', 'smembers', 'zrange', 'zrevrange', 'zrangebyscore', 'zrevrangebyscore', 'lrange', 'xrange', 'xrevrange', 'exists', 'scard', 'zcard', 'xlen', 'mget', 'sismember', 'ttl', 'pttl', 'type'])

/** Send the recorded commands again, all in one pipeline: the floor for reading that data. */
async function replay(redis: Redis, commands: string[][]): Promise<void> {
  const p = redis.pipeline()
  for (const [name, ...args] of commands) p.call(name, ...args)
  const out = await p.exec()
  const failed = out?.find(([err]) => err)
  if (failed) throw failed[0]
}

await main()
