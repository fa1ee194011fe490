import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { FileBox } from 'file-box'
import type { Handler } from '../bot/context.ts'
import { dateInZone } from '../clock.ts'
import { exportGroup } from '../export/export-group.ts'
import { groupName } from '../config.ts'
import { countedMembers } from '../participation/participation.ts'
import { command } from './command.ts'
import { impossibleDate, isExportDate } from '../export/export-dates.ts'
import { writeFailureOf, type WriteFailure } from '../util/write-failure.ts'

// what the organizer is told when the file could not be written
const WRITE_PROBLEM: Record<WriteFailure, string> = {
  'disk-full': '导出失败：服务器磁盘已满，无法生成导出文件。请联系管理员清理磁盘后再试。',
  'not-writable': '导出失败：服务器的导出目录无法写入。请联系管理员检查数据目录的权限后再试。',
  io: '导出失败：服务器写入导出文件时出错，请稍后再试。',
}

/** Dates of `#导出` arguments: '' (all), 本月, 上月, one date (from), or two dates; undefined if unreadable. */
export function exportRange(args: string, today: string): { since?: string; until?: string } | undefined {
  const words = args.split(/\s+/).filter(Boolean).map((w) => w.replace(/[/.]/g, '-'))
  if (!words.length) return {}
  const month = today.slice(0, 7)
  if (words.length === 1 && words[0] === '本月') return { since: `${month}-01`, until: today }
  if (words.length === 1 && words[0] === '上月') {
    const [y, m] = month.split('-').map(Number)
    const prev = new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10)
    const last = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10)
    return { since: prev, until: last }
  }
  if (words.length <= 2 && words.every(isExportDate)) {
    const [since, until] = words
    if (until && until < since) return undefined
    return { since, until }
  }
  return undefined
}

/** `#导出 [本月 | 上月 | 开始日期 [结束日期]]` (organizers): the .xlsx of a group's reflections, sent privately. */
export const exportReflections: Handler = command({ name: '导出', action: 'export', example: '#导出 1 本月' }, async (ctx, { group, args: rest }) => {
  const { config, clock } = ctx.deps
  const example = '可以发送：#导出、#导出 本月、#导出 上月，或 #导出 2026-11-01 2026-11-30'
  const impossible = rest.split(/\s+/).map((w) => w.replace(/[/.]/g, '-')).map((w) => [w, impossibleDate(w)] as const).find(([, why]) => why)
  if (impossible) return ctx.reply(`“${impossible[0]}”不是存在的日期（${impossible[1]}）。${example}`)
  const range = exportRange(rest, dateInZone(clock.now(), config.timezone))
  if (!range) return ctx.reply(`没看懂导出范围。${example}`)

  const dir = path.join(config.dataDir, 'exports')
  const stamp = dateInZone(clock.now(), config.timezone)
  const out = path.join(dir, `${stamp}-${randomBytes(4).toString('hex')}.xlsx`)
  const members = await countedMembers(ctx.messenger, group).catch((err: unknown) => {
    ctx.deps.log.warn({ err, group: group.key }, 'group members not listed; export without the member list')
    return []
  })
  let count: number
  let file: Buffer
  try {
    fs.mkdirSync(dir, { recursive: true })
    count = await exportGroup(ctx.deps, group, { format: 'xlsx', out, ...range, members })
    file = fs.readFileSync(out)
  } catch (err) {
    const failure = writeFailureOf(err)
    if (!failure) throw err
    ctx.deps.log.error({ err, group: group.key, failure }, 'export file not written')
    return ctx.reply(WRITE_PROBLEM[failure])
  } finally {
    // the file is read into memory before it is sent; nothing is kept on disk (the data stays in Redis)
    fs.rmSync(out, { force: true })
  }
  const span = range.since ? `${range.since}至${range.until ?? stamp}` : `截至${stamp}`
  await ctx.sendFilePrivately(FileBox.fromBuffer(file, `心得汇总-${groupName(group)}-${span}.xlsx`))
  const summary = count ? `共 ${count} 篇心得` : '所选范围内没有心得'
  await (ctx.isPrivate ? ctx.reply(`${groupName(group)}：${summary}，导出文件已发送。`) : ctx.reply(`已将导出文件私信发给你（${summary}）。`))
})
