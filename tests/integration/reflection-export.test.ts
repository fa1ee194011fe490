import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, testClient } from '../support/redis.ts'
import { createReflectionStore } from '../../src/store/reflection-store.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { exportGroup } from '../../src/export/export-group.ts'
import { csvField } from '../../src/export/csv.ts'
import { GROUP, GROUP2, reflectionDeps } from './reflection-fixture.ts'
import type { Redis } from '../../src/store/redis.ts'

describe('reflection export', () => {
  let server: Awaited<ReturnType<typeof startTestRedis>>
  let redis: Redis
  let ctx: Awaited<ReturnType<typeof reflectionDeps>>
  const group = () => ctx.deps.config.groups[0]
  const out = (name: string) => path.join(ctx.dataDir, name)

  beforeAll(async () => {
    server = await startTestRedis()
    const c = await testClient(server)
    redis = c.redis
    ctx = await reflectionDeps(redis, c.keys)
    const { deps, clock } = ctx
    const assignments = createAssignmentStore(redis, deps.keys, clock)
    const store = createReflectionStore(redis, deps.keys, clock, deps.config.timezone)
    const a1 = await assignments.open({ id: 'a1', group: GROUP, title: '学习党章', dueAt: clock.now() + 86400000 })
    await store.submit({ id: 'r1', group: GROUP, memberId: 'm1', memberName: '小明', assignmentId: a1.id, text: '=HYPERLINK("http://x","点我") 学习党章要联系实际，做到学思用贯通。' })
    clock.advance(3600000)
    await store.submit({ id: 'r2', group: GROUP, memberId: 'm2', memberName: '小红', assignmentId: a1.id, text: '第一段体会，关于"初心使命"。\n第二段体会，关于理论联系实际。' })
    clock.advance(86400000 * 2)
    const a2 = await assignments.open({ id: 'a2', group: GROUP, title: '学习二十大报告', dueAt: clock.now() + 86400000 })
    await store.submit({ id: 'r3', group: GROUP, memberId: 'm1', memberName: '小明', assignmentId: a2.id, text: '# 不是标题\n二十大报告提出的目标任务令人振奋，要立足岗位作贡献。' })
    await store.submit({ id: 'r4', group: GROUP, memberId: 'm2', memberName: '小红', assignmentId: a2.id, text: '先交一篇，之后撤回，这篇不算提交但留有记录。' })
    await store.withdrawLatest(GROUP, 'm2', a2.id)
  })
  afterAll(async () => { redis.disconnect(); await server.stop() })

  it('CSV: BOM, RFC 4180 quoting, formula cells escaped', async () => {
    const n = await exportGroup(ctx.deps, group(), { format: 'csv', out: out('a.csv') })
    expect(n).toBe(4)
    const raw = fs.readFileSync(out('a.csv'), 'utf8')
    expect(raw.startsWith('\uFEFF提交时间,群,成员,成员ID,学习任务,任务ID,字数,状态,修改时间,撤回时间,内容,心得ID\r\n')).toBe(true)
    expect(raw).toContain(`"'=HYPERLINK(""http://x"",""点我"") 学习党章要联系实际，做到学思用贯通。"`)
    expect(raw).toContain('"第一段体会，关于""初心使命""。\n第二段体会，关于理论联系实际。"')
    expect(raw).toContain('2026-11-30T09:00:00+08:00,第一党支部学习群,小明,m1,学习党章,a1,')
    expect(raw).toContain(',已撤回,')
    expect(raw.trimEnd().split('\r\n')).toHaveLength(5)
    for (const bad of ['+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvField(bad).replace(/^"/, '').startsWith("'")).toBe(true)
  })

  it('CSV: since/until and assignment filters', async () => {
    await exportGroup(ctx.deps, group(), { format: 'csv', out: out('b.csv'), since: '2026-12-01', until: '2026-12-31' })
    const lines = fs.readFileSync(out('b.csv'), 'utf8').trimEnd().split('\r\n')
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['r3', 'r4'])
    expect(await exportGroup(ctx.deps, group(), { format: 'csv', out: out('c.csv'), assignmentId: 'a1', until: '2026-11-30' })).toBe(2)
  })

  it('XLSX: reflections sheet and member × assignment participation sheet', async () => {
    await exportGroup(ctx.deps, group(), { format: 'xlsx', out: out('a.xlsx'), members: [{ id: 'm3', name: '小刚' }] })
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(out('a.xlsx'))
    const sheet = book.getWorksheet('心得')!
    expect(sheet.getRow(1).getCell(1).value).toBe('提交时间')
    expect(sheet.rowCount).toBe(5)
    expect(sheet.getRow(2).getCell(11).value).toContain('=HYPERLINK')
    expect(sheet.getRow(2).getCell(7).value).toBeTypeOf('number')
    const grid = book.getWorksheet('参与情况')!
    const rows = grid.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1))
    expect(rows).toEqual([
      ['成员', '成员ID', '学习党章', '学习二十大报告', '提交次数'],
      ['小刚', 'm3', undefined, undefined, 0],
      ['小明', 'm1', '已提交', '已提交', 2],
      ['小红', 'm2', '已提交', undefined, 1],
    ])
  })

  it('Markdown: grouped by assignment then member, member text quoted', async () => {
    await exportGroup(ctx.deps, group(), { format: 'md', out: out('a.md') })
    const md = fs.readFileSync(out('a.md'), 'utf8')
    expect(md).toContain('# 心得汇总：第一党支部学习群')
    const i1 = md.indexOf('## 学习任务：学习党章（a1）')
    const i2 = md.indexOf('## 学习任务：学习二十大报告（a2）')
    expect(i1).toBeGreaterThan(0)
    expect(i2).toBeGreaterThan(i1)
    expect(md.indexOf('### 小明', i2)).toBeGreaterThan(i2)
    expect(md).toContain('> # 不是标题')
    expect(md).toContain('已撤回')
  })

  it('a group without reflections gives headers and a clear message', async () => {
    const empty = ctx.deps.config.groups.find((g) => g.key === GROUP2)!
    expect(await exportGroup(ctx.deps, empty, { format: 'csv', out: out('e.csv') })).toBe(0)
    expect(fs.readFileSync(out('e.csv'), 'utf8')).toMatch(/^\uFEFF提交时间,.*\r\n（该群在所选范围内没有心得）\r\n$/)
    await exportGroup(ctx.deps, empty, { format: 'xlsx', out: out('e.xlsx') })
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(out('e.xlsx'))
    expect(book.getWorksheet('心得')!.getRow(2).getCell(1).value).toBe('（该群在所选范围内没有心得）')
    await exportGroup(ctx.deps, empty, { format: 'md', out: out('e.md') })
    expect(fs.readFileSync(out('e.md'), 'utf8')).toContain('没有心得')
  })
})
