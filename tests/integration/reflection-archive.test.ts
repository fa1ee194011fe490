import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestRedis, testClient } from '../support/redis.ts'
import { connectTarget, type Redis } from '../../src/store/redis.ts'
import { createKeys, type Keys } from '../../src/store/keys.ts'
import { systemClock, zonedToEpoch } from '../../src/clock.ts'
import { createReflectionStore } from '../../src/store/reflection-store.ts'
import { archiveDir, archiveReflections } from '../../src/reflections/archive.ts'
import { exportGroup } from '../../src/export/export-group.ts'
import { run as archiveCli } from '../../src/cli/archive.ts'
import { run as exportCli } from '../../src/cli/export.ts'
import { GROUP, reflectionDeps } from './reflection-fixture.ts'
import { tempDir } from '../support/temp-dir.ts'
import { until } from '../support/until.ts'
import { startJournalReplay } from '../../src/reflections/journal-replay.ts'

const TZ = 'Asia/Shanghai'
let server: Awaited<ReturnType<typeof startTestRedis>>
let redis: Redis
let keys: Keys

beforeAll(async () => {
  server = await startTestRedis()
  ;({ redis, keys } = await testClient(server))
})
afterAll(async () => {
  redis.disconnect()
  await server.stop()
})

const day = (date: string, time = '10:00') => zonedToEpoch(date, time, TZ)

describe('studybot archive', () => {
  it('moves older reflections to a compressed file, and the export is the same before and after', async () => {
    const { deps } = await reflectionDeps(redis, keys)
    const { reflections } = deps.stores
    const dates = ['2026-01-05', '2026-02-10', '2026-03-15', '2026-06-01', '2026-11-20']
    for (const [i, date] of dates.entries()) {
      await reflections.submit({ id: `r${i}`, group: GROUP, memberId: `m${i % 2}`, memberName: i % 2 ? '小红' : '小明', text: `${date}的心得：学习党章，联系实际谈体会，第${i}篇。`, submittedMs: day(date) })
    }
    await reflections.editLatest(GROUP, 'm0', '', '修改后的最近一篇心得。')
    const exportTo = async (name: string) => {
      const out = path.join(deps.config.dataDir, name)
      await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out })
      return fs.readFileSync(out, 'utf8')
    }
    const before = await exportTo('before.jsonl')
    const beforeRange = await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out: path.join(deps.config.dataDir, 'range-before.jsonl'), since: '2026-02-01', until: '2026-06-30' })

    const [outcome] = await archiveReflections(deps, [GROUP], day('2026-04-01', '00:00'), '2026-04-01')
    expect(outcome).toMatchObject({ group: GROUP, count: 3, resumed: 0 })
    expect(path.dirname(outcome!.file!)).toBe(archiveDir(deps.config, GROUP))
    expect(outcome!.file).toMatch(/before-2026-04-01-\d+\.jsonl\.gz$/)
    // out of Redis: the records, their log entries, member lists and digests
    expect(await reflections.get(GROUP, 'r0')).toBeUndefined()
    expect(await redis.xlen(keys.reflectionLog(GROUP))).toBe(2)
    expect(await redis.hlen(keys.reflectionMeta(GROUP))).toBe(2)
    expect((await reflections.listMember(GROUP, 'm0')).map((r) => r.id)).toEqual(['r4'])
    expect(await redis.hlen(keys.reflectionDigests(GROUP))).toBe(2)

    expect(await exportTo('after.jsonl')).toBe(before)
    expect(await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out: path.join(deps.config.dataDir, 'range-after.jsonl'), since: '2026-02-01', until: '2026-06-30' })).toBe(beforeRange)

    // nothing older left: a second run archives nothing and changes nothing
    const [again] = await archiveReflections(deps, [GROUP], day('2026-04-01', '00:00'), '2026-04-01')
    expect(again).toMatchObject({ count: 0, resumed: 0 })
    expect(await exportTo('again.jsonl')).toBe(before)
  })

  it('an interrupted removal is read around by export and finished by the next run', async () => {
    const { deps } = await reflectionDeps(redis, createKeys(`t-arch-${Date.now()}`))
    const { reflections } = deps.stores
    for (let i = 0; i < 4; i++) {
      await reflections.submit({ id: `x${i}`, group: GROUP, memberId: 'm1', memberName: '小明', text: `第${i}篇心得，内容各不相同。`, submittedMs: day(`2026-0${i + 1}-10`) })
    }
    const out = path.join(deps.config.dataDir, 'x.jsonl')
    await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out })
    const before = fs.readFileSync(out, 'utf8')
    const [o] = await archiveReflections(deps, [GROUP], day('2026-03-01', '00:00'), '2026-03-01')
    expect(o!.count).toBe(2)
    // as if the process had died after the archive was verified but before Redis was cleaned
    fs.writeFileSync(`${o!.file}.removing`, '')
    await reflections.submit({ id: 'x0', group: GROUP, memberId: 'm1', memberName: '小明', text: '第0篇心得，内容各不相同。', submittedMs: day('2026-01-10') })
    await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out })
    expect(fs.readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('"id":"x0"'))).toHaveLength(1)

    const [next] = await archiveReflections(deps, [GROUP], day('2026-03-01', '00:00'), '2026-03-01')
    expect(next).toMatchObject({ count: 0, resumed: 2 })
    expect(fs.existsSync(`${o!.file}.removing`)).toBe(false)
    expect(await reflections.get(GROUP, 'x0')).toBeUndefined()
    await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out })
    expect(fs.readFileSync(out, 'utf8')).toBe(before)
  })

  it('a journaled reflection replayed after its archive is not stored again; one never stored still is', async () => {
    const { deps } = await reflectionDeps(redis, createKeys(`t-arch-j-${Date.now()}`))
    const { reflections, journal } = deps.stores
    const entry = { v: 1 as const, id: 'j-old', group: GROUP, memberId: 'm1', memberName: '小明', text: '一篇已经存进 Redis、又留在暂存里的心得。', submittedMs: day('2026-01-10') }
    // stored, but the answer was lost on the way (a timeout): the same submission waits in the journal too
    await reflections.submit(entry)
    await journal.append(entry)
    // and one that never reached Redis, older than the archive's date
    await journal.append({ ...entry, id: 'j-late', memberId: 'm2', memberName: '小红', text: '一篇一直在暂存里的心得，归档之后才写入。' })
    const [o] = await archiveReflections(deps, [GROUP], day('2026-03-01', '00:00'), '2026-03-01')
    expect(o!.count).toBe(1)

    const replay = startJournalReplay(deps, { intervalMs: 100 })
    try {
      await until(() => !journal.hasPending(), 'the journal replayed')
    } finally {
      await replay.stop()
    }
    expect(await reflections.get(GROUP, 'j-old')).toBeUndefined()
    expect(await reflections.get(GROUP, 'j-late')).toMatchObject({ memberName: '小红', submittedMs: day('2026-01-10') })
    const out = path.join(deps.config.dataDir, 'j.jsonl')
    await exportGroup(deps, deps.config.groups[0]!, { format: 'json', out })
    const ids = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id)
    expect(ids.sort()).toEqual(['j-late', 'j-old'])
  })
})

describe('studybot archive (command line)', () => {
  const out: string[] = []
  const err: string[] = []
  let cli: Redis
  beforeAll(async () => {
    cli = await connectTarget(server.target)
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true })
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err.push(String(s)); return true })
  })
  afterAll(() => {
    vi.restoreAllMocks()
    cli.disconnect()
  })

  it('archives with the Redis of the environment, says so in Chinese, and studybot export still includes them', async () => {
    const dir = tempDir('archive-cli')
    const cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, `dataDir: ${JSON.stringify(path.join(dir, 'data'))}\ngroups:\n  - topic: ${GROUP}\n    organizers: [李委员]\n`)
    // the CLI reads the bot's keys, under the default prefix, on this test's own server
    const store = createReflectionStore(cli, createKeys(), systemClock, TZ)
    await store.submit({ id: 'c-old', group: GROUP, memberId: 'm1', memberName: '小明', text: '去年的一篇心得，已经很久了。', submittedMs: day('2025-12-01') })
    await store.submit({ id: 'c-new', group: GROUP, memberId: 'm1', memberName: '小明', text: '今年的一篇心得，还留在 Redis。', submittedMs: day('2026-11-01') })

    expect(await archiveCli(['--before', '2026-01-01', '--config', cfg], server.env)).toBe(0)
    expect(out.join('')).toMatch(new RegExp(`${GROUP}：已把 2026-01-01 之前的 1 篇心得归档到 .*before-2026-01-01-\\d+\\.jsonl\\.gz，核对无误后已从 Redis 删除`))
    expect(await store.get(GROUP, 'c-old')).toBeUndefined()

    const csv = path.join(dir, 'all.csv')
    expect(await exportCli(['--group', GROUP, '--format', 'csv', '--out', csv, '--config', cfg], server.env)).toBe(0)
    const text = fs.readFileSync(csv, 'utf8')
    expect(text).toContain('去年的一篇心得')
    expect(text).toContain('今年的一篇心得')
  })

  it('refuses an impossible or missing date with an example', async () => {
    const dir = tempDir('archive-cli')
    const cfg = path.join(dir, 'studybot.yaml')
    fs.writeFileSync(cfg, `dataDir: ${JSON.stringify(path.join(dir, 'data'))}\ngroups:\n  - topic: ${GROUP}\n`)
    err.length = 0
    expect(await archiveCli(['--before', '2026-02-31', '--config', cfg], server.env)).toBe(1)
    expect(err.join('')).toContain('--before 应为日期 YYYY-MM-DD，例如 2026-01-01（收到“2026-02-31”）')
    err.length = 0
    expect(await archiveCli(['--config', cfg], server.env)).toBe(1)
    expect(err.join('')).toContain('缺少 --before')
  })
})
