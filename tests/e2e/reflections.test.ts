import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRedis, type TestRedis } from '../support/redis.ts'
import { startHarness, type Harness } from '../support/harness.ts'
import { createAssignmentStore } from '../../src/store/assignment-store.ts'
import { startJournalReplay } from '../../src/reflections/journal-replay.ts'
import { exportGroup } from '../../src/export/export-group.ts'
import { withFileSizeLimit } from '../support/disk-full.ts'
import { readZip } from '../support/zip-bomb.ts'
import { until } from '../support/until.ts'

const G1 = '第一党支部学习群'
const G2 = '第二党支部学习群'
/** Reply text without the @-mention WeChat puts in front. */
const body = (m: { text: string } | undefined) => m?.text.replace(/^(@\S+\s)+/, '')
const essay = (n: number, seed = '学习') => `${seed}${'党的创新理论，联系工作实际，'.repeat(40)}`.slice(0, n)

let dir: string
let server: TestRedis
let h: Harness

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studybot-e2e-refl-'))
  // persistent like the bot's own server, so the outage test keeps what was stored before it
  server = await startTestRedis({ dir: path.join(dir, 'redis'), persistent: true })
  h = await startHarness({
    redisUrl: server.url,
    config: { dataDir: path.join(dir, 'data'), reflections: { minChars: 20, maxChars: 300 } },
  })
  const now = Date.now()
  await createAssignmentStore(h.redis, h.keys, h.app.deps.clock)
    .open({ id: 'a1', group: G1, title: '学习党章', dueAt: now + 86400000, openedAt: now - 1000 })
})
afterAll(async () => {
  await h?.stop()
  await server?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('reflections end to end', () => {
  it('confirms a submission with who, how many characters and which assignment', async () => {
    const [reply] = await h.say('小明', `#心得 ${essay(40)}`)
    expect(reply).toMatchObject({ room: G1, mentions: ['小明'] })
    expect(body(reply)).toBe('已收到小明的心得（40 字），计入学习任务「学习党章」。')
  })

  it('stores the same text once and explains the limits', async () => {
    expect((await h.say('小明', `#心得 ${essay(40)}`))[0].text).toContain('已提交过相同内容')
    expect(body((await h.say('小明', '#心得 很有收获')).at(0))).toBe('你的心得只有 4 字，至少需要 20 字，请补充后再发送。')
    expect((await h.say('小明', `#心得 ${essay(301)}`)).at(0)?.text).toContain('超过了 300 字的上限')
    expect((await h.say('小明', '#心得')).at(0)?.text).toContain('请在 #心得 后面写上')
  })

  it('edits, withdraws and lists privately', async () => {
    expect(body((await h.say('小明', `#修改心得 ${essay(50, '修改后')}`))[0])).toBe('已修改小明的心得（学习任务「学习党章」），现在共 50 字。')
    expect((await h.say('小明', '#撤回心得'))[0].text).toContain('已撤回小明的心得')
    expect((await h.say('小明', '#撤回心得'))[0].text).toContain('没有找到')
    const replies = await h.say('小明', '#我的心得')
    const privately = replies.find((m) => m.room === null)!
    expect(privately.to).toBe('小明')
    expect(privately.text).toMatch(/共 1 篇[\s\S]*「学习党章」 50 字 已撤回[\s\S]*修改后/)
    expect(body(replies.find((m) => m.room === G1))).toBe('已私信发给你。')
  })

  it('asks which group in a private chat with several groups, and accepts the number', async () => {
    const [ask] = await h.say('小红', `#心得 ${essay(30)}`, { private: true })
    expect(ask.text).toContain(`1. ${G1}`)
    expect(ask.text).toContain(`2. ${G2}`)
    const [done] = await h.say('小红', `#心得 2 ${essay(30, '二支部')}`, { private: true })
    expect(done).toMatchObject({ room: null, to: '小红' })
    expect(done.text).toContain(`已收到小红在“${G2}”的心得（30 字）`)
  })

  it('shows participation to secretaries and reminds those missing', async () => {
    await h.say('小刚', `#心得 ${essay(25, '小刚')}`)
    const [stats] = await h.say('张书记', '#统计')
    expect(stats.text).toMatch(/学习任务「学习党章」（a1）[\s\S]*已提交 1 \/ \d+ 人[\s\S]*未提交.*小明/)
    expect((await h.say('小明', '#统计'))[0].text).toContain('只有书记或组织委员')
    const reminders = await h.say('张书记', '#提醒')
    const reminder = reminders.find((m) => m.text.includes('还未提交'))!
    expect(reminder.room).toBe(G1)
    expect(reminder.mentions).toContain('小明')
    expect(reminder.mentions).not.toContain('小刚')
  })

  it('refuses #导出 to others and sends the organizer an .xlsx privately', async () => {
    expect((await h.say('小明', '#导出'))[0].text).toContain('只有组织委员')
    const replies = await h.say('李委员', '#导出 本月')
    const file = replies.find((m) => m.file)!
    expect(file).toMatchObject({ room: null, to: '李委员' })
    expect(file.file).toMatch(/^心得汇总-第一党支部学习群-.*\.xlsx$/)
    expect(replies.filter((m) => m.room === G1 && m.file)).toEqual([])
    expect(replies.find((m) => m.room === G1)?.text).toContain('已将导出文件私信发给你')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(h.world.puppet.files.get(file.file!)! as never)
    // nothing is left behind on the bot's disk
    expect(fs.readdirSync(path.join(dir, 'data', 'exports'))).toEqual([])
    const names = book.getWorksheet('心得')!.getColumn(3).values.slice(2)
    expect(names).toEqual(['小明', '小刚'])
    expect(book.getWorksheet('参与情况')!.getRow(1).values).toContain('学习党章')
  })

  it('keeps a reflection sent while Redis is down and stores it exactly once when it is back', async () => {
    await server.stop()
    const [reply] = await h.say('小华', `#心得 ${essay(33, '停机期间')}`)
    expect(reply.text).toContain('已收到小华的心得（33 字）')
    expect(reply.text).toContain('暂存')
    expect(h.logs.some((l) => l.msg === 'redis unreachable, journaling reflection')).toBe(true)

    const replay = startJournalReplay(h.app.deps, { intervalMs: 100 })
    try {
      await server.restart()
      const { journal } = h.app.deps.stores
      await until(() => !journal.hasPending(), 'the journal replayed')
    } finally {
      await replay.stop()
    }
    const out = path.join(dir, 'after.csv')
    await exportGroup(h.app.deps, h.config.groups[0], { format: 'csv', out })
    const lines = fs.readFileSync(out, 'utf8').split('\r\n').filter((l) => l.includes('停机期间'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(',小华,')
    expect(lines[0]).toContain(',学习党章,a1,33,已提交,')
  })

  it('tells the member a reflection was not saved, and why, when Redis is down and the disk is full', async () => {
    const { journal } = h.app.deps.stores
    await server.stop()
    try {
      expect((await h.say('小林', `#心得 ${essay(35, '磁盘满前')}`))[0].text).toContain('暂存')
      const before = fs.readFileSync(journal.file, 'utf8')
      const [reply] = await withFileSizeLimit(Buffer.byteLength(before) + 10, () => h.say('小陈', `#心得 ${essay(36, '磁盘满时')}`))
      expect(body(reply)).toBe('抱歉，你的心得没有保存：数据库暂时连不上，而服务器磁盘已满，无法暂存，请稍后重新发送。')
      expect(fs.readFileSync(journal.file, 'utf8')).toBe(before)
    } finally {
      await server.restart()
      await until(() => h.app.deps.redis.status === 'ready', 'the bot reconnected to Redis')
    }
  })

  it('exports characters XML forbids as a valid sheet, without them', async () => {
    const text = `${essay(30, '特殊字符')}\uFFFE\uFFFF\u0001\u0008结尾`
    expect(body((await h.say('小赵', `#心得 ${text}`))[0])).toContain('已收到小赵的心得')
    const replies = await h.say('李委员', '#导出 本月')
    const sent = h.world.puppet.files.get(replies.find((m) => m.file)!.file!)!
    const sheets = readZip(Buffer.from(sent as Uint8Array)).filter((f) => f.name.startsWith('xl/worksheets/'))
    expect(sheets.length).toBeGreaterThan(0)
    for (const sheet of sheets) expect(sheet.data.toString('utf8')).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(sent as never)
    const texts = book.getWorksheet('心得')!.getColumn(11).values.map(String)
    expect(texts).toContain(`${essay(30, '特殊字符')}结尾`)
  })

  it('refuses #导出 with a date that does not exist, with an example', async () => {
    const [reply] = await h.say('李委员', '#导出 2026-02-31')
    expect(body(reply)).toBe('“2026-02-31”不是存在的日期（2026 年 2 月只有 28 天）。可以发送：#导出、#导出 本月、#导出 上月，或 #导出 2026-11-01 2026-11-30')
    expect(h.sent.at(-1)?.file).toBeFalsy()
  })

  it('answers #导出 with the disk full in Chinese, leaves no temp file, and stops cleanly', async () => {
    const exports = path.join(dir, 'data', 'exports')
    const replies = await withFileSizeLimit(1024, () => h.say('李委员', '#导出'))
    expect(replies.map(body)).toEqual(['导出失败：服务器磁盘已满，无法生成导出文件。请联系管理员清理磁盘后再试。'])
    expect(fs.readdirSync(exports)).toEqual([])
    expect(h.logs.some((l) => l.msg === 'export file not written' && l.failure === 'disk-full')).toBe(true)
  })
})
