import type { Ctx, Handler } from '../bot/context.ts'
import { groupName, type GroupConfig } from '../config.ts'
import { zoneLabel } from '../clock.ts'
import type { ScheduleDef } from '../store/schedule-store.ts'
import { allSchedules, targetGroups } from '../schedules/definitions.ts'
import { previewContent } from '../schedules/firing.ts'
import { addChatSchedule, addTextSchedule, deleteChatSchedule, firesTooOften, runScheduleNow, setSchedulePaused } from '../schedules/changes.ts'
import { nextFireTimes } from '../schedules/next-fire.ts'
import { parseTimePhrase, timePhraseExamples } from '../schedules/time-phrases.ts'
import { formatFireTime, formatOutcome, formatScheduleRow, scheduleOverview } from '../schedules/overview.ts'
import { parseQuizContent } from '../quiz/quiz-schedule.ts'
import { command, quoted } from './command.ts'

const usage = [
  '定时任务命令（书记可用）：',
  '· #定时 添加 每周一 09:00 内容',
  '· #定时 添加 每天 20:00 每日一题 [3题] [截止 22:00] —— 定时出每日一题',
  '· #定时 列表',
  '· #定时 暂停 ID / 恢复 ID / 删除 ID',
  '· #定时 立即 ID —— 马上在本群发送一次',
  '· #定时 预览 ID —— 查看接下来三次的时间和发送内容',
].join('\n')

const phraseHelp = (timeZone: string) => [
  '没看懂这个时间。可以这样写：', ...timePhraseExamples.map((e) => `· #定时 添加 ${e.split('（')[0]} 内容`), `（时间均为${zoneLabel(timeZone)}）`,
].join('\n')

/** `#定时 添加|列表|暂停|恢复|删除|立即|预览`: secretaries manage the group's schedules from chat. */
export const manageSchedules: Handler = command({ name: '定时', action: 'schedule', example: '#定时 第一党支部学习群 列表' }, async (ctx, { group, args }) => {
  const [, verb = '', rest = ''] = /^(\S*)\s*([\s\S]*)$/.exec(args) ?? []
  // own keys only: a verb such as __proto__ or toString is not an action
  const action = Object.hasOwn(actions, verb) ? actions[verb] : undefined
  if (!action) return ctx.reply(usage)
  await action(ctx, group, rest.trim())
})

type Action = (ctx: Ctx, group: GroupConfig, rest: string) => Promise<void>

const storeOf = (ctx: Ctx) => ctx.deps.stores.schedules

/** The schedule `id` if it sends to `group`; otherwise a reply saying why not. */
async function find(ctx: Ctx, group: GroupConfig, id: string): Promise<ScheduleDef | undefined> {
  if (!id) {
    await ctx.reply('请写上任务 ID，例如：#定时 暂停 c1（发送 #定时 列表 查看 ID）')
    return undefined
  }
  const def = (await allSchedules(ctx.deps.config, storeOf(ctx))).find((d) => d.id === id)
  if (!def || !targetGroups(ctx.deps.config, def).some((g) => g.key === group.key)) {
    await ctx.reply(`本群没有 ID 为“${quoted(id)}”的定时任务。发送 #定时 列表 查看。`)
    return undefined
  }
  return def
}

/** Pausing or deleting a schedule that reaches other groups needs their secretary too. */
async function mayChange(ctx: Ctx, def: ScheduleDef): Promise<boolean> {
  const others = targetGroups(ctx.deps.config, def).filter((g) => !ctx.may('schedule', g))
  if (!others.length) return true
  await ctx.reply(`任务 ${def.id} 同时发往${others.map(groupName).join('、')}，需要这些群的书记才能更改。`)
  return false
}

const actions: Record<string, Action> = {
  async 添加(ctx, group, rest) {
    const parsed = parseTimePhrase(rest)
    if (!parsed) return ctx.reply(phraseHelp(ctx.deps.config.timezone))
    if (!parsed.rest) return ctx.reply(`请在时间后面写上要发送的内容，例如：#定时 添加 ${parsed.label} 请大家完成本周学习`)
    const { config, clock } = ctx.deps
    if (firesTooOften(ctx.deps, parsed.cron)) {
      return ctx.reply(`群里的定时通知间隔不能少于 ${config.minScheduleIntervalMinutes} 分钟，请换一个时间，例如：#定时 添加 每天 08:00 内容`)
    }
    const quiz = parseQuizContent(parsed.rest)
    const def = quiz
      ? await addChatSchedule(ctx.deps, group, { cron: parsed.cron, label: parsed.label, kind: 'quiz', ...quiz }, ctx.sender.name)
      : await addTextSchedule(ctx.deps, group, { cron: parsed.cron, label: parsed.label, text: parsed.rest }, ctx.sender.name)
    const times = nextFireTimes(def.cron, config.timezone, clock.now(), 3)
    await ctx.reply([
      `已添加定时任务 ${def.id}：${parsed.label} 在“${groupName(group)}”${quiz ? '出每日一题' : '发送'}：`,
      quiz ? `每次 ${def.questions ?? config.quiz.questions} 题，截止 ${def.due ?? '当天 23:59'}；先出题库中的题，再从学习材料生成（书记可发送“#出题 预览”查看下一题）` : parsed.rest,
      `接下来三次（${zoneLabel(config.timezone)}）：`,
      ...times.map((t) => `· ${formatFireTime(t, config.timezone)}`),
      `暂停：#定时 暂停 ${def.id}　删除：#定时 删除 ${def.id}`,
    ].join('\n'))
  },

  async 列表(ctx, group) {
    const { config, clock } = ctx.deps
    const rows = (await scheduleOverview(config, storeOf(ctx), clock.now()))
      .filter((r) => targetGroups(config, r.def).some((g) => g.key === group.key))
    if (!rows.length) return ctx.reply(`“${groupName(group)}”还没有定时任务。添加：#定时 添加 每周一 09:00 内容`)
    await ctx.reply([`“${groupName(group)}”的定时任务（${zoneLabel(config.timezone)}）：`, ...rows.map((r) => formatScheduleRow(r, config.timezone))].join('\n\n'))
  },

  async 暂停(ctx, group, id) {
    const def = await find(ctx, group, id)
    if (!def || !await mayChange(ctx, def)) return
    await setSchedulePaused(ctx.deps, def.id, true)
    await ctx.reply(`已暂停定时任务 ${def.id}。恢复：#定时 恢复 ${def.id}`)
  },

  async 恢复(ctx, group, id) {
    const def = await find(ctx, group, id)
    if (!def || !await mayChange(ctx, def)) return
    await setSchedulePaused(ctx.deps, def.id, false)
    const [next] = nextFireTimes(def.cron, ctx.deps.config.timezone, ctx.deps.clock.now(), 1)
    await ctx.reply(`已恢复定时任务 ${def.id}。${next !== undefined ? `下次：${formatFireTime(next, ctx.deps.config.timezone)}` : ''}`)
  },

  async 删除(ctx, group, id) {
    const def = await find(ctx, group, id)
    if (!def) return
    if (def.source === 'config') return ctx.reply(`任务 ${def.id} 写在配置文件中，不能在群里删除；可以暂停：#定时 暂停 ${def.id}`)
    if (!await mayChange(ctx, def)) return
    await deleteChatSchedule(ctx.deps, def.id)
    await ctx.reply(`已删除定时任务 ${def.id}。`)
  },

  async 立即(ctx, group, id) {
    const def = await find(ctx, group, id)
    if (!def) return
    const f = await runScheduleNow(ctx.deps, ctx.messenger, def, group)
    if (f.outcome === 'failed') await ctx.reply(`任务 ${def.id} 发送失败：${formatOutcome(f, ctx.deps.config.timezone)}`)
    else if (!ctx.room) await ctx.reply(`已在“${groupName(group)}”执行任务 ${def.id}。`)
  },

  async 预览(ctx, group, id) {
    const def = await find(ctx, group, id)
    if (!def) return
    const { config, clock } = ctx.deps
    const times = nextFireTimes(def.cron, config.timezone, clock.now(), 3)
    const text = await previewContent(ctx.deps, def, group, times[0] ?? clock.now())
    await ctx.reply([
      `任务 ${def.id} 接下来三次（${zoneLabel(config.timezone)}）：`,
      ...times.map((t) => `· ${formatFireTime(t, config.timezone)}`),
      '下次将发送：',
      '————',
      text,
    ].join('\n'))
  },
}
