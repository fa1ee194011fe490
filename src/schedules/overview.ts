import type { Config } from '../config.ts'
import { formatInZone } from '../clock.ts'
import type { Firing, ScheduleDef, ScheduleStore, SlotSummary } from '../store/schedule-store.ts'
import { allSchedules, isPaused } from './definitions.ts'
import { nextFireTimes } from './next-fire.ts'

/** One schedule as `#定时 列表` and `studybot schedules` show it. */
export interface ScheduleRow {
  def: ScheduleDef
  paused: boolean
  last?: Firing
  /** The newest finished broadcast: counts over its groups. */
  summary?: SlotSummary
  /** Next fire time (epoch ms); undefined when paused or never. */
  next?: number
}

const kindNames: Record<string, string> = {
  text: '文字通知', 'study-plan': '学习计划', 'reflection-prompt': '心得任务', remind: '催交提醒', quiz: '每日一题', birthdays: '政治生日', meeting: '三会一课', dues: '党费通知',
}

/** Chinese name of a schedule kind; a kind without one shows as written. */
export function kindName(kind: string): string {
  return kindNames[kind] ?? kind
}

const weekdays = ['日', '一', '二', '三', '四', '五', '六']

/** Every schedule with its pause state, last outcome and next fire time. */
export async function scheduleOverview(config: Config, store: ScheduleStore, now: number): Promise<ScheduleRow[]> {
  const defs = await allSchedules(config, store)
  const states = await store.states(defs.map((d) => d.id))
  return defs.map((def, i) => {
    const paused = isPaused(def, states[i])
    return { def, paused, last: states[i].last, ...(states[i].slotSummary ? { summary: states[i].slotSummary } : {}), next: paused ? undefined : nextFireTimes(def.cron, config.timezone, now, 1)[0] }
  })
}

/** A fire time for chat, e.g. 2026-11-30 09:00（周一）. */
export function formatFireTime(ms: number, timeZone: string): string {
  const day = new Date(Date.parse(formatInZone(ms, timeZone).slice(0, 10))).getUTCDay()
  return `${formatInZone(ms, timeZone)}（周${weekdays[day]}）`
}

/** A failure reason members and secretaries can read; technical details stay in the log. */
export function chineseReason(error: string | undefined): string {
  if (!error) return '原因不明，详见日志'
  // a reason written in Chinese (the platform's own), not an English error that names a Chinese group
  if (/^[\u4e00-\u9fff【“]/.test(error)) return error
  if (/not found/i.test(error)) return '找不到这个群（机器人可能已不在群里），详见日志'
  return '网络或平台出错，已重试仍未成功，详见日志'
}

/** The last outcome in Chinese, e.g. 11-23 09:00 已发送. */
export function formatOutcome(f: Firing | undefined, timeZone: string): string {
  if (!f) return '尚未执行'
  const when = formatInZone(f.slot, timeZone).slice(5)
  const where = f.group
  switch (f.outcome) {
    case 'sent': return `${when} 已发送到 ${where}${f.late ? '（重启后补发）' : ''}${f.manual ? '（手动）' : ''}`
    case 'failed': return `${when} 发送到 ${where} 失败：${chineseReason(f.error)}`
    case 'unconfirmed': return `${when} 已发送到 ${where}，但平台未确认送达（为免重复，未重发）`
    case 'missed': return `${when} 错过（当时机器人未运行，超过补发时限，未发送）`
    case 'finished': return `${when} 学习计划已全部发完`
    case 'nothing': return `${when} ${where} 当天没有需要发送的内容`
  }
}

/** Several lines describing one schedule, for chat and the CLI. */
export function formatScheduleRow(row: ScheduleRow, timeZone: string): string {
  const { def } = row
  const target = def.group === '*' ? '所有学习群' : def.group
  const content = def.kind === 'study-plan' ? `材料 ${def.doc}` : def.text ? clip(def.text, 30) : ''
  return [
    `${def.id}【${kindName(def.kind)}】${def.source === 'config' ? '（配置文件）' : ''}${row.paused ? '〔已暂停〕' : ''}`,
    `  时间：${def.label ?? def.cron} · 发往：${target}${content ? ` · 内容：${content}` : ''}`,
    `  下次：${row.next !== undefined ? formatFireTime(row.next, timeZone) : row.paused ? '已暂停' : '无'}`,
    `  上次：${formatOutcome(row.last, timeZone)}`,
    ...(row.summary && row.summary.total > 1 ? formatSummary(row.summary, timeZone) : []),
  ].join('\n')
}

/** A broadcast's counts, e.g. 上次广播 11-23 09:00，共 60 个群：已发送 58，失败 1，未确认 1，错过 0; then the groups not reached. */
export function formatSummary(s: SlotSummary, timeZone: string): string[] {
  const lines = [`  上次广播：${formatInZone(s.slot, timeZone).slice(5)}，共 ${s.total} 个群：已发送 ${s.sent}，失败 ${s.failed}，未确认 ${s.unconfirmed}，错过 ${s.missed}`]
  if (s.problems.length) {
    const shown = s.problems.slice(0, 5).map((p) => `${p.group}（${p.outcome === 'unconfirmed' ? '未确认送达' : chineseReason(p.error)}）`)
    const more = s.failed + s.unconfirmed - shown.length
    lines.push(`  未送达：${shown.join('、')}${more > 0 ? ` 等，另有 ${more} 个群` : ''}`)
  }
  return lines
}

/** One line of at most `n` characters, with … when cut. */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ')
  return one.length > n ? `${one.slice(0, n)}…` : one
}
