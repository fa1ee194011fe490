import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalRedis, type LocalRedisServer } from '../../src/store/local-redis-server.ts'
import { connectRedis, type Redis } from '../../src/store/redis.ts'
import { createKeys } from '../../src/store/keys.ts'
import { createReflectionStore } from '../../src/store/reflection-store.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { createReflectionJournal } from '../../src/store/reflection-journal.ts'
import { saveReflection, applyJournalEntry } from '../../src/reflections/save-reflection.ts'
import { startJournalReplay } from '../../src/reflections/journal-replay.ts'
import { GROUP, reflectionDeps } from './reflection-fixture.ts'
import { withFileSizeLimit } from '../support/disk-full.ts'
import { until } from '../support/until.ts'

const text = '今天学习了党的二十大报告，深刻体会到以人民为中心的发展思想，要落实到日常工作中。'


describe('reflection journal', () => {
  let dir: string
  let server: LocalRedisServer
  let redis: Redis
  let ctx: Awaited<ReturnType<typeof reflectionDeps>>

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-journal-'))
    // persistent, like the bot's own server, so a restart keeps what was stored before the outage
    server = await startLocalRedis({ dir, persistent: true })
    redis = await connectRedis(server.url)
    ctx = await reflectionDeps(redis, createKeys(`t${randomBytes(4).toString('hex')}`))
  })
  afterAll(async () => {
    redis.disconnect()
    await server.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('journals while Redis is down and replays exactly once when it is back', async () => {
    const { deps, clock } = ctx
    const assignments = createAssignmentStore(redis, deps.keys, clock)
    const a = await assignments.open({ group: GROUP, title: '学习二十大报告', dueAt: clock.now() + 86400000 })
    const before = await saveReflection(deps, { id: 'j1', group: GROUP, memberId: 'm1', memberName: '小明', text, submittedMs: clock.now() })
    expect(before.status).toBe('stored')

    await server.stop()
    clock.advance(60000)
    const down = await saveReflection(deps, { id: 'j2', group: GROUP, memberId: 'm2', memberName: '小红', text, submittedMs: clock.now() })
    expect(down.status).toBe('journaled')
    const { journal } = deps.stores
    expect(journal.hasPending()).toBe(true)
    const line = JSON.parse(fs.readFileSync(journal.file, 'utf8').trim())
    expect(line).toMatchObject({ id: 'j2', memberName: '小红', text })

    const replay = startJournalReplay(deps, { intervalMs: 100 })
    try {
      await server.restart()
      await until(() => !journal.hasPending())
    } finally {
      await replay.stop()
    }
    const store = createReflectionStore(redis, deps.keys, clock, deps.config.timezone)
    const all = []
    for await (const r of store.all(GROUP)) all.push(r)
    expect(all.map((r) => r.id)).toEqual(['j1', 'j2'])
    // the assignment is resolved by submission time
    expect(all[1]).toMatchObject({ assignmentId: a.id, submittedAt: '2026-11-30T09:01:00+08:00' })
    expect(await assignments.submitters(GROUP, a.id)).toEqual(new Set(['m1', 'm2']))

    // a second replay of the same entry (crash before the batch file was removed) changes nothing
    await applyJournalEntry(deps, { v: 1, ...line })
    const again = []
    for await (const r of store.all(GROUP)) again.push(r.id)
    expect(again).toEqual(['j1', 'j2'])
  })

  it('replays entries left from a previous process at start, each once', async () => {
    const { deps } = ctx
    const { journal } = deps.stores
    const entry = { v: 1 as const, id: 'j3', group: GROUP, memberId: 'm3', memberName: '小刚', text: `${text}（补）`, submittedMs: deps.clock.now() }
    await journal.append(entry)
    await journal.append(entry)
    fs.appendFileSync(journal.file, '{"v":1,"id":"torn')
    const replay = startJournalReplay(deps, { intervalMs: 100 })
    await until(() => !journal.hasPending())
    await replay.stop()
    const store = createReflectionStore(redis, deps.keys, deps.clock, deps.config.timezone)
    expect((await store.listMember(GROUP, 'm3')).map((r) => r.id)).toEqual(['j3'])
    expect(fs.readFileSync(path.join(path.dirname(journal.file), 'reflections.unreadable'), 'utf8')).toContain('torn')
  })

  it('asks to resend only when the journal fails too', async () => {
    const { deps } = ctx
    await server.stop()
    try {
      // the journal folder cannot be created: a file stands where it should be
      const broken = { ...deps, stores: { ...deps.stores, journal: createReflectionJournal(path.join(ctx.dataDir, 'blocked', 'journal')) } }
      fs.writeFileSync(path.join(ctx.dataDir, 'blocked'), '')
      const res = await saveReflection(broken, { id: 'j4', group: GROUP, memberId: 'm4', memberName: '小李', text, submittedMs: deps.clock.now() })
      expect(res.status).toBe('failed')
    } finally {
      await server.restart()
    }
  })

  it('does not confirm a reflection the full disk cut short, and leaves no partial line behind', async () => {
    const { deps, clock } = ctx
    const { journal } = deps.stores
    await server.stop()
    try {
      const first = await saveReflection(deps, { id: 'j5', group: GROUP, memberId: 'm5', memberName: '小周', text, submittedMs: clock.now() })
      expect(first.status).toBe('journaled')
      const before = fs.readFileSync(journal.file)
      // room for a few more bytes only: the kernel writes part of the line and refuses the rest
      const res = await withFileSizeLimit(before.length + 10, () =>
        saveReflection(deps, { id: 'j6', group: GROUP, memberId: 'm6', memberName: '小吴', text, submittedMs: clock.now() }))
      expect(res).toEqual({ status: 'failed', reason: 'disk-full' })
      expect(fs.readFileSync(journal.file)).toEqual(before)
      expect(ctx.logs.some((l) => l.msg === 'reflection journal failed' && l.reason === 'disk-full')).toBe(true)
    } finally {
      await server.restart()
    }
    const replay = startJournalReplay(deps, { intervalMs: 100 })
    await until(() => !journal.hasPending())
    await replay.stop()
    const store = createReflectionStore(redis, deps.keys, deps.clock, deps.config.timezone)
    expect((await store.listMember(GROUP, 'm5')).map((r) => r.id)).toEqual(['j5'])
    expect(await store.listMember(GROUP, 'm6')).toEqual([])
    expect(fs.readFileSync(path.join(path.dirname(journal.file), 'reflections.unreadable'), 'utf8')).not.toContain('j6')
  })

  it('sets aside lines that are JSON but not entries, naming file and line, and replays the rest and later batches', async () => {
    const { deps } = ctx
    const { journal } = deps.stores
    const dir = path.dirname(journal.file)
    const entry = (id: string, memberId: string) => JSON.stringify({ v: 1, id, group: GROUP, memberId, memberName: '小郑', text, submittedMs: deps.clock.now() })
    // an older batch left by a previous process, then the current journal
    const older = path.join(dir, 'reflections.replaying-000000000000001.jsonl')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(older, ['null', entry('j7', 'm7'), '{}'].join('\n'))
    fs.writeFileSync(journal.file, ['[1]', '{"v":1,"id":"j8"}', entry('j9', 'm9'), '"text"'].join('\n'))
    const replay = startJournalReplay(deps, { intervalMs: 100 })
    await until(() => !journal.hasPending())
    await replay.stop()
    const store = createReflectionStore(redis, deps.keys, deps.clock, deps.config.timezone)
    expect((await store.listMember(GROUP, 'm7')).map((r) => r.id)).toEqual(['j7'])
    expect((await store.listMember(GROUP, 'm9')).map((r) => r.id)).toEqual(['j9'])
    const aside = fs.readFileSync(path.join(dir, 'reflections.unreadable'), 'utf8').split('\n')
    for (const line of ['null', '{}', '[1]', '{"v":1,"id":"j8"}', '"text"']) expect(aside).toContain(line)
    const logged = ctx.logs.filter((l) => l.msg === 'unreadable journal line set aside')
    expect(logged).toEqual(expect.arrayContaining([
      expect.objectContaining({ level: 50, file: older, line: 1 }),
      expect.objectContaining({ file: older, line: 3 }),
      expect.objectContaining({ file: expect.stringMatching(/reflections\.replaying-\d+\.jsonl$/), line: 2 }),
    ]))
  })
})

describe('journal file', () => {
  it('keeps an entry appended after a line torn by a crash, and sets the torn line aside once', async () => {
    const pino = (await import('pino')).default
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-journal-'))
    const journal = createReflectionJournal(dir)
    fs.writeFileSync(journal.file, '{"v":1,"id":"torn","te') // the process died mid-write
    await journal.append({ v: 1, id: 'r-after', group: GROUP, memberId: 'm1', memberName: '小明', text: '崩溃之后提交的心得内容，必须完整保存下来。', submittedMs: 1 })
    const seen: string[] = []
    await expect(journal.replay(async () => { throw new Error('redis still down') }, pino({ level: 'silent' }))).rejects.toThrow()
    await journal.replay(async (e) => { seen.push(e.id) }, pino({ level: 'silent' }))
    expect(seen).toEqual(['r-after'])
    // set aside once, not once per failed attempt
    expect(fs.readFileSync(path.join(dir, 'reflections.unreadable'), 'utf8').trim().split('\n')).toHaveLength(1)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
